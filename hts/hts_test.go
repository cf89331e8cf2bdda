package hts

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/internal/testenv"
)

// exports are the three full USITC exports in ../shared/data with the record
// and 10-digit counts its README gives.
var exports = []struct {
	file             string
	revision         string
	records, lines10 int
}{
	{"hts_2026_rev_10.json.gz", "HTS 2026 Revision 10", 35509, 19856},
	{"hts_2025_rev_32.json.gz", "HTS 2025 Revision 32", 36148, 19768},
	{"hts_2025_basic.json.gz", "HTS 2025 Basic Edition", 35859, 19731},
}

func TestLoadFullExports(t *testing.T) {
	for _, e := range exports {
		t.Run(e.file, func(t *testing.T) {
			s, err := Load(testenv.DataFile(t, e.file))
			if err != nil {
				t.Fatal(err)
			}
			st := s.Stats()
			if st.Records != e.records || st.Lines10 != e.lines10 {
				t.Errorf("records %d, 10-digit %d; want %d, %d", st.Records, st.Lines10, e.records, e.lines10)
			}
			if s.Revision != e.revision {
				t.Errorf("revision %q, want %q", s.Revision, e.revision)
			}
			if st.RatesSeen != st.RatesParsed+st.RatesUnparsed || len(st.Unparsed) != st.RatesUnparsed {
				t.Errorf("inconsistent stats %+v", st)
			}
			t.Logf("%s: rates seen %d parsed %d unparsed %d", e.file, st.RatesSeen, st.RatesParsed, st.RatesUnparsed)
			checkTree(t, s)
		})
	}
}

// checkTree checks the tree against its definition by a slow scan.
func checkTree(t *testing.T, s *Schedule) {
	t.Helper()
	for i := range s.Lines {
		want := -1
		for j := i - 1; j >= 0; j-- {
			if s.Lines[j].Indent < s.Lines[i].Indent {
				want = j
				break
			}
		}
		if s.Lines[i].Parent != want || s.Lines[i].Index != i {
			t.Fatalf("line %d (%s): parent %d index %d, want parent %d", i, s.Lines[i].Code, s.Lines[i].Parent, s.Lines[i].Index, want)
		}
	}
}

