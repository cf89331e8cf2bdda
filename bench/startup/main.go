// Command startup measures levy's start-up: reading the schedule (the
// embedded history of every revision, or with -schedule one full HTS export
// read alone), reading and checking the measure pack (levy.LoadRules),
// compiling the snapshot (engine.Compile, with its stage timings), and the
// heap the loaded schedule and snapshot hold after a garbage collection.
//
//	go run ./bench/startup -runs 5
//	go run ./bench/startup -schedule ../shared/data/hts_2026_rev_10.json.gz -runs 5
//
// Each timing is the median of -runs runs in this process; memory is
// measured first, on the first load, as heap in use after two GCs minus the
// heap in use before loading.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
)

var keep []any // holds what is measured so the GC cannot free it

func main() {
	schedPath := flag.String("schedule", "", "one HTS export read alone (default: the embedded history)")
	measures := flag.String("measures", os.Getenv("LEVY_MEASURES"), "measure directory (default: the embedded pack)")
	runs := flag.Int("runs", 5, "timed runs (median reported)")
	flag.Parse()
	log.SetFlags(0)

	load, what := hts.ReadEmbedded, "history"
	if *schedPath != "" {
		load, what = func() (*hts.Schedule, error) { return hts.Load(*schedPath) }, "export"
	}
	before := heapInUse()
	sched, err := load()
	if err != nil {
		log.Fatal(err)
	}
	afterSched := heapInUse()
	rules, err := levy.LoadRules(*measures)
	if err != nil {
		log.Fatal(err)
	}
	snap, err := engine.Compile(sched, rules, "")
	if err != nil {
		log.Fatal(err)
	}
	keep = append(keep, sched, rules, snap)
	afterSnap := heapInUse()

	var tLoad, tRules, tCompile []time.Duration
	stages := map[string][]time.Duration{}
	for range *runs {
		t := time.Now()
		s, err := load()
		if err != nil {
			log.Fatal(err)
		}
		tLoad = append(tLoad, time.Since(t))
		t = time.Now()
		r, err := levy.LoadRules(*measures)
		if err != nil {
			log.Fatal(err)
		}
		tRules = append(tRules, time.Since(t))
		t = time.Now()
		c, err := engine.Compile(s, r, "")
		if err != nil {
			log.Fatal(err)
		}
		tCompile = append(tCompile, time.Since(t))
		for _, st := range c.Stages {
			stages[st.Name] = append(stages[st.Name], st.Duration)
		}
		runtime.GC()
	}
	ms := func(d []time.Duration) float64 { return float64(median(d).Microseconds()) / 1000 }
	fmt.Fprintf(os.Stderr, "startup: %s, %d records; %d measures; median of %d runs\n", sched.Revision, len(sched.Lines), len(rules.Measures), *runs)
	fmt.Printf("startup %s schedule read: %.1f ms\n", what, ms(tLoad))
	fmt.Printf("startup %s measure pack read+check (levy.LoadRules): %.1f ms\n", what, ms(tRules))
	fmt.Printf("startup %s compile (engine.Compile): %.1f ms\n", what, ms(tCompile))
	for _, st := range snap.Stages {
		fmt.Printf("startup %s compile stage %s: %.2f ms\n", what, st.Name, ms(stages[st.Name]))
	}
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	fmt.Printf("startup %s heap in use, schedule: %.1f MB\n", what, mb(afterSched-before))
	fmt.Printf("startup %s heap in use, schedule+rules+snapshot: %.1f MB\n", what, mb(afterSnap-before))
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
