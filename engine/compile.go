package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

// Snapshot is the schedule and the measures compiled into indexes. It is
// immutable and safe for concurrent use.
type Snapshot struct {
	Schedule *hts.Schedule
	Set      *measure.Set
	// Scenario is the scenario compiled in, or "" for enacted law.
	Scenario string
	// Horizon is the last entry date the rules are known for.
	Horizon date.Date
	// CoverageFrom is the first entry date the rules are complete for
	// (date.None when the rules state no coverage); entries before it warn.
	CoverageFrom date.Date
	// Stages records how long each compile stage took.
	Stages []StageTiming

	measures   []*cmeasure
	preds      []*predicate
	predOf     map[*measure.Products]int // compile-time cache of predicates
	lineMatch  [][]uint16                // by schedule line index: matched predicate ids, ascending
	countries  map[string]uint8
	countryTab [26 * 26]uint8
	byCountry  [256][]uint16 // all-products measures per country index, ascending
	byLine     [][]uint16    // product-specific measures per line, ascending
	families   []string
	periods    []period
	fees       []*cfee
	dotted     []string // by schedule line index
	firstVoid  date.Date
	split      []bool // by line index: a rule names a code below this line
	deMinimis  []cdeminimis
	noDeMin    string
	// horizonMsg is the past-the-horizon warning for horizonAt, built once
	// so that assessing does not allocate it.
	horizonMsg string
	horizonAt  date.Date
	coverMsg   string // the before-coverage warning
	// earlyMsg is the warning of an entry before the first revision the
	// schedule holds.
	earlyMsg string
}

// StageTiming is one compile stage and its duration.
type StageTiming struct {
	Name     string
	Duration time.Duration
}

type cset [4]uint64

func (c *cset) add(i uint8)      { c[i/64] |= 1 << (i % 64) }
func (c *cset) has(i uint8) bool { return c[i/64]&(1<<(i%64)) != 0 }
func (c *cset) union(o cset)     { c[0] |= o[0]; c[1] |= o[1]; c[2] |= o[2]; c[3] |= o[3] }
func (c *cset) minus(o cset)     { c[0] &^= o[0]; c[1] &^= o[1]; c[2] &^= o[2]; c[3] &^= o[3] }
func (c *cset) all(n int) {
	*c = cset{}
	for i := 0; i < n; i++ {
		c.add(uint8(i))
	}
}

type baseKind uint8

const (
	baseValue baseKind = iota
	baseSteel
	baseAluminum
	baseCopper
	baseNonUS
)

var baseKinds = map[string]baseKind{"value": baseValue, "steel": baseSteel, "aluminum": baseAluminum,
	"copper": baseCopper, "non_us_content": baseNonUS}

type transit struct {
	loaded, entered date.Date
	modes           []string
	heading         string
}

type cexempt struct {
	src          *measure.Exemption
	heading      string
	pred         int // -1: any product
	countries    cset
	hasCountries bool
	programs     []string
	claims       []string
	knownFrom    date.Date
	warnPartial  string
	warnList     string // the exemption's list rests on a secondary source
	from, to     date.Date
	ask          string
	question     Question
	// eligible marks, by origin (two letters), the countries whose goods
	// can claim one of programs: the program question is asked only of them.
	eligible *[26 * 26]bool
}

type cmeasure struct {
	src          *measure.Measure
	idx          uint16
	heading      string
	family       uint8
	allProducts  bool
	pred         int
	countries    cset
	from, to     date.Date
	knownFrom    date.Date
	voidedOn     date.Date
	supersedes   []uint16
	programs     []string
	claims       []string
	askQ         *Question // asked when the claims are not declared
	additional   money.Decimal
	floor        bool
	floorHeading string
	inLieu       bool   // the rate replaces the base rate
	lieuTitle    string // the base layer's title when it is replaced
	warnOnly     bool   // no rate: the measure only warns (warnText)
	warnText     string
	rateText     string
	base         baseKind
	usContent    bool
	usMin        money.Decimal
	usHeading    string
	transit      *transit
	exempts      []cexempt
	citation     string
	confidence   string
	warnConf     string
	warnList     string
	warnVoid     string
	baseQuestion Question
}

