package measure

import (
	"regexp"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
)

// Set is a checked collection of rule files: the enacted rules and the
// scenarios, with every reference resolved to something that exists.
type Set struct {
	Files     []*File
	Groups    map[string]*Group
	Lists     map[string]*List
	Measures  []*Measure // enacted and other law, in file order
	ByID      map[string]*Measure
	Stacking  []*Stacking
	Fees      []*Fee
	DeMinimis []*DeMinimis
	Scenarios map[string]*ScenarioSet
	Families  map[string]bool
	// Horizon is the latest horizon any file states (date.None if none).
	Horizon date.Date
	// Coverage is the coverage a file states (at most one file may).
	Coverage *Coverage
}

// ScenarioSet is one scenario with its measures.
type ScenarioSet struct {
	Scenario *Scenario
	Measures []*Measure
}

var (
	headingRE = regexp.MustCompile(`^99\d\d\.\d\d\.\d\d$`)
	htsRE     = regexp.MustCompile(`^\d{4}(\.?\d{2}){0,3}$`)
	idRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
)

var (
	statuses    = map[string]bool{"enacted": true, "announced": true, "proposed": true}
	confidences = map[string]bool{"high": true, "medium": true, "low": true}
	bases       = map[string]bool{"value": true, "steel": true, "aluminum": true, "copper": true, "non_us_content": true}
	modes       = map[string]bool{"ocean": true, "air": true, "truck": true, "rail": true}
	portions    = map[string]bool{"content": true, "whole": true}
	feeKinds    = map[string]bool{"mpf": true, "hmf": true}
)

// Checker says whether a country code and a program symbol are known.
type Checker struct {
	Country func(code string) error
	Program func(symbol string) error
}

