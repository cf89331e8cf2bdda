package engine_test

import (
	"sort"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// TestEveryWarningAndQuestionHasASource assesses every 10-digit line of the
// embedded schedule from many countries, on many dates, read both ways,
// and requires DescribeWarning and DescribeQuestion to place every warning
// and question: the web page words them from their source, so one they
// cannot place would reach importers in the engine's own terms.
func TestEveryWarningAndQuestionHasASource(t *testing.T) {
	snap := embedded(t)
	dates := []string{"2025-03-01", "2025-04-09", "2025-06-01", "2025-08-20", "2025-09-20", "2026-03-01", "2026-07-01", "2027-01-15"}
	seen := map[string]int{}
	placed := map[string]string{} // warning → kind, each looked up once
	var a engine.Assessment
	for _, ln := range snap.Schedule.Lines {
		if len(ln.Code) != 10 && len(ln.Code) != 8 {
			continue
		}
		for _, o := range origins {
			for _, ds := range dates {
				for _, known := range []date.Date{date.None, date.MustParse("2026-11-01")} {
					for _, v := range []string{"10000", "500"} {
						q := engine.Query{HTS: ln.Code, Origin: o, EntryDate: date.MustParse(ds), KnownOn: known, ExportDate: date.None,
							Value: money.MustParse(v), DeMinimis: v == "500"}
						if err := snap.AssessInto(&q, &a); err != nil {
							continue
						}
						for _, w := range a.Warnings {
							kind, ok := placed[w]
							if !ok {
								kind = snap.DescribeWarning(w).Kind
								placed[w] = kind
							}
							if kind == engine.WarnOther {
								t.Fatalf("%s from %s on %s: warning %q has no source", ln.Code, o, ds, w)
							}
							seen[kind]++
						}
						for _, qu := range a.Questions {
							if _, ok := placed[qu.Fact+qu.Assumed]; ok {
								continue
							}
							placed[qu.Fact+qu.Assumed] = "question"
							if snap.DescribeQuestion(qu).Measure == "" {
								t.Fatalf("%s from %s on %s: question %+v has no source", ln.Code, o, ds, qu)
							}
							seen["question"]++
						}
					}
				}
			}
		}
	}
	var kinds []string
	for k := range seen {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	t.Logf("kinds placed: %v", seen)
	for _, k := range []string{engine.WarnVoid, engine.WarnConfidence, engine.WarnList, engine.WarnHorizon, engine.WarnSplit,
		engine.WarnDeMinimis, engine.WarnNoDeMinimis, "question"} {
		if seen[k] == 0 {
			t.Errorf("no warning of kind %q met: the sample no longer exercises it (seen %v)", k, kinds)
		}
	}
	if got := snap.DescribeWarning("something levy never says"); got.Kind != engine.WarnOther {
		t.Errorf("an unknown warning is placed as %+v", got)
	}
}
