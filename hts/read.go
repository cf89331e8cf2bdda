package hts

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/rate"
)

// Load reads a USITC HTS export (JSON or CSV, gzipped or not) from path.
func Load(path string) (*Schedule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Read(f, path)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ReadError is an error in one record of an export.
type ReadError struct {
	// Name is the file name given to Read.
	Name string
	// Record is the 1-based record number (for CSV, the data row number; the
	// header is row 0), or 0 when the error is not in one record.
	Record int
	// Field names the field at fault, if known.
	Field string
	Err   error
}

func (e *ReadError) Error() string {
	var b strings.Builder
	b.WriteString(e.Name)
	if e.Record > 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ReadError) Unwrap() error { return e.Err }

// Read reads a USITC HTS export from r. The format (JSON array or CSV with a
// header row) and gzip compression are detected from the content; name is
// used in errors and to detect the revision ("hts_2026_rev_10.json.gz").
func Read(r io.Reader, name string) (*Schedule, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &ReadError{Name: name, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	first, err := firstByte(br)
	if err != nil {
		return nil, &ReadError{Name: name, Err: err}
	}
	b := &builder{name: name}
	if first == '[' {
		err = b.readJSON(br)
	} else {
		err = b.readCSV(br)
	}
	if err != nil {
		return nil, err
	}
	s := b.finish(name)
	s.Source = name
	s.Revision = RevisionFromName(name)
	return s, nil
}

// firstByte skips a UTF-8 byte order mark and white space and returns the
// first byte of content without consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return 0, errors.New("empty export")
		}
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		br.UnreadByte()
		return c, nil
	}
}

var revisionRE = regexp.MustCompile(`(?i)hts[_-]?(\d{4})[_-]?(?:(?:rev|revision)[_-]?(\d+)|(basic))`)

// RevisionFromName derives the edition from a USITC file name:
// "hts_2026_rev_10.json.gz" and "hts_2026_revision_10_json.json" give
// "HTS 2026 Revision 10", "hts_2025_basic.json" gives "HTS 2025 Basic
// Edition". Other names give "" .
func RevisionFromName(name string) string {
	m := revisionRE.FindStringSubmatch(filepath.Base(name))
	if m == nil {
		return ""
	}
	if m[3] != "" {
		return "HTS " + m[1] + " Basic Edition"
	}
	n, _ := strconv.Atoi(m[2])
	return fmt.Sprintf("HTS %s Revision %d", m[1], n)
}

// jsonRecord is one object of the JSON export.
type jsonRecord struct {
	HTSNo             flexString     `json:"htsno"`
	Indent            flexString     `json:"indent"`
	Description       flexString     `json:"description"`
	Superior          flexString     `json:"superior"`
	Units             []flexString   `json:"units"`
	General           flexString     `json:"general"`
	Special           flexString     `json:"special"`
	Other             flexString     `json:"other"`
	Footnotes         []jsonFootnote `json:"footnotes"`
	QuotaQuantity     flexString     `json:"quotaQuantity"`
	AdditionalDuties  flexString     `json:"additionalDuties"`
	AddiitionalDuties flexString     `json:"addiitionalDuties"` // the USITC's typo, always null so far
}

type jsonFootnote struct {
	Columns []flexString `json:"columns"`
	Value   flexString   `json:"value"`
	Type    flexString   `json:"type"`
	Marker  flexString   `json:"marker"`
}

// flexString accepts a JSON string, number, boolean or null, since exports
// are not consistent about which of these a field holds.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0:
		return errors.New("empty value")
	case b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		// The decoder has validated the literal; without escapes its text
		// is the bytes between the quotes.
		*f = flexString(b[1 : len(b)-1])
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case string(b) == "null":
		*f = ""
	case string(b) == "true" || string(b) == "false" || b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	default:
		return fmt.Errorf("want a string, got %.20s", b)
	}
	return nil
}

// builder accumulates records in order and links the tree.
type builder struct {
	name  string
	lines []Line
	stack []int // indices of the open ancestors, indents increasing
}

func (b *builder) readJSON(r io.Reader) error {
	dec := json.NewDecoder(r)
	if _, err := dec.Token(); err != nil {
		return &ReadError{Name: b.name, Err: err}
	}
	b.lines = make([]Line, 0, 36000)
	for n := 1; dec.More(); n++ {
		var rec jsonRecord
		if err := dec.Decode(&rec); err != nil {
			re := &ReadError{Name: b.name, Record: n, Err: err}
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				re.Field = te.Field
			}
			return re
		}
		if err := b.addJSON(n, &rec); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return &ReadError{Name: b.name, Record: len(b.lines) + 1, Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &ReadError{Name: b.name, Err: errors.New("data after the closing ]")}
	}
	return nil
}

