package hts

import "github.com/levy-tariff/levy/rate"

// View is a line with its path, the rates it uses and its footnotes, in the
// JSON shape of `levy hts show --json` and GET /v1/hts/{code}.
type View struct {
	Code        string         `json:"code"`
	Dotted      string         `json:"dotted"`
	Description string         `json:"description"`
	Indent      int            `json:"indent"`
	Revision    string         `json:"revision"`
	Path        []PathView     `json:"path"`
	Rates       *RatesView     `json:"rates"`
	Units       []string       `json:"units"`
	Footnotes   []FootnoteView `json:"footnotes"`
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

// View describes l; Rates is nil when no line above prints a rate.
func (s *Schedule) View(l *Line) View {
	v := View{Code: l.Code, Dotted: l.Dotted(), Description: l.Description, Indent: l.Indent,
		Revision: s.Revision, Units: nonNil(l.Units), Path: []PathView{}, Footnotes: []FootnoteView{}}
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
