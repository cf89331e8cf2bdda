package engine

import (
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

// View is the JSON form of an assessment: money as strings with two
// decimals, rates as percentages.
type View struct {
	Line          string      `json:"hts"`
	RateLine      string      `json:"rate_line"`
	Description   string      `json:"description"`
	EntryDate     string      `json:"entry_date"`
	KnownOn       string      `json:"known_on"`
	Column        string      `json:"column"`
	Layers        []LayerView `json:"layers"`
	Fees          []LayerView `json:"fees"`
	Headings      []string    `json:"headings"`
	Report        []string    `json:"report_headings"`
	Duty          string      `json:"duty"`
	FeesTotal     string      `json:"fees_total"`
	Total         string      `json:"total"`
	EffectiveRate string      `json:"effective_rate"`
	Warnings      []string    `json:"warnings"`
	Questions     []Question  `json:"questions"`
	Steps         []Step      `json:"explain,omitempty"`
}

// LayerView is the JSON form of a layer.
type LayerView struct {
	Kind       string `json:"kind"`
	Heading    string `json:"heading"`
	Measure    string `json:"measure,omitempty"`
	Family     string `json:"family,omitempty"`
	Title      string `json:"title"`
	Rate       string `json:"rate"`
	Base       string `json:"base"`
	Amount     string `json:"amount"`
	Citation   string `json:"citation"`
	Confidence string `json:"confidence,omitempty"`
}

// View returns the JSON form of a.
func (a *Assessment) View() View {
	v := View{Line: a.Line, RateLine: a.RateLine, Description: a.Description, EntryDate: a.EntryDate.String(),
		KnownOn: a.KnownOn.String(), Column: a.Column, Duty: money.Format(a.Duty), FeesTotal: money.Format(a.FeesTotal),
		Total: money.Format(a.Total), EffectiveRate: a.EffectiveRate().String(),
		Headings: append([]string{}, a.Headings...), Report: append([]string{}, a.Report...),
		Warnings: append([]string{}, a.Warnings...), Questions: append([]Question{}, a.Questions...), Steps: a.Steps}
	for _, l := range a.Layers {
		v.Layers = append(v.Layers, l.view())
	}
	v.Fees = []LayerView{}
	for _, l := range a.Fees {
		v.Fees = append(v.Fees, l.view())
	}
	return v
}

func (l Layer) view() LayerView {
	return LayerView{Kind: l.Kind.String(), Heading: l.Heading, Measure: l.Measure, Family: l.Family, Title: l.Title,
		Rate: l.Rate, Base: money.Format(l.Base), Amount: money.Format(l.Amount), Citation: l.Citation, Confidence: l.Confidence}
}

// Kinds of WarningSource: what a warning of an assessment is about.
const (
	WarnOther         = ""               // not one levy's rules produce (kept as written)
	WarnVoid          = "void"           // Measure is treated as void on this reading
	WarnConfidence    = "confidence"     // Measure rests on a medium- or low-confidence detail
	WarnList          = "list"           // Measure covers the line through a list read from a secondary copy
	WarnPartialList   = "partial-list"   // Measure charged; the line is not on levy's partial copy of an exemption's list
	WarnExemptionList = "exemption-list" // the exemption that applied rests on a list read from a secondary copy
	WarnHorizon       = "horizon"        // the entry date is past the rules' horizon
	WarnSplit         = "split"          // the line's statistical subdivisions are treated differently
	WarnDeMinimis     = "de-minimis"     // entered free as a de minimis shipment under Measure
	WarnNoDeMinimis   = "no-de-minimis"  // de minimis claimed but not available
	WarnMeasure       = "measure"        // Measure has no rate levy can compute: it only warns (its warning text)
	WarnSchedule      = "schedule"       // the entry date is before the first HTS revision levy holds
	WarnCoverage      = "coverage"       // the entry date is before the start of levy's coverage
)

// WarningSource says what a warning of an assessment made with s is about,
// so that a reader such as the web page can word it for its own audience.
// Kind is one of the Warn* constants; Measure is the id of the measure (or
// de minimis rule) concerned and Exemption the exemption concerned, where
// the kind has them.
type WarningSource struct {
	Kind      string
	Measure   string
	Exemption *measure.Exemption
}

// DescribeWarning returns the source of w, a warning of an assessment made
// with s; WarnOther when s did not produce it. It compares w with the
// warnings s compiled, reads nothing else and is meant for pages, not for
// batch hot paths.
func (s *Snapshot) DescribeWarning(w string) WarningSource {
	switch w {
	case warnSplit:
		return WarningSource{Kind: WarnSplit}
	case s.noDeMin:
		return WarningSource{Kind: WarnNoDeMinimis}
	case s.horizonWarning():
		return WarningSource{Kind: WarnHorizon}
	case s.earlyMsg:
		return WarningSource{Kind: WarnSchedule}
	case s.coverMsg:
		return WarningSource{Kind: WarnCoverage}
	}
	for _, m := range s.measures {
		if m.warnOnly && w == m.warnText {
			return WarningSource{Kind: WarnMeasure, Measure: m.src.ID}
		}
		switch w {
		case m.warnVoid:
			return WarningSource{Kind: WarnVoid, Measure: m.src.ID}
		case m.warnConf:
			return WarningSource{Kind: WarnConfidence, Measure: m.src.ID}
		case m.warnList:
			return WarningSource{Kind: WarnList, Measure: m.src.ID}
		}
		for _, e := range m.exempts {
			switch w {
			case e.warnPartial:
				return WarningSource{Kind: WarnPartialList, Measure: m.src.ID, Exemption: e.src}
			case e.warnList:
				return WarningSource{Kind: WarnExemptionList, Measure: m.src.ID, Exemption: e.src}
			}
		}
	}
	for _, dm := range s.deMinimis {
		if w == dm.granted {
			return WarningSource{Kind: WarnDeMinimis, Measure: dm.src.ID}
		}
	}
	return WarningSource{}
}

// QuestionSource says where a question of an assessment made with s comes
// from and what its other answer declares: Measure is the measure whose
// duty depends on the answer, Exemption the exemption asked about (nil
// when the measure itself is limited to the fact); the other answer claims
// one of Programs, declares one of Claims, or declares the content value
// Field ("steel_value", ...) as zero.
type QuestionSource struct {
	Measure   string
	Exemption *measure.Exemption
	Programs  []string
	Claims    []string
	Field     string
}

// DescribeQuestion returns the source of q, a question of an assessment
// made with s; the zero QuestionSource when s did not ask it. Like
// DescribeWarning it is meant for pages.
func (s *Snapshot) DescribeQuestion(q Question) QuestionSource {
	same := func(o *Question) bool { return o.Fact == q.Fact && o.Assumed == q.Assumed }
	for _, m := range s.measures {
		if m.askQ != nil && same(m.askQ) {
			return QuestionSource{Measure: m.src.ID, Claims: m.askQ.claims}
		}
		if m.base != baseValue && same(&m.baseQuestion) {
			return QuestionSource{Measure: m.src.ID, Field: m.baseQuestion.Fact}
		}
		for _, e := range m.exempts {
			if e.ask != "" && same(&e.question) {
				return QuestionSource{Measure: m.src.ID, Exemption: e.src, Programs: e.question.programs, Claims: e.question.claims}
			}
		}
	}
	return QuestionSource{}
}
