package batch

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/jsonobj"
)

// aliases maps accepted column names (as normName leaves them) to input
// fields.
var aliases = map[string]string{
	"id": "id", "sku": "id", "line": "id", "reference": "id",
	"hts": "hts", "hts_code": "hts", "htsno": "hts", "hts_number": "hts", "hs_code": "hts", "tariff_number": "hts",
	"origin": "origin", "country": "origin", "country_of_origin": "origin", "coo": "origin",
	"entry_date": "entry_date", "date": "entry_date", "export_date": "export_date", "known_on": "known_on",
	"value": "value", "customs_value": "value", "entered_value": "value",
	"quantity": "quantity", "qty": "quantity", "unit": "unit", "program": "program", "spi": "program",
	"mode": "mode", "transport_mode": "mode", "entry_id": "entry_id",
	"steel_value": "steel_value", "aluminum_value": "aluminum_value", "aluminium_value": "aluminum_value",
	"copper_value": "copper_value", "us_content_value": "us_content_value", "informal": "informal", "claims": "claims", "de_minimis": "de_minimis", "section_321": "de_minimis",
}

// notes are columns that annotate a row and that levy passes over by
// design: worked-case files carry their expected results (expect_*) and
// reasoning beside the input, and broker files a description of the goods.
var notes = map[string]bool{"note": true, "notes": true, "comment": true, "comments": true, "description": true}

// IsNoteColumn reports whether a column name is one levy passes over by
// design: expect_*, note, notes, comment, comments or description.
func IsNoteColumn(name string) bool {
	n := normName(name)
	return notes[n] || strings.HasPrefix(n, "expect_")
}

func normName(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.NewReplacer(" ", "_", "-", "_", ".", "").Replace(h)
}

// The input fields, by index: a row holds them in an array, not a map, so
// reading a row allocates nothing but its strings.
const (
	fID = iota
	fHTS
	fOrigin
	fEntryDate
	fExportDate
	fKnownOn
	fValue
	fQuantity
	fUnit
	fProgram
	fMode
	fEntryID
	fSteel
	fAluminum
	fCopper
	fUSContent
	fInformal
	fClaims
	fDeMinimis
	nFields
)

var fieldIndex = map[string]int{"id": fID, "hts": fHTS, "origin": fOrigin, "entry_date": fEntryDate,
	"export_date": fExportDate, "known_on": fKnownOn, "value": fValue, "quantity": fQuantity, "unit": fUnit,
	"program": fProgram, "mode": fMode, "entry_id": fEntryID, "steel_value": fSteel, "aluminum_value": fAluminum,
	"copper_value": fCopper, "us_content_value": fUSContent, "informal": fInformal, "claims": fClaims,
	"de_minimis": fDeMinimis}

// column says what a column name gives: a field index, -1 for a note
// column, or ok false for a name levy does not know.
func column(name string) (idx int, ok bool) {
	n := normName(name)
	if f, known := aliases[n]; known {
		return fieldIndex[f], true
	}
	if notes[n] || strings.HasPrefix(n, "expect_") {
		return -1, true
	}
	return -1, false
}

// fields are a row's values by field index.
type fields [nFields]string

// row is one input row.
type row struct {
	line    int
	fields  fields
	readErr error
}

func (r *row) input() engine.Input {
	f := &r.fields
	return engine.Input{HTS: f[fHTS], Origin: f[fOrigin], EntryDate: f[fEntryDate], ExportDate: f[fExportDate],
		KnownOn: f[fKnownOn], Value: f[fValue], Quantity: f[fQuantity], Unit: f[fUnit], Program: f[fProgram],
		Mode: f[fMode], Steel: f[fSteel], Aluminum: f[fAluminum], Copper: f[fCopper],
		USContent: f[fUSContent], Claims: f[fClaims], Informal: truthy(f[fInformal]), DeMinimis: truthy(f[fDeMinimis])}
}

// UnknownColumn is a column (or JSON Lines field) levy does not read.
type UnknownColumn struct {
	// Name is the name as written, cut to a sane length.
	Name string
	// Column is the 1-based CSV column; 0 for a JSON Lines field.
	Column int
	// Nearest is the closest name levy reads, when one is close.
	Nearest string
}

// String is the column as errors name it: "steel_valu" (column 6, did
// you mean "steel_value"?).
func (u UnknownColumn) String() string {
	var notes []string
	if u.Column > 0 {
		notes = append(notes, fmt.Sprintf("column %d", u.Column))
	}
	if u.Nearest != "" {
		notes = append(notes, fmt.Sprintf("did you mean %q?", u.Nearest))
	}
	if len(notes) == 0 {
		return strconv.Quote(u.Name)
	}
	return strconv.Quote(u.Name) + " (" + strings.Join(notes, ", ") + ")"
}