// Check resolves and validates files and returns every problem at once.
func Check(files []*File, c Checker) (*Set, error) {
	var errs Errors
	s := &Set{Files: files, Groups: map[string]*Group{}, Lists: map[string]*List{},
		ByID: map[string]*Measure{}, Scenarios: map[string]*ScenarioSet{}, Families: map[string]bool{}}
	k := &checker{Checker: c, s: s, errs: &errs}
	sets := map[string]*ExemptionSet{}
	// Pass 1: definitions.
	for _, f := range files {
		if f.Horizon != 0 && (s.Horizon == 0 || f.Horizon > s.Horizon) {
			s.Horizon = f.Horizon
		}
		if f.Coverage != nil {
			if s.Coverage != nil {
				errs.add(f.Coverage.Pos, "coverage stated twice (first at %s)", s.Coverage.Pos)
			} else {
				s.Coverage = f.Coverage
				k.coverage(f.Coverage)
			}
		}
		if f.Version != 1 {
			errs.add(f.Pos, "version must be 1, found %d", f.Version)
		}
		for i := range f.Groups {
			g := &f.Groups[i]
			if k.id(g.Pos, g.ID, "group") {
				if _, dup := s.Groups[g.ID]; dup {
					errs.add(g.Pos, "group %q defined twice (first at %s)", g.ID, s.Groups[g.ID].Pos)
				}
				s.Groups[g.ID] = g
			}
		}
		for i := range f.Lists {
			l := &f.Lists[i]
			if k.id(l.Pos, l.ID, "list") {
				if _, dup := s.Lists[l.ID]; dup {
					errs.add(l.Pos, "list %q defined twice (first at %s)", l.ID, s.Lists[l.ID].Pos)
				}
				s.Lists[l.ID] = l
			}
		}
		var sc *ScenarioSet
		if f.Scenario != nil {
			if k.id(f.Scenario.Pos, f.Scenario.ID, "scenario") {
				if _, dup := s.Scenarios[f.Scenario.ID]; dup {
					errs.add(f.Scenario.Pos, "scenario %q defined twice", f.Scenario.ID)
				}
				sc = &ScenarioSet{Scenario: f.Scenario}
				s.Scenarios[f.Scenario.ID] = sc
			}
		}
		for i := range f.Measures {
			m := &f.Measures[i]
			if !k.id(m.At("id"), m.ID, "measure") {
				continue
			}
			if prev, dup := s.ByID[m.ID]; dup {
				errs.add(m.Pos, "measure %q defined twice (first at %s)", m.ID, prev.Pos)
				continue
			}
			s.ByID[m.ID] = m
			if m.Family != "" {
				s.Families[m.Family] = true
			}
			if sc != nil {
				sc.Measures = append(sc.Measures, m)
			} else {
				s.Measures = append(s.Measures, m)
			}
		}
		for i := range f.Stacking {
			s.Stacking = append(s.Stacking, &f.Stacking[i])
		}
		for i := range f.ExemptionSets {
			es := &f.ExemptionSets[i]
			if k.id(es.Pos, es.ID, "exemption set") {
				if _, dup := sets[es.ID]; dup {
					errs.add(es.Pos, "exemption set %q defined twice (first at %s)", es.ID, sets[es.ID].Pos)
				}
				sets[es.ID] = es
			}
		}
		for i := range f.Fees {
			s.Fees = append(s.Fees, &f.Fees[i])
		}
		for i := range f.DeMinimis {
			s.DeMinimis = append(s.DeMinimis, &f.DeMinimis[i])
		}
	}
	// Expand the shared exemption sets into the measures that name them.
	for _, m := range s.ByID {
		for _, id := range m.ExemptionSets {
			es, ok := sets[id]
			if !ok {
				errs.add(m.At("exemption_sets"), "measure %s names unknown exemption set %q (known: %s)", m.ID, id, strings.Join(keys(sets), ", "))
				continue
			}
			m.Exemptions = append(m.Exemptions, es.Exemptions...)
		}
		m.ExemptionSets = nil
	}
	// Pass 2: contents and references.
	for _, g := range s.Groups {
		for _, c := range g.Members {
			k.country(g.Pos, c, false)
		}
	}
	for _, l := range s.Lists {
		k.authority(l.Pos, l.Authority, "list "+l.ID)
		if l.Confidence != "" && !confidences[l.Confidence] {
			errs.add(l.Pos, "list %s: confidence must be high, medium or low", l.ID)
		}
		if len(l.Items) == 0 {
			errs.add(l.Pos, "list %s has no items", l.ID)
		}
		for _, it := range l.Items {
			if !htsRE.MatchString(it) {
				errs.add(l.Pos, "list %s: %q is not an HTS number of 4 to 10 digits", l.ID, it)
			}
		}
	}
	for _, f := range files {
		for i := range f.Measures {
			k.measure(&f.Measures[i], f.Scenario != nil)
		}
		if f.Scenario != nil {
			for _, id := range f.Scenario.Suspends {
				if _, ok := s.ByID[id]; !ok {
					errs.add(f.Scenario.Pos, "scenario %s suspends unknown measure %q", f.Scenario.ID, id)
				}
			}
		}
	}
	for _, st := range s.Stacking {
		k.stacking(st)
	}
	for _, fe := range s.Fees {
		k.fee(fe)
	}
	for _, dm := range s.DeMinimis {
		what := "de minimis " + dm.ID
		k.id(dm.Pos, dm.ID, "de minimis rule")
		k.authority(dm.Pos, dm.Authority, what)
		k.window(dm.Effective, what)
		k.countries(&dm.Countries, what)
		if !regexp.MustCompile(`^\d+(\.\d{1,2})?$`).MatchString(dm.MaxValue) {
			k.errs.add(dm.Pos, "%s: max_value %q is not an amount in dollars", what, dm.MaxValue)
		}
		if dm.Confidence == "" {
			dm.Confidence = "high"
		}
		if dm.Confidence != "high" && dm.ConfidenceNote == "" {
			k.errs.add(dm.Pos, "%s: confidence %s needs confidence_note", what, dm.Confidence)
		}
	}
	return s, errs.err()
}

type checker struct {
	Checker
	s    *Set
	errs *Errors
}

func (k *checker) id(p Pos, id, what string) bool {
	if id == "" {
		k.errs.add(p, "%s has no id", what)
		return false
	}
	if !idRE.MatchString(id) {
		k.errs.add(p, "%s id %q: use lower-case letters, digits, '.', '-' and '_'", what, id)
		return false
	}
	return true
}

func (k *checker) country(p Pos, c string, groupsOK bool) {
	if strings.HasPrefix(c, "@") {
		if !groupsOK {
			k.errs.add(p, "a group (%s) cannot be a member of a group", c)
		} else if _, ok := k.s.Groups[c[1:]]; !ok {
			k.errs.add(p, "unknown country group %q (known: %s)", c, strings.Join(keys(k.s.Groups), ", "))
		}
		return
	}
	if !countryRE.MatchString(c) {
		k.errs.add(p, "%q is not an ISO 3166-1 alpha-2 country code", c)
		return
	}
	if k.Country != nil {
		if err := k.Country(c); err != nil {
			k.errs.add(p, "%v", err)
		}
	}
}

func (k *checker) authority(p Pos, a Authority, what string) {
	if strings.TrimSpace(a.Instrument) == "" {
		k.errs.add(p, "%s cites no instrument (authority.instrument)", what)
	}
}

