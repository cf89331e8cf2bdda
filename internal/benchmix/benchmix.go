// Package benchmix builds the realistic query mix that the benchmarks and
// the bench/ programs share: real HTS lines drawn in proportion to 2025 US
// import value by HTS-10 × country (the Census extraction in
// ../shared/data/imports), entry dates across 2025–2026, and both known-on
// readings (as collected, and as known on 2026-11-29).
//
// It is for benchmarks only; it reads reference data that is never
// committed, and it must not be imported by the library packages.
package benchmix

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
)

// Files in ../shared/data that the mix is built from.
const (
	ImportsFile  = "imports/us_imports_hts10_by_country_2025.csv.gz"
	CensusFile   = "census_country_codes.csv"
	ScheduleFile = "hts_2026_rev_10.json.gz" // one export read alone, beside the history, in the engine benchmark
)

// KnownOn is the later reading of the law: as known on this date.
var KnownOn = date.MustParse("2026-11-29")

// First and Last bound the entry dates drawn.
var (
	First = date.MustParse("2025-01-01")
	Last  = date.MustParse("2026-11-29")
)

// Row is one import line of the mix, as text (the batch columns).
type Row struct {
	HTS, Origin, EntryDate, KnownOn, Value, Quantity, Unit string
}

// Input returns r as an engine input.
func (r *Row) Input() engine.Input {
	return engine.Input{HTS: r.HTS, Origin: r.Origin, EntryDate: r.EntryDate, KnownOn: r.KnownOn,
		Value: r.Value, Quantity: r.Quantity, Unit: r.Unit}
}

// Pair is one HTS line × origin with its weight.
type Pair struct {
	HTS    string // 10 (or 8) digits, a line of the schedule
	Origin string // ISO 3166-1 alpha-2
	Unit   string // the line's first reporting unit, or ""
	Weight float64
}

// Mix is the weighted population of pairs.
type Mix struct {
	Pairs []Pair
	cum   []float64
	// Coverage is the share of 2025 import value (chapters 1–97) whose
	// code and country could be placed on the schedule and the ISO table.
	Coverage float64
	// Lines and Countries count the distinct lines and origins.
	Lines, Countries int
}

// Load reads the import file and the Census country list and keeps the pairs
// whose code is a line of sched in force over First..Last and whose country
// has an ISO code.
func Load(importsPath, censusPath string, sched *hts.Schedule) (*Mix, error) {
	iso, err := censusISO(censusPath)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(importsPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(gz)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	ic, ih, iv := col["cty_code"], col["hts10"], col["con_val_usd"]
	m := &Mix{}
	var total, kept float64
	lines, origins := map[string]bool{}, map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		code := rec[ih]
		if strings.HasPrefix(code, "98") || strings.HasPrefix(code, "99") {
			continue
		}
		v, err := strconv.ParseFloat(rec[iv], 64)
		if err != nil || v <= 0 {
			continue
		}
		total += v
		o := iso[rec[ic]]
		if o == "" {
			continue
		}
		ln, err := lookupThroughout(sched, code)
		if err != nil && strings.HasSuffix(code, "00") {
			ln, err = lookupThroughout(sched, code[:8])
		}
		if err != nil || len(ln.Code) < 8 {
			continue
		}
		unit := ""
		if len(ln.Units) > 0 {
			unit = ln.Units[0]
		}
		kept += v
		lines[ln.Code], origins[o] = true, true
		m.Pairs = append(m.Pairs, Pair{HTS: ln.Code, Origin: o, Unit: unit, Weight: v})
	}
	if len(m.Pairs) == 0 {
		return nil, errors.New("benchmix: no import row matches the schedule")
	}
	m.cum = make([]float64, len(m.Pairs))
	s := 0.0
	for i, p := range m.Pairs {
		s += p.Weight
		m.cum[i] = s
	}
	m.Coverage = kept / total
	m.Lines, m.Countries = len(lines), len(origins)
	return m, nil
}

// lookupThroughout returns the line of code in force on every entry date
// the mix draws (on First and on Last), so that a dated schedule and a
// single export assess the same pairs.
func lookupThroughout(sched *hts.Schedule, code string) (*hts.Line, error) {
	if _, err := sched.Lookup(code, First); err != nil {
		return nil, err
	}
	return sched.Lookup(code, Last)
}

// Pick draws a pair in proportion to import value.
func (m *Mix) Pick(r *rand.Rand) *Pair {
	x := r.Float64() * m.cum[len(m.cum)-1]
	i := sort.SearchFloat64s(m.cum, x)
	if i >= len(m.Pairs) {
		i = len(m.Pairs) - 1
	}
	return &m.Pairs[i]
}

// Rows draws n rows with a fixed seed: pairs by import value, entry dates
// uniform over First..Last, known-on empty (as collected) or KnownOn with
// equal odds, customs values log-uniform from $50 to $2M.
func (m *Mix) Rows(n int, seed uint64) []Row {
	r := rand.New(rand.NewPCG(seed, 0x6c657679))
	days := int(Last-First) + 1
	out := make([]Row, n)
	for i := range out {
		p := m.Pick(r)
		row := Row{HTS: hts.Dotted(p.HTS), Origin: p.Origin, EntryDate: First.AddDays(r.IntN(days)).String(), Unit: p.Unit}
		if r.IntN(2) == 0 {
			row.KnownOn = KnownOn.String()
		}
		v := math.Exp(math.Log(50) + r.Float64()*(math.Log(2e6)-math.Log(50)))
		row.Value = strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
		if p.Unit != "" {
			row.Quantity = strconv.Itoa(1 + r.IntN(5000))
		}
		out[i] = row
	}
	return out
}

// Queries parses rows into engine queries; rows that fail to parse are
// reported as an error (the mix is built to parse).
func Queries(rows []Row) ([]engine.Query, error) {
	out := make([]engine.Query, 0, len(rows))
	for i := range rows {
		q, err := rows[i].Input().Parse()
		if err != nil {
			return nil, fmt.Errorf("row %d %+v: %w", i, rows[i], err)
		}
		out = append(out, q)
	}
	return out, nil
}

// censusISO maps Census Schedule C codes to ISO alpha-2 codes.
func censusISO(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		if c, ok := country.ByName(row[1]); ok {
			out[row[0]] = c.Code
		}
	}
	return out, nil
}

// FromData loads the mix from a reference data directory (../shared/data)
// against levy's default schedule, the embedded history of every revision.
func FromData(dir string) (*Mix, error) {
	sched, err := hts.Embedded()
	if err != nil {
		return nil, err
	}
	return Load(dir+"/"+ImportsFile, dir+"/"+CensusFile, sched)
}
