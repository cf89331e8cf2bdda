// Package burden computes the aggregate tariff burden of a set of imports:
// the trade-weighted effective tariff rate and the duty by partner, HS
// section and chapter, on a given date as the law was known on a given day.
// It reads import values (HTS-10 × country, e.g. Census data) as a stream.
//
// It must not import cli or server.
package burden

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Group totals one partner, section or chapter.
type Group struct {
	Key   string        `json:"key"`
	Name  string        `json:"name"`
	Value money.Decimal `json:"-"`
	Duty  money.Decimal `json:"-"`
}

// Rate is the group's effective tariff rate in percent.
func (g *Group) Rate() money.Decimal { return pct(g.Duty, g.Value) }

func pct(d, v money.Decimal) money.Decimal {
	if !v.IsPos() {
		return money.Zero
	}
	r, _ := d.Mul(money.Hundred)
	r, _ = r.Quo(v)
	return r.Round(2)
}

// Result is the burden of a file of imports.
type Result struct {
	Date, KnownOn date.Date
	Rows          int
	// Value and Duty cover the rows levy could assess.
	Value, Duty money.Decimal
	// Skipped is the value levy could not assess, by reason.
	Skipped   map[string]money.Decimal
	Partners  map[string]*Group
	Sections  map[string]*Group
	Chapters  map[string]*Group
	Unmatched map[string]money.Decimal // country names not recognised
	// BadRows says which rows could not be read (their value is unknown).
	BadRows    []string
	ByFamilies map[string]money.Decimal
}

// Rate is the trade-weighted effective tariff rate, in percent.
func (r *Result) Rate() money.Decimal { return pct(r.Duty, r.Value) }