func (k *checker) heading(p Pos, h, what string) {
	if !headingRE.MatchString(h) {
		k.errs.add(p, "%s: %q is not a chapter 99 heading of the form 9903.01.25", what, h)
	}
}

func (k *checker) countries(c *Countries, what string) {
	if !c.All && len(c.Include) == 0 {
		k.errs.add(c.Pos, "%s: countries needs include: [...] or all: true", what)
	}
	if c.All && len(c.Include) > 0 {
		k.errs.add(c.Pos, "%s: countries has both all and include", what)
	}
	for _, x := range c.Include {
		k.country(c.Pos, x, true)
	}
	for _, x := range c.Except {
		k.country(c.Pos, x, true)
	}
}

func (k *checker) products(p *Products, what string) {
	if !p.All && len(p.Include) == 0 && len(p.Lists) == 0 && len(p.Footnotes) == 0 {
		k.errs.add(p.Pos, "%s: products needs all, include, lists or footnotes", what)
	}
	for _, x := range append(append([]string{}, p.Include...), p.Exclude...) {
		if !htsRE.MatchString(x) {
			k.errs.add(p.Pos, "%s: %q is not an HTS number of 4 to 10 digits", what, x)
		}
	}
	for _, l := range append(append([]string{}, p.Lists...), p.ExceptLists...) {
		if _, ok := k.s.Lists[l]; !ok {
			k.errs.add(p.Pos, "%s: unknown product list %q", what, l)
		}
	}
	for _, h := range p.Footnotes {
		k.heading(p.Pos, h, what+": footnotes")
	}
}

func (k *checker) window(w Window, what string) {
	if w.From == 0 {
		k.errs.add(w.Pos, "%s: effective.from is required", what)
	}
	if w.To != 0 && w.To <= w.From {
		k.errs.add(w.Pos, "%s: effective.to (%s) must be after from (%s)", what, w.To, w.From)
	}
}

func (k *checker) coverage(c *Coverage) {
	if c.From == 0 {
		k.errs.add(c.Pos, "coverage: from is required")
	}
	for _, g := range c.NotModelled {
		if strings.TrimSpace(g.Title) == "" || strings.TrimSpace(g.Reason) == "" {
			k.errs.add(g.Pos, "coverage: a not_modelled entry needs a title and a reason")
		}
	}
}

