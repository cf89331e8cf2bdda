package server

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
)

// pageCase is one request to the page and what its HTML must (not) say.
type pageCase struct {
	name, path string
	status     int
	location   string // for redirects: the short link
	want, not  []string
}

const car = "/assess?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000"

var pageCases = []pageCase{
	{name: "home", path: "/", status: 200, want: []string{"$6,000.00", "Section 232, vehicles of Japan", "9903.01.33", `data-testid="timeline-chart"`}},
	{name: "search", path: "/search?q=basketballs", status: 200, want: []string{`href="/line/9506.62.80.20"`, "Basketballs"}},
	{name: "search blank", path: "/search?q=", status: 400, want: []string{"There is a problem", `href="#f-q"`, "Enter words"}},
	{name: "search form", path: "/search", status: 200, not: []string{"There is a problem", "To answer"}},
	{name: "line", path: "/line/9506.62.80.20", status: 200, want: []string{"4.8%", `name="hts" value="9506.62.80.20"`, `href="/timeline?hts=9506.62.80.20"`}},
	{name: "line carries context", path: "/line/9506.62.80.20?origin=JP&value=500", status: 200,
		want: []string{`id="f-origin" name="origin" type="text" value="JP"`, `href="/timeline?hts=9506.62.80.20&amp;origin=JP&amp;value=500"`}},
	{name: "line per unit", path: "/line/2204.21.50.40", status: 200, want: []string{`id="f-quantity"`, `<span class="suffix">liters</span>`, "charged per liter"}},
	{name: "line unknown", path: "/line/8703.23.01.39", status: 404, want: []string{"not in the schedule", `href="/line/8703.23.01.30"`}},
	{name: "line heading", path: "/line/8703", status: 200, want: []string{"Lines under 8703", "8703.23.01.30"}},
	{name: "line chapter 99", path: "/line/9903.94.41?entry_date=2025-10-01", status: 200,
		want: []string{`data-testid="provision"`, "chapter 99 provision"}, not: []string{`id="duty"`}},
	{name: "line history", path: "/line/0901.11.00.45?entry_date=2025-06-30", status: 200,
		want: []string{`data-testid="history"`, "History of this line", "No longer in the schedule", "Discontinued, effective July 1, 2025 (484(f))", "As in force on 30 June 2025"}},
	{name: "line not in force", path: "/line/0901.11.00.45?entry_date=2025-07-01", status: 404,
		want: []string{"0901.11.00.45 is not in force on 1 July 2025: it is in force until 30 June 2025", `href="/line/0901.11.00.35"`, `data-testid="history"`}},
	{name: "assess not in force", path: "/assess?hts=0901.11.00.35&origin=BR&entry_date=2025-06-15&value=1000", status: 400,
		want: []string{"There is a problem", "0901.11.00.35 is not in force on 15 June 2025: it is in force from 1 July 2025", `0901.11.00.45`}},
	{name: "assess form", path: "/assess", status: 200, not: []string{"There is a problem", "To answer"}},
	{name: "assess link asks", path: "/assess?hts=9506.62.80.20", status: 200,
		want: []string{"To answer, levy needs to know", "Which country are the goods from?", "On what date are the goods entered?", "What is the customs value"},
		not:  []string{"There is a problem", "error-message", "<title>Error"}},
	{name: "assess every error", path: "/assess?hts=87x&origin=&entry_date=2025-02-30&value=-3&quantity=&unit=kg&steel_value=x&mode=", status: 400,
		want: []string{"<title>Error: ", `href="#f-hts"`, `href="#f-origin"`, `href="#f-entry_date"`, `href="#f-value"`, `href="#f-steel_value"`,
			"Enter the commodity code as 8 or 10 digits", "Enter the country of origin", "Enter the entry date as a real date", "Enter the customs value as an amount",
			`<details class="details" open>`}},
	{name: "assess submitted", path: "/assess?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000&quantity=&unit=kg&known_on=&mode=&program=", status: 303,
		location: car},
	{name: "assess car", path: car, status: 200,
		want: []string{"$6,000.00", "Japan (JP)", "$40,000.00", "20 September 2025", "Section 232, vehicles of Japan, 15% inclusive",
			`href="https://www.govinfo.gov/link/fr/90/43535?link-type=pdf"`, `href="https://content.govdelivery.com/accounts/USDHSCBP/bulletins/3f2c91c"`,
			`href="https://hts.usitc.gov/reststop/file?release=2025HTSRev24&amp;filename=Chapter%2087"`, `href="https://www.ecfr.gov/current/title-19/section-24.23"`,
			"Reported at no duty", "Autos and parts under Section 232 pay no reciprocal", `data-testid="short-link">` + "/assess?hts=8703.23.01.30&amp;origin=JP&amp;entry_date=2025-09-20&amp;value=40000<"},
		not: []string{"$-", "s232-autos-jp", "not applicable"}},
	{name: "assess question", path: "/assess?hts=8708.80.65.90&origin=MX&entry_date=2025-06-01&value=10000", status: 200,
		want: []string{"Do the goods qualify: USMCA originating", "$250.00 less", `href="/assess?hts=8708.80.65.90&amp;origin=MX&amp;entry_date=2025-06-01&amp;value=10000&amp;program=S"`,
			"What is the value of the aluminum in the goods?"},
		not: []string{"$-", "--claim", "--program", "usmca:", "aluminum_value declared"}},
	{name: "assess no USMCA question for Japan", path: "/assess?hts=8708.80.65.90&origin=JP&entry_date=2025-06-01&value=10000", status: 200,
		not: []string{"USMCA originating"}},
	{name: "assess void", path: "/assess?hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000&known_on=2026-03-01", status: 200,
		want: []string{"$480.00", "is treated as void from 24 February 2026", "refund is due"}, not: []string{"(jp-reciprocal", "voided_on"}},
	{name: "assess past the data", path: "/assess?hts=9506.62.80.20&origin=JP&entry_date=2027-01-15&value=10000", status: 200,
		want: []string{"the last day levy&#39;s rules are known for"}},
	{name: "assess wine asks quantity", path: "/assess?hts=2204.21.50.40&origin=FR&entry_date=2025-09-20&value=10000", status: 200,
		want: []string{"How many liters?"}, not: []string{"There is a problem"}},
	{name: "assess wine quantity blank", path: "/assess?hts=2204.21.50.40&origin=FR&entry_date=2025-09-20&value=10000&quantity=&unit=liters", status: 400,
		want: []string{"Enter the quantity in liters: the rate of 2204.21.50 is 6.3¢/liter"}},
	{name: "assess wine", path: "/assess?hts=2204.21.50.40&origin=FR&entry_date=2025-09-20&value=10000&quantity=1000&unit=liters", status: 200,
		want: []string{"$63.00", "1000 liters"}},
	{name: "assess program not listed", path: "/assess?hts=8708.80.65.90&origin=MX&entry_date=2025-06-01&value=10000&program=S%2B", status: 400,
		want: []string{"8708.80.65 does not list USMCA (S&#43;) in its special column: it lists"}},
	{name: "assess program of another country", path: "/assess?hts=8708.80.65.90&origin=JP&entry_date=2025-06-01&value=10000&program=S", status: 400,
		want: []string{"USMCA (S) covers goods of other countries, not goods of Japan"}},
	{name: "assess country by name", path: "/assess?hts=9506.62.80.20&origin=japan&entry_date=2025-08-20&value=10000", status: 200, want: []string{"$1,980.00", "Japan (JP)"}},
	{name: "assess country suggestions", path: "/assess?hts=9506.62.80.20&origin=JX&entry_date=2025-08-20&value=10000", status: 400,
		want: []string{"“JX” is not a country levy knows", `href="/assess?hts=9506.62.80.20&amp;origin=JP&amp;entry_date=2025-08-20&amp;value=10000"`}},
	{name: "assess heading", path: "/assess?hts=8703&origin=JP&entry_date=2025-08-20&value=10000", status: 400,
		want: []string{"8703 is a group of lines, not a tariff line", "8703.10.10"}},
	{name: "timeline link asks", path: "/timeline?hts=9506.62.80.20", status: 200, want: []string{"Which country are the goods from?"}, not: []string{"There is a problem"}},
	{name: "timeline", path: "/timeline?hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31", status: 200,
		want: []string{`data-testid="timeline-table"`, "As known on 1 June 2026", "IEEPA reciprocal tariff on Japan", `data-testid="past-data"`, "levy&#39;s data ends 10 Oct 2026"},
		not:  []string{"Jan 25<", "9903.02.30 +15%"}},
	{name: "timeline spike", path: "/timeline?hts=8471.30.01.00&origin=CN", status: 200,
		want: []string{`data-testid="spike"`, "Off the scale, for a few days only", "145% as collected (10 April 2025)"}},
	{name: "timeline wine", path: "/timeline?hts=2204.21.50.40&origin=FR&quantity=1000&unit=liters", status: 200, want: []string{"France (FR)", `data-testid="timeline-table"`}},
	{name: "timeline submitted", path: "/timeline?hts=9506.62.80.20&origin=JP&value=&quantity=&unit=kg&from=&to=&known_on=&program=&mode=&scenario=", status: 303,
		location: "/timeline?hts=9506.62.80.20&origin=JP"},
	{name: "timeline dates", path: "/timeline?hts=9506.62.80.20&origin=JP&from=2026-01-01&to=2025-01-01", status: 400,
		want: []string{"The last entry date must be on or after the first (1 January 2026)"}},
	{name: "compare", path: "/compare?hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000", status: 200,
		want: []string{"Enacted law", "Threatened 35% rate on Japan", "&#43;$2,000.00"}},
	{name: "compare unknown scenario", path: "/compare?hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000&scenario=nope", status: 400,
		want: []string{"“nope” is not a scenario levy knows"}},
	{name: "compare link asks", path: "/compare?hts=9506.62.80.20", status: 200, want: []string{"What is the customs value"}, not: []string{"There is a problem"}},
	{name: "old address", path: "/?page=assess&hts=8703.23.01.30&origin=JP", status: 301, location: "/assess?hts=8703.23.01.30&origin=JP"},
	{name: "old line address", path: "/?page=line&code=9506.62.80.20", status: 301, location: "/line/9506.62.80.20"},
	{name: "not found", path: "/no/such/page", status: 404, want: []string{"Page not found", `href="/search"`}},
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestPages requests every view and checks its status, its short-link
// redirect and what its HTML says; every page is strict about scripts and
// styles (no inline ones) and never prints money as "$-".
func TestPages(t *testing.T) {
	ts := start(t)
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|\sstyle="|\son[a-z]+="`)
	for _, c := range pageCases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", ts.URL()+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept", "text/html,application/xhtml+xml") // as a browser asks
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d\n%.1500s", res.StatusCode, c.status, body)
			}
			if c.location != "" {
				if got := res.Header.Get("Location"); got != c.location {
					t.Errorf("redirected to %q, want %q", got, c.location)
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
			if m := inline.FindString(body); m != "" {
				t.Errorf("inline script or style %q breaks the content security policy", m)
			}
			if strings.Contains(body, "$-") {
				t.Errorf("money printed as $-")
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

func TestMoneyAndDates(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", "$0.00"}, {"6000", "$6,000.00"}, {"-400", "−$400.00"}, {"1234567.891", "$1,234,567.89"}, {"-0.001", "$0.00"}, {"999.995", "$1,000.00"},
	} {
		if got := usd(money.MustParse(c.in)); got != c.want {
			t.Errorf("usd(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := longDate(date.MustParse("2025-09-20")); got != "20 September 2025" {
		t.Errorf("longDate: %q", got)
	}
	if got := changeWords("-400.00"); got != "Under the other answer the duty is $400.00 less." {
		t.Errorf("changeWords: %q", got)
	}
}

func TestMeasureName(t *testing.T) {
	for _, c := range []struct{ family, title, want string }{
		{"s232-autos", "Section 232, vehicles of Japan, 15% inclusive of the column 1 rate", "Section 232, vehicles of Japan, 15% inclusive of the column 1 rate"},
		{"ieepa-reciprocal", "Reciprocal tariff on Japan, +15% (EO 14326 as first implemented)", "IEEPA reciprocal tariff on Japan, +15% (EO 14326 as first implemented)"},
		{"ieepa-fentanyl-cn", "China and Hong Kong, +20% (EO 14228)", "IEEPA fentanyl: China and Hong Kong, +20% (EO 14228)"},
		{"ieepa-brazil", "Brazil, +40% (EO 14323)", "IEEPA: Brazil, +40% (EO 14323)"},
		{"s301-china", "Section 301 China, +25%", "Section 301 China, +25%"},
		{"fee-mpf", "Merchandise processing fee, FY2026", "Merchandise processing fee, FY2026"},
		{"ieepa-reciprocal", `"Letter to Japan: 25%"`, "IEEPA reciprocal: Letter to Japan: 25%"},
	} {
		if got := measureName(c.family, c.title); got != c.want {
			t.Errorf("measureName(%s, %q) = %q, want %q", c.family, c.title, got, c.want)
		}
	}
}

// TestCiteLinks checks that addresses are derived only from what the
// authority says, never invented.
func TestCiteLinks(t *testing.T) {
	got := citeLinks(measure.Authority{Instrument: "EO 14345", Citation: "90 FR 43535; 90 FR 44638", CSMS: "65936570"})
	want := []citeLink{{"EO 14345", ""}, {"90 FR 43535", "https://www.govinfo.gov/link/fr/90/43535?link-type=pdf"},
		{"90 FR 44638", "https://www.govinfo.gov/link/fr/90/44638?link-type=pdf"},
		{"CBP CSMS #65936570", "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/3ee1cba"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d: %v, want %v", i, got[i], want[i])
		}
	}
	for _, a := range []measure.Authority{{Instrument: "Commerce notice", Citation: "Federal Register notice published 2025-09-25"}, {CSMS: "25-0012"}} {
		for _, l := range citeLinks(a) {
			if l.URL != "" {
				t.Errorf("%+v: a link was made up: %v", a, l)
			}
		}
	}
	if l := revisionLink("HTS 2026 Basic Edition", "8703.23.01"); l.URL != "https://hts.usitc.gov/reststop/file?release=2026HTSBasic&filename=Chapter%2087" {
		t.Errorf("the basic edition links to %q", l.URL)
	}
	if l := revisionLink("levy's own export", "8703.23.01"); l.URL != "" {
		t.Errorf("a schedule with no release name links to %s", l.URL)
	}
}

// TestChartScale: a one-day spike is marked above a scale the lasting
// rates set; the zero line stays clear of the axis.
func TestChartScale(t *testing.T) {
	d := date.MustParse
	seg := func(from, to, r string) engine.Segment {
		return engine.Segment{From: d(from), To: d(to), Rate: money.MustParse(r)}
	}
	c := chartInput{id: "t", line: "8471.30.01.00", origin: "China", from: d("2025-01-01"), to: d("2025-12-31"), known: d("2026-06-01"), horizon: d("2025-10-31"),
		collected: []engine.Segment{seg("2025-01-01", "2025-04-10", "20"), seg("2025-04-10", "2025-04-11", "145"), seg("2025-04-11", "2026-01-01", "20")},
		knownSegs: []engine.Segment{seg("2025-01-01", "2026-01-01", "0")}}
	if got := c.scale(); got != 25 {
		t.Errorf("scale %v, want 25: the spike must not set it", got)
	}
	for _, sz := range []chartSize{wideChart, narrowChart} {
		v := c.draw(sz)
		if len(v.Spikes) != 1 || v.Spikes[0].Label != "145%" || !strings.Contains(v.OffScale, "145% as collected (10 April 2025)") {
			t.Errorf("%s: spikes %+v, caption %q", sz.name, v.Spikes, v.OffScale)
		}
		if v.AxisY <= v.PlotB {
			t.Errorf("%s: the axis at %v hides the zero line at %v", sz.name, v.AxisY, v.PlotB)
		}
		if v.Past == nil || v.Past.X >= v.PlotR {
			t.Errorf("%s: the stretch past levy's data is not marked: %+v", sz.name, v.Past)
		}
		for _, p := range v.Points {
			if p.TipX < 0 || p.TipX+p.TipW > sz.w {
				t.Errorf("%s: the tip %q runs out of the chart (%v to %v of %v)", sz.name, p.Tip, p.TipX, p.TipX+p.TipW, sz.w)
			}
		}
		for _, tk := range v.XTicks {
			if !regexp.MustCompile(`^[A-Z][a-z]{2} \d{4}$`).MatchString(tk.Label) {
				t.Errorf("%s: ambiguous date label %q", sz.name, tk.Label)
			}
		}
	}
	// A short run that is not far above the rest is drawn to scale.
	c.collected[1].Rate = money.MustParse("28")
	if got := c.scale(); got != 40 {
		t.Errorf("scale %v, want 40 with a short run of 28%%", got)
	}
}
