package server

import (
	"fmt"
	"github.com/levy-tariff/levy/date"
	"net/http"
	"net/url"
	"strings"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/money"
)

// The other views: compare, search, a line and the front page.

var (
	compareFields = []string{"hts", "origin", "entry_date", "value", "quantity", "unit"}
	compareMore   = []string{"known_on", "program"}
)

// comparePageView is the compare page.
type comparePageView struct {
	resultPage
	Scenarios []scenarioBox
	Columns   []compareColumn
}

type scenarioBox struct {
	ID, Title, Description string
	Checked                bool
}

// compareColumn is one reading of the line.
type compareColumn struct {
	Title, Duty, Rate, Difference, Fees, Total string
	Names                                      []string
	Result                                     resultView
}

// comparePage answers /compare: the line under enacted law and under each
// scenario chosen (every scenario when none is).
func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	q := r.URL.Query()
	f := newForm(q, "/compare", "Compare", compareFields, compareMore)
	v := &comparePageView{resultPage: resultPage{Form: f, Caption: "Scenarios", Heading: "Compare enacted law with announced and threatened measures",
		Lead: "The same entry under enacted law and under measures that were announced or threatened but never enacted, side by side."}}
	chosen := map[string]bool{}
	for _, sc := range q["scenario"] {
		for _, id := range strings.Split(sc, ",") {
			if id = strings.TrimSpace(id); id != "" {
				chosen[id] = true
			}
		}
	}
	var names []string
	for _, id := range engine.ScenarioNames(st.lv.Rules) {
		sc := st.lv.Rules.Scenarios[id].Scenario
		v.Scenarios = append(v.Scenarios, scenarioBox{ID: id, Title: st.scenarioTitle(id), Description: strings.TrimSpace(sc.Description), Checked: chosen[id]})
		if chosen[id] || len(chosen) == 0 {
			names = append(names, id)
		}
	}
	if len(q) == 0 {
		s.renderPage(w, r, http.StatusOK, "compare", layout{Title: v.Heading, Nav: "compare"}, v)
		return
	}
	lf := st.checkLine(f, true, true)
	for id := range chosen {
		if _, ok := st.lv.Rules.Scenarios[id]; !ok {
			f.general = append(f.general, fieldError{ID: "f-scenario", Message: "“" + id + "” is not a scenario levy knows: choose from the list"})
		}
	}
	status, done := settle(w, r, f)
	if done {
		return
	}
	title := v.Heading
	if f.ok() {
		if pq, err := lf.in.Parse(); err != nil {
			engineErrorField(f, err)
		} else if cs, err := st.lv.Compare(pq, names); err != nil {
			engineErrorField(f, err)
		} else {
			pq.Explain = false
			for _, c := range cs {
				snap, _ := st.lv.Snapshot(c.Scenario)
				ctx := &resultContext{st: st, snap: snap, q: &pq, action: "/assess", given: given(q)}
				col := compareColumn{Title: c.Title, Duty: usd(c.Assessment.Duty), Rate: pct(c.Assessment.EffectiveRate()),
					Fees: usd(c.Assessment.FeesTotal), Total: usd(c.Assessment.Total), Result: ctx.result(c.Assessment)}
				col.Difference = "—"
				if c.Scenario != "" {
					col.Difference = signedUSD(c.Difference)
				}
				for _, l := range c.Assessment.Layers {
					if l.Kind == engine.MeasureLayer && l.Amount.IsPos() {
						col.Names = append(col.Names, measureName(l.Family, l.Title))
					}
				}
				if len(col.Names) == 0 {
					col.Names = []string{"The base rate only"}
				}
				v.Columns = append(v.Columns, col)
			}
			a := cs[0].Assessment
			v.Asked = asked(a, &pq, "")
			v.Heading = "Duty on " + a.Line + " from " + countryName(pq.Origin) + ": enacted law and scenarios"
			title = v.Heading
			v.ShortURL = "/compare" + shortQuery(canonical(q), formOrder)
			v.Next = nextLinks(q, a.Line, "compare")
		}
		status = computed(f, status)
	}
	s.renderPage(w, r, status, "compare", layout{Title: title, Nav: "compare", HasErrors: len(f.Errors) > 0}, v)
}

