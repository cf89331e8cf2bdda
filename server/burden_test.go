package server

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/levy-tariff/levy/burden"
)

// japanChart is the request the web page charts: Japan, 2025–2026, the
// rate as collected and as owed today.
const japanChart = "/v1/burden?origin=JP&from=2025-01-01&to=2026-10-01&every=month"

// checkBurdenJapan checks what the page's series says: one point a month,
// known today by the server's clock, nothing owed back before the rules
// changed, refunds of 2025's reciprocal duties once the ruling is known,
// and the same bytes from the cache the second time.
func checkBurdenJapan(t *testing.T, ts *testServer) {
	t.Helper()
	r := ts.get(t, japanChart)
	if r.status != 200 {
		t.Fatalf("%s: %d %s", japanChart, r.status, clip(r.raw))
	}
	var v burden.SeriesView
	if err := json.Unmarshal(r.raw, &v); err != nil {
		t.Fatal(err)
	}
	if v.KnownOn != "2026-06-01" || len(v.Points) != 22 || v.Points[21].From != "2026-10-01" || v.Last != "2026-10-31" {
		t.Fatalf("known on %s, %d points, last %s", v.KnownOn, len(v.Points), v.Last)
	}
	jan, jul := v.Points[0], v.Points[6]
	if jan.OwedBack != "0.00" || jan.Collected.Rate != jan.Known.Rate {
		t.Errorf("January 2025: owed back %s, rates %s and %s; want nothing owed", jan.OwedBack, jan.Collected.Rate, jan.Known.Rate)
	}
	if jul.OwedBack == "0.00" || num(t, jul.Collected.Rate) <= num(t, jul.Known.Rate) {
		t.Errorf("July 2025: owed back %s, rates %s collected and %s known; want the reciprocal duties owed back", jul.OwedBack, jul.Collected.Rate, jul.Known.Rate)
	}
	if len(jan.Partners) != 1 || jan.Partners[0].Key != "JP" || len(jan.Sections) == 0 || len(jan.Collected.NotAssessed) == 0 {
		t.Errorf("January 2025: partners %v, %d sections, not assessed %v", jan.Partners, len(jan.Sections), jan.Collected.NotAssessed)
	}
	if again := ts.get(t, japanChart); !bytes.Equal(again.raw, r.raw) {
		t.Error("the same series differs the second time")
	}
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