// HeaderError is a CSV header levy cannot read right: columns it does not
// know, or two columns that give the same field. Either could change a
// duty without a word (a misspelt steel_value is a line without its metal
// content), so the file is refused before any row is assessed.
type HeaderError struct {
	Unknown []UnknownColumn
	// Twice describes each field given by two columns.
	Twice []string
}

func (e *HeaderError) Error() string {
	var parts []string
	if len(e.Unknown) > 0 {
		us := make([]string, len(e.Unknown))
		for i, u := range e.Unknown {
			us[i] = u.String()
		}
		word := "column"
		if len(us) > 1 {
			word = "columns"
		}
		parts = append(parts, fmt.Sprintf("unknown %s %s; levy reads %s (and passes over expect_*, note and description columns)",
			word, strings.Join(us, ", "), strings.Join(Known, ", ")))
	}
	parts = append(parts, e.Twice...)
	return strings.Join(parts, "; ")
}

// Field is the first column at fault, for an API error's field.
func (e *HeaderError) Field() string {
	if len(e.Unknown) > 0 {
		return e.Unknown[0].Name
	}
	return ""
}

// Known are the canonical input column names.
var Known = []string{"id", "hts", "origin", "entry_date", "export_date", "known_on", "value", "quantity", "unit",
	"program", "mode", "entry_id", "steel_value", "aluminum_value", "copper_value", "us_content_value", "informal",
	"de_minimis", "claims"}

// maxName bounds how much of a column name an error repeats.
const maxName = 64

func unknown(name string, col int) UnknownColumn {
	return UnknownColumn{Name: engine.Clip(name, maxName), Column: col, Nearest: nearestName(normName(name))}
}

// nearestName returns the accepted column name closest to n by edit
// distance, or "" when none is close enough to be a slip of the keyboard.
func nearestName(n string) string {
	if n == "" || len(n) > maxName {
		return ""
	}
	best, bestD := "", -1
	for a := range aliases {
		d := editDistance(n, a)
		if bestD < 0 || d < bestD || d == bestD && a < best {
			best, bestD = a, d
		}
	}
	if bestD <= 2 && 2*bestD <= len(n) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// source yields rows until io.EOF and remembers the unknown columns it
// passed over when told to ignore them.
type source struct {
	next    func() (*row, error)
	ignored []UnknownColumn
	// ignoredNames holds the normalised names in ignored, for JSON Lines,
	// where every row names its fields again.
	ignoredNames map[string]bool
}

// maxIgnored bounds the unknown names a run remembers: a hostile file of
// random keys must not grow the summary.
const maxIgnored = 32

func (s *source) ignore(u UnknownColumn) {
	n := normName(u.Name)
	if s.ignoredNames[n] || len(s.ignored) >= maxIgnored {
		return
	}
	if s.ignoredNames == nil {
		s.ignoredNames = map[string]bool{}
	}
	s.ignoredNames[n] = true
	s.ignored = append(s.ignored, u)
}

// newSource reads the header (CSV) and returns the row source.
func newSource(in io.Reader, opt Options) (*source, error) {
	s := &source{}
	switch opt.InFormat {
	case JSONL:
		s.next = s.jsonLines(in, opt.IgnoreUnknownColumns)
		return s, nil
	case JSONArray:
		next, err := s.jsonArray(in, opt.IgnoreUnknownColumns)
		s.next = next
		return s, err
	}
	next, err := s.csv(in, opt.IgnoreUnknownColumns)
	s.next = next
	return s, err
}

func (s *source) jsonLines(in io.Reader, ignoreUnknown bool) func() (*row, error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	return func() (*row, error) {
		for sc.Scan() {
			line++
			text := strings.TrimSpace(sc.Text())
			if text == "" {
				continue
			}
			r := &row{line: line}
			if err := s.jsonRow(r, []byte(text), ignoreUnknown); err != nil {
				r.readErr = fmt.Errorf("line %d: %w", line, err)
			}
			return r, nil
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading JSON Lines at line %d: %w", line+1, err)
		}
		return nil, io.EOF
	}
}

// ErrNotArray is returned for JSONArray input that does not begin with [.
var ErrNotArray = errors.New("the input must be a JSON array of import line objects")

// jsonArray reads the elements of one JSON array one at a time, so memory
// stays flat whatever the array's length. An element that is not a line
// fails as a row ("item N"); broken JSON stops the run, since nothing
// after it can be read for sure.
func (s *source) jsonArray(in io.Reader, ignoreUnknown bool) (func() (*row, error), error) {
	dec := json.NewDecoder(in)
	t, err := dec.Token()
	if err != nil && err != io.EOF && !isSyntax(err) {
		return nil, err // the reader failed, e.g. a body beyond its limit
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return nil, ErrNotArray
	}
	item, ended := 0, false
	return func() (*row, error) {
		if ended {
			return nil, io.EOF
		}
		if !dec.More() {
			ended = true
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("after item %d: %w", item, err)
			}
			if _, err := dec.Token(); err != io.EOF {
				return nil, fmt.Errorf("after item %d: data after the end of the array", item)
			}
			return nil, io.EOF
		}
		item++
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			ended = true
			return nil, fmt.Errorf("reading item %d: %w", item, err)
		}
		r := &row{line: item}
		if err := s.jsonRow(r, raw, ignoreUnknown); err != nil {
			r.readErr = fmt.Errorf("item %d: %w", item, err)
		}
		return r, nil
	}, nil
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// jsonRow reads one JSON Lines object into r. A field levy does not know
// fails the row (unless ignored), and so does a field given twice, under
// the same name or under two aliases.
func (s *source) jsonRow(r *row, text []byte, ignoreUnknown bool) error {
	var given uint32
	err := jsonobj.Decode(text, func(key, v string, null bool) error {
		idx, ok := column(key)
		switch {
		case !ok && ignoreUnknown:
			s.ignore(unknown(key, 0))
			return nil
		case !ok:
			return errors.New("unknown field " + unknown(key, 0).String())
		case idx < 0 || null:
			return nil
		}
		if given&(1<<idx) != 0 {
			return fmt.Errorf("field %q gives %s, which another field of the line already gave", engine.Clip(key, maxName), Known[knownIndex(idx)])
		}
		given |= 1 << idx
		r.fields[idx] = v
		return nil
	})
	if errors.Is(err, jsonobj.ErrNotObject) {
		return errors.New("not a JSON object")
	}
	return err
}

