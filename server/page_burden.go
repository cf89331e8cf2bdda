package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/weights"
)

// The burden page answers the question levy started from: what the
// tariffs cost the imports of a partner (Japan by default) period by
// period, as collected and as owed today, and what is owed back. It reads
// burden.RunSeries on the embedded Census weights, draws both effective
// rates with the timeline's chart and gives every period in the table
// beside it, with what levy could not assess and where the weights come
// from.

var (
	burdenFields = []string{"origin", "from", "to", "every", "known_on"}
	burdenMore   = []string{"weights_year"}
)

// Bounds of the page's series: the page is for a few partners at a time
// (the CLI and the API give every partner), and a daily series of more
// than two years is a table too long to read.
const (
	burdenMaxPartners = 10
	burdenMaxDayRange = 731
)

// burdenPageView is the burden page.
type burdenPageView struct {
	Form             *form
	Heading, Lead    string
	Asked            []askedRow
	Burden           *burdenView
	ShortURL         string
	Command, JSONURL string
	Next             []suggestion
}

// burdenView is a series ready for the templates: the totals, the chart
// (at two sizes, or one compact drawing on the front page), the table of
// every period and what it rests on.
type burdenView struct {
	ID, Title           string
	Partners            string
	KnownOn             string
	Totals              []totalBox
	Wide, Narrow        *chartView
	Compact             *chartView
	Rows                []burdenRow
	Total               burdenRow
	Identical           bool
	OffScale, PastData  string
	NotAssessed         []skipRow
	NotAssessedTotal    string
	ByPartner           *groupTable
	BySection           *groupTable
	Warnings            []string
	WeightsSource       string
	WeightsRuns         []string
	BadRows             int
	Summary, TableTitle string
}

// totalBox is one figure of the totals above the chart.
type totalBox struct {
	Label, Value, Note, TestID string
}

// burdenRow is one period in both readings.
type burdenRow struct {
	ID, Class     string
	Period, Past  string
	Imports       string
	RateCollected string
	DutyCollected string
	RateKnown     string
	DutyKnown     string
	OwedBack      string
	NotAssessed   string
}

// skipRow is what levy could not assess for one reason.
type skipRow struct {
	Reason, Why, Lines, Value, Share string
}

// groupTable is a table of partners or sections.
type groupTable struct {
	TestID, Caption, What string
	Rows                  []burdenGroupRow
}

// burdenGroupRow is a partner or an HS section over the whole range.
type burdenGroupRow struct {
	Name                                                                  string
	Imports, RateCollected, DutyCollected, RateKnown, DutyKnown, OwedBack string
}

// burdenPage answers /burden: Japan's series with no query, the series the
// fields ask for, or the form with every error at once.
func (s *Server) burdenPage(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	f := newForm(r.URL.Query(), "/burden", "Show the burden", burdenFields, burdenMore)
	burdenFormFields(f)
	ask := s.checkBurden(f, st)
	status, done := settle(w, r, f)
	if done {
		return
	}
	v := &burdenPageView{Form: f, Heading: "The tariff burden over time",
		Lead: "The duty on a partner's imports as a share of their value, period by period: as collected, and as the law is known on a later date (by default today). The difference is what is owed back to importers."}
	title := v.Heading
	if f.ok() {
		run, err := s.pageSeries(r.Context(), ask)
		switch {
		case err != nil && r.Context().Err() != nil:
			return // the reader has gone
		case err != nil:
			f.general = append(f.general, fieldError{Message: "levy could not work this series out: " + err.Error()})
			f.finish()
			status = http.StatusInternalServerError
		case len(noImports(run.series, ask.origins)) == len(ask.origins):
			f.fail("origin", "levy has no imports from "+andList(noImports(run.series, ask.origins))+
				" to weigh: the Census figures record none, or none levy could assess. Choose another country")
			f.finish()
			status = http.StatusUnprocessableEntity
		default:
			v.Burden = newBurdenView(run, s.today(), "bd", false)
			v.Heading, title = v.Burden.Title, v.Burden.Title
			v.Asked = burdenAsked(run.series, ask, s.today())
			v.ShortURL = "/burden" + shortQuery(given(f.q), formOrder)
			v.Command, v.JSONURL = burdenCommand(ask), burdenJSONURL(ask)
			v.Next = burdenNext(ask)
		}
	}
	s.renderPage(w, r, status, "burden", layout{Title: title, Nav: "burden", HasErrors: len(f.Errors) > 0}, v)
}

