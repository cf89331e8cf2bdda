// Command genes003 writes a synthetic ACE ES-003 entry summary line report
// for the refunds benchmark: entries of 1 to 6 lines drawn from the
// realistic import mix (internal/benchmix), each line's HTS numbers and
// duties as levy assesses them as collected (chapter 99 rows included),
// liquidation 314 days after entry when that is before the as-of date, and
// a few reconciliation, drawback and protest flags.
//
//	go run ./bench/genes003 -rows 1000000 -o /tmp/es003.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/benchmix"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "report rows to write (one per HTS number per line)")
	out := flag.String("o", "", "output file (default: standard output)")
	shared := flag.String("data", "../shared/data", "reference data directory")
	asOfFlag := flag.String("as-of", "2026-12-01", "no date after this one")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	log.SetFlags(0)
	asOf := date.MustParse(*asOfFlag)
	mix, err := benchmix.FromData(*shared)
	if err != nil {
		log.Fatal(err)
	}
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		log.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	f := os.Stdout
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			log.Fatal(err)
		}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write([]string{"Entry Number", "Entry Type", "Entry Date", "Importer Number", "Line Number", "HTS Number", "Country of Origin",
		"Line Entered Value", "Duty Amount", "Quantity", "Unit", "Liquidation Status", "Liquidation Date", "Deposit Date", "Reconciliation Flag", "Drawback Flag", "Protest Flag"})
	r := rand.New(rand.NewPCG(*seed, 0x72656675))
	pool := mix.Rows(100_000, *seed)
	var a engine.Assessment
	written, entries := 0, 0
	for written < *rows {
		entries++
		num := fmt.Sprintf("B%02d%07d%d", entries%97, entries%10_000_000, entries%10)
		d := benchmix.First.AddDays(r.IntN(int(min(benchmix.Last, asOf) - benchmix.First)))
		imp := fmt.Sprintf("%02d-%07dAA", r.IntN(50), r.IntN(10_000_000))
		typ := "01"
		recon, drawback, protest := flag01(r, 5), flag01(r, 1), flag01(r, 2)
		status, liq := "Unliquidated", ""
		if l := d.AddDays(refund.NormalLiquidated); l <= asOf {
			status, liq = "Liquidated", l.String()
		}
		dep := d.AddDays(10)
		if dep > asOf {
			dep = asOf
		}
		for line := 1; line <= 1+r.IntN(6) && written < *rows; line++ {
			row := pool[r.IntN(len(pool))]
			row.EntryDate, row.KnownOn = d.String(), ""
			q, err := row.Input().Parse()
			if err != nil || snap.AssessInto(&q, &a) != nil {
				continue
			}
			for _, l := range a.Layers {
				h, value, qty, unit := refund.Heading8(l.Heading)+"00", "", "", ""
				if l.Kind == engine.BaseLayer {
					h, value, qty, unit = q.HTS, money.Format(q.Value), row.Quantity, row.Unit
				}
				w.Write([]string{num, typ, d.Time().Format("01/02/2006"), imp, strconv.Itoa(line), h, q.Origin, value, money.Format(l.Amount),
					qty, unit, status, liq, dep.String(), recon, drawback, protest})
				written++
			}
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
	fmt.Fprintf(os.Stderr, "genes003: %d rows, %d entries\n", written, entries)
}

func flag01(r *rand.Rand, pct int) string {
	if r.IntN(100) < pct {
		return "Y"
	}
	return "N"
}
