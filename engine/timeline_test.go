package engine_test

import (
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

// compileRules compiles one rule file, given as YAML, against the embedded
// schedule.
func compileRules(t *testing.T, src string) *engine.Snapshot {
	t.Helper()
	s, err := compileRulesErr(t, src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// compileRulesErr parses and checks src as t.yaml and returns what
// engine.Compile returns on the embedded schedule.
func compileRulesErr(t *testing.T, src string) (*engine.Snapshot, error) {
	t.Helper()
	f, err := measure.Parse("t.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	set, err := measure.Check([]*measure.File{f}, measure.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := hts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return engine.Compile(sched, set, "")
}

// toyQuery is a $10,000 line of toys (column 1 Free) from origin.
func toyQuery(origin, entry string) engine.Query {
	return engine.Query{HTS: "9503.00.00.90", Origin: origin, EntryDate: date.MustParse(entry), KnownOn: date.None,
		ExportDate: date.None, Value: money.MustParse("10000")}
}

// An exemption applied from a later known-on date than its entry dates
// (a retroactive exemption) changes the as-collected timeline on that date.
func TestTimelineExemptionKnownFrom(t *testing.T) {
	s := compileRules(t, `version: 1
measures:
  - id: a
    heading: 9903.01.25
    family: f
    authority: {instrument: X}
    countries: {include: [JP]}
    products: {all: true}
    effective: {from: 2025-04-05}
    rate: {additional: 10%}
    exemptions: [{heading: 9903.01.32, products: {include: ["9503"]}, known_from: 2025-04-11}]
`)
	segs, err := s.Timeline(toyQuery("JP", "2025-04-01"), date.MustParse("2025-04-01"), date.MustParse("2025-04-30"), date.None)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sg := range segs {
		got = append(got, sg.From.String()+" "+money.Format(sg.Duty))
	}
	want := "2025-04-01 0.00, 2025-04-05 1000.00, 2025-04-11 0.00"
	if strings.Join(got, ", ") != want {
		t.Errorf("segments %q, want %q", strings.Join(got, ", "), want)
	}
}