func (b *builder) addJSON(n int, rec *jsonRecord) error {
	l := Line{
		Description:      clean(string(rec.Description)),
		General:          clean(string(rec.General)),
		SpecialText:      clean(string(rec.Special)),
		Other:            clean(string(rec.Other)),
		AdditionalDuties: clean(string(rec.AdditionalDuties)),
		QuotaQuantity:    clean(string(rec.QuotaQuantity)),
	}
	if ad := clean(string(rec.AddiitionalDuties)); l.AdditionalDuties == "" {
		l.AdditionalDuties = ad
	}
	for _, u := range rec.Units {
		if u := clean(string(u)); u != "" {
			l.Units = append(l.Units, u)
		}
	}
	l.Footnotes = toFootnotes(rec.Footnotes)
	return b.add(n, string(rec.HTSNo), string(rec.Indent), l)
}

// add checks the code and indent of a record, links it into the tree and
// parses its rates.
func (b *builder) add(n int, code, indent string, l Line) error {
	code = strings.TrimSpace(code)
	if code != "" {
		c, err := Normalize(code)
		if err != nil {
			return &ReadError{Name: b.name, Record: n, Field: "htsno", Err: err}
		}
		l.Code = c
	}
	ind, err := strconv.Atoi(strings.TrimSpace(indent))
	if err != nil || ind < 0 || ind > 99 {
		return &ReadError{Name: b.name, Record: n, Field: "indent", Err: fmt.Errorf("want a small integer, got %q", indent)}
	}
	l.Indent = ind
	for len(b.stack) > 0 && b.lines[b.stack[len(b.stack)-1]].Indent >= ind {
		b.stack = b.stack[:len(b.stack)-1]
	}
	l.Parent = -1
	if len(b.stack) > 0 {
		l.Parent = b.stack[len(b.stack)-1]
	}
	l.Index = len(b.lines)
	if l.General != "" {
		l.GeneralRate, _ = rate.Parse(l.General)
	}
	if l.Other != "" {
		l.OtherRate, _ = rate.Parse(l.Other)
	}
	if l.SpecialText != "" {
		l.SpecialRate, _ = rate.ParseSpecial(l.SpecialText)
	}
	b.lines = append(b.lines, l)
	b.stack = append(b.stack, l.Index)
	return nil
}

// finish makes the schedule of one export: one revision whose records are
// in force on every date.
func (b *builder) finish(name string) *Schedule {
	rev := Revision{Name: RevisionFromName(name), Title: RevisionFromName(name), File: name}
	if rev.Title == "" {
		rev.Name, rev.Title = name, name
	}
	h := &history{revs: []Revision{rev}}
	st := &Stats{}
	for i := range b.lines {
		l := &b.lines[i]
		l.From, l.To = date.Always, date.None
		l.slot = int32(i)
		h.slots = append(h.slots, slot{code: l.Code, vers: []version{{rec: recordOf(l), first: 0, last: 0,
			start: date.Always, basis: BasisFirst, change: -1, from: date.Always, to: date.None}}})
		h.live = append(h.live, i)
		st.count(l)
	}
	h.revs[0].Records, h.revs[0].Lines10 = st.Records, st.Lines10
	s := &Schedule{Lines: b.lines, Revisions: h.revs, hist: h, Start: date.Always, stats: map[int]*Stats{0: st}}
	s.index()
	return s
}

// count adds l to the statistics: every record, its 10-digit lines, and the
// rate texts of chapters 1–97 (chapters 98 and 99 print measures rather
// than rates).
func (st *Stats) count(l *Line) {
	st.Records++
	if len(l.Code) == 10 {
		st.Lines10++
	}
	if l.Code == "" || l.Code >= "98" {
		return
	}
	note := func(col, text string, err error) {
		if text == "" {
			return
		}
		st.RatesSeen++
		if err == nil {
			st.RatesParsed++
			return
		}
		st.RatesUnparsed++
		st.Unparsed = append(st.Unparsed, UnparsedRate{Code: Dotted(l.Code), Column: col, Text: text, Err: err.Error()})
	}
	note("general", l.General, exprErr(l.GeneralRate, l.General))
	note("special", l.SpecialText, specialErr(l.SpecialRate, l.SpecialText))
	note("other", l.Other, exprErr(l.OtherRate, l.Other))
}

// exprErr re-derives whether a stored expression parsed. Parsing again only
// for the failures keeps the error text without storing it on every line.
func exprErr(e rate.Expr, text string) error {
	if text == "" || e.Kind != rate.Unparsed {
		return nil
	}
	_, err := rate.Parse(text)
	if err == nil {
		err = errors.New("not a rate")
	}
	return err
}

func specialErr(sp rate.Special, text string) error {
	if text == "" {
		return nil
	}
	bad := len(sp.Groups) == 0
	for _, g := range sp.Groups {
		if g.Rate.Kind == rate.Unparsed {
			bad = true
		}
	}
	if !bad {
		return nil
	}
	_, err := rate.ParseSpecial(text)
	if err == nil {
		err = errors.New("no rate group read")
	}
	return err
}

