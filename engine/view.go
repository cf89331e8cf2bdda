package engine

import "github.com/levy-tariff/levy/money"

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
