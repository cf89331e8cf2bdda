package hts

import (
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/rate"
)

// View is a line with its path, the rates it uses and its footnotes, in the
// JSON shape of `levy hts show --json` and GET /v1/hts/{code}.
type View struct {
	Code        string `json:"code"`
	Dotted      string `json:"dotted"`
	Description string `json:"description"`
	Indent      int    `json:"indent"`
	Revision    string `json:"revision"`
	// Date is the date the line was looked up for ("" for the newest
	// revision); InForceFrom and InForceTo bound the dates this version is
	// in force ("" when open: before the first revision held, or on).
	Date        string `json:"date"`
	InForceFrom string `json:"in_force_from"`
	InForceTo   string `json:"in_force_to"`
	// InForce says the same in words.
	InForce   string         `json:"in_force"`
	Path      []PathView     `json:"path"`
	Rates     *RatesView     `json:"rates"`
	Units     []string       `json:"units"`
	Footnotes []FootnoteView `json:"footnotes"`
}

// PathView is one ancestor of a line.
type PathView struct {
	Code        string `json:"code"`
	Dotted      string `json:"dotted"`
	Description string `json:"description"`
	Indent      int    `json:"indent"`
}

// RatesView gives the rate texts and the line they are printed on (From),
// which may be the line itself or an ancestor.
type RatesView struct {
	From    string   `json:"from"`
	General RateView `json:"general"`
	Special RateView `json:"special"`
	Other   RateView `json:"other"`
}

// RateView is a rate text and whether levy reads it as a rate.
type RateView struct {
	Text   string `json:"text"`
	Parsed bool   `json:"parsed"`
}

// FootnoteView is a footnote of the line or of its rate line.
type FootnoteView struct {
	On       string   `json:"on"`
	Columns  []string `json:"columns"`
	Text     string   `json:"text"`
	Headings []string `json:"headings"`
}

// View describes l as in force on d (date.None: the newest revision); Rates
// is nil when no line above prints a rate.
func (s *Schedule) View(l *Line, d date.Date) View {
	v := View{Code: l.Code, Dotted: l.Dotted(), Description: l.Description, Indent: l.Indent,
		Revision: s.Cite(l, d), Date: d.String(), InForceFrom: l.From.String(), InForceTo: l.To.String(), InForce: s.InForceText(l),
		Units: nonNil(l.Units), Path: []PathView{}, Footnotes: []FootnoteView{}}
	anc := s.Ancestors(l)
	for i := len(anc) - 1; i >= 0; i-- {
		a := anc[i]
		v.Path = append(v.Path, PathView{Code: a.Code, Dotted: a.Dotted(), Description: a.Description, Indent: a.Indent})
	}
	rl := s.RateLine(l)
	if rl != nil {
		v.Rates = &RatesView{From: rl.Dotted(),
			General: RateView{rl.General, rl.GeneralRate.Kind != rate.Unparsed},
			Special: RateView{rl.SpecialText, rl.SpecialText != "" && specialParsed(rl.SpecialRate)},
			Other:   RateView{rl.Other, rl.Other != "" && rl.OtherRate.Kind != rate.Unparsed},
		}
	}
	add := func(on *Line) {
		for _, f := range on.Footnotes {
			v.Footnotes = append(v.Footnotes, FootnoteView{On: on.Dotted(), Columns: nonNil(f.Columns), Text: f.Text, Headings: nonNil(f.Headings)})
		}
	}
	add(l)
	if rl != nil && rl != l {
		add(rl)
	}
	return v
}

func specialParsed(sp rate.Special) bool {
	for _, g := range sp.Groups {
		if g.Rate.Kind == rate.Unparsed {
			return false
		}
	}
	return len(sp.Groups) > 0
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// InForceText says in words when l is in force: "from 2025-07-01 until
// 2026-01-31", "since the HTS 2025 Basic Edition (the first revision levy
// holds) until 2025-06-30", or for an export read alone "on every date".
func (s *Schedule) InForceText(l *Line) string {
	if s.Start == date.Always {
		return "on every date (one export, read alone)"
	}
	from := "from " + l.From.String()
	if l.From == date.Always && len(s.Revisions) > 0 {
		from = "since the " + s.Revisions[0].Title + " (the first revision levy holds)"
	}
	if l.To == date.None {
		return from + " on"
	}
	return from + " until " + l.To.AddDays(-1).String()
}
