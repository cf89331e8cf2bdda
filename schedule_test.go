package levy_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/money"
)

// lineQuery is an import line of 1,000 dollars of code from Germany, with a
// quantity in the line's first reporting unit for specific rates.
func lineQuery(l *hts.Line, on date.Date) engine.Query {
	q := engine.Query{HTS: l.Code, Origin: "DE", EntryDate: on, KnownOn: date.None, ExportDate: date.None,
		Value: money.MustParse("1000"), Quantity: money.MustParse("10")}
	if len(l.Units) > 0 {
		q.Unit = l.Units[0]
	}
	return q
}

// On the embedded data alone, every 10-digit line of chapters 1–97 of every
// revision assesses on a date it is in force, and is refused, saying when it
// is in force, on a date it is not.
func TestEveryLineAssessesWhenInForce(t *testing.T) {
	lv := loadFull(t)
	snap, err := lv.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	s := lv.Schedule
	var a engine.Assessment
	assessed, unknown, refused := 0, 0, 0
	gaps := map[string]date.Date{}
	for i := range s.Lines {
		l := &s.Lines[i]
		if len(l.Code) != 10 || l.Code >= "98" {
			continue
		}
		on := l.From
		if on == date.Always {
			on = min(s.Start, l.To-1)
		}
		q := lineQuery(l, on)
		err := snap.AssessInto(&q, &a)
		var e *engine.Error
		switch {
		case err == nil:
			assessed++
		case errors.As(err, &e) && e.Code == engine.CodeUnknown:
			// A rate levy cannot compute, or a quantity in another unit:
			// said, never a zero; not a lookup failure.
			unknown++
		default:
			t.Errorf("%s on %s (in force %s): %v", l.Dotted(), on, s.InForceText(l), err)
		}
		if l.To != date.None {
			if next, err := s.Lookup(l.Code, l.To); err != nil || next == nil {
				gaps[l.Code] = l.To
			}
		}
	}
	for code, on := range gaps {
		l, _ := s.Lookup(code, on.AddDays(-1))
		q := lineQuery(l, on)
		err := snap.AssessInto(&q, &a)
		var e *engine.Error
		var ni *hts.NotInForceError
		if !errors.As(err, &e) || e.Code != engine.CodeNotFound || !errors.As(err, &ni) || !strings.Contains(err.Error(), "is not in force on "+on.String()) {
			t.Errorf("%s on %s, after its last day: %v", hts.Dotted(code), on, err)
			continue
		}
		refused++
	}
	t.Logf("%d versions of 10-digit lines assessed, %d need a fact levy does not have (an unparsed rate or another unit), %d refused the day after their last", assessed, unknown, refused)
	if assessed < 19000 || refused < 50 {
		t.Errorf("assessed %d, refused %d", assessed, refused)
	}
}

// The same entry gives the same answer whichever way the schedule is
// loaded: from the embedded history, or from the export of the revision in
// force on its entry date read alone. The exception is a line a revision
// prints with a change effective later: until that date the history applies
// the version before, as the law does; those lines are counted and left out.
func TestScheduleLoadedEitherWay(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "data", "hts")
	hist := loadFull(t)
	hsnap, err := hist.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	revs := hist.Schedule.Revisions
	r := rand.New(rand.NewPCG(7, 11))
	origins := []string{"JP", "CN", "MX", "DE", "VN", "CA", "IN", "BR"}
	compared, staged := 0, 0
	for i, rev := range revs {
		on := rev.Effective
		if i+1 < len(revs) && revs[i+1].Effective > on.AddDays(1) {
			on = on.AddDays(int(revs[i+1].Effective-on) / 2)
		}
		one, err := levy.Load(levy.Options{Schedule: filepath.Join(dir, rev.File), Measures: os.Getenv("LEVY_MEASURES")})
		if err != nil {
			t.Fatal(err)
		}
		osnap, err := one.Snapshot("")
		if err != nil {
			t.Fatal(err)
		}
		var lines []*hts.Line
		for j := range one.Schedule.Lines {
			if l := &one.Schedule.Lines[j]; len(l.Code) == 10 && l.Code < "98" {
				lines = append(lines, l)
			}
		}
		var a, b engine.Assessment
		for k := 0; k < 250; k++ {
			l := lines[r.IntN(len(lines))]
			q := lineQuery(l, on)
			q.Origin = origins[r.IntN(len(origins))]
			if hl, err := hist.Schedule.Lookup(l.Code, on); err != nil || hl.Rev > i || hl.LastRev < i {
				staged++ // the history holds another version on this date
				continue
			}
			errA, errB := hsnap.AssessInto(&q, &a), osnap.AssessInto(&q, &b)
			if (errA == nil) != (errB == nil) {
				t.Errorf("%s %s from %s on %s: history %v, export alone %v", rev.Name, l.Dotted(), q.Origin, on, errA, errB)
				continue
			}
			if errA != nil {
				continue
			}
			if !a.Duty.Equal(b.Duty) || fmt.Sprint(a.Headings) != fmt.Sprint(b.Headings) || a.Layers[0].Rate != b.Layers[0].Rate {
				t.Errorf("%s %s from %s on %s: history %s %v, export alone %s %v", rev.Name, l.Dotted(), q.Origin, on, a.Duty, a.Headings, b.Duty, b.Headings)
			}
			compared++
		}
	}
	t.Logf("%d entries compared over %d revisions; %d left out: a later-effective change means another version is in force", compared, len(revs), staged)
	if compared < len(revs)*200 {
		t.Errorf("compared only %d", compared)
	}
}
