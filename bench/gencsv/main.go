// Command gencsv writes a CSV of import lines drawn from the realistic
// benchmark mix (internal/benchmix) for levy batch and the load generator.
//
//	go run ./bench/gencsv -n 1000000 -o /tmp/lines.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"

	"github.com/levy-tariff/levy/internal/benchmix"
)

func main() {
	n := flag.Int("n", 1_000_000, "rows to write")
	out := flag.String("o", "", "output file (default: standard output)")
	shared := flag.String("data", "../shared/data", "reference data directory")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	log.SetFlags(0)
	m, err := benchmix.FromData(*shared)
	if err != nil {
		log.Fatal(err)
	}
	f := os.Stdout
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			log.Fatal(err)
		}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write([]string{"id", "hts", "origin", "entry_date", "known_on", "value", "quantity", "unit"})
	const chunk = 100_000
	for done := 0; done < *n; done += chunk {
		rows := m.Rows(min(chunk, *n-done), *seed+uint64(done))
		for i, r := range rows {
			w.Write([]string{strconv.Itoa(done + i + 1), r.HTS, r.Origin, r.EntryDate, r.KnownOn, r.Value, r.Quantity, r.Unit})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "gencsv: %d rows; mix of %d lines × %d countries, %.1f%% of 2025 import value\n", *n, m.Lines, m.Countries, 100*m.Coverage)
}
