package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// The burden page's cases run in TestPages with the other views.
func init() { pageCases = append(pageCases, burdenPageCases...) }

var burdenPageCases = []pageCase{
	{name: "burden", path: "/burden", status: 200,
		want: []string{"<title>Japan, 2025–2026: the rate as collected and as owed today — levy</title>", `data-testid="burden-chart"`, `data-testid="burden-figure"`,
			`data-testid="burden-table"`, `id="bd-row-0"`, `href="#bd-row-0"`, `aria-current="page">Burden over time`,
			"January 2025", "October 2026", "levy&#39;s data ends 10 Oct 2026", `data-testid="past-data"`, "known on 1 Jun 2026",
			"As known on 1 June 2026 (today)", "1 June 2026, today, beside the law as collected", "All periods",
			"What levy could not assess", "HTS number not in force on the date", "not counted as duty-free",
			"U.S. Census Bureau&#39;s imports for consumption (customs value, public-domain figures)", "2024 and 2025", "Census imports for consumption 2025",
			`href="/v1/burden?origin=JP&amp;from=2025-01-01&amp;to=2026-10-10&amp;every=month&amp;known_on=2026-06-01"`,
			"levy burden --origin JP --from 2025-01-01 --to 2026-10-10 --every month --known-on 2026-06-01",
			`data-testid="short-link">/burden<`, `href="/timeline?origin=JP"`},
		not: []string{"There is a problem", "burden-partners", "NaN", "$-"}},
	{name: "burden blank form", path: "/burden?origin=&from=&to=&every=&known_on=&weights_year=", status: 303, location: "/burden"},
	{name: "burden submitted", path: "/burden?origin=Japan&from=2025-01-01&to=&every=&known_on=&weights_year=", status: 303,
		location: "/burden?origin=Japan&from=2025-01-01"},
	{name: "burden every error", path: "/burden?origin=Jpn,Kora&from=2025-02-30&to=x&every=fortnight&known_on=soon&weights_year=1999", status: 400,
		want: []string{"<title>Error: ", `href="#f-origin"`, `href="#f-from"`, `href="#f-to"`, `href="#f-every"`, `href="#f-known_on"`, `href="#f-weights_year"`,
			"“Jpn” and “Kora” are not countries levy knows", "Enter the first entry date as a real date", "Enter the last entry date as a real date",
			"Choose one point every day, week or month", "Enter the date the law is read as known on as a real date", "Choose which imports weight each date",
			`<details class="details" open>`},
		not: []string{`data-testid="burden-chart"`}},
	{name: "burden country suggestions", path: "/burden?origin=JP,JX", status: 400,
		want: []string{"“JX” is not a country levy knows", `href="/burden?origin=JP%2CJM"`, "Jamaica (JM)"}, not: []string{"origin=JP%2CJP"}},
	{name: "burden dates", path: "/burden?from=2026-01-01&to=2025-01-01", status: 400,
		want: []string{"The last entry date must be on or after the first (1 January 2026)"}},
	{name: "burden daily too long", path: "/burden?every=day&from=2024-01-01&to=2026-06-30", status: 400,
		want: []string{"A daily series covers at most two years: choose one point every week or month"}},
	{name: "burden too many partners", path: "/burden?origin=JP,KR,CN,DE,FR,IT,GB,CA,MX,VN,TW", status: 400,
		want: []string{"Enter at most 10 countries: for every partner at once, use levy burden or GET /v1/burden"}},
	{name: "burden no imports", path: "/burden?origin=AQ", status: 422,
		want: []string{"levy has no imports from Antarctica to weigh"}, not: []string{`data-testid="burden-chart"`}},
	{name: "burden partners", path: "/burden?origin=JP,south+korea,AQ&from=2025-03-01&to=2025-05-31", status: 200,
		want: []string{"Japan, Korea, Republic of and Antarctica, 2025: the rate as collected and as owed today", "Japan (JP), Korea, Republic of (KR) and Antarctica (AQ)",
			`data-testid="burden-partners"`, "By partner, all periods", "March 2025", "May 2025", "levy assessed no imports from Antarctica",
			`data-testid="short-link">/burden?origin=JP%2Csouth&#43;korea%2CAQ&amp;from=2025-03-01&amp;to=2025-05-31<`},
		not: []string{"levy&#39;s data ends"}},
	{name: "burden before the coverage", path: "/burden?from=2023-11-01&to=2024-01-01", status: 200,
		want: []string{"Japan, 2023–2024: the rate as collected and as owed today", "levy&#39;s rules are complete for entries from 1 January 2024",
			"November 2023", "January 2024", "Census imports for consumption 2024"}},
	{name: "burden weekly", path: "/burden?origin=JP&from=2025-03-01&to=2025-04-30&every=week&known_on=2025-10-01&weights_year=2024", status: 200,
		want: []string{"Japan, 2025: the rate as collected and as known on 1 October 2025", "1–7 March 2025", "29 March to 4 April 2025", "one row a week",
			"the imports of 2024 weight every date", "Census imports of 2024 for every date", "Census imports for consumption 2024",
			`<option value="2024" selected>`, `<option value="week" selected>`, "--every week --known-on 2025-10-01 --weights-year 2024"}},
	{name: "burden daily", path: "/burden?origin=JP&from=2025-04-01&to=2025-04-10&every=day", status: 200,
		want: []string{"5 April 2025", "10 April 2025", "one row a day"}},
	{name: "home links to the burden", path: "/", status: 200, want: []string{`data-testid="burden-link"`, `href="/burden"`, "Japan, 2025–2026: the rate as collected and as owed today"}},
}

