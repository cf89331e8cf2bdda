package engine_test

import (
	"strings"
	"testing"

	"github.com/levy-tariff/levy/money"
)

// Supersession is transitive and does not depend on the order of the rule
// files: where a replaces b and b replaces c, only a charges, whichever
// comes first.
func TestSupersedeChainOrder(t *testing.T) {
	defs := map[string]string{
		"a": "  - {id: a, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 30%}, supersedes: [b]}\n",
		"b": "  - {id: b, heading: 9903.01.02, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 20%}, supersedes: [c]}\n",
		"c": "  - {id: c, heading: 9903.01.03, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 10%}}\n",
	}
	for _, order := range []string{"abc", "cba", "bac"} {
		src := "version: 1\nmeasures:\n"
		for _, id := range order {
			src += defs[string(id)]
		}
		s := compileRules(t, src)
		q := toyQuery("JP", "2025-05-01")
		a, err := s.Assess(&q)
		if err != nil {
			t.Fatal(err)
		}
		if money.Format(a.Duty) != "3000.00" || len(a.Headings) != 1 || a.Headings[0] != "9903.01.01" {
			t.Errorf("rules in order %s: duty %s headings %v, want 3000.00 [9903.01.01]", order, money.Format(a.Duty), a.Headings)
		}
	}
}

func TestSupersedeCycleIsACompileError(t *testing.T) {
	_, err := compileRulesErr(t, `version: 1
measures:
  - {id: a, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 30%}, supersedes: [b]}
  - {id: b, heading: 9903.01.02, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 20%}, supersedes: [a]}
`)
	if err == nil || !strings.Contains(err.Error(), "t.yaml:3:") || !strings.Contains(err.Error(), "a -> b -> a") {
		t.Errorf("error %v, want a supersession cycle a -> b -> a at t.yaml:3", err)
	}
}
