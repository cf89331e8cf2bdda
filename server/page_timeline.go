package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
)

var (
	timelineFields = []string{"hts", "origin", "value", "quantity", "unit"}
	timelineMore   = []string{"from", "to", "known_on", "program", "mode", "steel_value", "aluminum_value", "copper_value", "us_content_value", "scenario"}
)

// timelineView is both readings of every entry date: the chart (drawn at
// two sizes, for wide and narrow screens) and the table of the same
// figures, which is also what screen readers read.
type timelineView struct {
	ID         string
	Line       string
	Origin     string
	Value      string
	KnownOn    string
	Wide       chartView
	Narrow     chartView
	Rows       []timelineRow
	OffScale   string
	PastData   string
	Identical  bool
	CaptionFor string
}

// timelineRow is a run of entry dates on which neither reading changes.
type timelineRow struct {
	ID               string
	Dates            string
	Collected, Known reading
	Diff             string
	Changed          bool
}

// reading is the duty of one reading over a row.
type reading struct {
	Rate, Duty string
	Names      []string
}

// timelinePage answers /timeline like assessPage: a form, questions for
// what a link left out, every error at once, or the timeline.
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	q := r.URL.Query()
	f := newForm(q, "/timeline", "Show the timeline", timelineFields, timelineMore)
	f.field("value").Hint = "In US dollars; leave blank for $10,000, so that the duty reads as a rate"
	f.field("known_on").Hint = "Leave blank for today; the law as collected is always shown beside it"
	st.scenarioOptions(f.field("scenario"))
	v := &resultPage{Form: f, Caption: "Timeline", Heading: "How the duty on a product changes with the entry date",
		Lead: "The effective duty rate on every entry date, as collected and as the law is known on a later date (by default today). Where the two differ, the importer is owed a refund or an extra bill."}
	if len(q) == 0 {
		s.renderPage(w, r, http.StatusOK, "answer", layout{Title: v.Heading, Nav: "timeline"}, v)
		return
	}
	lf := st.checkLine(f, false, false)
	from, to, known := s.timelineRange(f, st)
	st.checkScenario(f)
	status, done := settle(w, r, f)
	if done {
		return
	}
	title := v.Heading
	if f.ok() {
		if tl := st.timeline(f, lf, from, to, known); tl != nil {
			v.Timeline = tl
			v.Heading = "Duty on " + tl.Line + " from " + countryName(lf.origin) + ", by entry date"
			title = v.Heading
			v.Asked = []askedRow{
				{"Commodity code", tl.Line + " " + lf.line.Description, "f-hts"},
				{"Country of origin", countryName(lf.origin) + " (" + lf.origin + ")", "f-origin"},
				{"Customs value", tl.Value, "f-value"},
				{"Entry dates", longDate(from) + " to " + longDate(to), "f-from"},
				{"Law as known on", longDate(known) + ", beside the law as collected on each entry date", "f-known_on"},
			}
			if sc := f.value("scenario"); sc != "" {
				v.Asked = append(v.Asked, askedRow{"Read under", st.scenarioTitle(sc), "f-scenario"})
			}
			v.ShortURL = "/timeline" + shortQuery(canonical(q), formOrder)
			v.Next = nextLinks(q, tl.Line, "timeline")
		}
		status = computed(f, status)
	}
	s.renderPage(w, r, status, "answer", layout{Title: title, Nav: "timeline", HasErrors: len(f.Errors) > 0}, v)
}

// canonical drops the unit when no quantity is given: the unit choice is
// always sent, but means nothing without a quantity.
func canonical(q map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range q {
		out[k] = vs
	}
	if strings.TrimSpace(strings.Join(out["quantity"], "")) == "" {
		delete(out, "unit")
	}
	return out
}

// Timeline defaults and bounds.
var timelineFrom = date.MustParse(defaultFrom)

func (s *Server) timelineRange(f *form, st *state) (from, to, known date.Date) {
	snap, err := st.lv.Snapshot("")
	horizon := date.None
	if err == nil {
		horizon = snap.Horizon
	}
	from, to, known = timelineFrom, horizon, s.today()
	read := func(name, what string, d *date.Date) bool {
		if f.value(name) == "" {
			return true
		}
		x := checkDate(f, name, what)
		if x == 0 {
			return false
		}
		*d = x
		return true
	}
	okFrom := read("from", "the first entry date", &from)
	okTo := read("to", "the last entry date", &to)
	read("known_on", "the date the law is read as known on", &known)
	if okFrom && okTo && to < from {
		f.fail("to", "The last entry date must be on or after the first ("+longDate(from)+")")
	} else if okFrom && okTo && int(to-from) > maxDays {
		f.fail("to", fmt.Sprintf("A timeline covers at most %d years: choose a last entry date before %s", maxDays/366, longDate(from.AddDays(maxDays))))
	}
	return from, to, known
}