// signedUSD is a difference with its sign: "+$3,500.00", "−$1,000.00".
func signedUSD(d money.Decimal) string {
	switch {
	case d.IsPos():
		return "+" + usd(d)
	case d.IsNeg():
		return usd(d)
	}
	return "No difference"
}

// searchPageView is the search page.
type searchPageView struct {
	Form    *form
	Query   string
	Results []searchRow
}

type searchRow struct {
	Code, Description, Context, General, URL string
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	q := r.URL.Query()
	f := newForm(q, "/search", "Search", []string{"q"}, nil)
	v := &searchPageView{Form: f}
	status := http.StatusOK
	title := "Search the tariff schedule"
	if f.require("q", "", "Enter words of a description or the first digits of a commodity code") {
		v.Query = f.value("q")
		v.Results = st.search(v.Query, s.today(), 50)
		title = v.Query + ": search"
	}
	f.Missing = nil
	f.finish()
	if len(f.Errors) > 0 {
		status = http.StatusBadRequest
	}
	s.renderPage(w, r, status, "search", layout{Title: title, Nav: "search", HasErrors: len(f.Errors) > 0}, v)
}

func (st *state) search(query string, on date.Date, limit int) []searchRow {
	sched := st.lv.Schedule
	var out []searchRow
	for _, m := range sched.Search(query, hts.SearchOptions{Date: on, Limit: limit}) {
		row := searchRow{Code: m.Line.Dotted(), Description: m.Line.Description, URL: "/line/" + m.Line.Dotted()}
		if rl := sched.RateLine(m.Line); rl != nil {
			row.General = rl.General
		}
		anc := sched.Ancestors(m.Line)
		var parts []string
		for i := len(anc) - 1; i >= 0; i-- {
			if d := strings.TrimSuffix(anc[i].Description, ":"); d != "" {
				parts = append(parts, d)
			}
		}
		row.Context = strings.Join(parts, " › ")
		out = append(out, row)
	}
	return out
}

// linePageView is a line's page.
type linePageView struct {
	Code, Description string
	Path              []hts.PathView
	RateFrom          string
	Rates             []rateRow
	Units             string
	Footnotes         []hts.FootnoteView
	Revision          citeLink
	// Children are the lines of a heading or subheading.
	Children []searchRow
	// Form works the duty out from here, with what the page knows.
	Form  *form
	Links []suggestion
	Error *fieldError
	Near  []suggestion
	// Provision marks a chapter 99 provision, which is not assessed as goods.
	Provision bool
	// On is the date the line is shown as in force on, InForce when this
	// version applies, and History every version of the line.
	On, InForce string
	History     []historyRow
}

// historyRow is one version of a line on its page.
type historyRow struct {
	When, Change, Source, Printed string
	Discontinued                  bool
}

// lineHistory lists the versions of a line in words, oldest first.
func (st *state) lineHistory(code string) []historyRow {
	vs, err := st.lv.Schedule.History(code)
	if err != nil || len(vs) < 2 && !vs[0].Discontinued && vs[0].Basis == hts.BasisFirst.String() {
		return nil // one version since the first revision levy holds: nothing to tell
	}
	var out []historyRow
	for i, v := range vs {
		row := historyRow{Discontinued: v.Discontinued}
		switch {
		case v.From == v.To:
			row.When = "never in force: replaced retroactively"
		case v.From == date.Always:
			row.When = "since the first revision levy holds"
		default:
			row.When = "from " + longDate(v.From)
		}
		if v.To != date.None && v.From != v.To {
			row.When += " to " + longDate(v.To.AddDays(-1))
		}
		switch {
		case v.Discontinued:
			row.Change = "No longer in the schedule"
		case i == 0:
			row.Change = v.Description
		case len(v.Changed) > 0:
			row.Change = "Changed: " + strings.Join(historyFields(v.Changed), ", ")
		default:
			row.Change = "Printed again"
		}
		switch {
		case v.Change != nil:
			row.Source = fmt.Sprintf("%s, effective %s (%s)", v.Change.Nature, v.Change.Printed, v.Change.Source)
		case v.Basis == hts.BasisFirst.String():
			row.Source = "in the first revision levy holds"
		default:
			row.Source = "the revision's date"
		}
		row.Printed = v.FirstRevision
		if v.LastRevision != "" && v.LastRevision != v.FirstRevision {
			row.Printed += " to " + v.LastRevision
		}
		out = append(out, row)
	}
	return out
}

