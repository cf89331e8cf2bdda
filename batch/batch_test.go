package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
)

func snapshot(t testing.TB) *engine.Snapshot {
	t.Helper()
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := lv.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBadRowsGoOn(t *testing.T) {
	in := "id,hts,origin,entry_date,value\n" +
		"a,9503.00.00.90,JP,2025-06-01,1000\n" +
		"b,9503.00.00.90,JX,2025-06-01,1000\n" +
		"c,9503.00.00.90,JP,2025-06-01\n" +
		"\"d,9503\n"
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.None})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 4 || sum.Failed != 3 {
		t.Errorf("rows %d failed %d, want 4 and 3", sum.Rows, sum.Failed)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][1] != "100.00" || recs[1][8] != "" {
		t.Errorf("row a = %v", recs[1])
	}
	for i, want := range []string{"line 3: origin: unknown country", "line 4: 4 fields, the header has 5", "line 5"} {
		if got := recs[i+2][8]; !strings.Contains(got, want) {
			t.Errorf("row %d error %q, want it to contain %q", i+2, got, want)
		}
	}
}

func TestJSONLKeepsNumbersExact(t *testing.T) {
	in := `{"id":"x","hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000.10}` + "\n"
	var out bytes.Buffer
	if _, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out,
		batch.Options{InFormat: batch.JSONL, OutFormat: batch.JSONL, KnownOn: date.None}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["duty"] != "100.01" {
		t.Errorf("duty %v, want 100.01 (10%% of 1000.10)", got["duty"])
	}
}

func TestRefundView(t *testing.T) {
	in := "id,hts,origin,entry_date,value\nr,9506.62.80.20,JP,2025-08-20,10000\n"
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.MustParse("2026-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(&out).ReadAll()
	row := recs[1]
	if row[9] != "1980.00" || row[10] != "480.00" || row[11] != "-1500.00" {
		t.Errorf("refund columns %v, want 1980.00 480.00 -1500.00", row[9:])
	}
	if d, _ := sum.DutyNow.Sub(sum.DutyThen); d.String() != "-1500.00" {
		t.Errorf("summary difference %s", d)
	}
}

func FuzzCSV(f *testing.F) {
	f.Add("id,hts,origin,entry_date,value\na,9503.00.00.90,JP,2025-06-01,1000\n")
	f.Add("SKU,HTS,Value,Origin,Entry Date\n1,8703.23.01.30,40000,JP,2025-09-20\n")
	f.Add("hts\n\"\n")
	snap := snapshot(f)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		sum, err := batch.Run(context.Background(), snap, strings.NewReader(in), &out, batch.Options{KnownOn: date.None})
		if err != nil {
			return
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v", err)
		}
		if len(recs) != sum.Rows+1 {
			t.Fatalf("%d output rows for %d input rows", len(recs)-1, sum.Rows)
		}
	})
}

func TestMPFPerEntry(t *testing.T) {
	in := "id,entry_id,hts,origin,entry_date,value,mode\n" +
		"a,E1,9503.00.00.90,JP,2025-11-01,1000,air\n" +
		"b,E1,9503.00.00.90,JP,2025-11-01,3000,air\n" +
		"c,,9503.00.00.90,JP,2025-11-01,1000,air\n" +
		"d,E2,9503.00.00.90,JP,2025-11-01,200000,ocean\n" +
		"e,E2,9503.00.00.90,JP,2025-11-01,100000,ocean\n"
	var out bytes.Buffer
	if _, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.None}); err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(&out).ReadAll()
	// E1: 0.3464% of 4000 is below the FY2026 minimum 33.58, shared 1:3.
	// c: its own entry, the minimum. E2: the maximum 651.50 shared 2:1, plus HMF.
	want := map[string]string{"a": "8.40", "b": "25.18", "c": "33.58", "d": "684.33", "e": "342.17"}
	for _, r := range recs[1:] {
		if r[2] != want[r[0]] {
			t.Errorf("row %s fees %s, want %s", r[0], r[2], want[r[0]])
		}
	}
}
