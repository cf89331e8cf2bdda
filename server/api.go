package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

var assessParams = params{scenario: true, explain: true}

// assessResponse is an assessment with the scenario it was read under.
type assessResponse struct {
	engine.View
	Scenario string `json:"scenario"`
}

func (s *Server) assessGet(w http.ResponseWriter, r *http.Request) error {
	req, err := assessParams.fromQuery(r.URL.Query())
	if err != nil {
		return err
	}
	return s.assess(w, r, req)
}

func (s *Server) assessPost(w http.ResponseWriter, r *http.Request) error {
	if _, err := mediaType(r, "application/json"); err != nil {
		return err
	}
	body, err := readBody(w, r, s.MaxBodyBytes)
	if err != nil {
		return err
	}
	req, err := assessParams.fromJSON(body)
	if err != nil {
		return err
	}
	return s.assess(w, r, req)
}

func (s *Server) assess(w http.ResponseWriter, r *http.Request, req *request) error {
	q, err := req.parse()
	if err != nil {
		return err
	}
	snap, err := s.current().snapshot(req.scenario)
	if err != nil {
		return err
	}
	if err := r.Context().Err(); err != nil {
		return err
	}
	a := assessments.Get().(*engine.Assessment)
	defer assessments.Put(a)
	if err := snap.AssessInto(&q, a); err != nil {
		return err
	}
	if len(a.Questions) > 0 {
		snap.WhatIf(&q, a)
	}
	writeJSON(w, http.StatusOK, assessResponse{View: view(a), Scenario: req.scenario})
	return nil
}

// assessments recycles results between requests: View copies what it
// returns, so a result can be reused as soon as it has been viewed.
var assessments = sync.Pool{New: func() any { return new(engine.Assessment) }}

// view is a.View with every list non-null, as the OpenAPI schema says.
func view(a *engine.Assessment) engine.View {
	v := a.View()
	if v.Layers == nil {
		v.Layers = []engine.LayerView{}
	}
	return v
}

// snapshot returns the snapshot of a scenario ("" for enacted law); an
// unknown name is a 404 that lists the known ones.
func (st *state) snapshot(name string) (*engine.Snapshot, error) {
	if name != "" {
		if _, ok := st.lv.Rules.Scenarios[name]; !ok {
			return nil, &Error{Code: CodeNotFound, Field: "scenario", Message: "unknown scenario " + strconv.Quote(name),
				Suggestions: engine.ScenarioNames(st.lv.Rules)}
		}
	}
	return st.lv.Snapshot(name)
}

func (s *Server) htsLine(w http.ResponseWriter, r *http.Request) error {
	sched := s.current().lv.Schedule
	d, err := s.queryDate(r, "date")
	if err != nil {
		return err
	}
	l, err := sched.Lookup(r.PathValue("code"), d)
	if err != nil {
		return htsErr(err)
	}
	writeJSON(w, http.StatusOK, sched.View(l, d))
	return nil
}

// queryDate reads an optional date parameter; absent, it is today.
func (s *Server) queryDate(r *http.Request, name string) (date.Date, error) {
	t := strings.TrimSpace(r.URL.Query().Get(name))
	if t == "" {
		return date.Of(s.now()), nil
	}
	d, err := date.Parse(t)
	if err != nil {
		return 0, invalid(name, err.Error())
	}
	return d, nil
}

