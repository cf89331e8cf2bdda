package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/rate"
)

// Error codes of assessment errors.
const (
	CodeInvalid  = "invalid"   // bad input: a malformed or missing field
	CodeNotFound = "not_found" // an unknown HTS number or country
	CodeUnknown  = "unknown"   // levy cannot compute the answer (unparsed rate, missing quantity)
)

// Error is an assessment error: what was wrong and in which field.
type Error struct {
	Code  string
	Field string
	Msg   string
	// Suggestions are valid values close to the one given.
	Suggestions []string
	Err         error
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

const maxCand = 128

// candidate states.
const (
	stNone uint8 = iota
	stCharged
	stInTransit
	stSuperseded
	stExempt
	stDisplaced
	stOut
)

type cand struct {
	m      *cmeasure
	state  uint8
	rank   int
	base   money.Decimal
	amount money.Decimal
	report string
	why    string
	warn   string // a partial exemption list that did not match
}

// Assess assesses one line. It allocates the result; use AssessInto to reuse one.
func (s *Snapshot) Assess(q *Query) (*Assessment, error) {
	a := &Assessment{}
	if err := s.AssessInto(q, a); err != nil {
		return nil, err
	}
	return a, nil
}

// AssessInto assesses q into a, reusing a's slices: with a warm a and no
// explanation asked for it does not allocate.
func (s *Snapshot) AssessInto(q *Query, a *Assessment) error {
	return s.assess(q, a, false)
}

// AssessReference assesses q with the slow, unindexed evaluator: every
// measure is matched against the line directly. It exists to check the
// indexes; results must be identical to AssessInto.
func (s *Snapshot) AssessReference(q *Query, a *Assessment) error {
	return s.assess(q, a, true)
}

const warnSplit = "some statistical subdivisions of this line are treated differently by the measures: give the 10-digit number for an exact answer"

// MaxValue is the largest customs value of one line levy assesses: a
// trillion dollars keeps every product of amounts and rates within the
// exact decimal range, so no result is ever silently wrong.
var MaxValue = money.MustParse("1000000000000")

var errTooLarge = &Error{Code: CodeInvalid, Field: "value", Msg: "customs value above $1,000,000,000,000: split the line"}

var errNoValue = &Error{Code: CodeInvalid, Field: "value", Msg: "customs value must be positive"}

func (s *Snapshot) assess(q *Query, a *Assessment, ref bool) error {
	a.Reset()
	if err := checkProduct(q.HTS); err != nil {
		return err
	}
	if q.EntryDate == date.None || q.EntryDate == 0 {
		return &Error{Code: CodeInvalid, Field: "entry_date", Msg: "entry date is required"}
	}
	line, err := s.Schedule.Lookup(q.HTS, q.EntryDate)
	if err != nil {
		var nf *hts.NotFoundError
		var ni *hts.NotInForceError
		switch {
		case errors.As(err, &ni):
			return &Error{Code: CodeNotFound, Field: "hts", Msg: ni.Error(), Suggestions: ni.InForce, Err: err}
		case errors.As(err, &nf):
			return notFound(nf)
		}
		return &Error{Code: CodeInvalid, Field: "hts", Msg: err.Error(), Err: err}
	}
	if len(line.Code) < 8 {
		return &Error{Code: CodeInvalid, Field: "hts", Msg: fmt.Sprintf("%s is a heading, not a tariff line: give 8 or 10 digits", line.Dotted())}
	}
	if q.Origin == "" {
		return &Error{Code: CodeInvalid, Field: "origin", Msg: "country of origin is required"}
	}
	if o := q.Origin; len(o) != 2 || o[0] < 'A' || o[0] > 'Z' || o[1] < 'A' || o[1] > 'Z' {
		return &Error{Code: CodeInvalid, Field: "origin", Msg: fmt.Sprintf("%q is not an upper-case ISO 3166-1 alpha-2 code (Input.Parse normalises and checks codes)", o)}
	}
	if MaxValue.Less(q.Value) {
		return errTooLarge
	}
	if !q.Value.IsPos() {
		return errNoValue
	}
	ci := s.countryIndex(q.Origin) // 0 for countries no rule names
	known := q.KnownOn
	if known == date.None || known == 0 {
		known = q.EntryDate
	}
	a.EntryDate, a.KnownOn = q.EntryDate, known
	a.Line = s.dotted[line.Index]
	a.Description = line.Description
	rl := s.Schedule.RateLine(line)
	if rl == nil {
		return &Error{Code: CodeUnknown, Field: "hts", Msg: fmt.Sprintf("%s carries no rate of duty and no ancestor does", line.Dotted())}
	}
	a.RateLine = s.dotted[rl.Index]

	if q.DeMinimis {
		if dm := s.deMinimisFor(q, ci); dm != nil {
			a.Column = "de_minimis"
			a.Value = q.Value
			a.Layers = append(a.Layers, Layer{Kind: BaseLayer, Heading: s.dotted[rl.Index], Title: dm.src.Title,
				Rate: "Free (de minimis)", Base: q.Value, Amount: money.Zero, Citation: dm.src.Authority.Cite(), Confidence: dm.src.Confidence})
			a.Warnings = append(a.Warnings, dm.granted)
			return nil
		}
	}
	// Base rate.
	baseExpr, col, err := s.baseRate(q, rl)
	if err != nil {
		return err
	}
	a.Column = col
	unit, _ := rate.NormUnit(q.Unit)
	rq := rate.Quantity{Value: q.Value, Amount: q.Quantity, Unit: unit}
	// A base rate that needs a quantity the line does not give is an error,
	// unless a measure replaces the base rate (in_lieu): known only once the
	// measures are found.
	baseDuty, baseErr := baseExpr.Duty(rq)
	baseDuty = money.Cents(baseDuty)
	a.Layers = append(a.Layers, Layer{Kind: BaseLayer, Heading: s.dotted[rl.Index], Title: colTitle(col), Rate: baseExpr.Text,
		Base: q.Value, Amount: baseDuty, Citation: s.Schedule.Cite(rl, q.EntryDate)})

	// Candidates.
	cs, err := s.candidates(q, line, ci, known, ref, a.scratch[:0], a)
	a.scratch = cs
	if err != nil {
		return err
	}
	n := len(cs)
	p := s.periodAt(q.EntryDate)
	for i := 0; i < n; i++ {
		cs[i].rank = p.rank[cs[i].m.family]
	}
	// Sort by stacking rank (displacers first), then measure order.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && (cs[j].rank < cs[j-1].rank || cs[j].rank == cs[j-1].rank && cs[j].m.idx < cs[j-1].m.idx); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	c := cs
	s.inTransit(q, c)
	supersede(c)
	s.exempt(q, line, ci, known, c, a, ref)
	if lieu := inLieuOf(c); lieu != nil {
		baseDuty = money.Zero
		a.Layers[0].Amount, a.Layers[0].Title = money.Zero, lieu.lieuTitle
	} else if baseErr != nil {
		return &Error{Code: CodeUnknown, Field: "quantity", Msg: fmt.Sprintf("%s rate %q of %s: %v", col, baseExpr.Text, rl.Dotted(), baseErr), Err: baseErr}
	}
	s.stack(q, p, c, a)
	s.amounts(q, c, baseDuty, a)

	// Totals, headings, warnings.
	a.Duty = baseDuty
	for i := range c {
		cd := &c[i]
		switch cd.state {
		case stCharged:
			a.Duty, _ = a.Duty.Add(cd.amount)
			if !cd.amount.IsZero() {
				insertSorted(&a.Headings, cd.m.heading)
				insertSorted(&a.Report, cd.m.heading)
			} else if cd.report != "" {
				insertSorted(&a.Report, cd.report)
			}
			if cd.m.warnConf != "" {
				a.Warnings = append(a.Warnings, cd.m.warnConf)
			}
			if cd.warn != "" && !cd.amount.IsZero() {
				addUnique(&a.Warnings, cd.warn)
			}
			if cd.m.warnList != "" && cd.m.warnConf == "" && !cd.amount.IsZero() {
				a.Warnings = append(a.Warnings, cd.m.warnList)
			}
		case stInTransit, stExempt, stDisplaced:
			if cd.report != "" {
				insertSorted(&a.Report, cd.report)
			}
		}
	}
	s.voidWarnings(q, line, ci, known, ref, a)
	if q.DeMinimis {
		a.Warnings = append(a.Warnings, s.noDeMin)
	}
	if s.split[line.Index] {
		a.Warnings = append(a.Warnings, warnSplit)
	}
	if q.EntryDate > s.Horizon {
		a.Warnings = append(a.Warnings, s.horizonWarning())
	}
	if q.EntryDate < s.Schedule.Start {
		a.Warnings = append(a.Warnings, s.earlyMsg)
	}
	if q.EntryDate < s.CoverageFrom && s.coverMsg != "" {
		a.Warnings = append(a.Warnings, s.coverMsg)
	}
	s.addFees(q, a)
	a.Total, _ = a.Duty.Add(a.FeesTotal)
	a.Value = q.Value
	if q.Explain {
		s.explain(q, line, ci, known, c, a)
	}
	return nil
}

func colTitle(col string) string {
	switch col {
	case "special":
		return "Column 1 special rate"
	case "column2":
		return "Column 2 rate (general note 3(b))"
	}
	return "Column 1 general rate"
}

// column2 are the countries of general note 3(b) of the HTSUS.
var column2 = map[string]bool{"CU": true, "KP": true, "RU": true, "BY": true}

func (s *Snapshot) baseRate(q *Query, rl *hts.Line) (rate.Expr, string, error) {
	if column2[q.Origin] {
		if rl.OtherRate.Kind == rate.Unparsed {
			return rate.Expr{}, "", unparsed(rl, "column 2", rl.Other)
		}
		return rl.OtherRate, "column2", nil
	}
	if q.Program != "" {
		e, ok := rl.SpecialRate.For(q.Program)
		if !ok && rl.GeneralRate.Kind == rate.Free {
			// A line free under column 1 lists no programs, yet goods may
			// still be claimed as originating (e.g. USMCA, general note 11),
			// which the chapter 99 exemptions rely on.
			return rl.GeneralRate, "general", nil
		}
		if !ok {
			return rate.Expr{}, "", &Error{Code: CodeInvalid, Field: "program",
				Msg: fmt.Sprintf("%s does not list program %s in its special column (%q)", rl.Dotted(), q.Program, rl.SpecialText)}
		}
		if e.Kind == rate.Unparsed || e.Kind == rate.Reference {
			return rate.Expr{}, "", unparsed(rl, "special", e.Text)
		}
		return e, "special", nil
	}
	if rl.GeneralRate.Kind == rate.Unparsed || rl.GeneralRate.Kind == rate.Reference {
		return rate.Expr{}, "", unparsed(rl, "general", rl.General)
	}
	return rl.GeneralRate, "general", nil
}

func unparsed(rl *hts.Line, col, text string) error {
	return &Error{Code: CodeUnknown, Field: "hts",
		Msg: fmt.Sprintf("the %s rate of %s (%q) is not a rate levy can compute; it is not read as zero", col, rl.Dotted(), text)}
}

// candidates collects the measures that could apply to the line and country
// on the entry date as known on known.
func (s *Snapshot) candidates(q *Query, line *hts.Line, ci uint8, known date.Date, ref bool, cs []cand, a *Assessment) ([]cand, error) {
	if ref {
		for _, m := range s.measures {
			// addCand rejects these first; testing them before the product
			// scope keeps the reference fast with long product lists.
			if !m.countries.has(ci) || q.EntryDate < m.from || q.EntryDate >= m.to {
				continue
			}
			if m.pred < 0 || s.preds[m.pred].matchSlow(s.Schedule, line) {
				cs = addCand(cs, m, q, ci, known, a)
			}
		}
	} else {
		for _, mi := range s.byCountry[ci] {
			cs = addCand(cs, s.measures[mi], q, ci, known, a)
		}
		for _, mi := range s.byLine[line.Index] {
			cs = addCand(cs, s.measures[mi], q, ci, known, a)
		}
	}
	if len(cs) > maxCand {
		return cs, &Error{Code: CodeUnknown, Msg: fmt.Sprintf("more than %d measures apply to one line", maxCand)}
	}
	return cs, nil
}

func addCand(cs []cand, m *cmeasure, q *Query, ci uint8, known date.Date, a *Assessment) []cand {
	if !m.countries.has(ci) || q.EntryDate < m.from || q.EntryDate >= m.to {
		return cs
	}
	if m.knownFrom > known || m.voidedOn <= known {
		return cs
	}
	if len(m.programs) > 0 && !contains(m.programs, q.Program) {
		return cs
	}
	if len(m.claims) > 0 && !anyIn(m.claims, q.Claims) {
		if m.askQ != nil {
			a.Questions = append(a.Questions, *m.askQ)
		}
		return cs
	}
	if m.warnOnly {
		addUnique(&a.Warnings, m.warnText)
		return cs
	}
	return append(cs, cand{m: m, state: stCharged})
}

// inLieuOf returns the charged measure whose rate replaces the base rate, or nil.
func inLieuOf(c []cand) *cmeasure {
	for i := range c {
		if c[i].state == stCharged && c[i].m.inLieu {
			return c[i].m
		}
	}
	return nil
}

func (s *Snapshot) periodAt(d date.Date) *period {
	lo, hi := 0, len(s.periods)
	for lo < hi {
		mid := (lo + hi) / 2
		if s.periods[mid].from <= d {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return &period{rank: make([]int, len(s.families))}
	}
	return &s.periods[lo-1]
}

func (s *Snapshot) inTransit(q *Query, c []cand) {
	if q.ExportDate == date.None || q.ExportDate == 0 {
		return
	}
	for i := range c {
		t := c[i].m.transit
		if t == nil || q.ExportDate >= t.loaded || q.EntryDate >= t.entered {
			continue
		}
		if len(t.modes) > 0 && !contains(t.modes, q.Mode) {
			continue
		}
		c[i].state = stInTransit
		c[i].report = t.heading
	}
}

func addUnique(xs *[]string, x string) {
	if !contains(*xs, x) {
		*xs = append(*xs, x)
	}
}

func anyIn(xs, ys []string) bool {
	for _, y := range ys {
		if contains(xs, y) {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// supersede switches off measures replaced by another applicable measure.
// A measure replaced in turn still replaces those it supersedes, so that
// the result does not depend on the order of the candidates (the order of
// the rule files): where a replaces b and b replaces c, only a charges.
func supersede(c []cand) {
	for i := range c {
		if c[i].state != stCharged && c[i].state != stSuperseded {
			continue
		}
		for _, j := range c[i].m.supersedes {
			for k := range c {
				if c[k].m.idx == j && c[k].state == stCharged {
					c[k].state = stSuperseded
				}
			}
		}
	}
}

func (s *Snapshot) exempt(q *Query, line *hts.Line, ci uint8, known date.Date, c []cand, a *Assessment, ref bool) {
	for i := range c {
		if c[i].state != stCharged {
			continue
		}
		for k := range c[i].m.exempts {
			e := &c[i].m.exempts[k]
			if q.EntryDate < e.from || q.EntryDate >= e.to || e.knownFrom > known {
				continue
			}
			if e.hasCountries && !e.countries.has(ci) {
				continue
			}
			if e.pred >= 0 {
				var in bool
				if ref {
					in = s.preds[e.pred].matchSlow(s.Schedule, line)
				} else {
					in = s.predHas(line.Index, e.pred)
				}
				if !in {
					if e.warnPartial != "" {
						c[i].warn = e.warnPartial
					}
					continue
				}
			}
			if len(e.programs) > 0 && !contains(e.programs, q.Program) {
				// Asked only of goods whose origin can claim the program: a
				// Japanese car is never asked whether it qualifies under USMCA.
				if e.ask != "" && q.Program == "" && e.canClaim(q.Origin) {
					a.Questions = append(a.Questions, e.question)
				}
				continue
			}
			if len(e.claims) > 0 && !anyIn(e.claims, q.Claims) {
				if e.ask != "" {
					a.Questions = append(a.Questions, e.question)
				}
				continue
			}
			c[i].state = stExempt
			c[i].report = e.heading
			c[i].why = e.src.Title
			if e.warnList != "" {
				addUnique(&a.Warnings, e.warnList)
			}
			break
		}
	}
}

// stack applies the stacking rules in force on the entry date. Candidates
// are in rank order, so every displacing measure is final before the
// measures it displaces are looked at.
func (s *Snapshot) stack(q *Query, p *period, c []cand, a *Assessment) {
	for i := range c {
		if c[i].state != stCharged {
			continue
		}
		c[i].base = s.contentBase(q, c[i].m, a)
	}
	for i := range c {
		cd := &c[i]
		if cd.state != stCharged {
			continue
		}
		for _, r := range p.rules {
			if !hasFamily(r.displaces, cd.m.family) {
				continue
			}
			for j := range c {
				if j == i || c[j].state != stCharged || !hasFamily(r.when, c[j].m.family) || c[j].rank >= cd.rank {
					continue
				}
				if r.whole {
					cd.base = money.Zero
				} else {
					b, _ := cd.base.Sub(c[j].base)
					if b.IsNeg() {
						b = money.Zero
					}
					cd.base = b
				}
				if cd.base.IsZero() {
					cd.state = stDisplaced
					cd.report = r.report[cd.m.family]
				} else if h, ok := r.report[cd.m.family]; ok {
					insertSorted(&a.Report, h)
				}
			}
			if cd.state != stCharged {
				break
			}
		}
	}
}

func hasFamily(fs []uint8, f uint8) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func (s *Snapshot) contentBase(q *Query, m *cmeasure, a *Assessment) money.Decimal {
	v := q.Value
	switch m.base {
	case baseSteel, baseAluminum, baseCopper:
		var val money.Decimal
		var has bool
		switch m.base {
		case baseSteel:
			val, has = q.Steel, q.HasSteel
		case baseAluminum:
			val, has = q.Aluminum, q.HasAluminum
		default:
			val, has = q.Copper, q.HasCopper
		}
		if !has {
			a.Questions = append(a.Questions, m.baseQuestion)
			return v
		}
		return val.Min(v)
	case baseNonUS:
		if !q.HasUSContent {
			return v
		}
		b, _ := v.Sub(q.USContent)
		if b.IsNeg() {
			return money.Zero
		}
		return b
	}
	return v
}

func (s *Snapshot) amounts(q *Query, c []cand, baseDuty money.Decimal, a *Assessment) {
	for i := range c {
		cd := &c[i]
		if cd.state != stCharged {
			continue
		}
		m := cd.m
		if m.usContent && q.HasUSContent {
			min, _ := money.Percent(q.Value, m.usMin)
			if !q.USContent.Less(min) {
				b, _ := cd.base.Sub(q.USContent)
				if b.IsNeg() {
					b = money.Zero
				}
				cd.base = b
				insertSorted(&a.Report, m.usHeading)
			}
		}
		var amt money.Decimal
		if m.floor {
			// base + additional = floor, on the value the measure covers:
			// additional = floor × B − base duty × B / V (U.S. note 2(v)(xix)).
			target, _ := money.Percent(cd.base, m.additional)
			share := baseDuty
			if !cd.base.Equal(q.Value) {
				f, _ := cd.base.Quo(q.Value)
				share, _ = baseDuty.Mul(f)
			}
			amt, _ = target.Sub(share)
			if !money.Cents(amt).IsPos() {
				amt = money.Zero
				cd.report = m.floorHeading
			}
		} else {
			amt, _ = money.Percent(cd.base, m.additional)
		}
		cd.amount = money.Cents(amt)
		l := Layer{Kind: MeasureLayer, Heading: m.heading, Measure: m.src.ID, Family: m.src.Family, Title: m.src.Title,
			Rate: m.rateText, Base: cd.base, Amount: cd.amount, Citation: m.citation, Confidence: m.confidence}
		if m.floor && cd.amount.IsZero() {
			l.Heading = m.floorHeading
		}
		a.Layers = append(a.Layers, l)
	}
}

func (s *Snapshot) voidWarnings(q *Query, line *hts.Line, ci uint8, known date.Date, ref bool, a *Assessment) {
	// The first measure that would apply but is void on this reading.
	if known < s.firstVoid {
		return
	}
	void := func(m *cmeasure) bool {
		return m.voidedOn <= known && m.countries.has(ci) && q.EntryDate >= m.from && q.EntryDate < m.to && m.knownFrom <= known
	}
	if ref {
		for _, m := range s.measures {
			if void(m) && (m.pred < 0 || s.preds[m.pred].matchSlow(s.Schedule, line)) {
				a.Warnings = append(a.Warnings, m.warnVoid)
				return
			}
		}
		return
	}
	// The indexes hold the measures that can apply to this country and line;
	// take the first void one in measure order, as the reference does.
	best := -1
	for _, list := range [2][]uint16{s.byCountry[ci], s.byLine[line.Index]} {
		for _, mi := range list {
			if best >= 0 && int(mi) >= best {
				break
			}
			if void(s.measures[mi]) {
				best = int(mi)
				break
			}
		}
	}
	if best >= 0 {
		a.Warnings = append(a.Warnings, s.measures[best].warnVoid)
	}
}

func (s *Snapshot) horizonWarning() string {
	if s.horizonMsg != "" && s.horizonAt == s.Horizon {
		return s.horizonMsg
	}
	return s.buildHorizonWarning()
}

func (s *Snapshot) buildHorizonWarning() string {
	basis := ""
	if c := s.Set.Coverage; c != nil && c.HorizonBasis != "" {
		basis = "; it rests on " + c.HorizonBasis
	}
	return "entry date is past the data horizon (" + s.Horizon.String() + basis + "): measures announced or changed after it are not in levy's rules"
}

func (s *Snapshot) addFees(q *Query, a *Assessment) {
	var mpf, hmf *cfee
	for _, f := range s.fees {
		if q.EntryDate < f.from || q.EntryDate >= f.to {
			continue
		}
		switch f.kind {
		case "mpf":
			mpf = f
		case "hmf":
			hmf = f
		}
	}
	if mpf != nil && !(q.Program != "" && contains(mpf.exempt, q.Program)) {
		var amt money.Decimal
		rateText := mpf.rateText
		if q.Informal && mpf.hasInf {
			amt = mpf.informal
			rateText = "informal entry flat fee"
		} else {
			amt, _ = money.Percent(q.Value, mpf.rate)
			if mpf.hasMin && amt.Less(mpf.min) {
				amt = mpf.min
			}
			if mpf.hasMax && mpf.max.Less(amt) {
				amt = mpf.max
			}
		}
		amt = money.Cents(amt)
		a.Fees = append(a.Fees, Layer{Kind: FeeLayer, Heading: "MPF", Measure: mpf.src.ID, Title: mpf.src.Title,
			Rate: rateText, Base: q.Value, Amount: amt, Citation: mpf.citation})
		a.FeesTotal, _ = a.FeesTotal.Add(amt)
	}
	if hmf != nil && (len(hmf.modes) == 0 || contains(hmf.modes, q.Mode)) {
		amt, _ := money.Percent(q.Value, hmf.rate)
		amt = money.Cents(amt)
		a.Fees = append(a.Fees, Layer{Kind: FeeLayer, Heading: "HMF", Measure: hmf.src.ID, Title: hmf.src.Title,
			Rate: hmf.rateText, Base: q.Value, Amount: amt, Citation: hmf.citation})
		a.FeesTotal, _ = a.FeesTotal.Add(amt)
	}
}

func insertSorted(xs *[]string, x string) {
	s := *xs
	i := 0
	for i < len(s) && s[i] < x {
		i++
	}
	if i < len(s) && s[i] == x {
		return
	}
	s = append(s, "")
	copy(s[i+1:], s[i:])
	s[i] = x
	*xs = s
}

var outcomes = map[uint8]string{stCharged: "applied", stInTransit: "in transit", stSuperseded: "superseded",
	stExempt: "exempt", stDisplaced: "displaced"}

func (s *Snapshot) explain(q *Query, line *hts.Line, ci uint8, known date.Date, c []cand, a *Assessment) {
	inC := map[uint16]*cand{}
	for i := range c {
		inC[c[i].m.idx] = &c[i]
	}
	for _, m := range s.measures {
		st := Step{Measure: m.src.ID, Heading: m.heading}
		cd, ok := inC[m.idx]
		switch {
		case ok:
			st.Outcome = outcomes[cd.state]
			switch cd.state {
			case stCharged:
				st.Reason = fmt.Sprintf("%s on %s = %s", m.rateText, cd.base, cd.amount)
			case stInTransit:
				st.Reason = fmt.Sprintf("exported before %s and entered before %s", m.transit.loaded, m.transit.entered)
				if len(m.transit.modes) > 0 {
					st.Reason += " by " + strings.Join(m.transit.modes, "/")
				}
			case stSuperseded:
				st.Reason = "replaced by a measure that applies to the same goods"
			case stExempt:
				st.Reason = "exemption " + cd.report
				if cd.report == "" {
					st.Reason = "exempt: " + cd.why
				}
			case stDisplaced:
				st.Reason = "displaced by a stacking rule"
				if cd.report != "" {
					st.Reason += " (" + cd.report + ")"
				}
			}
		case m.pred >= 0 && !s.predHas(line.Index, m.pred):
			st.Outcome, st.Reason = "not applicable", "product not in scope"
		case !m.countries.has(ci):
			st.Outcome, st.Reason = "not applicable", "country "+q.Origin+" not covered"
		case q.EntryDate < m.from || q.EntryDate >= m.to:
			to := "open end"
			if m.to != date.None {
				to = m.to.AddDays(-1).String()
			}
			st.Outcome, st.Reason = "not applicable", fmt.Sprintf("entry date outside %s to %s", m.from, to)
		case m.warnOnly:
			st.Outcome, st.Reason = "warning", "not computed: "+m.src.Warning
		case len(m.claims) > 0 && !anyIn(m.claims, q.Claims):
			st.Outcome, st.Reason = "not applicable", "applies only when "+strings.Join(m.claims, "/")+" is declared"
		case len(m.programs) > 0 && !contains(m.programs, q.Program):
			st.Outcome, st.Reason = "not applicable", "applies only when "+strings.Join(m.programs, "/")+" is claimed"
		case m.knownFrom > known:
			st.Outcome, st.Reason = "not yet known", fmt.Sprintf("applied from %s; reading as of %s", m.knownFrom, known)
		case m.voidedOn <= known:
			st.Outcome, st.Reason = "voided", fmt.Sprintf("void from %s", m.voidedOn)
		}
		a.Steps = append(a.Steps, st)
	}
}

// MPF returns the merchandise processing fee of a formal entry of the given
// total value entered on d — the fiscal year's rate between its minimum and
// maximum — and false when no fee table covers d.
func (s *Snapshot) MPF(d date.Date, value money.Decimal) (money.Decimal, bool) {
	for _, f := range s.fees {
		if f.kind != "mpf" || d < f.from || d >= f.to {
			continue
		}
		amt, _ := money.Percent(value, f.rate)
		if f.hasMin && amt.Less(f.min) {
			amt = f.min
		}
		if f.hasMax && f.max.Less(amt) {
			amt = f.max
		}
		return money.Cents(amt), true
	}
	return money.Zero, false
}

// Clone returns a deep copy of a.
func (a *Assessment) Clone() *Assessment {
	c := *a
	c.Layers = append([]Layer(nil), a.Layers...)
	c.Fees = append([]Layer(nil), a.Fees...)
	c.Headings = append([]string(nil), a.Headings...)
	c.Report = append([]string(nil), a.Report...)
	c.Warnings = append([]string(nil), a.Warnings...)
	c.Questions = append([]Question(nil), a.Questions...)
	c.Steps = append([]Step(nil), a.Steps...)
	c.scratch = nil
	return &c
}

// countryIndex returns the compiled index of a country code; 0 stands for
// every country that no rule names.
func (s *Snapshot) countryIndex(code string) uint8 {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return s.countries[code]
	}
	return s.countryTab[int(code[0]-'A')*26+int(code[1]-'A')]
}

// deMinimisFor returns the de minimis rule that lets q enter free, or nil.
func (s *Snapshot) deMinimisFor(q *Query, ci uint8) *cdeminimis {
	for i := range s.deMinimis {
		dm := &s.deMinimis[i]
		if dm.countries.has(ci) && q.EntryDate >= dm.from && q.EntryDate < dm.to && !dm.max.Less(q.Value) {
			return dm
		}
	}
	return nil
}