// waitFront waits for the front page's series of the data in use and
// logs how long it took: Japan, every month of 2025–2026, both readings,
// on the embedded schedule, rules and weights.
func waitFront(t testing.TB, ts *testServer) *seriesRun {
	t.Helper()
	st := ts.current()
	ask, ok := st.frontAsk(ts.today())
	if !ok {
		t.Fatal("no front series")
	}
	run, err := st.series.get(context.Background(), ask)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Japan's series, %d months, %d dates assessed under both readings, on the embedded data: %s", len(run.series.Points), len(run.series.Dates), run.took)
	return run
}

// TestBurdenFront: the front page shows Japan's series once it is ready,
// drawn compact, its points linked to the burden page's rows; while it is
// computed the page says so and does not wait.
func TestBurdenFront(t *testing.T) {
	ts := start(t, func(s *Server) { s.LazyFront = false }) // as levy serve runs
	front := waitFront(t, ts)
	t.Run("once", func(t *testing.T) { pageSeriesOnce(t, ts, front) })
	body := getBody(t, ts, "/", 200)
	for _, w := range []string{`data-testid="burden-chart"`, `class="chart chart-compact"`, `href="/burden#bd-row-3"`, `data-testid="burden-summary"`,
		"From 1 January 2025 to 31 October 2026, importers paid $", "is owed back.", `data-testid="timeline-chart"`} {
		if !strings.Contains(body, w) {
			t.Errorf("the front page lacks %q", w)
		}
	}
	if strings.Contains(body, "working the figures out") {
		t.Error("the front page says the series is being computed though it is ready")
	}

	// A store whose computations are stopped never finishes: the front page
	// renders at once, without the chart.
	busy := start(t)
	busy.current().series.stop()
	body = getBody(t, busy, "/", 200)
	if !strings.Contains(body, "levy is working the figures out") || strings.Contains(body, `data-testid="burden-chart"`) {
		t.Errorf("the front page does not say the series is being computed:\n%.600s", body[strings.Index(body, "story-burden"):])
	}
}

func getBody(t *testing.T, ts *testServer, path string, status int) string {
	t.Helper()
	res, err := noRedirect.Get(ts.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d", path, res.StatusCode, status)
	}
	return string(b)
}