// timeline reads the line both ways over [from, to] and words each run.
func (st *state) timeline(f *form, lf lineFields, from, to, known date.Date) *timelineView {
	snap, err := st.snapshot(f.value("scenario"))
	if err != nil {
		engineErrorField(f, err)
		return nil
	}
	in := lf.in
	in.EntryDate, in.KnownOn = from.String(), ""
	if strings.TrimSpace(in.Value) == "" {
		in.Value = defaultValue
	}
	q, err := in.Parse()
	if err != nil {
		engineErrorField(f, err)
		return nil
	}
	collected, err := snap.Timeline(q, from, to, date.None)
	if err != nil {
		engineErrorField(f, err)
		return nil
	}
	knownSegs, err := snap.Timeline(q, from, to, known)
	if err != nil {
		engineErrorField(f, err)
		return nil
	}
	tl := &timelineView{ID: "tl", Line: lf.line.Dotted(), Origin: countryName(q.Origin), Value: usd(q.Value), KnownOn: longDate(known)}
	tl.Rows = st.timelineRows(snap, q, tl.ID, collected, knownSegs, to, known)
	tl.Identical = sameSegments(collected, knownSegs)
	c := chartInput{id: tl.ID, line: tl.Line, origin: countryName(q.Origin), from: from, to: to, known: known, horizon: snap.Horizon,
		collected: collected, knownSegs: knownSegs, rows: tl.Rows}
	tl.Wide = c.draw(wideChart)
	tl.Narrow = c.draw(narrowChart)
	tl.OffScale = tl.Wide.OffScale
	if snap.Horizon < to {
		tl.PastData = fmt.Sprintf("levy's rules are known to %s: the shaded dates after it show the law as levy knows it then, not measures announced since.", longDate(snap.Horizon))
	}
	return tl
}

func sameSegments(a, b []engine.Segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].From != b[i].From || a[i].To != b[i].To || !a[i].Duty.Equal(b[i].Duty) {
			return false
		}
	}
	return true
}

// timelineRows merges both readings into runs where neither changes, and
// names what charges in each by assessing the run's first day.
func (st *state) timelineRows(snap *engine.Snapshot, q engine.Query, id string, collected, known []engine.Segment, to, knownOn date.Date) []timelineRow {
	starts := map[date.Date]bool{}
	for _, g := range append(append([]engine.Segment{}, collected...), known...) {
		starts[g.From] = true
	}
	ds := make([]date.Date, 0, len(starts))
	for d := range starts {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	var rows []timelineRow
	for i, d := range ds {
		last := to
		if i+1 < len(ds) {
			last = ds[i+1].AddDays(-1)
		}
		c, k := segmentAt(collected, d), segmentAt(known, d)
		row := timelineRow{ID: fmt.Sprintf("%s-row-%d", id, i)}
		if d == last {
			row.Dates = longDate(d)
		} else {
			row.Dates = longDate(d) + " to " + longDate(last)
		}
		row.Collected = st.readingAt(snap, q, d, date.None, c)
		row.Known = st.readingAt(snap, q, d, knownOn, k)
		diff, _ := k.Duty.Sub(c.Duty)
		switch {
		case diff.IsNeg():
			row.Diff, row.Changed = strings.TrimPrefix(usd(diff), "−")+" refund", true
		case diff.IsPos():
			row.Diff, row.Changed = usd(diff)+" more", true
		default:
			row.Diff = "None"
		}
		rows = append(rows, row)
	}
	return rows
}

func segmentAt(segs []engine.Segment, d date.Date) engine.Segment {
	for _, g := range segs {
		if g.From <= d && d < g.To {
			return g
		}
	}
	return engine.Segment{}
}

// readingAt words one reading of a run: the rate, the duty and the names
// of the measures that charge.
func (st *state) readingAt(snap *engine.Snapshot, q engine.Query, d, knownOn date.Date, g engine.Segment) reading {
	r := reading{Rate: pct(g.Rate), Duty: usd(g.Duty)}
	q.EntryDate, q.KnownOn, q.Explain = d, knownOn, false
	a, err := snap.Assess(&q)
	if err != nil {
		return r
	}
	for _, l := range a.Layers {
		if l.Kind == engine.MeasureLayer && l.Amount.IsPos() {
			r.Names = append(r.Names, measureName(l.Family, l.Title))
		}
	}
	if len(r.Names) == 0 {
		r.Names = []string{"The base rate only"}
	}
	return r
}

// rateOf is a segment's effective rate as a float for drawing only; money
// is never computed in floats.
func rateOf(g engine.Segment) float64 {
	f, _ := g.Rate.Float64()
	return f
}
