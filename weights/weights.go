// Package weights holds the import values that weight levy's aggregate
// burden: the US Census Bureau's imports for consumption by HTS-10 × country
// of origin for 2024 and 2025 (public-domain figures), embedded in levy's
// own compact format, with the reader and writer of that format and the
// reader of the Census CSV it is compiled from.
//
// The compiled files in census/ are generated (go generate, see gen/); a
// test checks them against the Census files they come from. The package
// holds figures, not tariff logic, and must not import any other levy
// package.
package weights

//go:generate go run ./gen -in ../../shared/data/imports -out census

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"
)

// Table is one year of import values by HTS-10 × country.
type Table struct {
	Year int
	// Flow names the value measure: "consumption" for Census imports for
	// consumption (CON_VAL, customs value).
	Flow string
	// Countries are the partners as the source names them.
	Countries []Country
	// Codes are the distinct 10-digit HTS codes, ascending, as reported.
	Codes []string
	// Rows are sorted by code, then country; each has a positive value.
	Rows []Row
}

// Country is a partner of a table: the source's code (Census Schedule C,
// e.g. "5880") and name ("JAPAN").
type Country struct {
	Code, Name string
}

// Row is the value of one code from one country, in whole dollars.
type Row struct {
	Code    int32  // index into Table.Codes
	Country uint16 // index into Table.Countries
	Value   uint64
}

// Total is the sum of the table's values, in dollars.
func (t *Table) Total() uint64 {
	var s uint64
	for _, r := range t.Rows {
		s += r.Value
	}
	return s
}

// Validate reports the first way t breaks the format's rules: codes of 10
// digits, ascending and distinct; rows ascending by code then country, one
// per pair, each code with a row; positive values; strings of valid UTF-8
// of at most 255 bytes.
func (t *Table) Validate() error {
	if t.Year < 1900 || t.Year > 9999 {
		return fmt.Errorf("year %d out of range", t.Year)
	}
	if len(t.Countries) > maxCountries {
		return fmt.Errorf("%d countries: at most %d", len(t.Countries), maxCountries)
	}
	strs := []string{t.Flow}
	for _, c := range t.Countries {
		strs = append(strs, c.Code, c.Name)
	}
	for _, s := range strs {
		if len(s) > maxString || !utf8.ValidString(s) {
			return fmt.Errorf("%q: not valid UTF-8 of at most %d bytes", s, maxString)
		}
	}
	for i, c := range t.Codes {
		if !isDigits(c, 10) {
			return fmt.Errorf("code %q is not 10 digits", c)
		}
		if i > 0 && c <= t.Codes[i-1] {
			return fmt.Errorf("code %s after %s: codes must ascend", c, t.Codes[i-1])
		}
	}
	used := make([]bool, len(t.Codes))
	for i, r := range t.Rows {
		if r.Code < 0 || int(r.Code) >= len(t.Codes) || int(r.Country) >= len(t.Countries) {
			return fmt.Errorf("row %d refers to a code or country the table lacks", i)
		}
		if r.Value == 0 || r.Value > MaxValue {
			return fmt.Errorf("row %d (%s): value %d out of range", i, t.Codes[r.Code], r.Value)
		}
		if i > 0 {
			p := t.Rows[i-1]
			if r.Code < p.Code || r.Code == p.Code && r.Country <= p.Country {
				return fmt.Errorf("row %d (%s): rows must ascend by code, then country, one per pair", i, t.Codes[r.Code])
			}
		}
		used[r.Code] = true
	}
	for i, u := range used {
		if !u {
			return fmt.Errorf("code %s has no rows", t.Codes[i])
		}
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

//go:embed census/*.lvi census/SOURCES.json
var censusFS embed.FS

// Source records where a compiled table comes from, as written beside the
// data in census/SOURCES.json by the generator.
type Source struct {
	Year int `json:"year"`
	// File is the compiled file; SHA256 and Bytes describe it.
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
	// From is the source file's name, FromSHA256 its checksum, FromRows its
	// data rows.
	From       string `json:"from"`
	FromSHA256 string `json:"from_sha256"`
	FromRows   int    `json:"from_rows"`
	// Column is the source column compiled; Rows the rows kept (the value
	// positive), Codes and Countries the distinct ones, Value their total.
	Column    string `json:"column"`
	Rows      int    `json:"rows"`
	Dropped   int    `json:"dropped_zero_rows"`
	Codes     int    `json:"codes"`
	Countries int    `json:"countries"`
	Value     string `json:"value_usd"`
}

// Sources is the record of census/SOURCES.json.
type Sources struct {
	Publisher string   `json:"publisher"`
	Dataset   string   `json:"dataset"`
	Vintage   string   `json:"vintage"`
	License   string   `json:"license"`
	Rebuild   string   `json:"rebuild"`
	Files     []Source `json:"files"`
}

// CensusSources returns the record of the embedded Census tables.
func CensusSources() (*Sources, error) {
	b, err := censusFS.ReadFile("census/SOURCES.json")
	if err != nil {
		return nil, err
	}
	var s Sources
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("census/SOURCES.json: %w", err)
	}
	return &s, nil
}

// CensusYears lists the years of the embedded Census tables, ascending.
func CensusYears() []int {
	s, err := CensusSources()
	if err != nil {
		return nil
	}
	var ys []int
	for _, f := range s.Files {
		ys = append(ys, f.Year)
	}
	sort.Ints(ys)
	return ys
}

var census struct {
	mu     sync.Mutex
	tables map[int]*Table
}

// Census returns the embedded table of year (2024 or 2025). It is decoded
// once and shared: callers must not modify it.
func Census(year int) (*Table, error) {
	census.mu.Lock()
	defer census.mu.Unlock()
	if t, ok := census.tables[year]; ok {
		return t, nil
	}
	name := CensusFile(year)
	b, err := censusFS.ReadFile("census/" + name)
	if err != nil {
		return nil, fmt.Errorf("no embedded Census imports for %d (levy holds %v)", year, CensusYears())
	}
	t, err := Read(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", name, err)
	}
	if t.Year != year {
		return nil, fmt.Errorf("embedded %s holds year %d", name, t.Year)
	}
	if census.tables == nil {
		census.tables = map[int]*Table{}
	}
	census.tables[year] = t
	return t, nil
}

// CensusFile is the name of the compiled file of year in census/.
func CensusFile(year int) string { return fmt.Sprintf("census_%d.lvi", year) }

// CensusBytes returns the compiled file of year as embedded.
func CensusBytes(year int) ([]byte, error) { return censusFS.ReadFile("census/" + CensusFile(year)) }