func TestFullLookupAndRates(t *testing.T) {
	s, err := Load(testenv.DataFile(t, "hts_2026_rev_10.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Lookup("8703.23.01.30", date.None)
	if err != nil {
		t.Fatal(err)
	}
	rl := s.RateLine(l)
	if rl == nil || rl.Code != "87032301" || rl.General != "2.5%" || rl.Other != "10%" {
		t.Fatalf("rate line %+v", rl)
	}
	if got := rl.Footnotes[0].Headings; !reflect.DeepEqual(got, []string{"9903.88.01"}) {
		t.Errorf("footnote headings %v", got)
	}
	// A 10-digit line with no 8-digit parent is its own rate line.
	l, err = s.Lookup("0101300000", date.None)
	if err != nil {
		t.Fatal(err)
	}
	if s.RateLine(l) != l {
		t.Errorf("0101.30.00.00 inherits from %v", s.RateLine(l).Code)
	}
	// Indent "03" is read as 3.
	odd := 0
	for _, l := range s.Lines {
		if l.Indent > 11 {
			t.Fatalf("indent %d", l.Indent)
		}
		if strings.HasPrefix(l.General, " ") || strings.HasSuffix(l.General, " ") {
			t.Fatalf("untrimmed %q", l.General)
		}
		if l.Code == "" && l.Description != "" {
			odd++
		}
	}
	if odd != 5912 {
		t.Errorf("header rows %d, want 5912", odd)
	}
}

func readRaw(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.NewDecoder(zr).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLookupNotFound(t *testing.T) {
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Lookup("8703.23.01.99", date.None)
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err %v", err)
	}
	if len(nf.Nearest) == 0 || !strings.HasPrefix(nf.Nearest[0], "8703.23.01.") {
		t.Errorf("nearest %v", nf.Nearest)
	}
	if !strings.Contains(err.Error(), "8703.23.01.99") || !strings.Contains(err.Error(), "8703.23.01.30") {
		t.Errorf("message %q", err)
	}
	if _, err := s.Lookup("87x3", date.None); err == nil || errors.As(err, &nf) {
		t.Errorf("malformed code: %v", err)
	}
}

func TestLookupAllocs(t *testing.T) {
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	d := date.MustParse("2025-08-20")
	for _, c := range []string{"8703230130", "8703.23.01.30"} {
		if n := testing.AllocsPerRun(100, func() { s.Lookup(c, d) }); n != 0 {
			t.Errorf("Lookup(%q) allocates %v", c, n)
		}
	}
}

func TestAncestors(t *testing.T) {
	s, _ := Embedded()
	l, err := s.Lookup("8703230130", date.None)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range s.Ancestors(l) {
		codes = append(codes, a.Code)
	}
	if want := []string{"", "", "", "", "87032301", "", "8703"}; !reflect.DeepEqual(codes, want) {
		t.Errorf("ancestors %q, want %q", codes, want)
	}
}

func TestSearch(t *testing.T) {
	s, _ := Embedded()
	opt := func(n int) SearchOptions { return SearchOptions{Limit: n} }
	m := s.Search("motor cars cylinder capacity 1,500 cc 3,000", opt(5))
	if len(m) == 0 || !strings.HasPrefix(m[0].Line.Code, "870323") {
		t.Fatalf("search: %v", codesOf(m))
	}
	m = s.Search("toys", opt(3))
	if len(m) == 0 || !strings.HasPrefix(m[0].Line.Code, "9503") {
		t.Fatalf("toys: %v", codesOf(m))
	}
	m = s.Search("8703.23", opt(100))
	for _, x := range m {
		if !strings.HasPrefix(x.Line.Code, "870323") {
			t.Fatalf("prefix search: %v", codesOf(m))
		}
	}
	if len(m) < 3 {
		t.Errorf("prefix search: %v", codesOf(m))
	}
	if m := s.Search("zzzqqq", opt(5)); len(m) != 0 {
		t.Errorf("nonsense matched %v", codesOf(m))
	}
}

func codesOf(m []Match) []string {
	var out []string
	for _, x := range m {
		out = append(out, x.Line.Dotted())
	}
	return out
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"8703.23.01.30", "8703230130", ""},
		{" 8703 23 01 30 ", "8703230130", ""},
		{"8703", "8703", ""},
		{"870323", "870323", ""},
		{"", "", "empty"},
		{"87032", "", "5 digits"},
		{"8703-23", "", `unexpected '-'`},
		{"...", "", "no digits"},
		{"87032301301", "", "11 digits"},
	} {
		got, err := Normalize(tc.in)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestRevisionFromName(t *testing.T) {
	for in, want := range map[string]string{
		"/x/hts_2026_rev_10.json.gz":     "HTS 2026 Revision 10",
		"hts_2026_revision_10_json.json": "HTS 2026 Revision 10",
		"HTS_2025_basic.csv":             "HTS 2025 Basic Edition",
		"hts_2025_revision_032.csv.gz":   "HTS 2025 Revision 32",
		"schedule.json":                  "",
	} {
		if got := RevisionFromName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestReadCSV(t *testing.T) {
	const csvText = "\ufeff\"HTS Number\",\"Indent\",\"Description\",\"Unit of Quantity\",\"General Rate of Duty\",\"Special Rate of Duty\",\"Column 2 Rate of Duty\",\"Quota Quantity\",\"Additional Duties\"\n" +
		"\"9503.00.00\",\"0\",\"Toys\",\"\",\"Free \",\"\",\"70%\",\"\",\"\"\n" +
		"\"9503.00.00.90\",\"1\",\"Other\",\"[\"\"No.\"\"]\",\"\",\"\",\"\",\"\",\"\"\n" +
		"\"\",\"1\",\"Header:\",\"\",\"\",\"\",\"\",\"\",\"\"\n" +
		"\"9503.00.00.91\",\"02\",\"Sub\",\"No., kg\",\"\",\"\",\"\",\"\",\"\"\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(csvText))
	zw.Close()
	s, err := Read(&gz, "hts_2026_rev_10.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != 4 || s.Lines[1].Units[0] != "No." || s.Lines[0].General != "Free" || s.Lines[3].Parent != 2 {
		t.Fatalf("%+v", s.Lines)
	}
	if got := s.Lines[3].Units; !reflect.DeepEqual(got, []string{"No.", "kg"}) {
		t.Errorf("units %q", got)
	}
}

func TestReadDerivedCSV(t *testing.T) {
	s, err := Load(testenv.DataFile(t, "hts_2026_rev_10_ch99_9903.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != 502 {
		t.Errorf("%d records", len(s.Lines))
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "f.json: empty export"},
		{`[{"htsno":"0101","indent":"0"},{"htsno":"01x1","indent":"1"}]`, `f.json: record 2: field "htsno"`},
		{`[{"htsno":"0101","indent":"zero"}]`, `f.json: record 1: field "indent"`},
		{`[{"htsno":"0101","indent":"0","units":{}}]`, `f.json: record 1: field "units"`},
		{`[{"htsno":"0101","indent":"0"}`, `f.json: record 2`},
		{`[{"htsno":"0101","indent":"0"}] x`, `after the closing`},
		{"HTS Number,Description\n", `no indent column`},
	} {
		_, err := Read(strings.NewReader(tc.in), "f.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestCitedHeadings(t *testing.T) {
	got := citedHeadings("See 9903.88.15. See also 9903.88.15 and 9902.12.34, not 9801.00.10.")
	if want := []string{"9903.88.15", "9902.12.34"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q", got)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`[{"htsno":"0101","indent":"03","units":["No."],"footnotes":[{"columns":["general"],"value":"See 9903.88.15. "}]}]`))
	f.Add([]byte("HTS Number,Indent,Description,Unit of Quantity\n0101,0,Horses,\"[\"\"No.\"\"]\"\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for i := range s.Lines {
			if p := s.Lines[i].Parent; p >= i || p < -1 {
				t.Fatalf("line %d parent %d", i, p)
			}
			s.RateLine(&s.Lines[i])
		}
		s.Search("horse", SearchOptions{Limit: 5})
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"8703.23.01.30", "8703", " 87 03 ", "8703230130", "x", "1.2.3.4.5.6.7.8.9.0", "٣٣٣٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := Normalize(in)
		if err != nil {
			return
		}
		d := Dotted(n)
		n2, err := Normalize(d)
		if err != nil || n2 != n {
			t.Fatalf("Normalize(Dotted(%q)) = %q, %v via %q", n, n2, err, d)
		}
	})
}

func BenchmarkLoadFull(b *testing.B) {
	path := testenv.DataFile(b, "hts_2026_rev_10.json.gz")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Base(path)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), name); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	s, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	d := date.MustParse("2025-08-20")
	for b.Loop() {
		s.Lookup("8703.23.01.30", d)
	}
}

func BenchmarkSearch(b *testing.B) {
	s, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Search("passenger motor vehicles", SearchOptions{Limit: 10})
	}
}
