package burden

import (
	"context"
	"os"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/testenv"
)

// BenchmarkJapanSeries is the series: Japan, every month from
// 2025-01-01 to 2026-10-01, as collected and as known on 2026-12-04, on the
// embedded weights, on the embedded schedule (as on a fresh machine) and on
// the full schedule of ../shared. The load of the schedule and rules is not
// timed here (bench/run times the whole command).
func BenchmarkJapanSeries(b *testing.B) {
	b.Run("embedded", func(b *testing.B) { benchJapan(b, embeddedSnapshot(b)) })
	b.Run("full", func(b *testing.B) {
		lv, err := levy.Load(levy.Options{Schedule: testenv.DataFile(b, "hts_2026_rev_10.json.gz"), Measures: os.Getenv("LEVY_MEASURES")})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := lv.Snapshot("")
		if err != nil {
			b.Fatal(err)
		}
		benchJapan(b, snap)
	})
}

func benchJapan(b *testing.B, snap *engine.Snapshot) {
	w, err := CensusWeights(WeightsEntryYear)
	if err != nil {
		b.Fatal(err)
	}
	opt := SeriesOptions{From: date.MustParse("2025-01-01"), To: date.MustParse("2026-10-01"), Every: Month, KnownOn: date.MustParse("2026-12-04")}
	b.ReportAllocs()
	var s *Series
	for b.Loop() {
		if s, err = RunSeries(context.Background(), snap, w.Only("JP"), opt); err != nil {
			b.Fatal(err)
		}
	}
	b1, err := w.Only("JP").For(opt.From)
	if err != nil {
		b.Fatal(err)
	}
	lines := len(b1.Lines)
	n := float64(2*len(s.Dates)*lines) * float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "assess/s")
	b.ReportMetric(float64(len(s.Dates)), "dates")
}
