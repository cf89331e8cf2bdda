package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

// checkRules parses and checks src as t.yaml and returns the first error.
func checkRules(src string) (*measure.Set, error) {
	f, err := measure.Parse("t.yaml", strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	return measure.Check([]*measure.File{f}, measure.Checker{})
}

func hasWarning(a *engine.Assessment, part string) bool {
	for _, w := range a.Warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

// Entries before the coverage start and after the horizon warn; entries in
// between do not.
func TestCoverageWarnings(t *testing.T) {
	s := compileRules(t, `version: 1
horizon: 2026-10-10
coverage:
  from: 2024-01-01
  horizon_basis: "the HTS revision of the test"
  not_modelled:
    - {title: "Antidumping duties", reason: "they depend on the producer"}
measures:
  - {id: a, heading: 9903.01.25, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2020-01-01}, rate: {additional: 10%}}
`)
	if s.CoverageFrom != date.MustParse("2024-01-01") {
		t.Fatalf("CoverageFrom = %s", s.CoverageFrom)
	}
	for _, c := range []struct {
		entry          string
		before, beyond bool
	}{{"2023-12-31", true, false}, {"2024-01-01", false, false}, {"2026-10-10", false, false}, {"2026-10-11", false, true}} {
		q := toyQuery("JP", c.entry)
		a, err := s.Assess(&q)
		if err != nil {
			t.Fatal(err)
		}
		if got := hasWarning(a, "before levy's coverage start (2024-01-01)"); got != c.before {
			t.Errorf("%s: coverage warning %v, want %v (%q)", c.entry, got, c.before, a.Warnings)
		}
		if got := hasWarning(a, "past the data horizon (2026-10-10; it rests on the HTS revision of the test)"); got != c.beyond {
			t.Errorf("%s: horizon warning %v, want %v (%q)", c.entry, got, c.beyond, a.Warnings)
		}
		if money.Format(a.Duty) != "1000.00" {
			t.Errorf("%s: duty %s, want 1000.00 (a coverage warning changes nothing)", c.entry, money.Format(a.Duty))
		}
	}
}

// A rule set that states no coverage never gives the coverage warning.
func TestNoCoverageNoWarning(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - {id: a, heading: 9903.01.25, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2020-01-01}, rate: {additional: 10%}}
`)
	q := toyQuery("JP", "2021-01-01")
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatal(err)
	}
	if hasWarning(a, "coverage start") {
		t.Errorf("warnings %q", a.Warnings)
	}
}

// A measure with a warning and no rate charges nothing, adds no layer and
// no heading, and warns on every line it covers, in its window only.
func TestWarningMeasure(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - id: poly
    title: Polysilicon duty, heading not published
    family: s232-poly
    authority: {instrument: X}
    countries: {all: true}
    products: {include: ["9503"]}
    effective: {from: 2026-12-04}
    warning: "the duty applies but its heading is unknown"
  - {id: b, heading: 9903.01.25, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2020-01-01}, rate: {additional: 10%}}
`)
	q := toyQuery("JP", "2026-12-04")
	q.Explain = true
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatal(err)
	}
	if money.Format(a.Duty) != "1000.00" || len(a.Headings) != 1 || len(a.Layers) != 2 {
		t.Errorf("duty %s headings %v layers %d, want 1000.00, [9903.01.25], base + one measure", money.Format(a.Duty), a.Headings, len(a.Layers))
	}
	if !hasWarning(a, "Polysilicon duty, heading not published (poly): the duty applies but its heading is unknown") {
		t.Errorf("warnings %q", a.Warnings)
	}
	found := false
	for _, st := range a.Steps {
		if st.Measure == "poly" {
			found = st.Outcome == "warning"
		}
	}
	if !found {
		t.Errorf("explanation %+v has no warning step for poly", a.Steps)
	}
	q = toyQuery("JP", "2026-12-03")
	if a, err = s.Assess(&q); err != nil {
		t.Fatal(err)
	}
	if hasWarning(a, "heading is unknown") {
		t.Errorf("warned before the window: %q", a.Warnings)
	}
	var ref engine.Assessment
	q = toyQuery("JP", "2026-12-10")
	if err := s.AssessReference(&q, &ref); err != nil {
		t.Fatal(err)
	}
	if !hasWarning(&ref, "heading is unknown") {
		t.Errorf("reference evaluator: warnings %q", ref.Warnings)
	}
}

// A warning measure has no rate; a measure with neither rate nor warning is
// an error, and so is one with both.
func TestWarningMeasureChecks(t *testing.T) {
	for _, c := range []struct{ rule, want string }{
		{`{id: a, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-01-01}, warning: w, rate: {additional: 10%}}`, "a measure with a warning has no rate"},
		{`{id: a, heading: 9903.01.25, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-01-01}}`, "rate needs additional, floor_inclusive or in_lieu"},
		{`{id: a, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-01-01}, rate: {additional: 10%}}`, "is not a chapter 99 heading"},
		{`{id: a, heading: 9903.90.08, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-01-01}, rate: {in_lieu: 35%, additional: 1%}}`, "more than one of additional, floor_inclusive and in_lieu"},
		{`{id: a, heading: 9903.90.08, family: f, authority: {instrument: X}, countries: {all: true}, products: {all: true}, effective: {from: 2025-01-01}, rate: {in_lieu: 35%}, base: steel}`, "replaces the base rate on the whole value"},
	} {
		_, err := checkRules("version: 1\nmeasures:\n  - " + c.rule + "\n")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.rule, err, c.want)
		}
	}
}