type cfee struct {
	src      *measure.Fee
	kind     string
	from, to date.Date
	rate     money.Decimal
	min, max money.Decimal
	hasMin   bool
	hasMax   bool
	informal money.Decimal
	hasInf   bool
	modes    []string
	exempt   []string
	citation string
	rateText string
}

type cdeminimis struct {
	src       *measure.DeMinimis
	countries cset
	from, to  date.Date
	max       money.Decimal
	granted   string // the warning of an entry that qualifies
}

type rule struct {
	src       *measure.Stacking
	when      []uint8
	displaces []uint8
	whole     bool
	report    map[uint8]string
}

type period struct {
	from  date.Date
	rank  []int // by family
	rules []*rule
}

// Compile builds a snapshot of sched and set, with scenario ("" for enacted
// law) overlaid. It runs named stages and reports every problem it finds.
func Compile(sched *hts.Schedule, set *measure.Set, scenario string) (*Snapshot, error) {
	s := &Snapshot{Schedule: sched, Set: set, Scenario: scenario, countries: map[string]uint8{}}
	stages := []struct {
		name string
		run  func() error
	}{
		{"select measures", s.selectStage},
		{"resolve countries", s.countryStage},
		{"resolve products", s.productStage},
		{"resolve measures", s.measureStage},
		{"check windows", s.windowStage},
		{"order stacking", s.stackingStage},
		{"build indexes", s.indexStage},
		{"fees", s.feeStage},
	}
	for _, st := range stages {
		t0 := time.Now()
		if err := st.run(); err != nil {
			return nil, fmt.Errorf("compile (%s): %w", st.name, err)
		}
		s.Stages = append(s.Stages, StageTiming{st.name, time.Since(t0)})
	}
	s.horizonMsg, s.horizonAt = s.buildHorizonWarning(), s.Horizon
	if len(sched.Revisions) > 0 {
		first := sched.Revisions[0]
		s.earlyMsg = fmt.Sprintf("levy holds no HTS revision before the %s (in force from %s): the line is read as that edition prints it; "+
			"to assess against an earlier revision, pass its USITC export with --schedule", first.Title, first.Effective)
	}
	return s, nil
}

func (s *Snapshot) selectStage() error {
	var src []*measure.Measure
	suspended := map[string]bool{}
	if s.Scenario != "" {
		sc, ok := s.Set.Scenarios[s.Scenario]
		if !ok {
			return &Error{Code: CodeNotFound, Field: "scenario", Msg: fmt.Sprintf("unknown scenario %q (known: %s)", s.Scenario, strings.Join(ScenarioNames(s.Set), ", ")),
				Suggestions: ScenarioNames(s.Set)}
		}
		for _, id := range sc.Scenario.Suspends {
			suspended[id] = true
		}
		defer func() {
			for _, m := range sc.Measures {
				s.measures = append(s.measures, &cmeasure{src: m})
			}
		}()
	}
	for _, m := range s.Set.Measures {
		if !suspended[m.ID] {
			src = append(src, m)
		}
	}
	for _, m := range src {
		s.measures = append(s.measures, &cmeasure{src: m})
	}
	return nil
}