// historyFields names a version's changed fields for an importer.
func historyFields(fs []string) []string {
	words := map[string]string{"general": "general rate", "special": "special rates", "other": "column 2 rate",
		"quota_quantity": "quota", "additional_duties": "additional duties"}
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		if w, ok := words[f]; ok {
			f = w
		}
		out = append(out, f)
	}
	return out
}

// notInForceWords says when a line is in force, for a page.
func notInForceWords(e *hts.NotInForceError) string {
	var ws []string
	for _, w := range e.Windows {
		switch {
		case w.From == date.Always && w.To == date.None:
			ws = append(ws, "always")
		case w.From == date.Always:
			ws = append(ws, "until "+longDate(w.To.AddDays(-1)))
		case w.To == date.None:
			ws = append(ws, "from "+longDate(w.From))
		default:
			ws = append(ws, "from "+longDate(w.From)+" to "+longDate(w.To.AddDays(-1)))
		}
	}
	return fmt.Sprintf("%s is not in force on %s: it is in force %s", hts.Dotted(e.Code), longDate(e.Date), strings.Join(ws, " and "))
}

type rateRow struct {
	Column, Text, Note string
}

// linePage shows a line: where it sits, its rates and units, and a form
// that carries the line (and whatever else the link knew) to the duty.
func (s *Server) linePage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	sched := st.lv.Schedule
	code := r.PathValue("code")
	on := date.Of(s.now())
	if d, err := date.Parse(r.URL.Query().Get("entry_date")); err == nil {
		on = d
	}
	l, err := st.lookupLine(code, on)
	if err != nil {
		v := &linePageView{Code: code}
		msg := "Enter the commodity code as 4, 6, 8 or 10 digits, for example 8703.23.01.30"
		if nf, ok := err.(*hts.NotFoundError); ok {
			msg = hts.Dotted(nf.Code) + " is not in the schedule (" + st.revisionOn(on) + ")"
			for _, c := range nf.Nearest {
				v.Near = append(v.Near, suggestion{Text: c, URL: "/line/" + c})
			}
		}
		if ni, ok := err.(*hts.NotInForceError); ok {
			msg = notInForceWords(ni)
			for _, c := range ni.InForce {
				v.Near = append(v.Near, suggestion{Text: c, URL: "/line/" + c})
			}
			v.History = st.lineHistory(ni.Code)
		}
		v.Error = &fieldError{Message: msg}
		s.renderPage(w, r, http.StatusNotFound, "line", layout{Title: "Commodity code not found", Nav: "search", HasErrors: true}, v)
		return
	}
	view := sched.View(l, on)
	v := &linePageView{Code: view.Dotted, Description: view.Description, Path: view.Path, Footnotes: view.Footnotes,
		Revision: revisionLink(view.Revision, view.Dotted), On: longDate(on), InForce: view.InForce, History: st.lineHistory(l.Code)}
	if rv := view.Rates; rv != nil {
		v.RateFrom = rv.From
		for _, x := range []struct {
			col string
			r   hts.RateView
		}{{"General (column 1)", rv.General}, {"Special programs", rv.Special}, {"Column 2 (Cuba, North Korea, Russia, Belarus)", rv.Other}} {
			row := rateRow{Column: x.col, Text: x.r.Text}
			if row.Text == "" {
				row.Text = "None"
			} else if !x.r.Parsed {
				row.Note = "levy cannot compute this rate: an assessment says so rather than read it as zero"
			}
			v.Rates = append(v.Rates, row)
		}
	}
	if len(view.Units) > 0 {
		var us []string
		for _, u := range view.Units {
			us = append(us, unitWords(u))
		}
		v.Units = strings.Join(us, " and ")
	}
	ctx := r.URL.Query()
	if len(l.Code) < 8 {
		for _, m := range sched.Search(l.Code, hts.SearchOptions{Date: on, Limit: 60}) {
			if m.Line.Code != l.Code && len(m.Line.Code) >= 8 {
				v.Children = append(v.Children, searchRow{Code: m.Line.Dotted(), Description: m.Line.Description, URL: "/line/" + m.Line.Dotted() + lineContext(ctx)})
			}
		}
	} else if strings.HasPrefix(l.Code, "99") {
		// A chapter 99 provision is reported beside the goods' own number;
		// it is not goods, so there is no duty to work out from it.
		v.Provision = true
	} else {
		fq := url.Values{}
		for _, n := range []string{"origin", "entry_date", "value"} {
			if x := ctx.Get(n); x != "" {
				fq.Set(n, x)
			}
		}
		f := newForm(fq, "/assess", "Work out the duty", []string{"origin", "entry_date", "value", "quantity", "unit"}, nil)
		f.Hidden = []hiddenField{{Name: "hts", Value: view.Dotted}}
		lf := lineFields{line: l, rateLn: sched.RateLine(l)}
		st.quantityField(f, &lf)
		f.More = nil // a line whose rate is not per unit needs no quantity
		f.Missing, f.Errors = nil, nil
		for _, x := range f.Fields {
			x.Error = ""
		}
		v.Form = f
		v.Links = nextLinks(ctx, view.Dotted, "line")
	}
	s.renderPage(w, r, http.StatusOK, "line", layout{Title: view.Dotted + " " + view.Description, Nav: "search"}, v)
}

