package engine_test

import (
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/internal/testenv"
)

var (
	basicOnce sync.Once
	basicLevy *levy.Levy
	basicErr  error
)

// basic2025 loads the HTSUS 2025 Basic edition (in force 2025-01-01, the
// state after every 2024 change) with the embedded rules, once.
func basic2025(t *testing.T) *levy.Levy {
	t.Helper()
	p := testenv.DataFile(t, "hts/hts_2025_basic.json.gz")
	basicOnce.Do(func() {
		basicLevy, basicErr = levy.Load(levy.Options{Schedule: p, Measures: os.Getenv("LEVY_MEASURES")})
	})
	if basicErr != nil {
		t.Fatal(basicErr)
	}
	return basicLevy
}

// cited returns, for each chapter 99 heading, the 8-digit subheadings whose
// line or statistical lines carry a footnote citing it.
func cited(l *levy.Levy) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, ln := range l.Schedule.Lines {
		if len(ln.Code) < 8 {
			continue
		}
		for _, f := range ln.Footnotes {
			for _, h := range f.Headings {
				if out[h] == nil {
					out[h] = map[string]bool{}
				}
				out[h][dotted8(ln.Code)] = true
			}
		}
	}
	return out
}

func dotted8(code string) string { return code[:4] + "." + code[4:6] + "." + code[6:8] }

func itemSet(t *testing.T, l *levy.Levy, ids ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, id := range ids {
		lst := l.Rules.Lists[id]
		if lst == nil {
			t.Fatalf("no list %s", id)
		}
		for _, it := range lst.Items {
			out[it] = true
		}
	}
	return out
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// The note lists that levy writes out from the texts of U.S. notes 20, 30 and
// 31 (HTSUS 2026 Revision 6) must name exactly the subheadings the HTSUS 2025
// Basic edition refers to their headings by footnote, but for the
// differences the texts explain: the statistical splits of notes 20(g) and
// 20(s)(ii), the chapter 98 references, a line the note lists whose footnote
// points elsewhere, and the lines of note 31 that moved from a list.
func TestNoteListsAgainstFootnotes2025(t *testing.T) {
	l := basic2025(t)
	fn := cited(l)
	except := func(m map[string]bool, xs ...string) map[string]bool {
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		for _, x := range xs {
			delete(out, x)
		}
		return out
	}
	ch98 := []string{"9802.00.40", "9802.00.50", "9802.00.60", "9802.00.80"}
	statSplits := []string{"4901.99.00", "6307.90.98", "8507.60.00", "8517.62.00", "9401.69.60", "9401.71.00"}
	for _, c := range []struct {
		list, heading string
		footnotes     map[string]bool
		noteOnly      []string // listed in the note with no such footnote
	}{
		{"usn20-b", "9903.88.01", except(fn["9903.88.01"], ch98...), nil},
		{"usn20-d", "9903.88.02", except(fn["9903.88.02"], ch98...), nil},
		{"usn20-f", "9903.88.03", fn["9903.88.03"], nil},
		// 0403.20.50: its footnote refers to the agricultural safeguard of subchapter IV instead.
		{"usn20-s-i", "9903.88.15", except(fn["9903.88.15"], statSplits...), []string{"0403.20.50"}},
		{"usn31-b", "9903.91.01", except(fn["9903.91.01"], "6307.90.98", "8507.60.00"), nil},
		// 4420.19.00: listed in note 30(b), no footnote.
		{"usn30-b", "9903.90.08", fn["9903.90.08"], []string{"4420.19.00"}},
		{"usn30-d", "9903.90.09", fn["9903.90.09"], nil},
	} {
		items := itemSet(t, l, c.list)
		if len(c.footnotes) == 0 {
			t.Errorf("%s: no line of the schedule cites %s", c.list, c.heading)
			continue
		}
		onlyNote := diff(items, c.footnotes)
		if strings.Join(onlyNote, ",") != strings.Join(c.noteOnly, ",") {
			t.Errorf("%s: in the note text, not cited %s by a footnote: %v (want %v)", c.list, c.heading, onlyNote, c.noteOnly)
		}
		if d := diff(c.footnotes, items); len(d) > 0 {
			t.Errorf("%s: cited %s by a footnote, not in the note text: %v", c.list, c.heading, d)
		}
	}
	// Lines moved from a list to note 31 left the list: their 2025 footnotes
	// cite the note 31 heading, not the list heading.
	for _, id := range []string{"usn20-b-moved", "usn20-d-moved", "usn20-f-moved", "usn20-s-i-moved"} {
		for it := range itemSet(t, l, id) {
			for _, h := range []string{"9903.88.01", "9903.88.02", "9903.88.03", "9903.88.15"} {
				if fn[h][it] && it != "8507.60.00" && it != "6307.90.98" {
					t.Errorf("%s: %s still cites %s in the 2025 Basic edition", id, it, h)
				}
			}
		}
	}
	// No line is on two of lists 1, 2, 3 and 4A (the 8-digit lists are disjoint).
	lists := map[string]map[string]bool{}
	for _, id := range []string{"usn20-b", "usn20-d", "usn20-f", "usn20-s-i"} {
		lists[id] = itemSet(t, l, id, id+"-moved")
	}
	for a, la := range lists {
		for b, lb := range lists {
			if a < b {
				for it := range la {
					if lb[it] {
						t.Errorf("%s is on %s and %s", it, a, b)
					}
				}
			}
		}
	}
}
