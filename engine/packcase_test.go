package engine_test

import (
	"strings"
	"testing"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// packCase is one hand-verified assessment of a measure file.
type packCase struct {
	name    string
	in      engine.Input
	duty    string // "" when only the headings are checked
	heading string // a chapter 99 heading that must be reported
	absent  string // a heading that must not be reported
}

// runPackCases assesses every case on s and checks duty and headings.
func runPackCases(t *testing.T, s *engine.Snapshot, cases []packCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := c.in.Parse()
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Assess(&q)
			if err != nil {
				t.Fatal(err)
			}
			if c.duty != "" && money.Format(a.Duty) != c.duty {
				t.Errorf("duty %s, want %s (headings %v)", money.Format(a.Duty), c.duty, a.Report)
			}
			rep := strings.Join(a.Report, " ")
			if c.heading != "" && !strings.Contains(rep, c.heading) {
				t.Errorf("headings %q lack %s", rep, c.heading)
			}
			if c.absent != "" && strings.Contains(rep, c.absent) {
				t.Errorf("headings %q include %s", rep, c.absent)
			}
		})
	}
}
