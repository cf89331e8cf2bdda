package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/levy-tariff/levy/engine"
)

// assessFields are the fields of the assess form: the four a duty needs
// first, the rest folded under "More about the goods".
var (
	assessFields = []string{"hts", "origin", "entry_date", "value", "quantity", "unit"}
	assessMore   = []string{"known_on", "export_date", "mode", "program", "steel_value", "aluminum_value", "copper_value", "us_content_value", "informal", "de_minimis", "scenario"}
)

// assessPage answers /assess: the form alone, the form with what is
// missing asked for, the form with every error, or the result with the
// form below it to change any answer.
func (s *Server) assessPage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	q := r.URL.Query()
	f := newForm(q, "/assess", "Work out the duty", assessFields, assessMore)
	v := &resultPage{Form: f, Caption: "What is owed", Heading: "Work out the duty on an import",
		Lead: "Every duty layer: the base rate, each chapter 99 measure in force on the entry date, and the fees, each with its legal source."}
	st.scenarioOptions(f.field("scenario"))
	st.claimBoxes(f)
	if len(q) == 0 {
		s.renderPage(w, r, http.StatusOK, "answer", layout{Title: v.Heading, Nav: "assess"}, v)
		return
	}
	lf := st.checkLine(f, true, true)
	st.checkScenario(f)
	status, done := settle(w, r, f)
	if done {
		return
	}
	var a *engine.Assessment
	var ctx *resultContext
	if f.ok() {
		a, ctx = st.assessForm(f, lf, "/assess")
		status = computed(f, status)
	}
	title := v.Heading
	if a != nil {
		res := ctx.result(a)
		v.Result = &res
		v.Asked = asked(a, ctx.q, st.scenarioTitle(f.value("scenario")))
		v.Heading = "Duty on " + a.Line + " from " + countryName(ctx.q.Origin)
		title = v.Heading + ", entered " + longDate(a.EntryDate)
		v.ShortURL = "/assess" + shortQuery(canonical(q), formOrder)
		v.Next = nextLinks(q, a.Line, "assess")
	}
	s.renderPage(w, r, status, "answer", layout{Title: title, Nav: "assess", HasErrors: len(f.Errors) > 0}, v)
}

// assessForm assesses the form's line, with the explanation and the
// answers to its questions; an error the engine finds is put on its field.
func (st *state) assessForm(f *form, lf lineFields, action string) (*engine.Assessment, *resultContext) {
	scenario := f.value("scenario")
	snap, err := st.snapshot(scenario)
	if err != nil {
		engineErrorField(f, err)
		return nil, nil
	}
	q, err := lf.in.Parse()
	if err != nil {
		engineErrorField(f, err)
		return nil, nil
	}
	q.Explain = true
	a, err := snap.Assess(&q)
	if err != nil {
		engineErrorField(f, err)
		return nil, nil
	}
	if len(a.Questions) > 0 {
		snap.WhatIf(&q, a)
	}
	return a, &resultContext{st: st, snap: snap, q: &q, action: action, given: given(f.q)}
}

// given is the non-empty values of q.
func given(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if vs = nonEmpty(vs); len(vs) > 0 {
			out[k] = vs
		}
	}
	return out
}

// nextLinks are the other views of the same line, carrying what they use
// of what was given.
func nextLinks(q url.Values, line, from string) []suggestion {
	keep := func(names ...string) url.Values {
		out := url.Values{}
		for _, n := range names {
			if v := strings.TrimSpace(q.Get(n)); v != "" {
				out.Set(n, v)
			}
		}
		out.Set("hts", line)
		return out
	}
	var out []suggestion
	if from != "assess" {
		out = append(out, suggestion{Text: "Work out the duty on one entry", URL: "/assess" + shortQuery(keep("origin", "value", "quantity", "unit", "program", "known_on"), formOrder)})
	}
	if from != "timeline" {
		out = append(out, suggestion{Text: "See how this duty changes with the entry date", URL: "/timeline" + shortQuery(keep("origin", "value", "quantity", "unit", "program", "steel_value", "aluminum_value", "copper_value", "us_content_value"), formOrder)})
	}
	if from != "compare" {
		out = append(out, suggestion{Text: "Compare with announced and threatened measures", URL: "/compare" + shortQuery(keep("origin", "entry_date", "value", "quantity", "unit", "program"), formOrder)})
	}
	out = append(out, suggestion{Text: "About commodity code " + line, URL: "/line/" + line + lineContext(q)})
	return out
}

// lineContext is the query a line's page carries on to its own links.
func lineContext(q url.Values) string {
	out := url.Values{}
	for _, n := range []string{"origin", "entry_date", "value"} {
		if v := strings.TrimSpace(q.Get(n)); v != "" {
			out.Set(n, v)
		}
	}
	return shortQuery(out, formOrder)
}

// scenarioOptions fills the scenario choice: enacted law, then each scenario.
func (st *state) scenarioOptions(f *formField) {
	if f == nil {
		return
	}
	f.Options = []option{{Value: "", Label: "Enacted law", Selected: f.Value == ""}}
	for _, id := range engine.ScenarioNames(st.lv.Rules) {
		f.Options = append(f.Options, option{Value: id, Label: st.scenarioTitle(id), Selected: f.Value == id})
	}
}

func (st *state) scenarioTitle(id string) string {
	if sc, ok := st.lv.Rules.Scenarios[id]; ok && sc.Scenario.Title != "" {
		return sc.Scenario.Title
	}
	return id
}

func (st *state) checkScenario(f *form) {
	id := f.value("scenario")
	if id == "" || f.field("scenario") == nil {
		return
	}
	if _, ok := st.lv.Rules.Scenarios[id]; !ok {
		f.fail("scenario", "Choose enacted law or one of the scenarios levy knows")
	}
}

// claimBoxes shows the facts declared through questions' links, so that a
// declaration can be taken back.
func (st *state) claimBoxes(f *form) {
	for _, c := range strings.Split(strings.Join(f.q["claims"], ";"), ";") {
		if c = strings.TrimSpace(c); c != "" {
			f.Claims = append(f.Claims, claimBox{Value: c, Label: st.claimTitle(c)})
		}
	}
}

// claimTitle words a declared fact by the exemption or measure that names it.
func (st *state) claimTitle(c string) string {
	for _, m := range st.lv.Rules.Measures {
		for _, e := range m.Exemptions {
			if slices.Contains(e.Claims, c) && e.Title != "" {
				return upperFirst(e.Title)
			}
		}
		if slices.Contains(m.Claims, c) {
			return measureName(m.Family, m.Title)
		}
	}
	return c
}
