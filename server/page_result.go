package server

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/program"
	"github.com/levy-tariff/levy/rate"
)

// This file turns an assessment into what the page shows: each layer by
// name with its sources linked, why each heading to report is reported,
// warnings and questions for an importer, and the measures that decided
// the result apart from those that never applied.

// resultView is one assessment as the page shows it.
type resultView struct {
	Duty, Fees, Total, Rate string
	DutyTable, FeeTable     layerTable
	Reports                 []reportRow
	Warnings                []string
	Questions               []questionRow
	Decided                 []stepRow
	Others                  []stepGroup
	OthersCount             int
	// BaseNote says what levy does not know about the base rate's revision.
	BaseNote string
}

// layerTable is a table of layers with its total.
type layerTable struct {
	TestID, Caption   string
	Rows              []layerRow
	TotalLabel, Total string
}

type layerRow struct {
	Name, Heading, Rate, RateWords, Base, Amount string
	Cites                                        []citeLink
	Note                                         string
}

type reportRow struct {
	Heading, Why string
	Cites        []citeLink
}

type questionRow struct {
	Question, Assumed, Change string
	Links                     []suggestion
}

type stepRow struct {
	Name, Heading, Outcome, Why string
}

type stepGroup struct {
	Reason string
	Names  []string
}

// resultContext is what the wording of a result needs beside the
// assessment: the data, the query and how to link to the same view with
// one answer changed.
type resultContext struct {
	st   *state
	snap *engine.Snapshot
	q    *engine.Query
	// action and given build links to the same view with other values.
	action string
	given  url.Values
}

func (c *resultContext) set() *measure.Set { return c.st.lv.Rules }

func (c *resultContext) measure(id string) *measure.Measure { return c.set().ByID[id] }

// linkWith is the short link of the view with the fields in kv changed.
func (c *resultContext) linkWith(kv ...string) string {
	q := cloneValues(c.given)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "claims" && q.Get("claims") != "" {
			q.Set("claims", q.Get("claims")+";"+kv[i+1])
			continue
		}
		q.Set(kv[i], kv[i+1])
	}
	return c.action + shortQuery(q, formOrder)
}

// result words a.
func (c *resultContext) result(a *engine.Assessment) resultView {
	v := resultView{Duty: usd(a.Duty), Fees: usd(a.FeesTotal), Total: usd(a.Total), Rate: pct(a.EffectiveRate())}
	v.DutyTable = layerTable{TestID: "layers", Caption: "Duty, layer by layer", TotalLabel: "Duty", Total: v.Duty}
	for _, l := range a.Layers {
		v.DutyTable.Rows = append(v.DutyTable.Rows, c.layer(l))
	}
	v.FeeTable = layerTable{TestID: "fees", Caption: "Fees", TotalLabel: "Fees", Total: v.Fees}
	for _, l := range a.Fees {
		v.FeeTable.Rows = append(v.FeeTable.Rows, c.layer(l))
	}
	for _, h := range a.Report {
		v.Reports = append(v.Reports, c.report(a, h))
	}
	for _, w := range a.Warnings {
		v.Warnings = append(v.Warnings, c.warning(a, w))
	}
	seen := map[string]bool{}
	for _, qu := range a.Questions {
		if !c.answerable(a, qu) {
			continue
		}
		row := c.question(a, qu)
		if !seen[row.Question] {
			seen[row.Question] = true
			v.Questions = append(v.Questions, row)
		}
	}
	v.Decided, v.Others, v.OthersCount = c.steps(a)
	return v
}