func (k *checker) measure(m *Measure, scenario bool) {
	what := "measure " + m.ID
	if m.Warning == "" || m.Heading != "" {
		k.heading(m.At("heading"), m.Heading, what)
	}
	if m.Family == "" {
		k.errs.add(m.Pos, "%s has no family", what)
	}
	if m.Status == "" {
		m.Status = "enacted"
	}
	if !statuses[m.Status] {
		k.errs.add(m.At("status"), "%s: status %q must be enacted, announced or proposed", what, m.Status)
	}
	if scenario && m.Status == "enacted" {
		k.errs.add(m.Pos, "%s: a scenario holds announced or proposed measures, not enacted ones", what)
	}
	if !scenario && m.Status != "enacted" {
		k.errs.add(m.Pos, "%s: an %s measure belongs in a scenario file", what, m.Status)
	}
	if m.Status == "enacted" {
		k.authority(m.Authority.Pos, m.Authority, what)
	}
	if m.Confidence == "" {
		m.Confidence = "high"
	}
	if !confidences[m.Confidence] {
		k.errs.add(m.Pos, "%s: confidence must be high, medium or low", what)
	}
	if m.Confidence != "high" && m.ConfidenceNote == "" {
		k.errs.add(m.Pos, "%s: confidence %s needs confidence_note saying which detail is uncertain", what, m.Confidence)
	}
	k.countries(&m.Countries, what)
	k.products(&m.Products, what)
	k.window(m.Effective, what)
	if m.KnownFrom != 0 && m.VoidedOn != 0 && m.VoidedOn < m.KnownFrom {
		k.errs.add(m.Pos, "%s: voided_on is before known_from", what)
	}
	for _, p := range m.Programs {
		if k.Program != nil {
			if err := k.Program(p); err != nil {
				k.errs.add(m.At("programs"), "%s: %v", what, err)
			}
		}
	}
	for _, id := range m.Supersedes {
		if id == m.ID {
			k.errs.add(m.Pos, "%s supersedes itself", what)
		} else if _, ok := k.s.ByID[id]; !ok {
			k.errs.add(m.At("supersedes"), "%s supersedes unknown measure %q", what, id)
		}
	}
	r := m.Rate
	kinds := 0
	for _, p := range []Percent{r.Additional, r.FloorInclusive, r.InLieu} {
		if p.Set {
			kinds++
		}
	}
	switch {
	case m.Warning != "" && kinds > 0:
		k.errs.add(m.At("warning"), "%s: a measure with a warning has no rate (it charges nothing and warns)", what)
	case m.Warning != "":
	case kinds > 1:
		k.errs.add(r.Pos, "%s: rate has more than one of additional, floor_inclusive and in_lieu", what)
	case kinds == 0:
		k.errs.add(m.At("rate"), "%s: rate needs additional, floor_inclusive or in_lieu (or the measure a warning)", what)
	}
	if r.InLieu.Set && m.Base != "" && m.Base != "value" {
		k.errs.add(m.At("base"), "%s: an in_lieu rate replaces the base rate on the whole value", what)
	}
	if r.AtOrAboveHeading != "" {
		k.heading(r.Pos, r.AtOrAboveHeading, what+": at_or_above_heading")
	}
	if m.Base == "" {
		m.Base = "value"
	}
	if !bases[m.Base] {
		k.errs.add(m.At("base"), "%s: base %q must be value, steel, aluminum, copper or non_us_content", what, m.Base)
	}
	if t := m.InTransit; t != nil {
		if t.Heading != "" {
			k.heading(t.Pos, t.Heading, what+": in_transit")
		}
		if t.LoadedBefore == 0 {
			k.errs.add(t.Pos, "%s: in_transit needs loaded_before", what)
		}
		for _, md := range t.Modes {
			if !modes[md] {
				k.errs.add(t.Pos, "%s: in_transit mode %q must be ocean, air, truck or rail", what, md)
			}
		}
	}
	if u := m.USContent; u != nil {
		k.heading(u.Pos, u.Heading, what+": us_content")
	}
	for i := range m.Exemptions {
		e := &m.Exemptions[i]
		ew := what + ": exemption " + e.Heading
		if e.Heading != "" {
			// An exemption with no heading reports nothing (goods outside the
			// measure by a condition the schedule gives no heading of its own).
			k.heading(e.Pos, e.Heading, what+": exemption")
		}
		if e.Products == nil && e.Countries == nil && len(e.Programs) == 0 && len(e.Claims) == 0 {
			k.errs.add(e.Pos, "%s needs products, countries, programs or claims", ew)
		}
		if e.Products != nil {
			k.products(e.Products, ew)
		}
		if e.Countries != nil {
			k.countries(e.Countries, ew)
		}
		for _, p := range e.Programs {
			if k.Program != nil {
				if err := k.Program(p); err != nil {
					k.errs.add(e.Pos, "%s: %v", ew, err)
				}
			}
		}
		if e.Effective != nil {
			k.window(*e.Effective, ew)
		}
	}
}

func (k *checker) stacking(st *Stacking) {
	what := "stacking rule " + st.ID
	k.id(st.Pos, st.ID, "stacking rule")
	k.authority(st.Pos, st.Authority, what)
	k.window(st.Effective, what)
	if len(st.When) == 0 || len(st.Displaces) == 0 {
		k.errs.add(st.Pos, "%s needs when and displaces", what)
	}
	for _, f := range append(append([]string{}, st.When...), st.Displaces...) {
		if !k.s.Families[f] {
			k.errs.add(st.Pos, "%s names family %q, which no measure has", what, f)
		}
	}
	if st.Portion == "" {
		st.Portion = "content"
	}
	if !portions[st.Portion] {
		k.errs.add(st.Pos, "%s: portion must be content or whole", what)
	}
	for fam, h := range st.Report {
		k.heading(st.Pos, h, what+": report")
		found := false
		for _, d := range st.Displaces {
			found = found || d == fam
		}
		if !found {
			k.errs.add(st.Pos, "%s reports a heading for %q, which it does not displace", what, fam)
		}
	}
}

func (k *checker) fee(fe *Fee) {
	what := "fee " + fe.ID
	k.id(fe.Pos, fe.ID, "fee")
	k.authority(fe.Pos, fe.Authority, what)
	k.window(fe.Effective, what)
	if !feeKinds[fe.Kind] {
		k.errs.add(fe.Pos, "%s: kind must be mpf or hmf", what)
	}
	if !fe.Rate.Set {
		k.errs.add(fe.Pos, "%s needs a rate", what)
	}
	for _, s := range []string{fe.Min, fe.Max, fe.Informal} {
		if s != "" && !regexp.MustCompile(`^\d+(\.\d{1,2})?$`).MatchString(s) {
			k.errs.add(fe.Pos, "%s: %q is not an amount in dollars", what, s)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Norm returns d, or date.None when d is unset.
func Norm(d date.Date) date.Date {
	if d == 0 {
		return date.None
	}
	return d
}