// pageSeries waits for the series of ask on the data in use. A series cut
// short by a reload is asked again of the new data.
func (s *Server) pageSeries(ctx context.Context, ask seriesAsk) (*seriesRun, error) {
	for try := 0; ; try++ {
		st := s.current()
		run, err := st.series.get(ctx, ask)
		if err == nil || ctx.Err() != nil || try > 0 || !errors.Is(err, context.Canceled) || s.current() == st {
			return run, err
		}
	}
}

// burdenFormFields words the fields of the burden form.
func burdenFormFields(f *form) {
	o := f.field("origin")
	o.Label = "Countries of origin"
	o.Hint = "One or more, by name or two-letter code, separated by commas, for example Japan or JP, KR. Leave blank for Japan"
	o.Class = "w-wide"
	f.field("from").Hint = "Leave blank for 1 January 2025"
	f.field("to").Hint = "Leave blank for the end of levy's data; the last point covers one step from it"
	f.field("known_on").Hint = "Leave blank for today; the law as collected is always shown beside it"
	e := f.field("every")
	e.Label, e.Type = "One point every", "select"
	e.Options = []option{{Value: "", Label: "Month"}, {Value: "week", Label: "Week"}, {Value: "day", Label: "Day"}}
	wy := f.field("weights_year")
	wy.Label, wy.Type = "Imports that weight each date", "select"
	wy.Hint = "Census imports for consumption by HTS number and country"
	wy.Options = []option{{Value: "", Label: "Each entry date's own year (2026 by 2025)"}}
	for _, y := range weights.CensusYears() {
		wy.Options = append(wy.Options, option{Value: strconv.Itoa(y), Label: fmt.Sprintf("%d imports for every date (a fixed basket)", y)})
	}
	for _, x := range []*formField{e, wy} {
		for i := range x.Options {
			x.Options[i].Selected = x.Options[i].Value == x.Value || x.Value == "month" && x.Options[i].Value == ""
		}
	}
}

// checkBurden checks every field and returns the series they ask for.
func (s *Server) checkBurden(f *form, st *state) seriesAsk {
	ask := seriesAsk{origins: []string{"JP"}, every: burden.Month}
	if v := f.value("origin"); v != "" {
		ask.origins = checkOrigins(f, v)
	}
	ask.from, ask.to, ask.known = s.timelineRange(f, st)
	if v := f.value("every"); v != "" {
		e, err := burden.ParseEvery(v)
		if err != nil {
			f.fail("every", "Choose one point every day, week or month")
		}
		ask.every = e
	}
	if ask.every == burden.Day && int(ask.to-ask.from) >= burdenMaxDayRange && f.field("to").Error == "" {
		f.fail("every", "A daily series covers at most two years: choose one point every week or month, or a last entry date before "+
			longDate(ask.from.AddDays(burdenMaxDayRange)))
	}
	if v := f.value("weights_year"); v != "" && v != burden.WeightsEntryYear {
		if _, err := burden.CensusWeights(v); err != nil {
			f.fail("weights_year", "Choose which imports weight each date: each entry date's own year, or one of the years levy holds")
		}
		ask.weights = v
	}
	return ask
}

