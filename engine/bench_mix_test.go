package engine_test

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/benchmix"
	"github.com/levy-tariff/levy/internal/testenv"
)

// mixSize is the number of distinct queries the mix benchmarks cycle
// through: large enough that the working set is not a handful of cache lines.
const mixSize = 1 << 16

var (
	mixOnce    sync.Once
	mixQueries []engine.Query // assessable on both schedules, mixSize of them
	mixExport  *engine.Snapshot
	mixErr     error
)

// realisticMix returns the snapshot of levy's default data (the embedded
// schedule history with the full measure pack, or LEVY_MEASURES), the
// snapshot of the same rules over one export read alone (2026 Revision
// 10), and mixSize queries both answer, drawn by 2025 import value across
// many countries, entry dates in 2025–2026 and both known-on readings.
func realisticMix(b testing.TB) (history, export *engine.Snapshot, qs []engine.Query) {
	b.Helper()
	l := full(b)
	snap, err := l.Snapshot("")
	if err != nil {
		b.Fatal(err)
	}
	imports := testenv.DataFile(b, benchmix.ImportsFile)
	census := testenv.DataFile(b, benchmix.CensusFile)
	sched := testenv.DataFile(b, benchmix.ScheduleFile)
	mixOnce.Do(func() {
		var one *levy.Levy
		if one, mixErr = levy.Load(levy.Options{Schedule: sched, Measures: os.Getenv("LEVY_MEASURES")}); mixErr != nil {
			return
		}
		if mixExport, mixErr = one.Snapshot(""); mixErr != nil {
			return
		}
		var m *benchmix.Mix
		if m, mixErr = benchmix.Load(imports, census, l.Schedule); mixErr != nil {
			return
		}
		var qs []engine.Query
		if qs, mixErr = benchmix.Queries(m.Rows(mixSize, 1)); mixErr != nil {
			return
		}
		mixQueries = assessable(b, qs, snap, mixExport)
		b.Logf("mix: %d lines × %d countries, %.1f%% of 2025 import value; %d of %d queries assessable",
			m.Lines, m.Countries, 100*m.Coverage, countOK(snap, qs), len(qs))
	})
	if mixErr != nil {
		b.Fatal(mixErr)
	}
	return snap, mixExport, mixQueries
}

// assessable keeps the queries every snapshot answers (a few lines need
// facts the mix does not give, such as the polarization of raw sugar);
// errors take a different, allocating path and are not what is measured
// here.
func assessable(b testing.TB, qs []engine.Query, snaps ...*engine.Snapshot) []engine.Query {
	b.Helper()
	out := make([]engine.Query, 0, mixSize)
	var a engine.Assessment
	for len(out) < mixSize {
	next:
		for i := range qs {
			for _, snap := range snaps {
				if snap.AssessInto(&qs[i], &a) != nil {
					continue next
				}
			}
			out = append(out, qs[i])
		}
	}
	return out[:mixSize]
}

// BenchmarkAssessMix is one core assessing the realistic mix with a reused
// Assessment, side by side on the schedule history (the default) and on one
// export read alone: ns/op is the time per assessment, allocs/op the
// allocations.
func BenchmarkAssessMix(b *testing.B) {
	history, export, qs := realisticMix(b)
	for _, c := range []struct {
		name string
		snap *engine.Snapshot
	}{{"schedule=history", history}, {"schedule=export", export}} {
		b.Run(c.name, func(b *testing.B) {
			var a engine.Assessment
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := c.snap.AssessInto(&qs[i&(mixSize-1)], &a); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assess/s")
		})
	}
}

// BenchmarkAssessMixParallel is the same mix on every core (GOMAXPROCS
// goroutines sharing one snapshot, each with its own Assessment).
func BenchmarkAssessMixParallel(b *testing.B) {
	snap, _, qs := realisticMix(b)
	var next atomic.Uint32
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var a engine.Assessment
		i := int(next.Add(7919))
		for pb.Next() {
			if err := snap.AssessInto(&qs[i&(mixSize-1)], &a); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assess/s")
}

func countOK(snap *engine.Snapshot, qs []engine.Query) int {
	var a engine.Assessment
	n := 0
	for i := range qs {
		if snap.AssessInto(&qs[i], &a) == nil {
			n++
		}
	}
	return n
}

// TestAssessMixDoesNotAllocate checks the zero-allocation promise on the
// realistic mix (units, known-on readings, many countries), not just on one
// query; it skips without the reference data.
func TestAssessMixDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the full schedule and the import mix")
	}
	snap, _, qs := realisticMix(t)
	var a engine.Assessment
	for i := range qs {
		if err := snap.AssessInto(&qs[i], &a); err != nil {
			t.Fatal(err)
		}
	}
	// One run assesses the whole mix: AllocsPerRun rounds down per run, so
	// a rare allocating path would vanish if each run were one query.
	allocs := testing.AllocsPerRun(2, func() {
		for i := range qs {
			if err := snap.AssessInto(&qs[i], &a); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("AssessInto allocates %.0f times over %d queries of the realistic mix, want 0", allocs, len(qs))
	}
}