// Top returns up to n groups by value, largest first.
func Top(m map[string]*Group, n int) []*Group {
	out := make([]*Group, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		c := out[i].Value.Cmp(out[j].Value)
		return c > 0 || c == 0 && out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

var columns = map[string]string{
	"hts": "hts", "hts10": "hts", "htsus10": "hts", "hts_code": "hts",
	"origin": "origin", "country_code": "origin", "iso": "origin",
	"cty_name": "name", "country": "name", "country_name": "name",
	"value": "value", "con_val_usd": "value", "consumption_imports_usd": "value", "customs_value": "value",
}

// Options are the readings of a burden run.
type Options struct {
	// Date is the entry date every row is assessed on; KnownOn the reading
	// (date.None: as collected).
	Date, KnownOn date.Date
	// MetalShare, when set, is the share of value (0 to 1) taken as the
	// steel, aluminum and copper content of every line, for the measures
	// charged on metal content; unset, undeclared content means the full
	// value, as CBP reads it.
	MetalShare    money.Decimal
	HasMetalShare bool
	// USMCAShare is the share (0 to 1) of Canadian and Mexican imports
	// taken as claimed under USMCA (program S); 0 assumes no claims.
	USMCAShare money.Decimal
}

// Run reads CSV (gzip accepted) with an HTS column, a country column (ISO
// code "origin" or name "country"/"cty_name") and a value column, and
// assesses every row on d as known on known (date.None: as collected).
func Run(ctx context.Context, snap *engine.Snapshot, in io.Reader, d, known date.Date) (*Result, error) {
	return RunWith(ctx, snap, in, Options{Date: d, KnownOn: known})
}

// RunWith is Run with the readings of opt.
func RunWith(ctx context.Context, snap *engine.Snapshot, in io.Reader, opt Options) (*Result, error) {
	d, known := opt.Date, opt.KnownOn
	br := bufio.NewReaderSize(in, 1<<16)
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("reading gzip: %w", err)
		}
		defer zr.Close()
		in = zr
	} else {
		in = br
	}
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	hdr, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	idx := map[string]int{}
	for i, h := range hdr {
		if k, ok := columns[strings.ToLower(strings.TrimSpace(h))]; ok {
			if _, dup := idx[k]; !dup {
				idx[k] = i
			}
		}
	}
	_, hasOrigin := idx["origin"]
	_, hasName := idx["name"]
	if _, ok := idx["hts"]; !ok || !(hasOrigin || hasName) {
		return nil, fmt.Errorf("the header %q needs an HTS column (hts or hts10), a country column (origin or cty_name) and a value column (value or con_val_usd)", strings.Join(hdr, ","))
	}
	if _, ok := idx["value"]; !ok {
		return nil, fmt.Errorf("the header %q has no value column (value or con_val_usd)", strings.Join(hdr, ","))
	}
	res := &Result{Date: d, KnownOn: known, Skipped: map[string]money.Decimal{}, Partners: map[string]*Group{},
		Sections: map[string]*Group{}, Chapters: map[string]*Group{}, Unmatched: map[string]money.Decimal{}, ByFamilies: map[string]money.Decimal{}}
	var a, b engine.Assessment
	codes := map[string]string{}   // by country name
	checked := map[string]string{} // by code as written
	for line := 2; ; line++ {
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("line %d: %w", line, err)
		}
		res.Rows++
		get := func(k string) string {
			if i, ok := idx[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		v, err := money.Parse(get("value"))
		if err != nil {
			res.BadRows = append(res.BadRows, fmt.Sprintf("line %d: value: %v", line, err))
			continue
		}
		if !v.IsPos() {
			continue
		}
		origin := get("origin")
		if origin != "" {
			// The engine takes a checked, upper-case code; an unknown
			// one would be assessed as a country no rule names.
			code, ok := checked[origin]
			if !ok {
				if c, err := engine.CountryCheck(origin); err == nil {
					code = c
				}
				checked[origin] = code
			}
			if code == "" {
				res.Unmatched[origin], _ = res.Unmatched[origin].Add(v)
				res.Skipped["country not recognised"], _ = res.Skipped["country not recognised"].Add(v)
				continue
			}
			origin = code
		} else {
			name := get("name")
			code, ok := codes[name]
			if !ok {
				if c, found := country.ByName(name); found {
					code = c.Code
				}
				codes[name] = code
			}
			if code == "" {
				res.Unmatched[name], _ = res.Unmatched[name].Add(v)
				res.Skipped["country not recognised"], _ = res.Skipped["country not recognised"].Add(v)
				continue
			}
			origin = code
		}
		q := engine.Query{HTS: get("hts"), Origin: origin, EntryDate: d, KnownOn: known, ExportDate: date.None, Value: v}
		if opt.HasMetalShare {
			m, _ := v.Mul(opt.MetalShare)
			q.Steel, q.Aluminum, q.Copper = m, m, m
			q.HasSteel, q.HasAluminum, q.HasCopper = true, true, true
		}
		if err := snap.AssessInto(&q, &a); err != nil {
			var e *engine.Error
			reason := "other error"
			if errors.As(err, &e) {
				switch {
				case e.Code == engine.CodeNotFound && e.Field == "hts":
					reason = "HTS number not in the schedule"
				case e.Code == engine.CodeUnknown:
					reason = "rate needs a quantity or is not computable"
				case e.Field == "origin":
					reason = "country not recognised"
				}
			}
			res.Skipped[reason], _ = res.Skipped[reason].Add(v)
			continue
		}
		duty := a.Duty
		families := familyDuty(&a, money.One)
		if opt.USMCAShare.IsPos() && (origin == "CA" || origin == "MX") {
			// A share of the line is claimed under USMCA: weight the two readings.
			qs := q
			qs.Program = "S"
			if err := snap.AssessInto(&qs, &b); err == nil {
				u := opt.USMCAShare
				rest, _ := money.One.Sub(u)
				x, _ := a.Duty.Mul(rest)
				y, _ := b.Duty.Mul(u)
				duty, _ = x.Add(y)
				families = familyDuty(&a, rest)
				for f, amt := range familyDuty(&b, u) {
					families[f], _ = families[f].Add(amt)
				}
			}
		}
		res.Value, _ = res.Value.Add(v)
		res.Duty, _ = res.Duty.Add(duty)
		for f, amt := range families {
			res.ByFamilies[f], _ = res.ByFamilies[f].Add(amt)
		}
		ch := a.Line[:2]
		add(res.Partners, origin, partnerName(origin), v, duty)
		add(res.Chapters, ch, "Chapter "+ch, v, duty)
		sec, name := Section(ch)
		add(res.Sections, sec, name, v, duty)
	}
	return res, nil
}

// familyDuty is the duty of a by measure family, each amount times w.
func familyDuty(a *engine.Assessment, w money.Decimal) map[string]money.Decimal {
	out := map[string]money.Decimal{}
	for _, l := range a.Layers {
		fam := l.Family
		if l.Kind == engine.BaseLayer {
			fam = "base rate"
		}
		amt, _ := l.Amount.Mul(w)
		out[fam], _ = out[fam].Add(amt)
	}
	return out
}

func partnerName(code string) string {
	if c, err := country.Lookup(code); err == nil {
		return c.Name
	}
	return code
}

func add(m map[string]*Group, key, name string, v, d money.Decimal) {
	g, ok := m[key]
	if !ok {
		g = &Group{Key: key, Name: name}
		m[key] = g
	}
	g.Value, _ = g.Value.Add(v)
	g.Duty, _ = g.Duty.Add(d)
}

// sections are the 21 sections of the Harmonized System with their first
// chapter (HS nomenclature, section titles shortened).
var sections = []struct {
	first int
	key   string
	name  string
}{
	{1, "I", "Live animals; animal products"}, {6, "II", "Vegetable products"}, {15, "III", "Fats and oils"},
	{16, "IV", "Prepared foodstuffs, beverages, tobacco"}, {25, "V", "Mineral products"},
	{28, "VI", "Chemical products"}, {39, "VII", "Plastics and rubber"}, {41, "VIII", "Hides, leather, travel goods"},
	{44, "IX", "Wood and articles of wood"}, {47, "X", "Pulp, paper"}, {50, "XI", "Textiles and apparel"},
	{64, "XII", "Footwear, headgear"}, {68, "XIII", "Stone, ceramics, glass"}, {71, "XIV", "Precious metals, jewellery"},
	{72, "XV", "Base metals"}, {84, "XVI", "Machinery and electrical equipment"}, {86, "XVII", "Vehicles, aircraft, vessels"},
	{90, "XVIII", "Instruments, clocks, musical instruments"}, {93, "XIX", "Arms and ammunition"},
	{94, "XX", "Miscellaneous manufactured articles"}, {97, "XXI", "Works of art, antiques"}, {98, "-", "Special classification (ch. 98-99)"},
}

// Section returns the HS section of a two-digit chapter.
func Section(chapter string) (key, name string) {
	n := 0
	fmt.Sscanf(chapter, "%d", &n)
	key, name = "?", "Unknown"
	for _, s := range sections {
		if n >= s.first {
			key, name = s.key, s.name
		}
	}
	return key, name
}