// layer names a layer: the base rate by its column, a measure by its
// title and statute, a fee by its title.
func (c *resultContext) layer(l engine.Layer) layerRow {
	row := layerRow{Heading: l.Heading, Rate: l.Rate, RateWords: rateWords(l.Rate), Base: usd(l.Base), Amount: usd(l.Amount)}
	switch l.Kind {
	case engine.BaseLayer:
		row.Name = baseName(l, c.q)
		row.RateWords = l.Rate
		row.Cites = []citeLink{revisionLink(l.Citation, l.Heading)}
		if l.Measure == "" && strings.HasPrefix(l.Rate, "Free (de minimis)") {
			row.Cites = nil
		}
		for _, dm := range c.set().DeMinimis {
			if dm.Title == l.Title {
				row.Name, row.Cites = l.Title, citeLinks(dm.Authority)
			}
		}
	case engine.MeasureLayer:
		m := c.measure(l.Measure)
		row.Name = measureName(l.Family, l.Title)
		if m != nil {
			row.Cites = citeLinks(m.Authority)
			if l.Amount.IsZero() && m.Rate.FloorInclusive.Set {
				row.Note = "Nothing more to pay: the base rate is already " + m.Rate.FloorInclusive.String() + " or more."
			}
		}
		if l.Confidence != "" && l.Confidence != "high" {
			row.Note = strings.TrimSpace(row.Note + " levy's reading rests on a " + l.Confidence + "-confidence source.")
		}
	default:
		row.Name = l.Title
		for _, f := range c.set().Fees {
			if f.ID == l.Measure {
				row.Cites = citeLinks(f.Authority)
			}
		}
	}
	return row
}

func baseName(l engine.Layer, q *engine.Query) string {
	switch {
	case strings.HasPrefix(l.Title, "Column 1 special"):
		return "Base duty: special rate of " + l.Heading + " under " + programName(q.Program)
	case strings.HasPrefix(l.Title, "Column 2"):
		return "Base duty: column 2 rate of " + l.Heading + ", for goods of " + countryName(q.Origin)
	case strings.HasPrefix(l.Title, "Column 1 general"):
		return "Base duty: column 1 general rate of " + l.Heading
	}
	return l.Title
}

// report says why a heading is to be reported on the entry.
func (c *resultContext) report(a *engine.Assessment, h string) reportRow {
	r := reportRow{Heading: h}
	for _, l := range a.Layers {
		if l.Heading != h || l.Kind != engine.MeasureLayer {
			continue
		}
		if l.Amount.IsPos() {
			r.Why = "Charges " + measureName(l.Family, l.Title) + ": " + usd(l.Amount) + "."
			return r
		}
		if m := c.measure(l.Measure); m != nil && m.Rate.FloorInclusive.Set {
			r.Why = "Reported at no duty: the base rate is already " + m.Rate.FloorInclusive.String() + " or more, so " +
				measureName(l.Family, l.Title) + " adds nothing."
			r.Cites = citeLinks(m.Authority)
			return r
		}
	}
	for _, st := range a.Steps {
		m := c.measure(st.Measure)
		if m == nil {
			continue
		}
		name := measureName(m.Family, m.Title)
		switch st.Outcome {
		case "exempt":
			if e := c.exemptionOf(m, h); e != nil {
				r.Why = "Reported at no duty: " + name + " does not apply to " + lowerFirst(strings.TrimSuffix(exemptionWords(*e), ".")) + "."
				r.Cites = citeLinks(m.Authority)
				return r
			}
		case "in transit":
			if m.InTransit != nil && m.InTransit.Heading == h {
				r.Why = "Reported at no duty: " + name + " does not apply to goods already in transit (exported before " +
					longDate(m.InTransit.LoadedBefore) + ")."
				r.Cites = citeLinks(m.Authority)
				return r
			}
		case "displaced":
			if rule := c.stackingRule(a, m.Family, h); rule != nil {
				r.Why = "Reported at no duty: " + name + " does not apply. " + sentence(rule.Title)
				r.Cites = citeLinks(rule.Authority)
				return r
			}
		case "applied":
			if m.USContent != nil && m.USContent.Heading == h {
				r.Why = "Reports the US content: " + name + " is charged on the rest of the value only."
				r.Cites = citeLinks(m.Authority)
				return r
			}
			if rule := c.stackingRule(a, m.Family, h); rule != nil {
				r.Why = "Reports the part of the value on which " + name + " is not charged. " + sentence(rule.Title)
				r.Cites = citeLinks(rule.Authority)
				return r
			}
		}
	}
	r.Why = "Reported on the entry, as levy's rules require."
	return r
}

