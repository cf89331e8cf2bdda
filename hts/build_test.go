package hts

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
)

// rec is a record of a made-up export.
type rec struct {
	code, desc, general string
	indent              int
}

func export(t *testing.T, recs ...rec) *Schedule {
	t.Helper()
	var raw []map[string]any
	for _, r := range recs {
		raw = append(raw, map[string]any{"htsno": Dotted(r.code), "indent": r.indent, "description": r.desc, "general": r.general})
	}
	b, _ := json.Marshal(raw)
	s, err := Read(bytes.NewReader(b), "made-up.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// buildRevs builds a history of made-up revisions, each with its date and
// change record entries ("code nature date").
func buildRevs(t *testing.T, revs ...struct {
	on      string
	changes []string
	recs    []rec
}) *Schedule {
	t.Helper()
	b := NewBuilder()
	for i, r := range revs {
		rv := Revision{Name: "r" + string(rune('0'+i)), Title: "Revision " + string(rune('0'+i)), Effective: d(r.on), Published: d(r.on)}
		for _, c := range r.changes {
			f := strings.Fields(c)
			rv.Changes = append(rv.Changes, Change{Item: f[0], Code: strings.ReplaceAll(f[0], ".", ""), Nature: f[1], Effective: d(f[2]), Printed: f[2]})
		}
		if err := b.Add(rv, export(t, r.recs...)); err != nil {
			t.Fatal(err)
		}
	}
	return b.Schedule()
}

type revSpec = struct {
	on      string
	changes []string
	recs    []rec
}

var (
	head  = rec{"0901", "Coffee", "", 0}
	line8 = rec{"09011100", "Not decaffeinated", "Free", 1}
	old10 = rec{"0901110045", "Certified organic", "", 2}
	new10 = rec{"0901110035", "Arabica", "", 2}
)

func inForce(t *testing.T, s *Schedule, code, on string) *Line {
	t.Helper()
	l, err := s.Lookup(code, d(on))
	if err != nil {
		return nil
	}
	return l
}

func TestBuilderDates(t *testing.T) {
	// A line established and one discontinued on the date the change
	// record gives, later than the revision's own date.
	s := buildRevs(t,
		revSpec{"2025-01-01", nil, []rec{head, line8, old10}},
		revSpec{"2025-06-06", []string{"0901.11.0035 Established 2025-07-01", "0901.11.0045 Discontinued 2025-07-01"}, []rec{head, line8, new10}},
	)
	for _, tc := range []struct {
		code, on string
		want     bool
	}{
		{"0901110045", "2024-05-01", true}, // before the first revision: read from it
		{"0901110045", "2025-06-30", true},
		{"0901110045", "2025-07-01", false},
		{"0901110035", "2025-06-30", false},
		{"0901110035", "2025-07-01", true},
		{"09011100", "2025-06-30", true},
		{"09011100", "2030-01-01", true},
	} {
		if got := inForce(t, s, tc.code, tc.on) != nil; got != tc.want {
			t.Errorf("%s on %s: in force %v, want %v", tc.code, tc.on, got, tc.want)
		}
	}
	// Every line's parent is in force with it.
	if l := inForce(t, s, "0901110035", "2025-07-01"); l == nil || s.Lines[l.Parent].Code != "09011100" {
		t.Errorf("parent of the new line: %+v", l)
	}
	vs, _ := s.History("0901110045")
	if len(vs) != 2 || vs[1].Basis != "change record" || !vs[1].Discontinued {
		t.Errorf("history %+v", vs)
	}
}

func TestBuilderRetroactiveAndCarried(t *testing.T) {
	changed := line8
	changed.general = "2%"
	again := line8
	again.general = "3%"
	s := buildRevs(t,
		revSpec{"2025-01-01", nil, []rec{head, line8}},
		// The rate changes from the revision's date...
		revSpec{"2025-03-01", nil, []rec{head, changed}},
		// ...and is corrected retroactively from before it.
		revSpec{"2025-04-01", []string{"0901.11.00 Modified 2025-02-01"}, []rec{head, again}},
	)
	for on, want := range map[string]string{"2025-01-31": "Free", "2025-02-01": "3%", "2025-03-15": "3%", "2025-05-01": "3%"} {
		if l := inForce(t, s, "09011100", on); l == nil || l.General != want {
			t.Errorf("on %s: %+v, want %s", on, l, want)
		}
	}
	vs, _ := s.History("09011100")
	if len(vs) != 3 || vs[1].From != vs[1].To || vs[1].General != "2%" {
		t.Errorf("the version replaced retroactively must have no window: %+v", vs)
	}
	// A change staged for a later date keeps it when the next revision
	// changes the line again without a change record entry.
	s = buildRevs(t,
		revSpec{"2025-01-01", nil, []rec{head, line8}},
		revSpec{"2025-03-01", []string{"0901.11.00 Modified 2025-07-01"}, []rec{head, changed}},
		revSpec{"2025-04-01", nil, []rec{head, again}},
	)
	if l := inForce(t, s, "09011100", "2025-05-01"); l == nil || l.General != "Free" {
		t.Errorf("carried: %+v", l)
	}
	vs, _ = s.History("09011100")
	if vs[2].Basis != BasisCarried.String() || vs[2].From != d("2025-07-01") {
		t.Errorf("carried: %+v", vs[2])
	}
}

func TestBuilderParentChange(t *testing.T) {
	// A new header row between the 8-digit line and its statistical lines
	// gives the statistical lines a new version (a new parent) from then.
	hdr := rec{"", "Arabica:", "", 2}
	moved := old10
	moved.indent = 3
	s := buildRevs(t,
		revSpec{"2025-01-01", nil, []rec{head, line8, old10}},
		revSpec{"2025-03-01", nil, []rec{head, line8, hdr, moved}},
	)
	early, late := inForce(t, s, "0901110045", "2025-02-01"), inForce(t, s, "0901110045", "2025-03-01")
	if early == nil || late == nil || early == late || s.Lines[early.Parent].Code != "09011100" || s.Lines[late.Parent].Description != "Arabica:" {
		t.Fatalf("early %+v late %+v", early, late)
	}
	if got := s.RateLine(late); got == nil || got.General != "Free" {
		t.Errorf("the rate is still inherited through the new header: %+v", got)
	}
	// Printed as each revision printed it.
	if p := s.Printed(1); len(p) != 4 || p[2].Description != "Arabica:" || p[3].Parent != 2 {
		t.Errorf("printed %+v", p)
	}
}

func TestBuilderRejectsOlderRevision(t *testing.T) {
	b := NewBuilder()
	if err := b.Add(Revision{Name: "a", Effective: d("2025-05-01")}, export(t, head)); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(Revision{Name: "b", Effective: d("2025-04-01")}, export(t, head)); err == nil {
		t.Error("an older revision was added after a newer one")
	}
}

func TestParseChangeRecord(t *testing.T) {
	text := `Harmonized Tariff Schedule of the United States (2025 Revision 16)
preamble
          Item changed                       Nature of change           Effective date       Source
 0901.11.0035                        Established                       July 1, 2025      484(f)
 0401.40.25                          Technical correction (Column 2    February 3, 2012   PP 10875
                                     rate of duty modified)
 U.S. note 2(v)(i), subch III, ch 99  Modified                         June 30, 3025     Notice
 U.S. note 16(n), subch III, ch 99   Deleted (Compiler’s note) March 14, 2025        Notice
 0403.20.05                          Technical Correction                 N/A          N/A     Rev 2
                                              10
`
	cs, err := ParseChangeRecord(strings.NewReader(text), d("2025-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 5 {
		t.Fatalf("%d entries: %+v", len(cs), cs)
	}
	want := []Change{
		{Item: "0901.11.0035", Code: "0901110035", Nature: "Established", Effective: d("2025-07-01"), Printed: "July 1, 2025", Source: "484(f)"},
		{Item: "0401.40.25", Code: "04014025", Nature: "Technical correction (Column 2 rate of duty modified)", Effective: d("2012-02-03"), Printed: "February 3, 2012", Source: "PP 10875"},
		{Item: "U.S. note 2(v)(i), subch III, ch 99", Nature: "Modified", Effective: date.None, Printed: "June 30, 3025", Source: "Notice"},
		{Item: "U.S. note 16(n), subch III, ch 99", Nature: "Deleted (Compiler’s note)", Effective: d("2025-03-14"), Printed: "March 14, 2025", Source: "Notice"},
		{Item: "0403.20.05", Code: "04032005", Nature: "Technical Correction", Effective: date.None, Printed: "N/A", Source: "N/A", Edition: "Rev 2"},
	}
	for i := range want {
		if cs[i] != want[i] {
			t.Errorf("entry %d: %+v\nwant %+v", i+1, cs[i], want[i])
		}
	}
}

func FuzzParseChangeRecord(f *testing.F) {
	f.Add("Item changed  Nature of change  Effective date  Source\n0901.11.0035   Established   July 1, 2025   484(f)\n   wrapped text\n")
	f.Add("Item changed Nature of\n x  N/A  N/A\n")
	f.Fuzz(func(t *testing.T, text string) {
		cs, err := ParseChangeRecord(strings.NewReader(text), d("2025-07-01"))
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.Code != "" && len(c.Code) != 4 && len(c.Code) != 6 && len(c.Code) != 8 && len(c.Code) != 10 {
				t.Fatalf("code %q", c.Code)
			}
		}
	})
}
