package refund_test

import (
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// BenchmarkAssessEntry reads one three-line entry (hand-worked case B) as
// collected and as known today, routed, with interest over seven quarters.
func BenchmarkAssessEntry(b *testing.B) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		b.Fatal(err)
	}
	opt, _ := lv.RefundOptions()
	opt.Interest.Corporate = true
	m := money.MustParse
	e := &refund.Entry{Number: "XYZ70000014", Importer: "I", Type: "01", Date: date.MustParse("2025-06-02"), LiqStatus: refund.Liquidated,
		LiqDate: date.MustParse("2026-09-01"), Deposit: date.None, Rows: []refund.Row{
			{Line: 1, HTS: "9503000090", Origin: "CN", Value: m("10000")}, {Line: 1, HTS: "9903012500", Duty: m("1000")},
			{Line: 2, HTS: "9506628020", Origin: "JP", Value: m("10000"), Duty: m("500")}, {Line: 2, HTS: "9903012500", Duty: m("1000")},
			{Line: 3, HTS: "8471500150", Origin: "MX", Value: m("10000")}, {Line: 3, HTS: "9903010100", Duty: m("2500")}}}
	x := refund.NewAssess(opt)
	asOf := date.MustParse("2026-11-01")
	b.ReportAllocs()
	for b.Loop() {
		x.Entry(e, asOf)
	}
}

func BenchmarkInterest(b *testing.B) {
	r := rates(b)
	p, from, to := money.MustParse("4500"), date.MustParse("2025-06-02"), date.MustParse("2026-11-01")
	b.ReportAllocs()
	for b.Loop() {
		r.Compute(p, from, to, refund.InterestOptions{Corporate: true})
	}
}