// TestBurdenPageMatchesAPI: the page shows the figures of GET /v1/burden
// for the same series, period by period and in total.
func TestBurdenPageMatchesAPI(t *testing.T) {
	ts := start(t)
	const q = "origin=JP&from=2025-01-01&to=2026-10-10&every=month&known_on=2026-06-01"
	res := ts.get(t, "/v1/burden?"+q)
	if res.status != 200 {
		t.Fatalf("API: %d %s", res.status, res.raw)
	}
	var v burden.SeriesView
	if err := json.Unmarshal(res.raw, &v); err != nil {
		t.Fatal(err)
	}
	body := getBody(t, ts, "/burden?"+q, 200)
	am := amounts{millions: true}
	m := func(s string) string { return am.of(money.MustParse(s)) }
	r2 := func(s string) string { return rate2(money.MustParse(s)) }
	for i, p := range append(v.Points, v.Total) {
		id := `id="bd-row-` + strconv.Itoa(i) + `"`
		if i == len(v.Points) {
			id = `id="bd-total"`
		}
		at := strings.Index(body, id)
		if at < 0 {
			t.Fatalf("the page has no row %s", id)
		}
		row := body[at:]
		row = row[:strings.Index(row, "</tr>")]
		for _, want := range []string{m(p.Collected.Imports), r2(p.Collected.Rate), m(p.Collected.Duty), r2(p.Known.Rate), m(p.Known.Duty)} {
			if !strings.Contains(row, ">"+want+"<") {
				t.Errorf("period %s: the row lacks %s of the API:\n%s", p.From, want, row)
			}
		}
		if owed := money.MustParse(p.OwedBack); owed.IsPos() && !strings.Contains(row, ">"+m(p.OwedBack)+"<") {
			t.Errorf("period %s: the row lacks owed back %s", p.From, m(p.OwedBack))
		}
	}
	for _, want := range []string{bigUSD(money.MustParse(v.Total.Collected.Duty)), bigUSD(money.MustParse(v.Total.Known.Duty)), bigUSD(money.MustParse(v.Total.OwedBack))} {
		if !strings.Contains(body, want) {
			t.Errorf("the totals lack %s", want)
		}
	}
	if len(v.Total.Collected.NotAssessed) == 0 {
		t.Fatal("the API reports every line assessed: the test cannot check the page says what was not")
	}
	for _, s := range v.Total.Collected.NotAssessed {
		if !strings.Contains(body, upperFirst(s.Reason)) || !strings.Contains(body, m(s.Value)) {
			t.Errorf("the page does not say %s: %s not assessed", s.Reason, m(s.Value))
		}
	}
}

func TestPeriodWords(t *testing.T) {
	d := date.MustParse
	for _, c := range []struct{ from, last, want string }{
		{"2025-03-01", "2025-03-01", "1 March 2025"},
		{"2025-03-01", "2025-03-31", "March 2025"},
		{"2025-02-01", "2025-02-28", "February 2025"},
		{"2025-03-03", "2025-03-09", "3–9 March 2025"},
		{"2025-03-29", "2025-04-04", "29 March to 4 April 2025"},
		{"2025-03-15", "2025-04-14", "15 March to 14 April 2025"},
		{"2025-03-01", "2025-04-30", "March to April 2025"},
		{"2025-01-01", "2025-12-31", "2025"},
		{"2024-12-30", "2025-01-05", "30 December 2024 to 5 January 2025"},
	} {
		if got := periodWords(d(c.from), d(c.last)); got != c.want {
			t.Errorf("periodWords(%s, %s) = %q, want %q", c.from, c.last, got, c.want)
		}
	}
}