// ScenarioNames lists the scenarios of set, sorted.
func ScenarioNames(set *measure.Set) []string {
	var out []string
	for id := range set.Scenarios {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func (s *Snapshot) countryStage() error {
	// Index 0 stands for every country no rule names.
	add := func(c string) {
		if strings.HasPrefix(c, "@") {
			return
		}
		if _, ok := s.countries[c]; !ok {
			s.countries[c] = uint8(len(s.countries) + 1)
		}
	}
	for _, g := range s.Set.Groups {
		for _, c := range g.Members {
			add(c)
		}
	}
	addAll := func(cs measure.Countries) {
		for _, c := range cs.Include {
			add(c)
		}
		for _, c := range cs.Except {
			add(c)
		}
	}
	for _, m := range s.measures {
		addAll(m.src.Countries)
		for _, e := range m.src.Exemptions {
			if e.Countries != nil {
				addAll(*e.Countries)
			}
		}
	}
	// De minimis rules name countries too; one that no measure names must
	// not fall into index 0, which stands for every unnamed country.
	for _, dm := range s.Set.DeMinimis {
		addAll(dm.Countries)
	}
	if len(s.countries) > 255 {
		return fmt.Errorf("rules name %d countries; at most 255 are supported", len(s.countries))
	}
	for c, i := range s.countries {
		if len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' {
			s.countryTab[int(c[0]-'A')*26+int(c[1]-'A')] = i
		}
	}
	return nil
}

func (s *Snapshot) countrySet(c measure.Countries) cset {
	var out cset
	expand := func(codes []string) cset {
		var x cset
		for _, code := range codes {
			if strings.HasPrefix(code, "@") {
				for _, m := range s.Set.Groups[code[1:]].Members {
					x.add(s.countries[m])
				}
				continue
			}
			x.add(s.countries[code])
		}
		return x
	}
	if c.All {
		out.all(len(s.countries) + 1)
	} else {
		out = expand(c.Include)
	}
	out.minus(expand(c.Except))
	return out
}

func (s *Snapshot) productStage() error {
	for _, m := range s.measures {
		if m.src.Products.All && len(m.src.Products.Exclude) == 0 && len(m.src.Products.ExceptLists) == 0 {
			m.allProducts = true
			m.pred = -1
		} else {
			m.pred = s.addPred(&m.src.Products)
		}
		for i := range m.src.Exemptions {
			e := &m.src.Exemptions[i]
			ce := cexempt{src: e, heading: e.Heading, pred: -1, programs: e.Programs, claims: e.Claims, knownFrom: e.KnownFrom, from: 0, to: date.None, ask: e.Ask}
			if e.Ask != "" && len(e.Programs) > 0 {
				ce.eligible = eligibleOrigins(e.Programs)
			}
			if e.Products != nil {
				ce.pred = s.addPred(e.Products)
				for _, id := range e.Products.Lists {
					l := s.Set.Lists[id]
					if l.Complete != nil && !*l.Complete {
						ce.warnPartial = fmt.Sprintf("%s charged: the line is not on levy's partial copy of list %s (%s); if the legal list includes it, exemption %s applies",
							m.src.Heading, id, l.Authority.Instrument, e.Heading)
					}
					if l.Confidence == "medium" || l.Confidence == "low" {
						ce.warnList = fmt.Sprintf("exemption %s from %s rests on list %s, read from a secondary copy of the legal text (%s confidence)",
							e.Heading, m.src.Heading, id, l.Confidence)
					}
				}
			}
			if e.Countries != nil {
				ce.hasCountries = true
				ce.countries = s.countrySet(*e.Countries)
			}
			if e.Effective != nil {
				ce.from, ce.to = e.Effective.From, measure.Norm(e.Effective.To)
			}
			what := e.Title
			if e.Heading != "" {
				what += " (" + e.Heading + ")"
			}
			what = strings.TrimSpace(what)
			if e.Ask != "" && len(e.Programs) == 0 {
				ce.question = Question{Fact: e.Ask,
					Assumed:   fmt.Sprintf("not declared: %s is assumed not to apply", what),
					Otherwise: fmt.Sprintf("if it applies (declare --claim %s), %s (%s) does not charge", strings.Join(e.Claims, "/"), m.src.Heading, m.src.Title),
					claims:    e.Claims}
			} else if e.Ask != "" {
				ce.question = Question{Fact: e.Ask,
					Assumed:   fmt.Sprintf("not declared: %s is assumed not to apply", what),
					Otherwise: fmt.Sprintf("if it applies (claim the program, e.g. --program %s), %s (%s) does not charge", strings.Join(e.Programs, "/"), m.src.Heading, m.src.Title),
					programs:  e.Programs}
			}
			m.exempts = append(m.exempts, ce)
		}
	}
	return nil
}

func (s *Snapshot) measureStage() error {
	s.firstVoid = date.None
	byID := map[string]uint16{}
	famIdx := map[string]uint8{}
	for i, m := range s.measures {
		m.idx = uint16(i)
		byID[m.src.ID] = uint16(i)
		if _, ok := famIdx[m.src.Family]; !ok {
			famIdx[m.src.Family] = uint8(len(s.families))
			s.families = append(s.families, m.src.Family)
		}
	}
	for _, m := range s.measures {
		src := m.src
		m.heading = src.Heading
		m.family = famIdx[src.Family]
		m.countries = s.countrySet(src.Countries)
		m.from, m.to = src.Effective.From, measure.Norm(src.Effective.To)
		m.knownFrom = src.KnownFrom
		if m.knownFrom == 0 {
			m.knownFrom = m.from
		}
		m.voidedOn = measure.Norm(src.VoidedOn)
		m.programs = src.Programs
		m.claims = src.Claims
		if src.Ask != "" && len(src.Claims) > 0 {
			m.askQ = &Question{Fact: src.Ask,
				Assumed:   fmt.Sprintf("not declared: %s (%s) is assumed not to apply", src.Heading, src.Title),
				Otherwise: fmt.Sprintf("if it applies (declare --claim %s), %s charges %s", src.Claims[0], src.Heading, m.rateTextOf(src)),
				claims:    src.Claims}
		}
		for _, id := range src.Supersedes {
			if j, ok := byID[id]; ok {
				m.supersedes = append(m.supersedes, j)
			}
		}
		switch {
		case src.Warning != "":
			m.warnOnly = true
			m.rateText = "not computed"
			m.warnText = strings.TrimSpace(src.Heading + " " + src.Title)
			if src.Heading == "" {
				m.warnText = src.Title + " (" + src.ID + ")"
			}
			m.warnText += ": " + src.Warning
		case src.Rate.InLieu.Set:
			m.inLieu = true
			m.additional = src.Rate.InLieu.Value
			m.rateText = src.Rate.InLieu.String() + " in lieu of the base rate"
			m.lieuTitle = "Base rate not owed: " + src.Heading + " applies in lieu of it"
		case src.Rate.FloorInclusive.Set:
			m.floor = true
			m.additional = src.Rate.FloorInclusive.Value
			m.floorHeading = src.Rate.AtOrAboveHeading
			m.rateText = src.Rate.FloorInclusive.String() + " inclusive"
		default:
			m.additional = src.Rate.Additional.Value
			m.rateText = "+" + src.Rate.Additional.String()
		}
		m.base = baseKinds[src.Base]
		if u := src.USContent; u != nil {
			m.usContent, m.usMin, m.usHeading = true, u.MinShare.Value, u.Heading
		}
		if t := src.InTransit; t != nil {
			m.transit = &transit{loaded: t.LoadedBefore, entered: measure.Norm(t.EnteredBefore), modes: t.Modes, heading: t.Heading}
		}
		m.citation = src.Authority.Cite()
		m.confidence = src.Confidence
		for _, id := range src.Products.Lists {
			if l := s.Set.Lists[id]; l != nil && (l.Confidence == "medium" || l.Confidence == "low") && m.warnList == "" {
				m.warnList = fmt.Sprintf("%s (%s) covers this line through list %s, read from a secondary copy of the legal text (%s confidence)",
					src.Heading, src.ID, id, l.Confidence)
			}
		}
		if m.confidence != "high" {
			m.warnConf = fmt.Sprintf("%s (%s) rests on a %s-confidence detail: %s", src.Heading, src.ID, m.confidence, src.ConfidenceNote)
		}
		if m.voidedOn < s.firstVoid {
			s.firstVoid = m.voidedOn
		}
		if m.voidedOn != date.None {
			m.warnVoid = fmt.Sprintf("%s (%s) is treated as void from %s: it is not owed on this reading; a refund assumes the entry was not finally liquidated", src.Heading, src.ID, m.voidedOn)
		}
		if m.base != baseValue {
			fact := map[baseKind]string{baseSteel: "steel_value", baseAluminum: "aluminum_value", baseCopper: "copper_value", baseNonUS: "us_content_value"}[m.base]
			m.baseQuestion = Question{Fact: fact,
				Assumed:   fmt.Sprintf("%s not declared: %s charged on the full customs value, as CBP does when the content is not reported", fact, src.Heading),
				Otherwise: fmt.Sprintf("declaring %s charges %s on that value only (and other measures on the rest)", fact, src.Heading),
				content:   m.base}
		}
		if m.floor && m.floorHeading == "" {
			m.floorHeading = m.heading
		}
	}
	return s.supersessionCycle()
}

// supersessionCycle reports measures that supersede themselves through
// others: every measure of such a cycle would switch the others off.
func (s *Snapshot) supersessionCycle() error {
	const onPath, done = 1, 2
	state := make([]uint8, len(s.measures))
	var path []uint16
	var visit func(i uint16) error
	visit = func(i uint16) error {
		state[i] = onPath
		path = append(path, i)
		for _, j := range s.measures[i].supersedes {
			switch state[j] {
			case onPath:
				var ids []string
				for k := len(path) - 1; k >= 0; k-- {
					ids = append([]string{s.measures[path[k]].src.ID}, ids...)
					if path[k] == j {
						break
					}
				}
				m := s.measures[j].src
				return fmt.Errorf("%s: measure %s supersedes itself through %s", m.At("supersedes"), m.ID, strings.Join(append(ids, m.ID), " -> "))
			case 0:
				if err := visit(j); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		state[i] = done
		return nil
	}
	for i := range s.measures {
		if state[i] == 0 {
			if err := visit(uint16(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Snapshot) windowStage() error {
	// Measures of one heading, country and product scope must not overlap in
	// time unless one supersedes the other; report the clashes.
	var errs []string
	type key struct{ heading string }
	groups := map[key][]*cmeasure{}
	for _, m := range s.measures {
		groups[key{m.heading}] = append(groups[key{m.heading}], m)
		if s.Horizon < m.from {
			s.Horizon = m.from
		}
		if m.to != date.None && s.Horizon < m.to {
			s.Horizon = m.to
		}
	}
	if s.Set.Horizon != 0 {
		s.Horizon = s.Set.Horizon
	}
	s.CoverageFrom = date.None
	if c := s.Set.Coverage; c != nil && c.From != 0 {
		s.CoverageFrom = c.From
		s.coverMsg = "entry date is before levy's coverage start (" + c.From.String() +
			"): measures in force then may be missing from levy's rules, so the duty may be understated"
	}
	for _, ms := range groups {
		for i := 0; i < len(ms); i++ {
			for j := i + 1; j < len(ms); j++ {
				a, b := ms[i], ms[j]
				// known_from, not its default (the effective date): two
				// measures that start on different days still overlap.
				if a.from < b.to && b.from < a.to && a.countries == b.countries && a.allProducts && b.allProducts &&
					a.src.KnownFrom == b.src.KnownFrom && !supersedes(a, b) && !supersedes(b, a) {
					errs = append(errs, fmt.Sprintf("%s: measures %s and %s (%s, both %s) overlap from %s for the same countries and products",
						a.src.Pos, a.src.ID, b.src.ID, b.src.Pos, a.heading, maxDate(a.from, b.from)))
				}
			}
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func supersedes(a, b *cmeasure) bool {
	for _, i := range a.supersedes {
		if i == b.idx {
			return true
		}
	}
	return false
}

func maxDate(a, b date.Date) date.Date {
	if a > b {
		return a
	}
	return b
}

func (s *Snapshot) stackingStage() error {
	famIdx := map[string]uint8{}
	for i, f := range s.families {
		famIdx[f] = uint8(i)
	}
	var rules []*rule
	bounds := map[date.Date]bool{0: true}
	for _, st := range s.Set.Stacking {
		r := &rule{src: st, whole: st.Portion == "whole", report: map[uint8]string{}}
		for _, f := range st.When {
			if i, ok := famIdx[f]; ok {
				r.when = append(r.when, i)
			}
		}
		for _, f := range st.Displaces {
			if i, ok := famIdx[f]; ok {
				r.displaces = append(r.displaces, i)
				if h, ok := st.Report[f]; ok {
					r.report[i] = h
				}
			}
		}
		rules = append(rules, r)
		bounds[st.Effective.From] = true
		bounds[measure.Norm(st.Effective.To)] = true
	}
	var starts []date.Date
	for d := range bounds {
		if d != date.None {
			starts = append(starts, d)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	for _, from := range starts {
		p := period{from: from}
		for _, r := range rules {
			if r.src.Effective.From <= from && from < measure.Norm(r.src.Effective.To) {
				p.rules = append(p.rules, r)
			}
		}
		rank, err := s.order(p.rules)
		if err != nil {
			return fmt.Errorf("stacking rules in force from %s: %w", from, err)
		}
		p.rank = rank
		s.periods = append(s.periods, p)
	}
	return nil
}

// order ranks families so that every displacing family comes before the
// families it displaces; a cycle is an error naming the rules.
func (s *Snapshot) order(rules []*rule) ([]int, error) {
	n := len(s.families)
	in := make([]int, n)
	edges := make([][]int, n)
	for _, r := range rules {
		for _, a := range r.when {
			for _, b := range r.displaces {
				edges[a] = append(edges[a], int(b))
				in[b]++
			}
		}
	}
	rank := make([]int, n)
	var queue []int
	for i := 0; i < n; i++ {
		if in[i] == 0 {
			queue = append(queue, i)
		}
	}
	next := 0
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		rank[f] = next
		next++
		for _, g := range edges[f] {
			if in[g]--; in[g] == 0 {
				queue = append(queue, g)
			}
		}
	}
	if next < n {
		var ids []string
		for _, r := range rules {
			ids = append(ids, r.src.ID+" ("+r.src.Pos.String()+")")
		}
		return nil, fmt.Errorf("stacking cycle among rules %s", strings.Join(ids, ", "))
	}
	return rank, nil
}

func (s *Snapshot) feeStage() error {
	for _, f := range s.Set.Fees {
		cf := &cfee{src: f, kind: f.Kind, from: f.Effective.From, to: measure.Norm(f.Effective.To),
			rate: f.Rate.Value, modes: f.Modes, exempt: f.ExemptPrograms, citation: f.Authority.Cite(), rateText: f.Rate.String()}
		var err error
		if f.Min != "" {
			cf.min, err = money.Parse(f.Min)
			cf.hasMin = err == nil
		}
		if f.Max != "" {
			cf.max, err = money.Parse(f.Max)
			cf.hasMax = err == nil
		}
		if f.Informal != "" {
			cf.informal, err = money.Parse(f.Informal)
			cf.hasInf = err == nil
		}
		s.fees = append(s.fees, cf)
	}
	for _, dm := range s.Set.DeMinimis {
		max, err := money.Parse(dm.MaxValue)
		if err != nil {
			return fmt.Errorf("de minimis %s: %v", dm.ID, err)
		}
		s.deMinimis = append(s.deMinimis, cdeminimis{src: dm, countries: s.countrySet(dm.Countries),
			from: dm.Effective.From, to: measure.Norm(dm.Effective.To), max: max,
			granted: fmt.Sprintf("entered free of duty and fees as a de minimis shipment of at most $%s (%s)", dm.MaxValue, dm.Authority.Cite())})
	}
	s.noDeMin = "de minimis claimed but not available for this origin, entry date and value: every duty is assessed"
	sort.SliceStable(s.fees, func(i, j int) bool { return s.fees[i].from < s.fees[j].from })
	return nil
}

// rateTextOf describes a measure's rate for messages.
func (m *cmeasure) rateTextOf(src *measure.Measure) string {
	if src.Rate.InLieu.Set {
		return src.Rate.InLieu.String() + " in lieu of the base rate"
	}
	if src.Rate.FloorInclusive.Set {
		return src.Rate.FloorInclusive.String() + " including the base rate"
	}
	return "+" + src.Rate.Additional.String()
}

// eligibleOrigins marks the origins whose goods can claim one of programs
// (ProgramCheck accepts the claim), by their two letters.
func eligibleOrigins(programs []string) *[26 * 26]bool {
	var out [26 * 26]bool
	for i := range out {
		c := string([]byte{'A' + byte(i/26), 'A' + byte(i%26)})
		for _, p := range programs {
			if _, err := ProgramCheck(p, c); err == nil {
				out[i] = true
				break
			}
		}
	}
	return &out
}

// canClaim reports whether goods of origin can claim one of e's programs;
// true when e names none or the origin is not two capital letters.
func (e *cexempt) canClaim(origin string) bool {
	if e.eligible == nil || len(origin) != 2 || origin[0] < 'A' || origin[0] > 'Z' || origin[1] < 'A' || origin[1] > 'Z' {
		return true
	}
	return e.eligible[int(origin[0]-'A')*26+int(origin[1]-'A')]
}