// homePageView is the front page: search, and a worked example from
// Japan read both ways.
type homePageView struct {
	Search *form
	// Burden is Japan's burden over time, once it is computed (it is
	// computed once per loaded data and day, never for a request).
	Burden   *burdenView
	Timeline *timelineView
	CarAsked []askedRow
	Car      *resultView
	CarLinks []suggestion
}

// The front page's worked example.
var (
	homeBall = url.Values{"hts": {"9506.62.80.20"}, "origin": {"JP"}, "from": {"2025-01-01"}, "to": {"2026-10-31"}}
	homeCar  = url.Values{"hts": {"8703.23.01.30"}, "origin": {"JP"}, "entry_date": {"2025-09-20"}, "value": {"40000"}}
)

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	if legacyRedirect(w, r) {
		return
	}
	st := s.current()
	v := &homePageView{Search: newForm(url.Values{}, "/search", "Search", []string{"q"}, nil)}
	if run := st.series.frontSeries(s.today()); run != nil {
		v.Burden = newBurdenView(run, s.today(), "bd", true)
	}
	tf := newForm(homeBall, "/timeline", "", timelineFields, timelineMore)
	lf := st.checkLine(tf, false, false)
	from, to, known := s.timelineRange(tf, st)
	if tf.finish(); tf.ok() {
		v.Timeline = st.timeline(tf, lf, from, to, known)
	}
	cf := newForm(homeCar, "/assess", "", assessFields, assessMore)
	clf := st.checkLine(cf, true, true)
	if cf.finish(); cf.ok() {
		if a, ctx := st.assessForm(cf, clf, "/assess"); a != nil {
			res := ctx.result(a)
			v.Car = &res
			v.CarAsked = asked(a, ctx.q, "")
			for i := range v.CarAsked {
				v.CarAsked[i].Change = ""
			}
			v.CarLinks = []suggestion{{Text: "Work out the duty on your own line", URL: "/assess"},
				{Text: "See how the car's duty changed over time", URL: "/timeline?hts=8703.23.01.30&origin=JP&value=40000"}}
		}
	}
	s.renderPage(w, r, http.StatusOK, "home", layout{Title: "US import duties, layer by layer", Nav: "home"}, v)
}
