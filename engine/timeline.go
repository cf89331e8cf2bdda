package engine

import (
	"errors"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/money"
)

// Segment is a run of entry dates over which the duty on a line is the same.
type Segment struct {
	// From is the first entry date; To the first date after the segment.
	From, To date.Date
	Duty     money.Decimal
	// Rate is the effective duty rate, in percent of value.
	Rate     money.Decimal
	Headings []string
	// Layers describes the charges: "9903.02.30 +15%".
	Layers []string
}

// Timeline assesses q on every date in [from, to] on which any rule could
// change the answer and returns the runs of equal duty. With knownOn
// date.None each entry date is read as the law stood that day (what was
// collected); otherwise every date is read as known on knownOn.
//
// The line's own versions are change dates too. Dates on which the line is
// not in force leave a gap between segments; when it is in force on none of
// them, the error says when it is.
func (s *Snapshot) Timeline(q Query, from, to date.Date, knownOn date.Date) ([]Segment, error) {
	dates := s.changeDates(from, to, s.Schedule.Changes(q.HTS))
	var out []Segment
	var a Assessment
	var gap error
	for i, d := range dates {
		q.EntryDate = d
		q.KnownOn = knownOn
		q.Explain = false
		if err := s.AssessInto(&q, &a); err != nil {
			var ni *hts.NotInForceError
			if errors.As(err, &ni) {
				gap = err
				continue
			}
			return nil, err
		}
		seg := Segment{From: d, Duty: a.Duty, Rate: a.EffectiveRate(), Headings: append([]string{}, a.Headings...)}
		for _, l := range a.Layers {
			if l.Kind == MeasureLayer && !l.Amount.IsZero() || l.Kind == BaseLayer {
				seg.Layers = append(seg.Layers, l.Heading+" "+l.Rate)
			}
		}
		if i+1 < len(dates) {
			seg.To = dates[i+1]
		} else {
			seg.To = to.AddDays(1)
		}
		if n := len(out); n > 0 && out[n-1].To == seg.From && out[n-1].Duty.Equal(seg.Duty) && strings.Join(out[n-1].Headings, ";") == strings.Join(seg.Headings, ";") {
			out[n-1].To = seg.To
			continue
		}
		out = append(out, seg)
	}
	if len(out) == 0 && gap != nil {
		return nil, gap
	}
	return out, nil
}

// ChangeDates lists from and every date in (from, to] on which a rule of
// the snapshot starts, ends, becomes known or is voided, or a version of a
// schedule line starts or ends, ascending: between two of them every
// assessment, read as collected or as known on a fixed date, is the same.
// Series over many dates assess only these.
func (s *Snapshot) ChangeDates(from, to date.Date) []date.Date {
	return s.changeDates(from, to, s.Schedule.ChangeDates())
}

// changeDates lists from and every rule boundary in (from, to], ascending,
// with the extra dates given.
func (s *Snapshot) changeDates(from, to date.Date, extra []date.Date) []date.Date {
	set := map[date.Date]bool{from: true}
	add := func(d date.Date) {
		if d > from && d <= to && d != date.None {
			set[d] = true
		}
	}
	for _, m := range s.measures {
		add(m.from)
		add(m.to)
		add(m.knownFrom)
		add(m.voidedOn)
		if m.transit != nil {
			add(m.transit.loaded)
			add(m.transit.entered)
		}
		for _, e := range m.exempts {
			add(e.from)
			add(e.to)
			add(e.knownFrom) // a retroactive exemption applies from the day it is known
		}
	}
	for _, p := range s.periods {
		add(p.from)
	}
	for _, d := range extra {
		add(d)
	}
	out := make([]date.Date, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
