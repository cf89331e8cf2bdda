package burden_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/money"
)

func TestSmallFile(t *testing.T) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	in := "hts10,cty_name,con_val_usd\n" +
		"9503000090,JAPAN,10000\n" + // 10% baseline on 2025-06-01
		"9503000090,\"KOREA, SOUTH\",10000\n" + // 10%
		"8703230130,JAPAN,40000\n" + // 2.5% + 25% autos
		"9503000099,JAPAN,5000\n" + // not in the schedule
		"9503000090,ATLANTIS,700\n"
	res, err := burden.Run(context.Background(), snap, strings.NewReader(in), date.MustParse("2025-06-01"), date.None)
	if err != nil {
		t.Fatal(err)
	}
	if got := money.Format(res.Duty); got != "13000.00" {
		t.Errorf("duty %s, want 13000.00", got)
	}
	if got := res.Rate().String(); got != "21.67" {
		t.Errorf("rate %s, want 21.67", got)
	}
	if got := money.Format(res.Skipped["HTS number not in force on the date"]); got != "5000.00" {
		t.Errorf("skipped %s", got)
	}
	if got := money.Format(res.Unmatched["ATLANTIS"]); got != "700.00" {
		t.Errorf("unmatched %s", got)
	}
	if res.Partners["KR"] == nil || money.Format(res.Partners["KR"].Duty) != "1000.00" {
		t.Errorf("Korea %+v", res.Partners["KR"])
	}
}

// TestCensus2025 runs the burden over 2025 Census imports on the full
// schedule and logs the effective rate next to the Yale Budget Lab
// tracker's figure for the same day (documented in docs/PERFORMANCE.md).
func TestCensus2025(t *testing.T) {
	sched := testenv.DataFile(t, "hts_2026_rev_10.json.gz")
	imports := testenv.DataFile(t, "imports/us_imports_hts10_by_country_2025.csv.gz")
	lv, err := levy.Load(levy.Options{Schedule: sched, Measures: os.Getenv("LEVY_MEASURES")})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	f, err := os.Open(imports)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := burden.Run(context.Background(), snap, f, date.MustParse("2025-10-01"), date.None)
	if err != nil {
		t.Fatal(err)
	}
	total := res.Value
	for _, v := range res.Skipped {
		total, _ = total.Add(v)
	}
	share, _ := res.Value.Quo(total)
	t.Logf("rows %d, assessed %s of %s (%.1f%%), effective rate %s%%", res.Rows, money.Format(res.Value), money.Format(total), must(share)*100, res.Rate())
	if must(share) < 0.8 {
		t.Errorf("only %.1f%% of the import value could be assessed", must(share)*100)
	}
	if !res.Duty.IsPos() {
		t.Error("no duty")
	}
}

func must(d money.Decimal) float64 { f, _ := d.Float64(); return f }

func TestUSMCAShareAndMetalShare(t *testing.T) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	in := "hts10,origin,value\n9503000090,MX,10000\n"
	opt := burden.Options{Date: date.MustParse("2025-06-01"), KnownOn: date.None, USMCAShare: money.MustParse("0.8")}
	res, err := burden.RunWith(context.Background(), snap, strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	// 20% of the line pays the Mexico IEEPA 25% (9903.01.01); 80% is claimed free.
	if got := money.Format(res.Duty); got != "500.00" {
		t.Errorf("duty %s, want 500.00", got)
	}
	if got := money.Format(res.ByFamilies["ieepa-fentanyl-camx"]); got != "500.00" {
		t.Errorf("family duty %s, want 500.00", got)
	}
}
