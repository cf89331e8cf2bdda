package hts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/internal/testenv"
)

var d = date.MustParse

func embeddedT(t testing.TB) *Schedule {
	t.Helper()
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The embedded history: every revision from the 2025 Basic Edition to 2026
// Revision 10, within the size budget, its tree sound on every date.
func TestEmbeddedHistory(t *testing.T) {
	s := embeddedT(t)
	if n := len(embeddedPack); n > 4<<20 {
		t.Errorf("embedded pack is %d bytes; the budget is 4 MB", n)
	}
	if len(s.Revisions) != 44 || s.Revisions[0].Name != "2025HTSBasic" || s.Revisions[43].Name != "2026HTSRev10" {
		t.Fatalf("revisions %d: %s .. %s", len(s.Revisions), s.Revisions[0].Name, s.Revisions[len(s.Revisions)-1].Name)
	}
	if s.Start != d("2025-01-01") {
		t.Errorf("start %s", s.Start)
	}
	for i, r := range s.Revisions {
		if len(r.SHA256) != 64 || r.Effective == date.None || r.Records < 35000 {
			t.Errorf("revision %d %+v", i, r)
		}
		if i > 0 && r.Effective < s.Revisions[i-1].Effective {
			t.Errorf("%s is dated before %s", r.Name, s.Revisions[i-1].Name)
		}
	}
	if r := s.Revisions[41]; r.Name != "2026HTSRev8" || r.Effective != d("2026-05-22") {
		t.Errorf("2026 Rev 8, which the release list does not date, takes its change record's date: %+v", r)
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Index != i || l.From >= l.To {
			t.Fatalf("line %d %s: index %d, window %s..%s", i, l.Code, l.Index, l.From, l.To)
		}
		if p := l.Parent; p >= 0 {
			pl := &s.Lines[p]
			if pl.Indent >= l.Indent || pl.From > l.From || l.To > pl.To {
				t.Fatalf("line %s [%s,%s) indent %d has parent %s [%s,%s) indent %d", l.Code, l.From, l.To, l.Indent, pl.Code, pl.From, pl.To, pl.Indent)
			}
		}
	}
	// Every version is what Lookup finds on its first day.
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Code == "" {
			continue
		}
		on := l.From
		if on == date.Always {
			on = min(d("2024-06-01"), l.To-1)
		}
		got, err := s.Lookup(l.Code, on)
		if err != nil || got != l {
			t.Fatalf("Lookup(%s, %s) = %v, %v; want line %d", l.Code, on, got, err, i)
		}
	}
}

