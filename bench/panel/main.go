// Command panel assesses every 10-digit line of the schedule from every
// country of the ISO 3166-1 table (country.All) for one entry date, on all
// cores, and prints the count, the time and the rate.
//
//	go run ./bench/panel -date 2026-11-29
//	go run ./bench/panel -schedule ../shared/data/hts_2026_rev_10.json.gz -date 2026-11-29
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

func main() {
	schedPath := flag.String("schedule", "", "one HTS export read alone (default: the embedded history of every revision)")
	measures := flag.String("measures", os.Getenv("LEVY_MEASURES"), "measure directory (default: the embedded pack)")
	day := flag.String("date", "2026-11-29", "entry date")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "goroutines")
	flag.Parse()
	log.SetFlags(0)
	entry, err := date.Parse(*day)
	if err != nil {
		log.Fatal(err)
	}
	lv, err := levy.Load(levy.Options{Schedule: *schedPath, Measures: *measures})
	if err != nil {
		log.Fatal(err)
	}
	snap, err := lv.Snapshot("")
	if err != nil {
		log.Fatal(err)
	}
	var lines []int
	for i := range lv.Schedule.Lines {
		// Every 10-digit line in force on the date (one version each).
		if l := &lv.Schedule.Lines[i]; len(l.Code) == 10 && l.From <= entry && entry < l.To {
			lines = append(lines, i)
		}
	}
	countries := country.All()
	value, qty := money.MustParse("10000"), money.MustParse("100")

	var next, ok, failed atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range *workers {
		wg.Go(func() {
			var a engine.Assessment
			q := engine.Query{EntryDate: entry, KnownOn: date.None, ExportDate: date.None, Value: value, Quantity: qty}
			var nOK, nFail int64
			for {
				i := int(next.Add(1)) - 1
				if i >= len(lines) {
					break
				}
				ln := &lv.Schedule.Lines[lines[i]]
				q.HTS, q.Unit = ln.Code, ""
				if len(ln.Units) > 0 {
					q.Unit = ln.Units[0]
				}
				for _, c := range countries {
					q.Origin = c.Code
					if snap.AssessInto(&q, &a) == nil {
						nOK++
					} else {
						nFail++
					}
				}
			}
			ok.Add(nOK)
			failed.Add(nFail)
		})
	}
	wg.Wait()
	el := time.Since(t0)
	n := ok.Load() + failed.Load()
	fmt.Fprintf(os.Stderr, "panel: %d lines × %d countries on %s, %d workers, %d refused for missing facts\n",
		len(lines), len(countries), entry, *workers, failed.Load())
	fmt.Printf("panel assessments: %d assessments\n", n)
	fmt.Printf("panel time: %.2f s\n", el.Seconds())
	fmt.Printf("panel rate (%d cores): %.0f assessments/s\n", *workers, float64(n)/el.Seconds())
}