// An in_lieu rate replaces the base rate whatever it is: the base layer is
// not owed (so a specific rate needs no quantity), and other measures still
// charge on top.
func TestInLieuOfBaseRate(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - {id: lieu, heading: 9903.90.08, family: ru, authority: {instrument: X}, countries: {include: [FR]}, products: {include: ["2204.21.50"]}, effective: {from: 2023-04-01}, rate: {in_lieu: 35%}}
  - {id: extra, heading: 9903.85.67, family: other, authority: {instrument: X}, countries: {include: [FR]}, products: {include: ["2204"]}, effective: {from: 2023-04-01}, rate: {additional: 10%}}
`)
	q := engine.Query{HTS: "2204.21.50.40", Origin: "FR", EntryDate: date.MustParse("2024-05-15"), KnownOn: date.None,
		ExportDate: date.None, Value: money.MustParse("10000")}
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatalf("a specific base rate replaced in lieu needs no quantity: %v", err)
	}
	if money.Format(a.Duty) != "4500.00" {
		t.Errorf("duty %s, want 4500.00 (35%% in lieu + 10%%)", money.Format(a.Duty))
	}
	if b := a.Layers[0]; !b.Amount.IsZero() || !strings.Contains(b.Title, "9903.90.08 applies in lieu") {
		t.Errorf("base layer %+v, want zero and saying what replaces it", b)
	}
	// Without the in-lieu measure in force the specific rate needs the quantity again.
	q.EntryDate = date.MustParse("2023-03-31")
	_, err = s.Assess(&q)
	var e *engine.Error
	if !errors.As(err, &e) || e.Code != engine.CodeUnknown || e.Field != "quantity" {
		t.Errorf("before the measure: error %v, want the quantity error", err)
	}
	q.Quantity, q.Unit = money.MustParse("1000"), "liters"
	if a, err = s.Assess(&q); err != nil || money.Format(a.Duty) != "63.00" {
		t.Errorf("before the measure with a quantity: %v, %v, want 63.00", a, err)
	}
}

// An exemption with no heading switches the measure off and reports
// nothing; its question still names the exemption.
func TestExemptionWithoutHeading(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - id: ua
    heading: 9903.81.83
    title: steel of Ukraine without a certificate
    family: s232-steel
    authority: {instrument: X}
    countries: {include: [UA]}
    products: {all: true}
    effective: {from: 2024-01-01}
    rate: {additional: 25%}
    exemptions: [{title: "with a certificate of origin", claims: [certificate-of-origin], ask: certificate-of-origin}]
`)
	q := toyQuery("UA", "2024-06-01")
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatal(err)
	}
	if money.Format(a.Duty) != "2500.00" || len(a.Questions) != 1 || !strings.Contains(a.Questions[0].Assumed, "with a certificate of origin is assumed not to apply") {
		t.Fatalf("duty %s questions %+v", money.Format(a.Duty), a.Questions)
	}
	s.WhatIf(&q, a)
	if a.Questions[0].DutyChange != "-2500.00" {
		t.Errorf("what-if %+v, want -2500.00", a.Questions[0])
	}
	q.Claims = []string{"certificate-of-origin"}
	q.Explain = true
	if a, err = s.Assess(&q); err != nil {
		t.Fatal(err)
	}
	if !a.Duty.IsZero() || len(a.Report) != 0 {
		t.Errorf("duty %s report %v, want 0 and nothing to report", money.Format(a.Duty), a.Report)
	}
	for _, st := range a.Steps {
		if st.Measure == "ua" && st.Reason != "exempt: with a certificate of origin" {
			t.Errorf("step %+v", st)
		}
	}
}

// A quota question: the over-quota measure charges only when declared, the
// question says so, and WhatIf gives the over-quota duty.
func TestQuotaQuestion(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - id: trq
    heading: 9903.80.01
    title: steel over the tariff-rate quota
    family: s232-steel
    authority: {instrument: X}
    countries: {include: [JP]}
    products: {all: true}
    effective: {from: 2024-01-01, to: 2025-03-12}
    claims: [over-quota]
    ask: over-quota
    rate: {additional: 25%}
`)
	q := toyQuery("JP", "2024-06-01")
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Duty.IsZero() || len(a.Questions) != 1 || a.Questions[0].Fact != "over-quota" {
		t.Fatalf("duty %s questions %+v, want 0 and the quota question", money.Format(a.Duty), a.Questions)
	}
	s.WhatIf(&q, a)
	if qu := a.Questions[0]; qu.DutyChange != "2500.00" || qu.Alternative != "claim over-quota declared" {
		t.Errorf("what-if %+v", qu)
	}
}