// checkOrigins reads partners by name or code, separated by commas; every
// unknown one is named in one error, with close countries to pick.
func checkOrigins(f *form, text string) []string {
	parts := strings.Split(text, ",")
	var codes, bad []string
	var sugg []suggestion
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		c, err := country.Lookup(p)
		if err != nil {
			var ok bool
			if c, ok = country.ByName(p); !ok {
				bad = append(bad, "“"+p+"”")
				for _, code := range country.Suggest(p) {
					if slices.ContainsFunc(parts, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), code) }) {
						continue
					}
					alt := slices.Clone(parts)
					alt[i] = code
					q := cloneValues(f.q)
					q.Set("origin", strings.Join(trimAll(alt), ","))
					sugg = append(sugg, suggestion{Text: countryName(code) + " (" + code + ")", URL: f.Action + shortQuery(q, formOrder)})
				}
				continue
			}
		}
		if !slices.Contains(codes, c.Code) {
			codes = append(codes, c.Code)
		}
	}
	switch {
	case len(bad) == 1:
		f.fail("origin", bad[0]+" is not a country levy knows: enter names or two-letter codes separated by commas, for example Japan, KR", sugg...)
	case len(bad) > 1:
		f.fail("origin", andList(bad)+" are not countries levy knows: enter names or two-letter codes separated by commas, for example Japan, KR", sugg...)
	case len(codes) > burdenMaxPartners:
		f.fail("origin", fmt.Sprintf("Enter at most %d countries: for every partner at once, use levy burden or GET /v1/burden with no origin", burdenMaxPartners))
	}
	return codes
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// partnersWords names the partners for a heading: up to three by name,
// more by their number.
func partnersWords(codes []string) string {
	if len(codes) > 3 {
		return fmt.Sprintf("%d partners", len(codes))
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = countryName(c)
	}
	return andList(names)
}

// burdenTitle is "Japan, 2025–2026: the rate as collected and as owed today".
func burdenTitle(s *burden.Series, origins []string, today date.Date) string {
	y0, y1 := s.From.Time().Year(), s.End.AddDays(-1).Time().Year()
	years := strconv.Itoa(y0)
	if y1 != y0 {
		years += "–" + strconv.Itoa(y1)
	}
	reading := "as owed today"
	if s.KnownOn != today {
		reading = "as known on " + longDate(s.KnownOn)
	}
	return partnersWords(origins) + ", " + years + ": the rate as collected and " + reading
}

// newBurdenView words a series; compact draws the one small chart of the
// front page, whose points link to the rows of the burden page.
func newBurdenView(run *seriesRun, today date.Date, id string, compact bool) *burdenView {
	s, ask := run.series, run.ask
	v := &burdenView{ID: id, Title: burdenTitle(s, ask.origins, today), Partners: partnersWords(ask.origins), KnownOn: longDate(s.KnownOn), BadRows: len(s.BadRows)}
	if s.KnownOn == today {
		v.KnownOn += " (today)"
	}
	am := amountsOf(s)
	rowOf := map[date.Date]int{}
	for i := range s.Points {
		p := &s.Points[i]
		rowOf[p.From] = i
		v.Rows = append(v.Rows, burdenRowOf(p, fmt.Sprintf("%s-row-%d", id, i), periodWords(p.From, p.To.AddDays(-1)), s.Horizon, am))
	}
	v.Total = burdenRowOf(&s.Total, id+"-total", "All periods", date.None, am)
	v.Total.Class = "total"
	v.TableTitle = "Imports from " + v.Partners + ", " + periodWords(s.From, s.End.AddDays(-1)) + ", one row " + map[burden.Every]string{burden.Day: "a day", burden.Week: "a week", burden.Month: "a month"}[s.Every]
	v.Totals = burdenTotals(s, v.KnownOn)
	v.Summary = burdenSummary(s, v.Partners)
	collected := rateRuns(s.Points, func(p *burden.Point) *burden.Reading { return &p.Collected })
	known := rateRuns(s.Points, func(p *burden.Point) *burden.Reading { return &p.Known })
	v.Identical = sameSegments(collected, known)
	prefix := "#"
	if compact {
		prefix = "/burden#"
	}
	c := chartInput{id: id, from: s.From, to: s.End.AddDays(-1), known: s.KnownOn, horizon: s.Horizon, collected: collected, knownSegs: known,
		testID: "burden-chart", rowLink: func(d date.Date) string { return fmt.Sprintf("%s%s-row-%d", prefix, id, rowOf[d]) },
		title: "Trade-weighted effective duty rate on imports from " + v.Partners + ", " + longDate(s.From) + " to " + longDate(s.End.AddDays(-1)),
		desc: "Two step lines, one step a period: the solid line is the rate as collected, each entry read as the law stood on its date; the dashed line is the rate as the law is known on " +
			longDate(s.KnownOn) + ". The table gives the same figures."}
	if compact {
		cv := c.draw(compactChart)
		v.Compact, v.OffScale = &cv, cv.OffScale
	} else {
		wide, narrow := c.draw(wideChart), c.draw(narrowChart)
		v.Wide, v.Narrow, v.OffScale = &wide, &narrow, wide.OffScale
	}
	if s.Horizon < s.End.AddDays(-1) {
		v.PastData = fmt.Sprintf("levy's rules are known to %s: the shaded periods after it read the law as levy knows it then, not measures announced since.", longDate(s.Horizon))
	}
	v.NotAssessed, v.NotAssessedTotal = skipRows(&s.Total.Collected, am)
	for _, name := range noImports(s, ask.origins) {
		v.Warnings = append(v.Warnings, "levy assessed no imports from "+name+": the Census figures record none, or none levy could assess.")
	}
	if run.coverFrom != date.None && s.From < run.coverFrom {
		v.Warnings = append(v.Warnings, "levy's rules are complete for entries from "+longDate(run.coverFrom)+
			": the periods before it leave out measures levy does not hold, so their duty is too low.")
	}
	if partners := partnerRows(s, ask.origins, am); len(partners) > 0 {
		v.ByPartner = &groupTable{TestID: "burden-partners", Caption: "By partner, all periods", What: "Partner", Rows: partners}
	}
	v.BySection = &groupTable{TestID: "burden-sections", Caption: "By HS section, all periods", What: "Section", Rows: sectionRows(s, am)}
	v.WeightsSource, v.WeightsRuns = weightsWords(s, ask.weights)
	return v
}