// knownIndex returns the position in Known of the field with index idx.
func knownIndex(idx int) int {
	for i, k := range Known {
		if fieldIndex[k] == idx {
			return i
		}
	}
	return 0
}

func (s *source) csv(in io.Reader, ignoreUnknown bool) (func() (*row, error), error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the input is empty: a CSV header row is required")
	}
	if err != nil {
		return nil, fmt.Errorf("reading CSV header: %w", err)
	}
	cols, err := s.header(header, ignoreUnknown)
	if err != nil {
		return nil, err
	}
	return func() (*row, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		r := &row{}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.readErr = fmt.Errorf("line %d: %v", pe.Line, pe.Err)
				r.line = pe.Line
				return r, nil
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		r.line = line
		for i, v := range rec {
			if i < len(cols) && cols[i] >= 0 {
				r.fields[cols[i]] = v
			}
		}
		if len(rec) != len(cols) {
			r.readErr = fmt.Errorf("line %d: %d fields, the header has %d", line, len(rec), len(cols))
		}
		return r, nil
	}, nil
}

// header maps each CSV column to a field index (-1 for a column passed
// over) and refuses unknown columns and fields given twice.
func (s *source) header(header []string, ignoreUnknown bool) ([]int, error) {
	cols := make([]int, len(header))
	first := map[int]int{} // field index → first column giving it
	he := &HeaderError{}
	hasHTS := false
	for i, h := range header {
		idx, ok := column(h)
		cols[i] = idx
		switch {
		case !ok && ignoreUnknown:
			s.ignore(unknown(h, i+1))
		case !ok:
			he.Unknown = append(he.Unknown, unknown(h, i+1))
		case idx >= 0:
			if j, dup := first[idx]; dup {
				he.Twice = append(he.Twice, fmt.Sprintf("columns %d (%q) and %d (%q) both give %s",
					j+1, engine.Clip(header[j], maxName), i+1, engine.Clip(h, maxName), Known[knownIndex(idx)]))
			}
			first[idx] = i
			hasHTS = hasHTS || idx == fHTS
		}
	}
	if len(he.Unknown) > 0 || len(he.Twice) > 0 {
		return nil, he
	}
	if !hasHTS {
		return nil, fmt.Errorf("the CSV header %q has no HTS column (hts, or HTS as in the SKU, HTS, Value, Origin, Entry Date format)",
			engine.Clip(strings.Join(header, ","), 4*maxName))
	}
	return cols, nil
}

func truthy(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "true" || s == "1" || s == "yes" || s == "y"
}
