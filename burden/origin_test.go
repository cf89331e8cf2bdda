package burden_test

import (
	"context"
	"strings"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Country codes are read as the engine reads them everywhere else:
// normalised to upper case, and a code that is not ISO 3166-1 is skipped,
// not assessed as some other country.
func TestOriginCodes(t *testing.T) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	in := "hts10,origin,value\n" +
		"9503000090,CN,10000\n" +
		"9503000090,cn,10000\n" +
		"9503000090,5700,700\n"
	res, err := burden.Run(context.Background(), snap, strings.NewReader(in), date.MustParse("2025-06-01"), date.None)
	if err != nil {
		t.Fatal(err)
	}
	// China on 2025-06-01: fentanyl 20% + reciprocal 10%, twice.
	if got := money.Format(res.Duty); got != "6000.00" {
		t.Errorf("duty %s, want 6000.00 (partners %v)", got, res.Partners)
	}
	if got := money.Format(res.Skipped["country not recognised"]); got != "700.00" {
		t.Errorf("skipped as unrecognised %s, want 700.00 (%v)", got, res.Skipped)
	}
}
