package weights

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// CensusStats says what ReadCensus read and kept.
type CensusStats struct {
	// Rows are the data rows read; Dropped those whose value was zero.
	Rows, Dropped int
}

// ReadCensus reads a Census extraction of imports by HTS-10 × country as
// CSV (gzip accepted) with the columns year, cty_code, cty_name, hts10 and
// column (e.g. con_val_usd, whole dollars), and returns its table for flow.
// Every row must be of the same year, a country code must keep one name,
// a code × country pair may appear once; rows of value zero are dropped.
// An error names the line.
func ReadCensus(r io.Reader, column, flow string) (*Table, CensusStats, error) {
	var st CensusStats
	br := bufio.NewReaderSize(r, 1<<16)
	var in io.Reader = br
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, st, err
		}
		defer zr.Close()
		in = zr
	}
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("reading the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	var idx [5]int
	for i, name := range []string{"year", "cty_code", "cty_name", "hts10", column} {
		k, ok := col[name]
		if !ok {
			return nil, st, fmt.Errorf("the header %q lacks the column %q", strings.Join(head, ","), name)
		}
		idx[i] = k
	}
	type key struct {
		code    string
		country int
	}
	t := &Table{Flow: flow}
	countries := map[string]int{}
	values := map[key]uint64{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, st, err
			}
			return nil, st, fmt.Errorf("line %d: %w", line, err)
		}
		st.Rows++
		year, err := strconv.Atoi(rec[idx[0]])
		if err != nil || year < 1900 || year > 9999 {
			return nil, st, fmt.Errorf("line %d: year %q", line, rec[idx[0]])
		}
		if t.Year == 0 {
			t.Year = year
		} else if year != t.Year {
			return nil, st, fmt.Errorf("line %d: year %d in a file of %d", line, year, t.Year)
		}
		code, name, hts := rec[idx[1]], rec[idx[2]], rec[idx[3]]
		if !isDigits(hts, 10) {
			return nil, st, fmt.Errorf("line %d: hts10 %q is not 10 digits", line, hts)
		}
		v, err := strconv.ParseUint(rec[idx[4]], 10, 64)
		if err != nil || v > MaxValue {
			return nil, st, fmt.Errorf("line %d: %s %q is not a whole number of dollars", line, column, rec[idx[4]])
		}
		ci, ok := countries[code]
		if !ok {
			ci = len(t.Countries)
			countries[code] = ci
			t.Countries = append(t.Countries, Country{Code: code, Name: name})
		} else if t.Countries[ci].Name != name {
			return nil, st, fmt.Errorf("line %d: country %s named %q and %q", line, code, t.Countries[ci].Name, name)
		}
		if v == 0 {
			st.Dropped++
			continue
		}
		k := key{hts, ci}
		if _, dup := values[k]; dup {
			return nil, st, fmt.Errorf("line %d: %s from %s appears twice", line, hts, code)
		}
		values[k] = v
	}
	if st.Rows == 0 {
		return nil, st, errors.New("no data rows")
	}
	// Countries in code order, so that the file does not depend on the
	// order of the rows.
	order := make([]int, len(t.Countries))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return t.Countries[order[a]].Code < t.Countries[order[b]].Code })
	remap := make([]int, len(order))
	sorted := make([]Country, len(order))
	for newIdx, old := range order {
		remap[old] = newIdx
		sorted[newIdx] = t.Countries[old]
	}
	t.Countries = sorted
	keys := make([]key, 0, len(values))
	for k := range values {
		keys = append(keys, key{k.code, remap[k.country]})
	}
	sort.Slice(keys, func(a, b int) bool {
		return keys[a].code < keys[b].code || keys[a].code == keys[b].code && keys[a].country < keys[b].country
	})
	for _, k := range keys {
		if n := len(t.Codes); n == 0 || t.Codes[n-1] != k.code {
			t.Codes = append(t.Codes, k.code)
		}
		t.Rows = append(t.Rows, Row{Code: int32(len(t.Codes) - 1), Country: uint16(k.country)})
	}
	for i, k := range keys {
		old := order[k.country]
		t.Rows[i].Value = values[key{k.code, old}]
	}
	return t, st, t.Validate()
}
