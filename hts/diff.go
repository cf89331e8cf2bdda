package hts

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/date"
)

// Point is one side of a comparison: a revision as printed, or the lines in
// force on a date.
type Point struct {
	// Revision is the revision's index, or -1 for a date.
	Revision int
	Date     date.Date
}

func (p Point) String() string { return p.Date.String() }

var revArgRE = regexp.MustCompile(`(?i)^\s*(?:hts)?[\s_-]*(\d{4})[\s_-]*(?:hts)?[\s_-]*(?:(basic)(?:[\s_-]*edition)?|(?:rev|revision)[\s_.-]*(\d+))\s*$`)

// ParsePoint reads a revision ("2025HTSRev16", "2025 Rev 16", "2026
// basic") or a date (YYYY-MM-DD).
func (s *Schedule) ParsePoint(arg string) (Point, error) {
	if m := revArgRE.FindStringSubmatch(arg); m != nil {
		year, _ := strconv.Atoi(m[1])
		n := 0
		if m[2] == "" {
			n, _ = strconv.Atoi(m[3])
		}
		for i, r := range s.Revisions {
			if ry, rn, ok := releaseNumber(r.Name); ok && ry == year && rn == n {
				return Point{Revision: i, Date: r.Effective}, nil
			}
		}
		var names []string
		for _, r := range s.Revisions {
			names = append(names, r.Name)
		}
		return Point{}, fmt.Errorf("%q: the schedule holds no such revision (it holds %s)", arg, strings.Join(shorten(names), ", "))
	}
	d, err := date.Parse(strings.TrimSpace(arg))
	if err != nil {
		return Point{}, fmt.Errorf("%q is neither a revision (like 2025HTSRev16 or \"2026 basic\") nor a date (YYYY-MM-DD)", arg)
	}
	return Point{Revision: -1, Date: d}, nil
}

func shorten(names []string) []string {
	if len(names) <= 6 {
		return names
	}
	return append(append(append([]string{}, names[:3]...), "…"), names[len(names)-3:]...)
}

var releaseRE = regexp.MustCompile(`^(\d{4})HTS(?:Basic|Rev(\d+))$`)

func releaseNumber(name string) (year, rev int, ok bool) {
	m := releaseRE.FindStringSubmatch(name)
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	rev, _ = strconv.Atoi(m[2])
	return year, rev, true
}

// Describe names a point for people: the revision's title or the date.
func (s *Schedule) Describe(p Point) string {
	if p.Revision >= 0 {
		return s.Revisions[p.Revision].Title + " as printed"
	}
	return "in force on " + p.Date.String()
}

// LineChange is one HTS number that differs between two points.
type LineChange struct {
	Code   string `json:"code"`
	Dotted string `json:"dotted"`
	// Kind is "established", "discontinued" or "changed".
	Kind string `json:"kind"`
	// Fields are the fields that changed (for "changed").
	Fields []string `json:"fields"`
	// Before and After are the line at each point (nil where absent).
	Before *LineText `json:"before,omitempty"`
	After  *LineText `json:"after,omitempty"`
}

// LineText is a line's texts.
type LineText struct {
	Description string   `json:"description"`
	Units       []string `json:"units"`
	General     string   `json:"general"`
	Special     string   `json:"special"`
	Other       string   `json:"other"`
	Footnotes   []string `json:"footnotes"`
}

// Diff is what changed between two points.
type Diff struct {
	From         string       `json:"from"`
	To           string       `json:"to"`
	Established  []LineChange `json:"established"`
	Discontinued []LineChange `json:"discontinued"`
	Changed      []LineChange `json:"changed"`
}

// Diff compares the numbered lines at two points. With goods set, only
// chapters 1 to 97 are compared (chapters 98 and 99 are special
// provisions and measures).
func (s *Schedule) Diff(a, b Point, goods bool) Diff {
	ra, rb := s.recordsAt(a, goods), s.recordsAt(b, goods)
	d := Diff{From: s.Describe(a), To: s.Describe(b), Established: []LineChange{}, Discontinued: []LineChange{}, Changed: []LineChange{}}
	codes := map[string]bool{}
	for c := range ra {
		codes[c] = true
	}
	for c := range rb {
		codes[c] = true
	}
	sorted := make([]string, 0, len(codes))
	for c := range codes {
		sorted = append(sorted, c)
	}
	sort.Strings(sorted)
	for _, c := range sorted {
		x, y := ra[c], rb[c]
		ch := LineChange{Code: c, Dotted: Dotted(c), Fields: []string{}}
		switch {
		case x == nil:
			ch.Kind, ch.After = "established", textOf(y)
			d.Established = append(d.Established, ch)
		case y == nil:
			ch.Kind, ch.Before = "discontinued", textOf(x)
			d.Discontinued = append(d.Discontinued, ch)
		case !x.equal(y):
			ch.Kind, ch.Before, ch.After, ch.Fields = "changed", textOf(x), textOf(y), changedFields(x, y)
			d.Changed = append(d.Changed, ch)
		}
	}
	return d
}

func textOf(r *record) *LineText {
	t := &LineText{Description: r.description, Units: nonNil(r.units), General: r.general, Special: r.special, Other: r.other, Footnotes: []string{}}
	for _, f := range r.footnotes {
		t.Footnotes = append(t.Footnotes, f.Text)
	}
	return t
}

// recordsAt returns the numbered records at a point, by code.
func (s *Schedule) recordsAt(p Point, goods bool) map[string]*record {
	out := map[string]*record{}
	keep := func(r *record) {
		if r.code != "" && (!goods || r.code < "98") {
			if _, dup := out[r.code]; !dup {
				out[r.code] = r
			}
		}
	}
	for i := range s.hist.slots {
		sl := &s.hist.slots[i]
		if p.Revision >= 0 {
			if v := sl.printedAt(p.Revision); v != nil {
				keep(&v.rec)
			}
			continue
		}
		for j := range sl.vers {
			if v := &sl.vers[j]; !v.absent && v.from <= p.Date && p.Date < v.to {
				keep(&v.rec)
			}
		}
	}
	return out
}