var citeRE = regexp.MustCompile(`\b(99\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{2}))?\b`)

// citedHeadings returns the chapter 99 numbers a footnote cites, dotted,
// in order and without repeats. Only 9902 and 9903 are kept.
func citedHeadings(text string) []string {
	if !strings.Contains(text, "99") {
		return nil
	}
	var out []string
	for _, m := range citeRE.FindAllStringSubmatch(text, -1) {
		if m[1] != "9903" && m[1] != "9902" {
			continue
		}
		h := m[1] + "." + m[2] + "." + m[3]
		if m[4] != "" {
			h += "." + m[4]
		}
		dup := false
		for _, o := range out {
			dup = dup || o == h
		}
		if !dup {
			out = append(out, h)
		}
	}
	return out
}

// csvColumns maps a header name, lowercased with everything but letters and
// digits removed, to the field it holds.
var csvColumns = map[string]string{
	"htsnumber": "htsno", "htsno": "htsno", "hts": "htsno", "htsnum": "htsno", "htscode": "htsno",
	"indent": "indent", "indentation": "indent",
	"description": "description", "articledescription": "description",
	"unitofquantity": "units", "unitsofquantity": "units", "units": "units", "unit": "units",
	"generalrateofduty": "general", "general": "general", "generalrate": "general",
	"specialrateofduty": "special", "special": "special", "specialrate": "special",
	"column2rateofduty": "other", "other": "other", "column2": "other", "column2rate": "other",
	"quotaquantity":    "quotaQuantity",
	"additionalduties": "additionalDuties", "addiitionalduties": "additionalDuties",
	"footnotes": "footnotes", "footnotesjson": "footnotes", "footnote": "footnotes",
}

func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (b *builder) readCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return &ReadError{Name: b.name, Err: fmt.Errorf("CSV header: %w", err)}
	}
	col := map[string]int{}
	for i, h := range head {
		if f, ok := csvColumns[headerKey(h)]; ok {
			if _, seen := col[f]; !seen {
				col[f] = i
			}
		}
	}
	for _, need := range []string{"htsno", "indent", "description"} {
		if _, ok := col[need]; !ok {
			return &ReadError{Name: b.name, Field: need, Err: fmt.Errorf("CSV header has no %s column (have %q)", need, head)}
		}
	}
	for n := 1; ; n++ {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &ReadError{Name: b.name, Record: n, Err: err}
		}
		get := func(f string) string {
			if i, ok := col[f]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		l := Line{
			Description:      clean(get("description")),
			General:          clean(get("general")),
			SpecialText:      clean(get("special")),
			Other:            clean(get("other")),
			QuotaQuantity:    clean(get("quotaQuantity")),
			AdditionalDuties: clean(get("additionalDuties")),
			Units:            splitUnits(get("units")),
		}
		fns, err := csvFootnotes(get("footnotes"))
		if err != nil {
			return &ReadError{Name: b.name, Record: n, Field: "footnotes", Err: err}
		}
		l.Footnotes = fns
		if err := b.add(n, get("htsno"), get("indent"), l); err != nil {
			return err
		}
	}
}

// splitUnits reads the units cell of a CSV export: a JSON list
// (["No.","kg"]), or units separated by commas or semicolons.
func splitUnits(s string) []string {
	s = clean(s)
	if s == "" {
		return nil
	}
	var parts []string
	if strings.HasPrefix(s, "[") {
		var list []string
		if json.Unmarshal([]byte(s), &list) == nil {
			parts = list
		} else {
			parts = strings.FieldsFunc(strings.Trim(s, "[]"), func(r rune) bool { return r == ',' || r == ';' })
		}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
	}
	var out []string
	for _, p := range parts {
		if p = strings.Trim(clean(p), `"'`); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// csvFootnotes reads a footnotes cell: the JSON list of the JSON export, or
// plain text taken as one footnote.
func csvFootnotes(s string) ([]Footnote, error) {
	s = clean(s)
	if s == "" || s == "[]" {
		return nil, nil
	}
	if !strings.HasPrefix(s, "[") {
		return []Footnote{{Text: s, Headings: citedHeadings(s)}}, nil
	}
	var raw []jsonFootnote
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, err
	}
	return toFootnotes(raw), nil
}

// toFootnotes converts the export's footnote objects, extracting the
// chapter 99 headings each cites.
func toFootnotes(raw []jsonFootnote) []Footnote {
	var out []Footnote
	for _, f := range raw {
		fn := Footnote{Text: clean(string(f.Value)), Type: clean(string(f.Type)), Marker: clean(string(f.Marker))}
		for _, c := range f.Columns {
			fn.Columns = append(fn.Columns, clean(string(c)))
		}
		fn.Headings = citedHeadings(fn.Text)
		out = append(out, fn)
	}
	return out
}