// The entry date picks the version: lines established, discontinued and
// restaged on the dates the change records give.
func TestLookupByDate(t *testing.T) {
	s := embeddedT(t)
	for _, tc := range []struct {
		code string
		on   string
		ok   bool
		msg  string // in the error, when !ok
	}{
		// Discontinued July 1, 2025 (2025 Rev 16, 484(f)); published July 1.
		{"0901.11.00.45", "2025-06-30", true, ""},
		{"0901.11.00.45", "2025-07-01", false, "in force until 2025-06-30 (HTS 2025 Basic Edition to HTS 2025 Revision 15)"},
		// Established July 1, 2025, though Rev 16's release date is June 6.
		{"0901.11.00.35", "2025-06-30", false, "in force from 2025-07-01 on (HTS 2025 Revision 16 to HTS 2026 Revision 10)"},
		{"0901.11.00.35", "2025-07-01", true, ""},
		// Printed by 2026 Rev 2 (February 2026) with a change effective July 1, 2026.
		{"2404.12.05.90", "2026-06-30", false, "from 2026-07-01"},
		{"2404.12.05.90", "2026-07-01", true, ""},
		// Entries before the 2025 Basic Edition read it.
		{"8703.23.01.30", "2024-03-15", true, ""},
		{"6109.10.00.12", "2025-06-01", true, ""},
		{"7318.15.20.10", "2025-06-01", true, ""},
	} {
		l, err := s.Lookup(tc.code, d(tc.on))
		if tc.ok {
			if err != nil || l.Dotted() != tc.code {
				t.Errorf("%s on %s: %v", tc.code, tc.on, err)
			}
			continue
		}
		var ni *NotInForceError
		if !errors.As(err, &ni) {
			t.Errorf("%s on %s: got %v, want not in force", tc.code, tc.on, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) || len(ni.InForce) == 0 || !strings.HasPrefix(ni.InForce[0], tc.code[:7]) {
			t.Errorf("%s on %s: %q (in force %v); want %q and siblings", tc.code, tc.on, err, ni.InForce, tc.msg)
		}
	}
	if _, err := s.Lookup("0901.11.00.99", d("2025-07-01")); err == nil || errors.As(err, new(*NotInForceError)) {
		t.Errorf("a code never held: %v", err)
	}
}

// The base rate and the footnotes that decide measure scopes come from the
// version in force: the 2025 editions cite the four-year review heading on
// lines that cite the list heading in 2026.
func TestFootnotesByDate(t *testing.T) {
	s := embeddedT(t)
	cites := func(code, on string) string {
		l, err := s.Lookup(code, d(on))
		if err != nil {
			t.Fatal(err)
		}
		var hs []string
		for at := l; at != nil; {
			for _, f := range at.Footnotes {
				hs = append(hs, f.Headings...)
			}
			if at.Parent < 0 {
				break
			}
			at = &s.Lines[at.Parent]
		}
		return strings.Join(hs, " ")
	}
	early, late := cites("8507.60.00.10", "2025-10-15"), cites("8507.60.00.10", "2026-06-15")
	if early == late {
		t.Errorf("8507.60.00.10 cites the same headings in 2025 and 2026: %q", early)
	}
	t.Logf("8507.60.00.10 cites %q on 2025-10-15 and %q on 2026-06-15", early, late)
}

func TestHistory(t *testing.T) {
	s := embeddedT(t)
	vs, err := s.History("0901.11.00.45")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Basis != "first revision" || !vs[1].Discontinued || vs[1].From != d("2025-07-01") ||
		vs[1].Change == nil || vs[1].Change.Nature != "Discontinued" || vs[1].Change.Source != "484(f)" {
		t.Fatalf("%+v", vs)
	}
	vs, err = s.History("0901.11.00.35")
	if err != nil || len(vs) != 1 || vs[0].Basis != "change record" || vs[0].FirstRevision != "HTS 2025 Revision 16" || vs[0].Known != d("2025-07-01") {
		t.Fatalf("%+v %v", vs, err)
	}
	if _, err := s.History("0000.00.00.00"); !errors.As(err, new(*NotFoundError)) {
		t.Errorf("unknown code: %v", err)
	}
}

func TestDiff(t *testing.T) {
	s := embeddedT(t)
	a, err := s.ParsePoint("2025 rev 15")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.ParsePoint("2025HTSRev16")
	if err != nil {
		t.Fatal(err)
	}
	df := s.Diff(a, b, true)
	if !hasCode(df.Established, "0901110035") || !hasCode(df.Discontinued, "0901110045") {
		t.Errorf("rev 15 → 16: %d established, %d discontinued", len(df.Established), len(df.Discontinued))
	}
	// By date the same change falls on July 1.
	x, _ := s.ParsePoint("2025-06-30")
	y, _ := s.ParsePoint("2025-07-01")
	if dd := s.Diff(x, y, true); !hasCode(dd.Established, "0901110035") {
		t.Errorf("by date: %d established", len(dd.Established))
	}
	for _, bad := range []string{"2025 rev 99", "yesterday"} {
		if _, err := s.ParsePoint(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func hasCode(cs []LineChange, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Every chapters 1–97 line a change record lists (established,
// discontinued, added, deleted, annotated or modified) is one the diff of
// its revision against the one before finds, except where the record says
// the change is to other lines (their "superior text", the statistical
// lines below them) and numbers discontinued and established again the
// same day with the same text. A basic edition's record also lists the
// year's earlier changes: only its own count. At least five change records
// must be compared.
func TestDiffMatchesChangeRecords(t *testing.T) {
	s := embeddedT(t)
	compared := 0
	for r := 1; r < len(s.Revisions); r++ {
		rev := s.Revisions[r]
		df := s.Diff(Point{Revision: r - 1}, Point{Revision: r}, true)
		kind := map[string]string{}
		for _, c := range df.Established {
			kind[c.Code] = "established"
		}
		for _, c := range df.Discontinued {
			kind[c.Code] = "discontinued"
		}
		for _, c := range df.Changed {
			kind[c.Code] = "changed " + strings.Join(c.Fields, ",")
		}
		natures := map[string][]string{}
		n, found := 0, 0
		for _, c := range rev.Changes {
			if c.Code == "" || c.Code >= "98" || strings.HasPrefix(strings.ToLower(c.Edition), "rev") {
				continue
			}
			natures[c.Code] = append(natures[c.Code], strings.ToLower(c.Nature))
		}
		for code, ns := range natures {
			n++
			if kind[code] != "" {
				found++
				continue
			}
			all := strings.Join(ns, "; ")
			reused := strings.Contains(all, "discontinued") && strings.Contains(all, "established")
			if reused || strings.Contains(all, "superior text") || strings.Contains(all, "statistical reporting numbers") {
				t.Logf("%s: %s (%s) is not in the diff: the change is to other lines, or the number was reused with the same text", rev.Name, Dotted(code), all)
				continue
			}
			t.Errorf("%s: the change record lists %s (%s); the diff does not find it", rev.Name, Dotted(code), all)
		}
		if n == 0 {
			continue
		}
		t.Logf("%s: %d chapters 1–97 lines in the change record, %d found by the diff (%d established, %d discontinued, %d changed in all)",
			rev.Name, n, found, len(df.Established), len(df.Discontinued), len(df.Changed))
		compared++
	}
	if compared < 5 {
		t.Errorf("compared %d change records; want at least 5", compared)
	}
}

func codesIn(cs []LineChange, lens ...int) []string {
	var out []string
	for _, c := range cs {
		for _, n := range lens {
			if len(c.Code) == n {
				out = append(out, c.Code)
			}
		}
	}
	return out
}

// Every revision's rate texts of chapters 1–97 parse as well as the three
// exports levy first read did: at least 99.9%.
func TestRevisionRatesParse(t *testing.T) {
	s := embeddedT(t)
	for i, r := range s.Revisions {
		st := s.RevisionStats(i)
		share := float64(st.RatesParsed) / float64(st.RatesSeen)
		if share < 0.999 {
			t.Errorf("%s: %d of %d rate texts parse (%.3f%%)", r.Title, st.RatesParsed, st.RatesSeen, 100*share)
		}
		if st.Records != r.Records || st.Lines10 != r.Lines10 {
			t.Errorf("%s: %d records and %d 10-digit lines as printed, %d and %d in the export", r.Title, st.Records, st.Lines10, r.Records, r.Lines10)
		}
	}
}

// Read as each revision printed it, the history reproduces every record of
// every export it was built from, in order.
func TestHistoryReproducesExports(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "data", "hts")
	s := embeddedT(t)
	var wg sync.WaitGroup
	sem := make(chan bool, runtime.GOMAXPROCS(0))
	errs := make([]string, len(s.Revisions))
	for i := range s.Revisions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- true
			defer func() { <-sem }()
			errs[i] = compareExport(s, i, filepath.Join(dir, s.Revisions[i].File))
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("%s: %s", s.Revisions[i].Name, e)
		}
	}
}

func compareExport(s *Schedule, r int, path string) string {
	body, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if sum := sha256hex(body); sum != s.Revisions[r].SHA256 {
		return fmt.Sprintf("%s has sha256 %s; the history was built from %s", path, sum, s.Revisions[r].SHA256)
	}
	want, err := Read(bytes.NewReader(body), path)
	if err != nil {
		return err.Error()
	}
	got := s.Printed(r)
	if len(got) != len(want.Lines) {
		return fmt.Sprintf("%d records, the export has %d", len(got), len(want.Lines))
	}
	for i := range got {
		g, w := recordOf(&got[i]), recordOf(&want.Lines[i])
		if !g.equal(&w) || got[i].Parent != want.Lines[i].Parent {
			return fmt.Sprintf("record %d: history %+v, export %+v", i+1, g, w)
		}
		if !reflect.DeepEqual(footHeadings(got[i].Footnotes), footHeadings(want.Lines[i].Footnotes)) {
			return fmt.Sprintf("record %d: cited headings differ", i+1)
		}
	}
	return ""
}

func footHeadings(fs []Footnote) [][]string {
	var out [][]string
	for _, f := range fs {
		out = append(out, f.Headings)
	}
	return out
}

func TestPackRoundTrip(t *testing.T) {
	s := embeddedT(t)
	var buf bytes.Buffer
	if err := s.WritePack(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embeddedPack) {
		t.Errorf("re-encoding the embedded pack gives %d bytes, not the %d embedded", buf.Len(), len(embeddedPack))
	}
	s2, err := ReadPack(bytes.NewReader(buf.Bytes()), "copy")
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Lines) != len(s.Lines) || !s2.Extends(&Schedule{Revisions: s.Revisions[:43]}) {
		t.Errorf("copy: %d lines", len(s2.Lines))
	}
	for _, bad := range [][]byte{nil, []byte("not gzip"), embeddedPack[:len(embeddedPack)/2]} {
		if _, err := ReadPack(bytes.NewReader(bad), "bad"); err == nil || !strings.HasPrefix(err.Error(), "bad: ") {
			t.Errorf("damaged pack: %v", err)
		}
	}
}

func FuzzReadPack(f *testing.F) {
	b := NewBuilder()
	one, _ := Read(strings.NewReader(`[{"htsno":"0101","indent":"0","description":"Horses"},{"htsno":"0101.21.00","indent":"1","description":"Pure","general":"Free"}]`), "hts_2025_basic.json")
	b.Add(Revision{Name: "2025HTSBasic", Effective: d("2025-01-01")}, one)
	var buf bytes.Buffer
	b.Schedule().WritePack(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadPack(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for i := range s.Lines {
			s.RateLine(&s.Lines[i])
			s.Lookup(s.Lines[i].Code, date.None)
		}
	})
}

func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadPack(bytes.NewReader(embeddedPack), "embedded"); err != nil {
			b.Fatal(err)
		}
	}
}

