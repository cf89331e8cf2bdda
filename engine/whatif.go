package engine

import (
	"github.com/levy-tariff/levy/money"
)

// WhatIf answers the questions of a: for each fact the line did not give,
// it assesses the line again under the other answer (the program claimed,
// the claim declared, no content of that metal) and records the change in
// duty. It allocates and is meant for people, not for batch hot paths.
func (s *Snapshot) WhatIf(q *Query, a *Assessment) {
	seen := map[string]bool{}
	out := a.Questions[:0]
	for _, qu := range a.Questions {
		if seen[qu.Fact+qu.Assumed] {
			continue
		}
		seen[qu.Fact+qu.Assumed] = true
		alt := *q
		alt.Explain = false
		var tries []Query
		switch {
		case len(qu.programs) > 0:
			for i := len(qu.programs) - 1; i >= 0; i-- {
				t := alt
				t.Program = qu.programs[i]
				tries = append(tries, t)
			}
		case len(qu.claims) > 0:
			t := alt
			t.Claims = append(append([]string{}, q.Claims...), qu.claims[0])
			tries = append(tries, t)
		case qu.content == baseSteel:
			alt.Steel, alt.HasSteel = money.Zero, true
			tries = append(tries, alt)
		case qu.content == baseAluminum:
			alt.Aluminum, alt.HasAluminum = money.Zero, true
			tries = append(tries, alt)
		case qu.content == baseCopper:
			alt.Copper, alt.HasCopper = money.Zero, true
			tries = append(tries, alt)
		}
		for _, t := range tries {
			var b Assessment
			if err := s.AssessInto(&t, &b); err != nil {
				continue
			}
			d, _ := b.Duty.Sub(a.Duty)
			qu.DutyChange = money.Format(d)
			switch {
			case t.Program != q.Program:
				qu.Alternative = "program " + t.Program + " claimed"
			case len(t.Claims) != len(q.Claims):
				qu.Alternative = "claim " + t.Claims[len(t.Claims)-1] + " declared"
			default:
				qu.Alternative = qu.Fact + " declared as 0 (the lower bound)"
			}
			break
		}
		out = append(out, qu)
	}
	a.Questions = out
}