// stackingRule is the stacking rule in force on the entry date that
// reports h for a measure of family.
func (c *resultContext) stackingRule(a *engine.Assessment, family, h string) *measure.Stacking {
	var fallback *measure.Stacking
	for _, s := range c.set().Stacking {
		if s.Report[family] == h && s.Effective.From <= a.EntryDate && a.EntryDate < measure.Norm(s.Effective.To) {
			if c.charges(a, s.When) {
				return s
			}
			if fallback == nil {
				fallback = s
			}
		}
	}
	return fallback
}

func exemptionWords(e measure.Exemption) string {
	if e.Title != "" {
		return e.Title
	}
	return "the goods of heading " + e.Heading
}

func sentence(s string) string {
	s = upperFirst(strings.TrimSpace(s))
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// warning words a warning of the engine for an importer; one levy cannot
// place is shown as the engine wrote it.
func (c *resultContext) warning(a *engine.Assessment, w string) string {
	src := c.snap.DescribeWarning(w)
	m := c.measure(src.Measure)
	name := ""
	if m != nil {
		name = measureName(m.Family, m.Title)
	}
	switch src.Kind {
	case engine.WarnVoid:
		if m != nil {
			return fmt.Sprintf("%s is treated as void from %s, the law as known on %s: it is not owed on this reading. If it was paid, a refund is due unless the entry is already finally liquidated.",
				upperFirst(name), longDate(measure.Norm(m.VoidedOn)), longDate(a.KnownOn))
		}
	case engine.WarnConfidence:
		if m != nil {
			return fmt.Sprintf("Check %s against its instrument: a detail of levy's rule rests on a secondary source. %s", name, sentence(m.ConfidenceNote))
		}
	case engine.WarnList:
		if m != nil {
			return fmt.Sprintf("%s covers this line through %s, which levy read from a secondary copy of the legal text: check that the line is on the list.", upperFirst(name), c.listTitle(m.Products.Lists, false))
		}
	case engine.WarnPartialList:
		if e := src.Exemption; m != nil && e != nil {
			return fmt.Sprintf("%s is charged because this line is not on levy's copy of %s, which is incomplete. If the legal list includes it, %s is not owed and heading %s is reported instead.",
				upperFirst(name), c.listTitle(exemptionLists(e), true), name, e.Heading)
		}
	case engine.WarnExemptionList:
		if e := src.Exemption; m != nil && e != nil {
			return fmt.Sprintf("The exemption from %s (heading %s) rests on %s, which levy read from a secondary copy of the legal text: check that the goods are on it.",
				name, e.Heading, c.listTitle(exemptionLists(e), false))
		}
	case engine.WarnHorizon:
		return fmt.Sprintf("The entry date is after %s, the last day levy's rules are known for: measures announced since then are not included.", longDate(c.snap.Horizon))
	case engine.WarnSplit:
		return "The 10-digit lines under this 8-digit number are treated differently by some measures: give the 10-digit number for an exact answer."
	case engine.WarnDeMinimis:
		for _, dm := range c.set().DeMinimis {
			if dm.ID == src.Measure {
				return fmt.Sprintf("Entered free of duty and fees as a de minimis shipment of at most %s (%s).", usdText(dm.MaxValue), dm.Authority.Cite())
			}
		}
	case engine.WarnNoDeMinimis:
		return fmt.Sprintf("De minimis was claimed, but it is not available for goods of %s worth %s entered on %s: every duty is charged.",
			countryName(c.q.Origin), usd(c.q.Value), longDate(a.EntryDate))
	case engine.WarnMeasure:
		if m != nil {
			return fmt.Sprintf("%s may apply to these goods, but levy cannot compute it: %s", upperFirst(name), sentence(m.Warning))
		}
	case engine.WarnSchedule:
		if sched := c.st.lv.Schedule; len(sched.Revisions) > 0 {
			return fmt.Sprintf("levy holds no revision of the schedule before the %s (in force from %s): the line is read as that edition prints it.",
				sched.Revisions[0].Title, longDate(sched.Revisions[0].Effective))
		}
	case engine.WarnCoverage:
		return fmt.Sprintf("The entry date is before %s, where levy's rules begin: measures in force before then are not included.", longDate(c.snap.CoverageFrom))
	}
	return sentence(w)
}

// exemptionOf is the exemption of m reported at heading that the line
// met: one whose program or declared fact the line gives, else one with no
// such condition. Several exemptions may share a heading (9903.94.06 for
// computers of heading 8471 and for USMCA parts).
func (c *resultContext) exemptionOf(m *measure.Measure, heading string) *measure.Exemption {
	var plain *measure.Exemption
	for i := range m.Exemptions {
		e := &m.Exemptions[i]
		if e.Heading != heading {
			continue
		}
		switch {
		case len(e.Programs) > 0:
			if slices.Contains(e.Programs, c.q.Program) {
				return e
			}
		case len(e.Claims) > 0:
			for _, cl := range c.q.Claims {
				if slices.Contains(e.Claims, cl) {
					return e
				}
			}
		case plain == nil:
			plain = e
		}
	}
	return plain
}

func exemptionLists(e *measure.Exemption) []string {
	if e == nil || e.Products == nil {
		return nil
	}
	return e.Products.Lists
}

// listTitle names the first list of ids that is partial (incomplete) or
// read from a secondary source.
func (c *resultContext) listTitle(ids []string, partial bool) string {
	for _, id := range ids {
		l := c.set().Lists[id]
		if l == nil {
			continue
		}
		if partial && l.Complete != nil && !*l.Complete || !partial && (l.Confidence == "medium" || l.Confidence == "low") {
			return "the list “" + l.Title + "”"
		}
	}
	return "a legal list"
}

// contentFacts are the content values a question may ask for.
var contentFacts = map[string]string{"steel_value": "steel", "aluminum_value": "aluminum", "copper_value": "copper", "us_content_value": "US content"}

// question words a question of the engine: what levy needs to know, what
// it assumed, how the duty changes under the other answer, and a link to
// the same view with that answer given.
func (c *resultContext) question(a *engine.Assessment, qu engine.Question) questionRow {
	src := c.snap.DescribeQuestion(qu)
	m := c.measure(src.Measure)
	row := questionRow{Question: sentence(qu.Fact), Assumed: sentence(qu.Assumed), Change: changeWords(qu.DutyChange)}
	if m == nil {
		row.Assumed += " " + sentence(qu.Otherwise)
		return row
	}
	name := measureName(m.Family, m.Title)
	switch {
	case src.Field != "":
		what := contentFacts[src.Field]
		row.Question = "What is the value of the " + what + " in the goods?"
		row.Assumed = fmt.Sprintf("It was not given, so levy reads %s as charged on the full customs value, as CBP charges it when the content is not declared.", name)
		row.Links = append(row.Links, suggestion{Text: "Give the value of the " + what, URL: "#f-" + src.Field})
		if src.Field != "us_content_value" {
			row.Links = append(row.Links, suggestion{Text: "See the duty with no " + what + " in the goods", URL: c.linkWith(src.Field, "0")})
		}
	case src.Exemption != nil:
		row.Question = "Do the goods qualify: " + lowerFirst(strings.TrimSuffix(exemptionWords(*src.Exemption), ".")) + "?"
		row.Assumed = fmt.Sprintf("levy assumed they do not: the exemption from %s is only for goods that qualify.", name)
		if p := c.claimable(a, src.Programs); p != "" {
			row.Links = append(row.Links, suggestion{Text: "See the duty with " + programName(p) + " claimed", URL: c.linkWith("program", p)})
		}
		if len(src.Claims) > 0 {
			row.Links = append(row.Links, suggestion{Text: "See the duty if they qualify", URL: c.linkWith("claims", src.Claims[0])})
		}
	case len(src.Claims) > 0:
		row.Question = "Does " + lowerFirst(name) + " apply to the goods?"
		row.Assumed = "levy assumed it does not, as it applies only to goods declared to qualify, so it is not charged."
		row.Links = append(row.Links, suggestion{Text: "See the duty if it applies", URL: c.linkWith("claims", src.Claims[0])})
	}
	return row
}

// answerable says the other answer of a question is open to the line: a
// question settled by claiming a program is not asked of goods of a
// country the program does not cover (USMCA for goods of Japan).
func (c *resultContext) answerable(a *engine.Assessment, qu engine.Question) bool {
	src := c.snap.DescribeQuestion(qu)
	return len(src.Programs) == 0 || c.claimable(a, src.Programs) != ""
}

// claimable is the program of programs that goods of the origin may claim
// on the line: the line lists it in its special column (or is free under
// column 1, where originating goods are still claimed). The narrowest
// (last) is tried first, as the engine does.
func (c *resultContext) claimable(a *engine.Assessment, programs []string) string {
	rl, err := c.st.lookupLine(a.RateLine, a.EntryDate)
	if err != nil {
		return ""
	}
	for i := len(programs) - 1; i >= 0; i-- {
		p := programs[i]
		if program.Eligible(p, c.q.Origin) != nil {
			continue
		}
		if _, ok := rl.SpecialRate.For(p); ok || rl.GeneralRate.Kind == rate.Free {
			return p
		}
	}
	return ""
}

// changeWords words the change in duty of a question's other answer.
func changeWords(change string) string {
	if change == "" {
		return ""
	}
	d, err := money.Parse(change)
	if err != nil {
		return ""
	}
	switch {
	case d.IsNeg():
		return "Under the other answer the duty is " + strings.TrimPrefix(usd(d), "−") + " less."
	case d.IsPos():
		return "Under the other answer the duty is " + usd(d) + " more."
	}
	return "Either way the duty is the same."
}

// outcomeWords words the engine's outcomes of a measure considered.
var outcomeWords = map[string]string{"applied": "Charged", "superseded": "Replaced", "exempt": "Exempt", "displaced": "Does not apply",
	"in transit": "In transit", "not yet known": "Not yet known", "voided": "Void"}

// steps sorts the explanation: the measures that decided the result (those
// that matched the line, country and date, whatever became of them), and
// the rest folded by reason.
func (c *resultContext) steps(a *engine.Assessment) (decided []stepRow, others []stepGroup, n int) {
	groups := map[string][]string{}
	for _, st := range a.Steps {
		m := c.measure(st.Measure)
		name := st.Measure
		if m != nil {
			name = measureName(m.Family, m.Title)
		}
		if st.Outcome == "not applicable" {
			reason := c.otherReason(st.Reason)
			groups[reason] = append(groups[reason], name+" ("+st.Heading+")")
			n++
			continue
		}
		row := stepRow{Name: name, Heading: st.Heading, Outcome: outcomeWords[st.Outcome], Why: c.stepWhy(a, st, m)}
		if row.Outcome == "" {
			row.Outcome = upperFirst(st.Outcome)
		}
		decided = append(decided, row)
	}
	for r, names := range groups {
		others = append(others, stepGroup{Reason: r, Names: names})
	}
	sort.Slice(others, func(i, j int) bool { return len(others[i].Names) > len(others[j].Names) })
	return decided, others, n
}

func (c *resultContext) otherReason(reason string) string {
	switch {
	case reason == "product not in scope":
		return "Not for these goods"
	case strings.HasPrefix(reason, "country "):
		return "Not for goods of " + countryName(c.q.Origin)
	case strings.HasPrefix(reason, "entry date outside"):
		return "Not in force on " + longDate(c.q.EntryDate)
	case strings.HasPrefix(reason, "applies only when"):
		return "Only for goods declared to qualify, or under a program not claimed"
	}
	return upperFirst(reason)
}

func (c *resultContext) stepWhy(a *engine.Assessment, st engine.Step, m *measure.Measure) string {
	switch st.Outcome {
	case "applied":
		for _, l := range a.Layers {
			if l.Measure == st.Measure {
				return rateWords(l.Rate) + ", on " + usd(l.Base) + ": " + usd(l.Amount)
			}
		}
	case "superseded":
		for _, other := range a.Steps {
			if om := c.measure(other.Measure); om != nil && other.Outcome != "not applicable" && slices.Contains(om.Supersedes, st.Measure) {
				return "Replaced by " + measureName(om.Family, om.Title)
			}
		}
		return "Replaced by a measure that applies to the same goods"
	case "exempt":
		h := strings.TrimPrefix(st.Reason, "exemption ")
		if m != nil {
			if e := c.exemptionOf(m, h); e != nil {
				return sentence(exemptionWords(*e)) + " Heading " + h + " is reported."
			}
		}
	case "displaced":
		if m != nil {
			for _, s := range c.set().Stacking {
				if slices.Contains(s.Displaces, m.Family) && s.Effective.From <= a.EntryDate && a.EntryDate < measure.Norm(s.Effective.To) && c.charges(a, s.When) {
					return sentence(s.Title)
				}
			}
		}
	case "in transit":
		if m != nil && m.InTransit != nil {
			return "The goods were exported before " + longDate(m.InTransit.LoadedBefore) + " and entered in time: the earlier treatment applies"
		}
	case "not yet known":
		if m != nil {
			return "Applied from " + longDate(m.KnownFrom) + "; the law is read as known on " + longDate(a.KnownOn)
		}
	case "voided":
		if m != nil {
			return "Treated as void from " + longDate(measure.Norm(m.VoidedOn)) + "; the law is read as known on " + longDate(a.KnownOn)
		}
	}
	return sentence(st.Reason)
}

// charges says a layer of one of the families charges duty.
func (c *resultContext) charges(a *engine.Assessment, families []string) bool {
	for _, l := range a.Layers {
		if l.Kind == engine.MeasureLayer && l.Amount.IsPos() && slices.Contains(families, l.Family) {
			return true
		}
	}
	return false
}

// askedRow is one line of "what you asked", with the field to change it.
type askedRow struct {
	Key, Value, Change string
}

// asked lists what the result answers: line, origin, value, dates and the
// rest of what was given.
func asked(a *engine.Assessment, q *engine.Query, scenarioTitle string) []askedRow {
	rows := []askedRow{
		{"Commodity code", a.Line + " " + a.Description, "f-hts"},
		{"Country of origin", countryName(q.Origin) + " (" + q.Origin + ")", "f-origin"},
		{"Customs value", usd(q.Value), "f-value"},
		{"Entry date", longDate(a.EntryDate), "f-entry_date"},
	}
	known := longDate(a.KnownOn)
	if a.KnownOn == a.EntryDate {
		known += ", the entry date: what CBP collected"
	}
	rows = append(rows, askedRow{"Law as known on", known, "f-known_on"})
	if q.Quantity.IsPos() {
		rows = append(rows, askedRow{"Quantity", q.Quantity.String() + " " + unitWords(q.Unit), "f-quantity"})
	}
	if q.Program != "" {
		rows = append(rows, askedRow{"Program claimed", programName(q.Program), "f-program"})
	}
	if q.ExportDate != date.None && q.ExportDate != 0 {
		rows = append(rows, askedRow{"Export date", longDate(q.ExportDate), "f-export_date"})
	}
	if q.Mode != "" {
		rows = append(rows, askedRow{"Final mode of transport", upperFirst(q.Mode), "f-mode"})
	}
	for _, x := range []struct {
		has  bool
		v    money.Decimal
		name string
	}{{q.HasSteel, q.Steel, "steel_value"}, {q.HasAluminum, q.Aluminum, "aluminum_value"}, {q.HasCopper, q.Copper, "copper_value"}, {q.HasUSContent, q.USContent, "us_content_value"}} {
		if x.has {
			rows = append(rows, askedRow{fieldDefs[x.name].Label, usd(x.v), "f-" + x.name})
		}
	}
	if scenarioTitle != "" {
		rows = append(rows, askedRow{"Read under", scenarioTitle, "f-scenario"})
	}
	return rows
}