func sha256hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Searches for goods find them on the full schedule: by stems and plurals,
// hyphenated words as one, codes with or without dots, chapters 98 and 99
// only when asked for.
func TestSearchGoods(t *testing.T) {
	s := embeddedT(t)
	on := d("2025-06-01")
	for _, tc := range []struct {
		query, want string
		special     bool
	}{
		{"t-shirts", "6109", false},
		{"tshirts", "6109", false},
		{"T-Shirts", "6109", false},
		{"steel screws", "731815", false},
		{"lithium-ion batteries", "850760", false},
		{"lithium ion battery", "850760", false},
		{"toys", "9503", false},
		{"6109.10", "610910", false},
		{"61091000", "61091000", false},
		{"6109 10 00 12", "6109100012", false},
		{"9903.01", "990301", false},
		{"derivative steel", "990381", true},
	} {
		m := s.Search(tc.query, SearchOptions{Date: on, Limit: 10, Special: tc.special})
		if len(m) == 0 || !strings.HasPrefix(m[0].Line.Code, tc.want) {
			t.Errorf("%q: %v, want %s first", tc.query, codesOf(m), tc.want)
		}
	}
	for _, q := range []string{"derivative steel", "articles the product of china", "returned"} {
		for _, m := range s.Search(q, SearchOptions{Date: on, Limit: 50}) {
			if m.Line.Code >= "98" {
				t.Errorf("%q without special: %s", q, m.Line.Dotted())
			}
		}
	}
	// On a date before it was established, a line is not found.
	for _, m := range s.Search("0901.11.00.35", SearchOptions{Date: d("2025-06-30")}) {
		t.Errorf("0901.11.00.35 found on 2025-06-30: %s", m.Line.Dotted())
	}
}

func TestInForce(t *testing.T) {
	s := embeddedT(t)
	for _, tc := range []struct {
		code, on string
		want     bool
	}{
		{"0901110045", "2025-06-30", true}, {"0901.11.00.45", "2025-07-01", false},
		{"0901110035", "2025-07-01", true}, {"0000000000", "2025-07-01", false}, {"87x", "2025-07-01", false},
	} {
		if got := s.InForce(tc.code, d(tc.on)); got != tc.want {
			t.Errorf("InForce(%s, %s) = %v", tc.code, tc.on, got)
		}
		_, err := s.Lookup(tc.code, d(tc.on))
		if (err == nil) != tc.want {
			t.Errorf("%s on %s: InForce says %v, Lookup %v", tc.code, tc.on, tc.want, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { s.InForce("0901.11.00.45", d("2025-07-01")) }); n != 0 {
		t.Errorf("InForce allocates %v", n)
	}
}