// compactChart is the front page's drawing: the narrow geometry, shown at
// every width.
var compactChart = func() chartSize { c := narrowChart; c.name = "compact"; return c }()

// rateRuns merges the periods of one reading into runs of equal rate, the
// steps of the chart.
func rateRuns(points []burden.Point, reading func(*burden.Point) *burden.Reading) []engine.Segment {
	var out []engine.Segment
	for i := range points {
		p := &points[i]
		r := reading(p)
		rate := r.Rate()
		if n := len(out); n > 0 && out[n-1].To == p.From && out[n-1].Rate.Equal(rate) {
			out[n-1].To = p.To
			out[n-1].Duty, _ = out[n-1].Duty.Add(r.Duty)
			continue
		}
		out = append(out, engine.Segment{From: p.From, To: p.To, Rate: rate, Duty: r.Duty})
	}
	return out
}

func burdenRowOf(p *burden.Point, id, period string, horizon date.Date, am amounts) burdenRow {
	row := burdenRow{ID: id, Period: period, Imports: am.of(p.Collected.Value),
		RateCollected: rate2(p.Collected.Rate()), DutyCollected: am.of(p.Collected.Duty),
		RateKnown: rate2(p.Known.Rate()), DutyKnown: am.of(p.Known.Duty), OwedBack: owedWords(p.OwedBack(), am.of),
		NotAssessed: am.of(skipped(&p.Collected))}
	switch last := p.To.AddDays(-1); {
	case horizon == date.None || last <= horizon:
	case p.From > horizon:
		row.Past = "after the end of levy's data"
	default:
		row.Past = "levy's data ends " + longDate(horizon)
	}
	return row
}

// owedWords is what is owed back: an amount, "None", or an extra bill.
func owedWords(d money.Decimal, of func(money.Decimal) string) string {
	switch {
	case d.IsPos():
		return of(d)
	case d.IsNeg():
		return of(d.Neg()) + " extra to pay"
	}
	return "None"
}

// skipped is the value of the imports of a reading levy could not assess.
func skipped(r *burden.Reading) money.Decimal {
	sum := money.Zero
	for _, s := range r.NotAssessed {
		sum, _ = sum.Add(s.Value)
	}
	return sum
}

