package levy

import (
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Comparison is one reading of a line: enacted law or a scenario.
type Comparison struct {
	// Scenario is "" for enacted law.
	Scenario   string
	Title      string
	Assessment *engine.Assessment
	// Difference is this reading's duty less the enacted duty.
	Difference money.Decimal
}

// Compare assesses q under enacted law and under each scenario.
func (lv *Levy) Compare(q engine.Query, scenarios []string) ([]Comparison, error) {
	var out []Comparison
	var base money.Decimal
	for i, sc := range append([]string{""}, scenarios...) {
		snap, err := lv.Snapshot(sc)
		if err != nil {
			return nil, err
		}
		a, err := snap.Assess(&q)
		if err != nil {
			return nil, err
		}
		c := Comparison{Scenario: sc, Title: "Enacted law", Assessment: a}
		if sc != "" {
			c.Title = lv.Rules.Scenarios[sc].Scenario.Title
		}
		if i == 0 {
			base = a.Duty
		}
		c.Difference, _ = a.Duty.Sub(base)
		out = append(out, c)
	}
	return out, nil
}
