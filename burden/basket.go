package burden

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/weights"
)

// Basket is a set of import values by HTS number × country of origin, read
// once and assessed on as many dates as asked. Rows of the same number and
// country are added together.
type Basket struct {
	// Source says where the values come from.
	Source string
	// Year is the calendar year the values cover; 0 when not known (a
	// user's file, read as a year of imports).
	Year int
	// Lines are the distinct number × country pairs, in first-seen order.
	Lines []Line
	// Rows counts the data rows read (in a basket made by Only, the lines
	// of the countries kept).
	Rows int
	// Unmatched is the value of rows whose country levy does not
	// recognise, by the name or code as written.
	Unmatched map[string]money.Decimal
	// BadRows says which rows could not be read (their value is unknown).
	BadRows []string

	index map[[2]string]int // while reading: the line of a pair
}

// Line is the value of one HTS number from one country.
type Line struct {
	HTS    string // as written
	Origin string // ISO 3166-1 alpha-2
	Value  money.Decimal
}

var columns = map[string]string{
	"hts": "hts", "hts10": "hts", "htsus10": "hts", "hts_code": "hts",
	"origin": "origin", "country_code": "origin", "iso": "origin",
	"cty_name": "name", "country": "name", "country_name": "name",
	"value": "value", "con_val_usd": "value", "consumption_imports_usd": "value", "customs_value": "value",
}

// Read reads CSV (gzip accepted) with an HTS column, a country column (ISO
// code "origin" or name "country"/"cty_name") and a value column, such as
// the Census Bureau's imports by HTS-10 and country. A row that cannot be
// read is recorded with its line number and the rest go on.
func Read(in io.Reader, source string) (*Basket, error) {
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
	b := newBasket(source, 0)
	codes := map[string]string{}   // by country name
	checked := map[string]string{} // by code as written
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return b, fmt.Errorf("line %d: %w", line, err)
		}
		b.Rows++
		get := func(k string) string {
			if i, ok := idx[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		v, err := money.Parse(get("value"))
		if err != nil {
			b.BadRows = append(b.BadRows, fmt.Sprintf("line %d: value: %v", line, err))
			continue
		}
		if !v.IsPos() {
			continue
		}
		written, code := get("origin"), ""
		if written != "" {
			// The engine takes a checked, upper-case code; an unknown
			// one would be assessed as a country no rule names.
			c, ok := checked[written]
			if !ok {
				if cc, err := engine.CountryCheck(written); err == nil {
					c = cc
				}
				checked[written] = c
			}
			code = c
		} else {
			written = get("name")
			c, ok := codes[written]
			if !ok {
				c = isoOf(written)
				codes[written] = c
			}
			code = c
		}
		b.add(get("hts"), code, written, v)
	}
	b.index = nil
	return b, nil
}

func newBasket(source string, year int) *Basket {
	return &Basket{Source: source, Year: year, Unmatched: map[string]money.Decimal{}, index: map[[2]string]int{}}
}

// add adds a row; an empty code is a country not recognised.
func (b *Basket) add(hts, code, written string, v money.Decimal) {
	if code == "" {
		b.Unmatched[written], _ = b.Unmatched[written].Add(v)
		return
	}
	k := [2]string{hts, code}
	if i, ok := b.index[k]; ok {
		b.Lines[i].Value, _ = b.Lines[i].Value.Add(v)
		return
	}
	b.index[k] = len(b.Lines)
	b.Lines = append(b.Lines, Line{HTS: hts, Origin: code, Value: v})
}

func isoOf(name string) string {
	if c, found := country.ByName(name); found {
		return c.Code
	}
	return ""
}

// FromCensus returns the basket of an embedded Census table, of the given
// countries only (ISO codes; all if none): each partner's name is resolved
// to its ISO code once, and a partner with none (Kosovo) is counted
// unmatched when all countries are asked for.
func FromCensus(t *weights.Table, origins ...string) *Basket {
	b := newBasket(fmt.Sprintf("Census imports for %s %d", t.Flow, t.Year), t.Year)
	iso := make([]string, len(t.Countries))
	keep := make([]bool, len(t.Countries))
	for i, c := range t.Countries {
		iso[i] = isoOf(c.Name)
		keep[i] = len(origins) == 0 || iso[i] != "" && slices.Contains(origins, iso[i])
	}
	for _, r := range t.Rows {
		if !keep[r.Country] {
			continue
		}
		b.Rows++
		v := money.Whole(int64(r.Value))
		if iso[r.Country] == "" {
			name := t.Countries[r.Country].Name
			b.Unmatched[name], _ = b.Unmatched[name].Add(v)
			continue
		}
		// Table rows are one per pair: no need to look for duplicates.
		b.Lines = append(b.Lines, Line{HTS: t.Codes[r.Code], Origin: iso[r.Country], Value: v})
	}
	b.index = nil
	return b
}

// Only returns the part of b from the given countries (ISO codes); with
// none it returns b. Unmatched rows are left out (they are from none of
// them); unreadable rows are kept, as their country is unknown.
func (b *Basket) Only(origins ...string) *Basket {
	if len(origins) == 0 {
		return b
	}
	keep := map[string]bool{}
	for _, o := range origins {
		keep[o] = true
	}
	out := &Basket{Source: b.Source, Year: b.Year, BadRows: b.BadRows, Unmatched: map[string]money.Decimal{}}
	for _, l := range b.Lines {
		if keep[l.Origin] {
			out.Lines = append(out.Lines, l)
		}
	}
	out.Rows = len(out.Lines)
	return out
}

// Value is the total value of the basket's lines (unmatched rows apart).
func (b *Basket) Value() money.Decimal {
	s := money.Zero
	for _, l := range b.Lines {
		s, _ = s.Add(l.Value)
	}
	return s
}

func (b *Basket) unmatchedValue() money.Decimal {
	s := money.Zero
	for _, v := range b.Unmatched {
		s, _ = s.Add(v)
	}
	return s
}

// ParseOrigins reads ISO 3166-1 codes or country names, each alone or
// comma-separated, and returns their codes in the order given, without
// repeats. An unknown code is a *country.UnknownError with suggestions.
func ParseOrigins(list ...string) ([]string, error) {
	var out []string
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			c, err := country.Lookup(s)
			if err != nil {
				byName, ok := country.ByName(s)
				if !ok {
					return nil, err
				}
				c = byName
			}
			if !slices.Contains(out, c.Code) {
				out = append(out, c.Code)
			}
		}
	}
	return out, nil
}
