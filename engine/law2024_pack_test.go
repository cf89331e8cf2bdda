package engine_test

import (
	"strings"
	"testing"

	"github.com/levy-tariff/levy/engine"
)

// What the worked cases cannot say (they compare duty and headings): the
// warnings and questions of the 2024 regime and of the fourth quarter of
// 2026, on the HTSUS 2025 Basic edition and the 2026 Revision 10.
func TestLaw2024WarningsAndQuestions(t *testing.T) {
	cases := []struct {
		name     string
		basic    bool // the 2025 Basic edition, else 2026 Rev 10
		in       engine.Input
		warning  string // a warning that must be given ("" none checked)
		question string // a question that must be asked
		absent   string // a warning that must not be given
	}{
		{"absolute quota", true, engine.Input{HTS: "7210.61.00.00", Origin: "BR", EntryDate: "2024-05-15", Value: "10000"},
			"may not be entered for consumption", "", ""},
		{"steel TRQ", true, engine.Input{HTS: "7210.61.00.00", Origin: "DE", EntryDate: "2024-05-15", Value: "10000"},
			"", "over-quota", ""},
		{"aluminum TRQ", true, engine.Input{HTS: "7601.20.90.45", Origin: "GB", EntryDate: "2024-05-15", Value: "10000"},
			"", "over-quota", ""},
		{"Russian smelt", true, engine.Input{HTS: "7601.20.90.45", Origin: "AE", EntryDate: "2024-05-15", Value: "10000"},
			"", "aluminum-smelted-cast-russia", ""},
		{"Mexico melt and pour", true, engine.Input{HTS: "7210.61.00.00", Origin: "MX", EntryDate: "2024-07-10", Value: "10000"},
			"", "melted-poured-outside-north-america", ""},
		{"no melt question before 2024-07-10", true, engine.Input{HTS: "7210.61.00.00", Origin: "MX", EntryDate: "2024-07-09", Value: "10000"},
			"", "", "melted-poured"},
		{"solar cells quota", true, engine.Input{HTS: "8541.42.00.10", Origin: "TH", EntryDate: "2025-03-01", Value: "10000"},
			"", "over-quota", ""},
		{"exclusion asked", false, engine.Input{HTS: "6307.90.98.91", Origin: "CN", EntryDate: "2026-11-09", Value: "10000"},
			"", "ustr-exclusion", "ended after 2026-11-09"},
		{"exclusion lapsed", false, engine.Input{HTS: "6307.90.98.91", Origin: "CN", EntryDate: "2026-11-10", Value: "10000", Claims: "ustr-exclusion"},
			"ended after 2026-11-09", "", ""},
		{"crane asked", false, engine.Input{HTS: "8426.19.00.00", Origin: "CN", EntryDate: "2026-11-10", Value: "10000"},
			"", "ship-to-shore-crane", ""},
		{"chassis asked", false, engine.Input{HTS: "8716.39.00.90", Origin: "CN", EntryDate: "2026-11-10", Value: "10000"},
			"", "intermodal-chassis", ""},
		{"polysilicon warns", false, engine.Input{HTS: "2804.61.00.00", Origin: "JP", EntryDate: "2026-12-04", Value: "10000"},
			"Proclamation 11052", "", ""},
		{"no polysilicon before", false, engine.Input{HTS: "2804.61.00.00", Origin: "JP", EntryDate: "2026-12-03", Value: "10000"},
			"", "", "Proclamation 11052"},
		{"before coverage", true, engine.Input{HTS: "7210.61.00.00", Origin: "VN", EntryDate: "2023-12-31", Value: "10000"},
			"before levy's coverage start", "", ""},
		{"past the horizon", false, engine.Input{HTS: "7210.61.00.00", Origin: "VN", EntryDate: "2026-10-11", Value: "10000"},
			"rests on the HTSUS 2026 Revision 21", "", ""},
	}
	rev10, err := full(t).Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	basic, err := basic2025(t).Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := rev10
			if c.basic {
				s = basic
			}
			q, err := c.in.Parse()
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Assess(&q)
			if err != nil {
				t.Fatal(err)
			}
			w := strings.Join(a.Warnings, "\n")
			if c.warning != "" && !strings.Contains(w, c.warning) {
				t.Errorf("warnings lack %q:\n%s", c.warning, w)
			}
			if c.absent != "" && strings.Contains(w, c.absent) {
				t.Errorf("warnings include %q:\n%s", c.absent, w)
			}
			var facts []string
			for _, qu := range a.Questions {
				facts = append(facts, qu.Fact)
			}
			if c.question != "" && !strings.Contains(strings.Join(facts, " "), c.question) {
				t.Errorf("questions %v lack %s", facts, c.question)
			}
			if c.absent != "" && strings.Contains(strings.Join(facts, " "), c.absent) {
				t.Errorf("questions %v include %s", facts, c.absent)
			}
		})
	}
}