func TestBurdenAmounts(t *testing.T) {
	for _, c := range []struct {
		in         string
		m, big, wd string
	}{
		{"1656940354.27", "$1,656.9m", "$1.66bn", "$1,656,940,354"}, {"1656950000", "$1,657.0m", "$1.66bn", "$1,656,950,000"},
		{"38114848396", "$38,114.8m", "$38.11bn", "$38,114,848,396"},
		{"603342686", "$603.3m", "$603.3m", "$603,342,686"},
		{"42118.5", "$0.0m", "$42,119", "$42,119"},
		{"0", "$0.0m", "$0", "$0"},
		{"-2500000", "−$2.5m", "−$2.5m", "−$2,500,000"},
		{"-0.01", "$0.0m", "$0", "$0"},
	} {
		d := money.MustParse(c.in)
		if got := (amounts{millions: true}).of(d); got != c.m {
			t.Errorf("in millions %s = %q, want %q", c.in, got, c.m)
		}
		if got := bigUSD(d); got != c.big {
			t.Errorf("bigUSD(%s) = %q, want %q", c.in, got, c.big)
		}
		if got := (amounts{}).of(d); got != c.wd {
			t.Errorf("in dollars %s = %q, want %q", c.in, got, c.wd)
		}
	}
	if got := owedWords(money.MustParse("-3000000"), bigUSD); got != "$3.0m extra to pay" {
		t.Errorf("an extra bill reads %q", got)
	}
}

// TestRateRuns: neighbouring periods of one rate are one step of the chart.
func TestRateRuns(t *testing.T) {
	d := date.MustParse
	pt := func(from, to, value, duty string) burden.Point {
		return burden.Point{From: d(from), To: d(to), Collected: burden.Reading{Value: money.MustParse(value), Duty: money.MustParse(duty)}}
	}
	pts := []burden.Point{pt("2025-01-01", "2025-02-01", "100", "2"), pt("2025-02-01", "2025-03-01", "50", "1"), pt("2025-03-01", "2025-04-01", "100", "10"),
		pt("2025-04-01", "2025-05-01", "0", "0")}
	runs := rateRuns(pts, func(p *burden.Point) *burden.Reading { return &p.Collected })
	if len(runs) != 3 || runs[0].To != d("2025-03-01") || runs[0].Rate.String() != "2.00" || !runs[0].Duty.Equal(money.MustParse("3")) ||
		runs[1].Rate.String() != "10.00" || runs[2].Rate.String() != "0.00" {
		t.Errorf("runs %+v", runs)
	}
}

// pageSeriesOnce: concurrent asks for one series share one computation;
// the front page's series is never dropped to make room.
func pageSeriesOnce(t *testing.T, ts *testServer, front *seriesRun) {
	st := ts.current()
	ask := seriesAsk{origins: []string{"JP"}, from: date.MustParse("2025-04-01"), to: date.MustParse("2025-04-03"), every: burden.Day, known: date.MustParse("2026-06-01")}
	var wg sync.WaitGroup
	runs := make([]*seriesRun, 4)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := st.series.get(context.Background(), ask)
			if err != nil {
				t.Error(err)
			}
			runs[i] = r
		}()
	}
	wg.Wait()
	for _, r := range runs[1:] {
		if r != runs[0] {
			t.Fatal("one series was computed more than once")
		}
	}
	st.series.mu.Lock()
	st.series.max = 1
	st.series.mu.Unlock()
	other := ask
	other.to = date.MustParse("2025-04-02")
	if _, err := st.series.get(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	st.series.mu.Lock()
	kept := st.series.byKey[front.ask.key()] == front
	st.series.mu.Unlock()
	if !kept {
		t.Error("the front page's series was dropped")
	}
	if got := st.series.frontSeries(ts.today()); got != front {
		t.Error("the front page does not show its series")
	}
}

// BenchmarkPages renders the burden page and the front page with Japan's
// series computed (as a reader finds them after the first seconds): the
// series is never computed for a request.
func BenchmarkPages(b *testing.B) {
	ts := start(b)
	waitFront(b, ts)
	h := ts.Handler()
	for name, path := range map[string]string{"home": "/", "burden": "/burden"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != 200 {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
		})
	}
}