func burdenTotals(s *burden.Series, knownOn string) []totalBox {
	t := &s.Total
	owed := owedWords(t.OwedBack(), bigUSD)
	return []totalBox{
		{Label: "Imports assessed", Value: bigUSD(t.Collected.Value), TestID: "burden-imports"},
		{Label: "Duty as collected", Value: bigUSD(t.Collected.Duty), Note: rate2(t.Collected.Rate()) + " of the imports", TestID: "burden-collected"},
		{Label: "Duty as known on " + knownOn, Value: bigUSD(t.Known.Duty), Note: rate2(t.Known.Rate()) + " of the imports", TestID: "burden-known"},
		{Label: "Owed back to importers", Value: owed, Note: "collected less owed as known", TestID: "burden-owed"},
	}
}

// burdenSummary says the totals in a sentence, for the front page.
func burdenSummary(s *burden.Series, partners string) string {
	t := &s.Total
	from, last := s.From, s.End.AddDays(-1)
	msg := fmt.Sprintf("From %s to %s, importers paid %s of duty on %s of goods from %s (%s). As the law is known on %s, %s was owed (%s)",
		longDate(from), longDate(last), bigUSD(t.Collected.Duty), bigUSD(t.Collected.Value), partners, rate2(t.Collected.Rate()),
		longDate(s.KnownOn), bigUSD(t.Known.Duty), rate2(t.Known.Rate()))
	switch o := t.OwedBack(); {
	case o.IsPos():
		msg += ": " + bigUSD(o) + " is owed back."
	case o.IsNeg():
		msg += ": " + bigUSD(o.Neg()) + " more is due."
	default:
		msg += ", the same."
	}
	return msg
}

// skipReasons explain each reason the burden package gives for a line it
// could not assess.
var skipReasons = map[string]string{
	"HTS number not in force on the date":        "Census reports these imports under numbers that the schedule in force on the entry date does not have (a number of 2025 replaced in 2026, for example), so levy cannot tell their rate.",
	"rate needs a quantity or is not computable": "Their rate is charged per unit (per kilogram, per liter, each) or is not a rate levy can compute, and the statistics give values, not quantities.",
	"country not recognised":                     "Census names a partner with no ISO country code.",
}

