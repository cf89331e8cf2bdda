// Command startup measures levy's start-up: reading a full HTS export
// (hts.Load), reading and checking the measure pack (levy.LoadRules),
// compiling the snapshot (engine.Compile, with its stage timings), and the
// heap the loaded schedule and snapshot hold after a garbage collection.
//
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
	schedPath := flag.String("schedule", "../shared/data/hts_2026_rev_10.json.gz", "HTS export")
	measures := flag.String("measures", os.Getenv("LEVY_MEASURES"), "measure directory (default: the embedded pack)")
	runs := flag.Int("runs", 5, "timed runs (median reported)")
	flag.Parse()
	log.SetFlags(0)

	before := heapInUse()
	sched, err := hts.Load(*schedPath)
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
		s, err := hts.Load(*schedPath)
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
	fmt.Printf("startup import (hts.Load): %.1f ms\n", ms(tLoad))
	fmt.Printf("startup measure pack read+check (levy.LoadRules): %.1f ms\n", ms(tRules))
	fmt.Printf("startup compile (engine.Compile): %.1f ms\n", ms(tCompile))
	for _, st := range snap.Stages {
		fmt.Printf("startup compile stage %s: %.2f ms\n", st.Name, ms(stages[st.Name]))
	}
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	fmt.Printf("startup heap in use, schedule: %.1f MB\n", mb(afterSched-before))
	fmt.Printf("startup heap in use, schedule+rules+snapshot: %.1f MB\n", mb(afterSnap-before))
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
