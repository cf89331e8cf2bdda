package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/measure"
)

// predicate is a compiled product scope.
type predicate struct {
	all       bool
	include   []string // digit prefixes, lists expanded
	footnotes []string // dotted chapter 99 headings
	exclude   []string // digit prefixes, except lists expanded
}

func digits(s string) string { return strings.ReplaceAll(s, ".", "") }

func (s *Snapshot) addPred(p *measure.Products) int {
	// Exemption sets share one Products value among many measures: compile
	// it once.
	if i, ok := s.predOf[p]; ok {
		return i
	}
	if s.predOf == nil {
		s.predOf = map[*measure.Products]int{}
	}
	defer func() { s.predOf[p] = len(s.preds) - 1 }()
	pr := &predicate{all: p.All, footnotes: p.Footnotes}
	for _, x := range p.Include {
		pr.include = append(pr.include, digits(x))
	}
	for _, l := range p.Lists {
		for _, x := range s.Set.Lists[l].Items {
			pr.include = append(pr.include, digits(x))
		}
	}
	for _, x := range p.Exclude {
		pr.exclude = append(pr.exclude, digits(x))
	}
	for _, l := range p.ExceptLists {
		for _, x := range s.Set.Lists[l].Items {
			pr.exclude = append(pr.exclude, digits(x))
		}
	}
	s.preds = append(s.preds, pr)
	return len(s.preds) - 1
}

// matchSlow is the obviously correct definition of a product scope: the
// reference evaluator uses it directly, and the index is built to agree.
func (pr *predicate) matchSlow(sched *hts.Schedule, l *hts.Line) bool {
	in := pr.all
	for _, x := range pr.include {
		if strings.HasPrefix(l.Code, x) {
			in = true
		}
	}
	if !in && len(pr.footnotes) > 0 {
		for at := l; at != nil; at = parentOf(sched, at) {
			for _, f := range at.Footnotes {
				for _, h := range f.Headings {
					for _, want := range pr.footnotes {
						if h == want {
							in = true
						}
					}
				}
			}
		}
	}
	if !in {
		return false
	}
	for _, x := range pr.exclude {
		if strings.HasPrefix(l.Code, x) {
			return false
		}
	}
	return true
}

func parentOf(sched *hts.Schedule, l *hts.Line) *hts.Line {
	if l.Parent < 0 {
		return nil
	}
	return &sched.Lines[l.Parent]
}

// indexStage computes, for every schedule line, the product predicates it
// satisfies and the product-specific measures that may apply to it; and for
// every country the all-products measures that name it.
func (s *Snapshot) indexStage() error {
	if len(s.preds) > 1<<16-1 || len(s.measures) > 1<<16-1 {
		return fmt.Errorf("too many product scopes (%d) or measures (%d)", len(s.preds), len(s.measures))
	}
	incBy := map[string][]uint16{}
	excBy := map[string][]uint16{}
	footBy := map[string][]uint16{}
	var allPreds []uint16
	for i, p := range s.preds {
		id := uint16(i)
		if p.all {
			allPreds = append(allPreds, id)
		}
		for _, x := range p.include {
			incBy[x] = append(incBy[x], id)
		}
		for _, x := range p.exclude {
			excBy[x] = append(excBy[x], id)
		}
		for _, h := range p.footnotes {
			footBy[h] = append(footBy[h], id)
		}
	}
	lines := s.Schedule.Lines
	s.dotted = make([]string, len(lines))
	for i := range lines {
		s.dotted[i] = lines[i].Dotted()
	}
	s.lineMatch = make([][]uint16, len(lines))
	s.byLine = make([][]uint16, len(lines))
	predMeasures := make([][]uint16, len(s.preds))
	for _, m := range s.measures {
		if m.pred >= 0 {
			predMeasures[m.pred] = append(predMeasures[m.pred], m.idx)
		}
	}
	in := make([]bool, len(s.preds))
	out := make([]bool, len(s.preds))
	var touched []uint16
	for li := range lines {
		l := &lines[li]
		if l.Code == "" {
			continue
		}
		touched = touched[:0]
		mark := func(ids []uint16, set []bool) {
			for _, id := range ids {
				if !set[id] {
					set[id] = true
					touched = append(touched, id)
				}
			}
		}
		mark(allPreds, in)
		for k := 2; k <= len(l.Code); k++ {
			mark(incBy[l.Code[:k]], in)
			mark(excBy[l.Code[:k]], out)
		}
		for at := l; at != nil; at = parentOf(s.Schedule, at) {
			for _, f := range at.Footnotes {
				for _, h := range f.Headings {
					mark(footBy[h], in)
				}
			}
		}
		var match []uint16
		for _, id := range touched {
			if in[id] && !out[id] {
				match = append(match, id)
			}
			in[id], out[id] = false, false
		}
		sort.Slice(match, func(i, j int) bool { return match[i] < match[j] })
		seen := map[uint16]bool{}
		var ms []uint16
		for _, id := range match {
			for _, mi := range predMeasures[id] {
				if !seen[mi] {
					seen[mi] = true
					ms = append(ms, mi)
				}
			}
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i] < ms[j] })
		s.lineMatch[li] = match
		s.byLine[li] = ms
	}
	// Lines above a code that a rule names: their subdivisions may be
	// treated differently, so an assessment of such a line warns.
	s.split = make([]bool, len(lines))
	named := map[string]bool{}
	for _, p := range s.preds {
		for _, x := range p.include {
			named[x] = true
		}
		for _, x := range p.exclude {
			named[x] = true
		}
	}
	above := map[string]bool{}
	for x := range named {
		for k := 4; k < len(x); k += 2 {
			above[x[:k]] = true
		}
	}
	for i := range lines {
		if c := lines[i].Code; c != "" && above[c] {
			s.split[i] = true
		}
	}
	for _, m := range s.measures {
		if !m.allProducts {
			continue
		}
		for c := 0; c < 256; c++ {
			if m.countries.has(uint8(c)) {
				s.byCountry[c] = append(s.byCountry[c], m.idx)
			}
		}
	}
	return nil
}

// predHas reports whether line li satisfies predicate p, using the index.
func (s *Snapshot) predHas(li int, p int) bool {
	if p < 0 {
		return true
	}
	m := s.lineMatch[li]
	lo, hi := 0, len(m)
	for lo < hi {
		mid := (lo + hi) / 2
		if int(m[mid]) < p {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(m) && int(m[lo]) == p
}