// skipRows lists what was not assessed over the whole range, largest
// first, with its share of all the imports.
func skipRows(r *burden.Reading, am amounts) ([]skipRow, string) {
	total := skipped(r)
	all, _ := total.Add(r.Value)
	reasons := make([]string, 0, len(r.NotAssessed))
	for k := range r.NotAssessed {
		reasons = append(reasons, k)
	}
	slices.SortFunc(reasons, func(a, b string) int {
		if c := r.NotAssessed[b].Value.Cmp(r.NotAssessed[a].Value); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []skipRow
	for _, k := range reasons {
		sk := r.NotAssessed[k]
		out = append(out, skipRow{Reason: upperFirst(k), Why: skipReasons[k], Lines: strconv.Itoa(sk.Lines), Value: am.of(sk.Value), Share: share(sk.Value, all)})
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, am.of(total) + " (" + share(total, all) + " of the imports)"
}

// rate2 is a trade-weighted rate with its two decimals, so that a column
// of rates reads down: "21.70%".
func rate2(r money.Decimal) string { return r.Round(2).Pad(2).String() + "%" }

// share is part of all in percent, one decimal: "3.2%".
func share(part, all money.Decimal) string {
	if !all.IsPos() {
		return "0%"
	}
	x, _ := part.Mul(money.Hundred)
	x, _ = x.Quo(all)
	return x.Round(1).Trim(0).String() + "%"
}

// noImports names the partners of which levy assessed no imports at all.
func noImports(s *burden.Series, origins []string) []string {
	var out []string
	c, k := s.Total.Collected.Partners, s.Total.Known.Partners
	for _, code := range origins {
		if c[code] == nil && k[code] == nil {
			out = append(out, countryName(code))
		}
	}
	return out
}

// partnerRows are the partners over the whole range when more than one is
// asked.
func partnerRows(s *burden.Series, origins []string, am amounts) []burdenGroupRow {
	if len(origins) < 2 {
		return nil
	}
	var rows []burdenGroupRow
	k := s.Total.Known.Partners
	for _, g := range burden.Top(s.Total.Collected.Partners, 0) {
		rows = append(rows, groupRow(g, k[g.Key], g.Name, am))
	}
	return rows
}

// sectionRows are the HS sections over the whole range, largest first.
func sectionRows(s *burden.Series, am amounts) []burdenGroupRow {
	var rows []burdenGroupRow
	for _, g := range burden.Top(s.Total.Collected.Sections, 0) {
		name := g.Name
		if g.Key != "-" && g.Key != "?" {
			name = "Section " + g.Key + ": " + g.Name
		}
		rows = append(rows, groupRow(g, s.Total.Known.Sections[g.Key], name, am))
	}
	return rows
}

func groupRow(c, k *burden.Group, name string, am amounts) burdenGroupRow {
	if k == nil {
		k = &burden.Group{}
	}
	owed, _ := c.Duty.Sub(k.Duty)
	return burdenGroupRow{Name: name, Imports: am.of(c.Value), RateCollected: rate2(c.Rate()), DutyCollected: am.of(c.Duty),
		RateKnown: rate2(k.Rate()), DutyKnown: am.of(k.Duty), OwedBack: owedWords(owed, am.of)}
}

// weightsWords names the source of the weights and which imports weight
// which periods.
func weightsWords(s *burden.Series, choice string) (string, []string) {
	src := "U.S. Census Bureau"
	if rec, err := weights.CensusSources(); err == nil && rec.Publisher != "" {
		src = rec.Publisher
	}
	var years []string
	for _, y := range weights.CensusYears() {
		years = append(years, strconv.Itoa(y))
	}
	how := "each entry date is weighted by its own year's imports, and dates after the last year levy holds by that year's"
	if choice != "" {
		how = "the imports of " + choice + " weight every date, a fixed basket that shows the law's change alone, not the trade's response to it"
	}
	source := fmt.Sprintf("The imports are the %s's imports for consumption (customs value, public-domain figures) by 10-digit HTS number and country of origin, %s, embedded in levy; %s.",
		strings.TrimSuffix(strings.TrimSuffix(src, " (public domain)"), ", Foreign Trade Division"), andList(years), how)
	var runs []string
	start := 0
	for i := 1; i <= len(s.Points); i++ {
		if i < len(s.Points) && slices.Equal(s.Points[i].Weights, s.Points[start].Weights) {
			continue
		}
		from, last := s.Points[start].From, s.Points[i-1].To.AddDays(-1)
		runs = append(runs, periodWords(from, last)+": "+andList(s.Points[start].Weights))
		start = i
	}
	return source, runs
}

// burdenAsked is what the series answers, each with a link to its field.
func burdenAsked(s *burden.Series, ask seriesAsk, today date.Date) []askedRow {
	names := make([]string, len(ask.origins))
	for i, c := range ask.origins {
		names[i] = countryName(c) + " (" + c + ")"
	}
	known := longDate(s.KnownOn)
	if s.KnownOn == today {
		known += ", today"
	}
	rows := []askedRow{
		{"Imports from", andList(names), "f-origin"},
		{"Entry dates", longDate(s.From) + " to " + longDate(s.End.AddDays(-1)), "f-from"},
		{"One point every", s.Every.String(), "f-every"},
		{"Law as known on", known + ", beside the law as collected on each entry date", "f-known_on"},
	}
	if ask.weights != "" {
		rows = append(rows, askedRow{"Weighted by", "Census imports of " + ask.weights + " for every date", "f-weights_year"})
	}
	return rows
}

// burdenCommand is the same series from the command line.
func burdenCommand(ask seriesAsk) string {
	cmd := fmt.Sprintf("levy burden --origin %s --from %s --to %s --every %s --known-on %s", strings.Join(ask.origins, ","), ask.from, ask.to, ask.every, ask.known)
	if ask.weights != "" {
		cmd += " --weights-year " + ask.weights
	}
	return cmd
}

// burdenJSONURL is the same series from the API.
func burdenJSONURL(ask seriesAsk) string {
	q := url.Values{"origin": {strings.Join(ask.origins, ",")}, "from": {ask.from.String()}, "to": {ask.to.String()},
		"every": {ask.every.String()}, "known_on": {ask.known.String()}}
	if ask.weights != "" {
		q.Set("weights_year", ask.weights)
	}
	return "/v1/burden" + shortQuery(q, []string{"origin", "from", "to", "every", "known_on", "weights_year"})
}

func burdenNext(ask seriesAsk) []suggestion {
	o := url.QueryEscape(ask.origins[0])
	return []suggestion{
		{Text: "See how the duty on one product from " + countryName(ask.origins[0]) + " changes with the entry date", URL: "/timeline?origin=" + o},
		{Text: "Work out the duty on one entry", URL: "/assess?origin=" + o},
	}
}

// periodWords names a period: "1 March 2025", "March 2025", "3–9 March
// 2025", "15 March to 14 April 2025" or from one year to the next in full.
func periodWords(from, last date.Date) string {
	a, b := from.Time(), last.Time()
	switch {
	case from == last:
		return longDate(from)
	case a.Year() != b.Year():
		return longDate(from) + " to " + longDate(last)
	case a.Month() != b.Month():
		if a.Day() == 1 && b.AddDate(0, 0, 1).Day() == 1 {
			if a.Month() == 1 && b.Month() == 12 {
				return strconv.Itoa(a.Year())
			}
			return months[a.Month()-1] + " to " + months[b.Month()-1] + " " + strconv.Itoa(a.Year())
		}
		return strconv.Itoa(a.Day()) + " " + months[a.Month()-1] + " to " + longDate(last)
	case a.Day() == 1 && b.AddDate(0, 0, 1).Day() == 1:
		return months[a.Month()-1] + " " + strconv.Itoa(a.Year())
	}
	return strconv.Itoa(a.Day()) + "–" + longDate(last)
}

// amounts formats the money of one series in one unit, so that a column
// reads down: millions ("$1,656.9m") when its periods' imports run to tens
// of millions, else whole dollars.
type amounts struct{ millions bool }

var (
	million = money.Whole(1_000_000)
	billion = money.Whole(1_000_000_000)
)

func amountsOf(s *burden.Series) amounts {
	for i := range s.Points {
		if s.Points[i].Collected.Value.Cmp(money.Whole(10_000_000)) >= 0 {
			return amounts{millions: true}
		}
	}
	return amounts{}
}

func (am amounts) of(d money.Decimal) string {
	if am.millions {
		return dollars(d, million, 1, "m")
	}
	return dollars(d, money.One, 0, "")
}

// bigUSD is a large amount in words of the GOV.UK style: "$38.11bn",
// "$603.3m", "$42,118".
func bigUSD(d money.Decimal) string {
	switch a := d.Abs(); {
	case a.Cmp(billion) >= 0:
		return dollars(d, billion, 2, "bn")
	case a.Cmp(million) >= 0:
		return dollars(d, million, 1, "m")
	}
	return dollars(d, money.One, 0, "")
}

// halfUp rounds half away from zero, as money is rounded.
func halfUp(d money.Decimal, places int) money.Decimal {
	half, _ := money.MustParse("5").Quo(money.Whole(10))
	for range places {
		half, _ = half.Quo(money.Whole(10))
	}
	if r, err := d.Abs().Add(half); err == nil {
		r = r.Trunc(places)
		if d.IsNeg() {
			r = r.Neg()
		}
		return r
	}
	return d.Round(places)
}

// dollars is d / unit rounded to places, with thousands separators and a
// minus sign, never "$-".
func dollars(d, unit money.Decimal, places int, suffix string) string {
	x, err := d.Quo(unit)
	if err != nil {
		x = d
	}
	s := halfUp(x, places).Pad(places).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	b.WriteByte('$')
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	b.WriteString(suffix)
	return b.String()
}