// htsErr maps a schedule lookup error: a code never held or not in force on
// the date is a 404 with suggestions, a malformed code a 400.
func htsErr(err error) error {
	var nf *hts.NotFoundError
	var ni *hts.NotInForceError
	switch {
	case errors.As(err, &nf):
		return &Error{Code: CodeNotFound, Field: "hts", Message: nf.Error(), Suggestions: nf.Nearest}
	case errors.As(err, &ni):
		return &Error{Code: CodeNotFound, Field: "hts", Message: ni.Error(), Suggestions: ni.InForce}
	}
	return invalid("code", err.Error())
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// searchResult is one line found by GET /v1/hts?q=.
type searchResult struct {
	Code        string  `json:"code"`
	Dotted      string  `json:"dotted"`
	Description string  `json:"description"`
	Context     string  `json:"context"`
	General     string  `json:"general"`
	Score       float64 `json:"score"`
}

// maxQuery bounds a search: no description is searched by more words, and
// the answer repeats the query.
const maxQuery = 200

func (s *Server) htsSearch(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	query := strings.TrimSpace(qs.Get("q"))
	if query == "" {
		return invalid("q", "give words of a description or the first digits of an HTS number")
	}
	if len(query) > maxQuery {
		return invalid("q", fmt.Sprintf("a search takes at most %d characters", maxQuery))
	}
	limit := 20
	if t := qs.Get("limit"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 100 {
			return invalid("limit", "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	d, err := s.queryDate(r, "date")
	if err != nil {
		return err
	}
	sched := s.current().lv.Schedule
	out := []searchResult{}
	special := qs.Get("special") == "true" || qs.Get("special") == "1"
	for _, m := range sched.Search(query, hts.SearchOptions{Date: d, Limit: limit, Special: special}) {
		res := searchResult{Code: m.Line.Code, Dotted: m.Line.Dotted(), Description: m.Line.Description, Score: m.Score}
		if rl := sched.RateLine(m.Line); rl != nil {
			res.General = rl.General
		}
		anc := sched.Ancestors(m.Line)
		parts := make([]string, 0, len(anc)+1)
		for i := len(anc) - 1; i >= 0; i-- {
			parts = append(parts, strings.TrimSuffix(anc[i].Description, ":"))
		}
		res.Context = strings.Join(append(parts, m.Line.Description), " › ")
		out = append(out, res)
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": query, "date": d.String(), "revision": sched.Cite(nil, d), "results": out})
	return nil
}

var timelineParams = params{scenario: true, extra: []string{"from", "to"}, without: []string{"entry_date"}}

// Timeline defaults: the period levy's rules describe, and a round value
// so that the chart reads as a rate.
const (
	defaultFrom  = "2025-01-01"
	defaultValue = "10000"
	maxDays      = 366 * 10
)

// segmentView is one run of equal duty; To is the first date after it and
// Last its last day.
type segmentView struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Last     string   `json:"last"`
	Duty     string   `json:"duty"`
	Rate     string   `json:"rate"`
	Headings []string `json:"headings"`
	Layers   []string `json:"layers"`
}

type timelineResponse struct {
	HTS         string        `json:"hts"`
	Description string        `json:"description"`
	Origin      string        `json:"origin"`
	Value       string        `json:"value"`
	From        string        `json:"from"`
	To          string        `json:"to"`
	KnownOn     string        `json:"known_on"`
	Horizon     string        `json:"horizon"`
	Scenario    string        `json:"scenario"`
	AsCollected []segmentView `json:"as_collected"`
	AsKnown     []segmentView `json:"as_known"`
}

// timeline answers with both readings of every entry date: as collected
// (each date read as the law stood that day) and as known on known_on
// (default: today by the server's clock).
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	req, err := timelineParams.fromQuery(r.URL.Query())
	if err != nil {
		return err
	}
	st := s.current()
	snap, err := st.snapshot(req.scenario)
	if err != nil {
		return err
	}
	from, to, knownOn, err := s.timelineDates(req, snap)
	if err != nil {
		return err
	}
	if strings.TrimSpace(req.in.Value) == "" {
		req.in.Value = defaultValue
	}
	req.in.EntryDate, req.in.KnownOn = from.String(), ""
	q, err := req.parse()
	if err != nil {
		return err
	}
	collected, err := snap.Timeline(q, from, to, date.None)
	if err != nil {
		return err
	}
	if err := r.Context().Err(); err != nil {
		return err
	}
	known, err := snap.Timeline(q, from, to, knownOn)
	if err != nil {
		return err
	}
	res := timelineResponse{HTS: hts.Dotted(q.HTS), Origin: q.Origin, Value: money.Format(q.Value), From: from.String(),
		To: to.String(), KnownOn: knownOn.String(), Horizon: snap.Horizon.String(), Scenario: req.scenario,
		AsCollected: segments(collected), AsKnown: segments(known)}
	if l, err := st.lv.Schedule.Lookup(q.HTS, to); err == nil {
		res.HTS, res.Description = l.Dotted(), l.Description
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) timelineDates(req *request, snap *engine.Snapshot) (from, to, knownOn date.Date, err error) {
	pick := func(field, text, def string) (date.Date, error) {
		if strings.TrimSpace(text) == "" {
			text = def
		}
		d, err := date.Parse(strings.TrimSpace(text))
		if err != nil {
			return 0, invalid(field, err.Error())
		}
		return d, nil
	}
	today := date.Of(s.now())
	if from, err = pick("from", req.extra["from"], defaultFrom); err != nil {
		return
	}
	if to, err = pick("to", req.extra["to"], snap.Horizon.String()); err != nil {
		return
	}
	if knownOn, err = pick("known_on", req.in.KnownOn, today.String()); err != nil {
		return
	}
	switch {
	case to < from:
		err = invalid("to", fmt.Sprintf("to %s is before from %s", to, from))
	case int(to-from) > maxDays:
		err = invalid("to", fmt.Sprintf("a timeline covers at most %d days", maxDays))
	}
	return
}

func segments(in []engine.Segment) []segmentView {
	out := make([]segmentView, 0, len(in))
	for _, g := range in {
		out = append(out, segmentView{From: g.From.String(), To: g.To.String(), Last: g.To.AddDays(-1).String(),
			Duty: money.Format(g.Duty), Rate: g.Rate.Round(2).String(), Headings: nonNil(g.Headings), Layers: nonNil(g.Layers)})
	}
	return out
}

var compareParams = params{extra: []string{"scenario"}}

// comparisonView is one reading of a line in GET /v1/compare.
type comparisonView struct {
	Scenario   string      `json:"scenario"`
	Title      string      `json:"title"`
	Difference string      `json:"difference"`
	Assessment engine.View `json:"assessment"`
}

// compare reads the line under enacted law and each scenario named in the
// comma-separated scenario parameter (default: every scenario).
func (s *Server) compare(w http.ResponseWriter, r *http.Request) error {
	req, err := compareParams.fromQuery(r.URL.Query())
	if err != nil {
		return err
	}
	st := s.current()
	names, err := scenarioList(req.extra["scenario"])
	if err != nil {
		return err
	}
	if _, given := req.extra["scenario"]; !given {
		names = engine.ScenarioNames(st.lv.Rules)
	}
	for _, n := range names {
		if _, err := st.snapshot(n); err != nil {
			return err
		}
	}
	q, err := req.parse()
	if err != nil {
		return err
	}
	cs, err := st.lv.Compare(q, names)
	if err != nil {
		return err
	}
	out := make([]comparisonView, 0, len(cs))
	for _, c := range cs {
		out = append(out, comparisonView{Scenario: c.Scenario, Title: c.Title, Difference: money.Format(c.Difference), Assessment: view(c.Assessment)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"comparisons": out})
	return nil
}

// maxCompare bounds the scenarios of one comparison: each is a full
// assessment in the answer.
const maxCompare = 16

// scenarioList reads a comma-separated list of scenario names, each kept
// once in the order first named: naming one twice must not double the
// answer.
func scenarioList(text string) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	for _, n := range strings.Split(text, ",") {
		if n = strings.TrimSpace(n); n == "" || seen[n] {
			continue
		}
		if len(names) == maxCompare {
			return nil, invalid("scenario", fmt.Sprintf("a comparison takes at most %d scenarios", maxCompare))
		}
		seen[n] = true
		names = append(names, n)
	}
	return names, nil
}

func (s *Server) measures(w http.ResponseWriter, r *http.Request) error {
	family := r.URL.Query().Get("family")
	out := []measure.Summary{}
	for _, m := range s.current().lv.Rules.Measures {
		if family != "" && m.Family != family {
			continue
		}
		v := m.Summary()
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"measures": out})
	return nil
}

type scenarioView struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Measures    int    `json:"measures"`
}

func (s *Server) scenarios(w http.ResponseWriter, r *http.Request) error {
	rules := s.current().lv.Rules
	out := []scenarioView{}
	for _, id := range engine.ScenarioNames(rules) {
		sc := rules.Scenarios[id]
		out = append(out, scenarioView{ID: id, Title: sc.Scenario.Title, Description: strings.TrimSpace(sc.Scenario.Description), Measures: len(sc.Measures)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": out})
	return nil
}

// infoView describes the data in use.
type infoView struct {
	Revision  string `json:"revision"`
	Source    string `json:"source"`
	Revisions int    `json:"revisions"`
	Newest    string `json:"newest_revision"`
	Start     string `json:"schedule_start"`
	Lines     int    `json:"lines"`
	Measures  int    `json:"measures"`
	Lists     int    `json:"lists"`
	Fees      int    `json:"fees"`
	Scenarios int    `json:"scenarios"`
	Horizon   string `json:"horizon"`
	LoadedAt  string `json:"loaded_at"`
	Today     string `json:"today"`
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) error {
	st := s.current()
	snap, err := st.lv.Snapshot("")
	if err != nil {
		return err
	}
	lv := st.lv
	newest := ""
	if n := len(lv.Schedule.Revisions); n > 0 {
		newest = lv.Schedule.Revisions[n-1].Title
	}
	writeJSON(w, http.StatusOK, infoView{Revision: lv.Schedule.Revision, Source: sourceName(lv.Schedule.Source), Lines: len(lv.Schedule.Lines),
		Revisions: len(lv.Schedule.Revisions), Newest: newest, Start: lv.Schedule.Start.String(),
		Measures: len(lv.Rules.Measures), Lists: len(lv.Rules.Lists), Fees: len(lv.Rules.Fees), Scenarios: len(lv.Rules.Scenarios),
		Horizon: snap.Horizon.String(), LoadedAt: st.loadedAt.UTC().Format(time.RFC3339), Today: date.Of(s.now()).String()})
	return nil
}
