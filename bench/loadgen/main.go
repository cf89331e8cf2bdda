// Command loadgen is a small closed-loop HTTP load generator for loopback
// benchmarks: C keep-alive connections each send GET /v1/assess requests
// built from a CSV of import lines (bench/gencsv) back to back, until N
// requests or D have passed, and it prints throughput and latency
// percentiles. It refuses any target that is not a loopback address.
//
//	go run ./bench/loadgen -url http://127.0.0.1:8398 -lines lines.csv -c 8 -n 200000 -d 10s
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8398", "server base URL (loopback only)")
	lines := flag.String("lines", "", "CSV of import lines (hts, origin, entry_date, value, known_on)")
	maxLines := flag.Int("max-lines", 100_000, "read at most this many lines of the CSV")
	conc := flag.Int("c", 8, "concurrent keep-alive connections")
	total := flag.Int("n", 200_000, "stop after this many requests")
	dur := flag.Duration("d", 10*time.Second, "stop after this long")
	warm := flag.Duration("warmup", time.Second, "send requests this long before measuring")
	label := flag.String("label", "api", "name printed on the result line")
	flag.Parse()
	log.SetFlags(0)
	if *total <= 0 || *total > 10_000_000 || *dur <= 0 || *dur > 2*time.Minute || *conc < 1 || *conc > 256 {
		log.Fatal("loadgen: -n must be in 1..1e7, -d in (0, 2m], -c in 1..256")
	}
	u, err := url.Parse(*base)
	if err != nil {
		log.Fatal(err)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Fatalf("loadgen: %s is not a loopback address", host)
	}
	targets, err := readTargets(*base, *lines, *maxLines)
	if err != nil {
		log.Fatal(err)
	}
	tr := &http.Transport{MaxIdleConns: *conc, MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	// Warm up: connections open, server caches warm.
	run(client, targets, *conc, 1<<30, *warm, nil)

	lat := make([][]time.Duration, *conc)
	var errs, bad atomic.Int64
	t0 := time.Now()
	n := run(client, targets, *conc, *total, *dur, func(w int, d time.Duration, status int, err error) {
		switch {
		case err != nil:
			errs.Add(1)
		case status != http.StatusOK:
			bad.Add(1)
		}
		lat[w] = append(lat[w], d)
	})
	el := time.Since(t0)
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	fmt.Printf("%s requests: %d requests\n", *label, n)
	fmt.Printf("%s throughput: %.0f req/s\n", *label, float64(n)/el.Seconds())
	fmt.Printf("%s latency p50: %.3f ms\n", *label, pct(0.50))
	fmt.Printf("%s latency p90: %.3f ms\n", *label, pct(0.90))
	fmt.Printf("%s latency p99: %.3f ms\n", *label, pct(0.99))
	fmt.Printf("%s non-200 share: %.2f %%\n", *label, 100*float64(bad.Load())/float64(max(n, 1)))
	fmt.Fprintf(os.Stderr, "%s: %d requests in %.2fs on %d connections, %d errors, %d non-200\n", *label, n, el.Seconds(), *conc, errs.Load(), bad.Load())
	if errs.Load() > 0 || bad.Load() > int64(n)/10 {
		os.Exit(1)
	}
}

// run sends requests from conc workers until n are sent or d has passed,
// and returns how many were sent.
func run(c *http.Client, targets []string, conc, n int, d time.Duration, record func(w int, d time.Duration, status int, err error)) int {
	var sent atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			for {
				i := sent.Add(1)
				if i > int64(n) || time.Now().After(deadline) {
					return
				}
				t := time.Now()
				status, err := get(c, targets[int(i)%len(targets)])
				if record != nil {
					record(w, time.Since(t), status, err)
				}
			}
		})
	}
	wg.Wait()
	return int(min(sent.Load()-int64(conc), int64(n)))
}

func get(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body) // drain so the connection is reused
	resp.Body.Close()
	return resp.StatusCode, err
}

func readTargets(base, path string, max int) ([]string, error) {
	if path == "" {
		return []string{base + "/v1/assess?hts=8703.23.01.40&origin=JP&entry_date=2025-08-20&value=30000"}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var out []string
	for len(out) < max {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		v := url.Values{}
		for _, k := range []string{"hts", "origin", "entry_date", "known_on", "value", "quantity", "unit"} {
			if i, ok := col[k]; ok && rec[i] != "" {
				v.Set(k, rec[i])
			}
		}
		out = append(out, base+"/v1/assess?"+v.Encode())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no lines", path)
	}
	return out, nil
}
