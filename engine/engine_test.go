package engine_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

var (
	once sync.Once
	lv   *levy.Levy
	lerr error
)

// full loads the default data: the embedded history of every revision.
func full(t testing.TB) *levy.Levy {
	t.Helper()
	once.Do(func() { lv, lerr = levy.Load(levy.Options{Measures: os.Getenv("LEVY_MEASURES")}) })
	if lerr != nil {
		t.Fatal(lerr)
	}
	return lv
}

func embedded(t testing.TB) *engine.Snapshot {
	t.Helper()
	l, err := levy.Load(levy.Options{Measures: os.Getenv("LEVY_MEASURES")})
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var origins = []string{"JP", "CN", "HK", "MX", "CA", "DE", "FR", "BR", "IN", "VN", "KR", "CH", "GB", "RU", "TH", "ZA", "US", "TW", "MY", "KH"}

// TestIndexAgreesWithReference assesses a large random sample of real lines,
// countries and dates with the indexed evaluator and the slow reference
// evaluator, and requires identical results.
func TestIndexAgreesWithReference(t *testing.T) {
	l := full(t)
	snap, err := l.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, ln := range l.Schedule.Lines {
		if len(ln.Code) == 10 {
			codes = append(codes, ln.Code)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	start := date.MustParse("2024-01-01") // levy's coverage start
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var a, b engine.Assessment
	compared := 0
	for i := 0; i < n; i++ {
		q := engine.Query{HTS: codes[r.IntN(len(codes))], Origin: origins[r.IntN(len(origins))],
			EntryDate: start.AddDays(r.IntN(1065)), KnownOn: date.None, ExportDate: date.None,
			Value: money.MustParse(fmt.Sprint(100 + r.IntN(100000))), Quantity: money.MustParse("100"), Unit: "kg"}
		if r.IntN(3) == 0 {
			q.KnownOn = date.MustParse("2026-11-29")
		}
		if r.IntN(4) == 0 {
			q.Mode, q.ExportDate = "ocean", q.EntryDate.AddDays(-r.IntN(60))
		}
		errA := snap.AssessInto(&q, &a)
		errB := snap.AssessReference(&q, &b)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("%+v: indexed error %v, reference error %v", q, errA, errB)
		}
		if errA != nil {
			continue
		}
		compared++
		if !reflect.DeepEqual(a.View(), b.View()) {
			t.Fatalf("%s from %s on %s: indexed\n%+v\nreference\n%+v", q.HTS, q.Origin, q.EntryDate, a.View(), b.View())
		}
	}
	if compared < n/2 {
		t.Fatalf("only %d of %d queries could be assessed", compared, n)
	}
	t.Logf("%d of %d random queries assessed and identical", compared, n)
}

// TestAssessDoesNotAllocate checks the hot path with a warm result.
func TestAssessDoesNotAllocate(t *testing.T) {
	snap := embedded(t)
	q := engine.Query{HTS: "9506.62.80.20", Origin: "JP", EntryDate: date.MustParse("2025-08-20"), KnownOn: date.MustParse("2025-10-01"),
		ExportDate: date.None, Value: money.MustParse("10000"), Mode: "ocean"}
	var a engine.Assessment
	if err := snap.AssessInto(&q, &a); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(200, func() {
		if err := snap.AssessInto(&q, &a); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AssessInto allocates %.1f times per call, want 0", allocs)
	}
}

func TestErrors(t *testing.T) {
	snap := embedded(t)
	base := engine.Input{HTS: "9503.00.00.90", Origin: "JP", EntryDate: "2025-08-20", Value: "10000"}
	tests := []struct {
		name  string
		edit  func(*engine.Input)
		field string
		code  string
	}{
		{"unknown hts", func(in *engine.Input) { in.HTS = "9503.00.00.99" }, "hts", engine.CodeNotFound},
		{"malformed hts", func(in *engine.Input) { in.HTS = "95x3" }, "hts", engine.CodeInvalid},
		{"heading only", func(in *engine.Input) { in.HTS = "9506" }, "hts", engine.CodeInvalid},
		{"bad country", func(in *engine.Input) { in.Origin = "JX" }, "origin", engine.CodeNotFound},
		{"bad date", func(in *engine.Input) { in.EntryDate = "2025-02-30" }, "entry_date", engine.CodeInvalid},
		{"zero value", func(in *engine.Input) { in.Value = "0" }, "value", engine.CodeInvalid},
		{"text value", func(in *engine.Input) { in.Value = "ten" }, "value", engine.CodeInvalid},
		{"bad mode", func(in *engine.Input) { in.Mode = "teleport" }, "mode", engine.CodeInvalid},
		{"program not listed", func(in *engine.Input) { in.Program = "ZZ" }, "program", engine.CodeInvalid},
		{"export after entry", func(in *engine.Input) { in.ExportDate = "2025-09-01" }, "export_date", engine.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.edit(&in)
			q, err := in.Parse()
			if err == nil {
				_, err = snap.Assess(&q)
			}
			e, ok := err.(*engine.Error)
			if !ok {
				t.Fatalf("error %v (%T), want *engine.Error", err, err)
			}
			if e.Field != tt.field || e.Code != tt.code {
				t.Errorf("field %q code %q, want %q %q (%v)", e.Field, e.Code, tt.field, tt.code, e)
			}
		})
	}
}

func TestSpecificRateNeedsQuantity(t *testing.T) {
	snap := embedded(t)
	q, err := engine.Input{HTS: "2204.21.50.40", Origin: "FR", EntryDate: "2025-09-01", Value: "10000"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snap.Assess(&q); err == nil {
		t.Fatal("a specific rate with no quantity was assessed; want an error, never a silent zero")
	}
}

func BenchmarkAssess(b *testing.B) {
	snap := embedded(b)
	q := engine.Query{HTS: "9506.62.80.20", Origin: "JP", EntryDate: date.MustParse("2025-08-20"), KnownOn: date.None,
		ExportDate: date.None, Value: money.MustParse("10000")}
	var a engine.Assessment
	b.ReportAllocs()
	for b.Loop() {
		if err := snap.AssessInto(&q, &a); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDeMinimis(t *testing.T) {
	snap := embedded(t)
	tests := []struct {
		origin, date, value string
		free                bool
	}{
		{"CN", "2025-04-20", "500", true},  // before EO 14256
		{"CN", "2025-06-01", "500", false}, // ended for China from 2025-05-02
		{"JP", "2025-08-28", "800", true},  // the limit itself qualifies
		{"JP", "2025-08-28", "800.01", false},
		{"JP", "2025-08-29", "500", false}, // EO 14324: suspended for all
	}
	for _, tt := range tests {
		q, err := engine.Input{HTS: "9503.00.00.90", Origin: tt.origin, EntryDate: tt.date, Value: tt.value, DeMinimis: true}.Parse()
		if err != nil {
			t.Fatal(err)
		}
		a, err := snap.Assess(&q)
		if err != nil {
			t.Fatal(err)
		}
		if free := a.Duty.IsZero() && a.FeesTotal.IsZero(); free != tt.free {
			t.Errorf("%s %s $%s: duty %s fees %s, want free=%v (%v)", tt.origin, tt.date, tt.value, a.Duty, a.FeesTotal, tt.free, a.Warnings)
		}
	}
}

func TestQueryGuards(t *testing.T) {
	snap := embedded(t)
	base := engine.Query{HTS: "9503.00.00.90", Origin: "JP", EntryDate: date.MustParse("2025-06-01"), KnownOn: date.None,
		ExportDate: date.None, Value: money.MustParse("100")}
	for name, edit := range map[string]func(*engine.Query){
		"lower-case origin": func(q *engine.Query) { q.Origin = "jp" },
		"numeric origin":    func(q *engine.Query) { q.Origin = "58" },
		"huge value":        func(q *engine.Query) { q.Value = money.MustParse("9999999999999999999") },
	} {
		q := base
		edit(&q)
		if _, err := snap.Assess(&q); err == nil {
			t.Errorf("%s: assessed without error; want a clear error, never a silent result", name)
		}
	}
	if _, err := (engine.Input{HTS: "9503.00.00.90", Origin: "JP", EntryDate: "2025-06-01", Value: "2000000000000"}).Parse(); err == nil {
		t.Error("a value above the limit parsed")
	}
}
