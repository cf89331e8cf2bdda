package engine_test

import (
	"testing"

	"github.com/levy-tariff/levy/money"
)

// A de minimis rule for a country that no measure names applies to that
// country only, not to every country the rules do not name.
func TestDeMinimisCountryNamedOnlyThere(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - {id: a, heading: 9903.01.25, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 10%}}
de_minimis:
  - {id: dm, authority: {instrument: X}, countries: {include: [CN]}, effective: {from: 2025-01-01}, max_value: "800"}
`)
	for _, tt := range []struct {
		origin string
		free   bool
	}{{"CN", true}, {"DE", false}} {
		q := toyQuery(tt.origin, "2025-05-01")
		q.Value, q.DeMinimis = money.MustParse("500"), true
		a, err := s.Assess(&q)
		if err != nil {
			t.Fatal(err)
		}
		if free := a.Column == "de_minimis"; free != tt.free {
			t.Errorf("%s: de minimis granted %v, want %v (duty %s)", tt.origin, free, tt.free, money.Format(a.Duty))
		}
	}
}
