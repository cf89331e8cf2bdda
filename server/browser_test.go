package server

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath finds Chromium: $LEVY_CHROMIUM, /usr/bin/chromium, or
// chromium on PATH. Without one the test skips, unless
// LEVY_REQUIRE_BROWSER=1 (as CI sets) makes that a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("LEVY_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "Chromium not found at /usr/bin/chromium or on PATH (install it with: apt-get install -y chromium, or set LEVY_CHROMIUM)"
	if os.Getenv("LEVY_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + "; LEVY_REQUIRE_BROWSER=1 requires the browser tests")
	}
	t.Skip(msg)
	return ""
}

// artifacts is where screenshots go: $LEVY_ARTIFACTS or
// $TMPDIR/levy-artifacts.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LEVY_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "levy-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts a fresh headless Chromium and fails the test on any
// JavaScript exception or console error the page raises.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if ex := e.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			problems = append(problems, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				problems = append(problems, "console.error: "+strings.Join(parts, " "))
			}
		}
	}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if err := chromedp.Do(ctx, focused); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("page: %s", p)
		}
	})
	return ctx
}

// focused makes a tab behave as the focused one, as a reader's tab is:
// with several tabs open, focus and :focus styles would go to one only.
var focused = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	return err
})

// tab opens another tab of the same browser; with scripts false its
// pages run no JavaScript at all, as for a reader who has it turned off.
func tab(t *testing.T, ctx context.Context, scripts bool) context.Context {
	t.Helper()
	tctx, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	// The first run opens the tab; it must not run under a step's timeout,
	// whose end would close the tab.
	if err := chromedp.Do(tctx, focused); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if !scripts {
		do(t, tctx, "scripts off", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	return tctx
}

// shot saves a full-page screenshot under the artefacts directory.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 gives PNG; less gives JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// stepTimeout bounds one step, so that a missing element fails the step
// at once instead of the whole run at its deadline.
const stepTimeout = 15 * time.Second

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantText(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("page text lacks %q:\n%.1200s", w, got)
		}
	}
}

func lacksText(t *testing.T, got string, not ...string) {
	t.Helper()
	for _, w := range not {
		if strings.Contains(got, w) {
			t.Errorf("page text has %q:\n%.1200s", w, got)
		}
	}
}

// widths are the screens every view is checked on: a phone and a laptop.
var widths = []int64{390, 1280}

func viewport(w int64) chromedp.Action[chromedp.Void] {
	if w < 600 {
		return chromedp.EmulateViewport(w, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(w, 900)
}

// noSideScroll fails when the page is wider than the screen, and when an
// amount or a table cell is cut off at the right edge. It measures the
// document, not the window: on a phone the window grows with the page.
func noSideScroll(t *testing.T, ctx context.Context, w int64) {
	t.Helper()
	sw := eval[int64](t, ctx, `document.documentElement.scrollWidth`)
	if sw > w {
		wide := eval[string](t, ctx, `(() => { const w = document.documentElement.clientWidth; const out = [];
			for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
				if (r.right > w + 1 && r.width > 0 && out.length < 5) out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.right)); }
			return out.join('; '); })()`)
		t.Errorf("the page is %d px wide on a %d px screen: it scrolls sideways (widest: %s)", sw, w, wide)
	}
	cut := eval[string](t, ctx, fmt.Sprintf(`(() => { const out = [];
		for (const el of document.querySelectorAll('td, th, .amount, [data-testid=duty], .total-box dd')) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && (r.right > %d + 1 || r.left < -1)) out.push((el.textContent || '').trim().slice(0, 30) + ' @' + Math.round(r.right)); }
		return out.slice(0, 5).join('; '); })()`, w))
	if cut != "" {
		t.Errorf("cells beyond the %d px screen: %s", w, cut)
	}
}

// visibleChart is the chart drawn for the current width (the wide one on
// a laptop, the narrow one on a phone).
const visibleChart = `[...document.querySelectorAll('svg[data-testid=timeline-chart]')].find(s => s.getBoundingClientRect().width > 0)`

// page is one view checked at every width: no sideways scroll, what it
// must show, a screenshot.
type page struct {
	name, path, wait string
	check            func(t *testing.T, ctx context.Context, w int64)
}

var pages = []page{
	{name: "home", path: "/", wait: `[data-testid=duty]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `main`), "$6,000.00", "Section 232, vehicles of Japan", "9903.01.33", "Reported at no duty", "As known on 1 June 2026")
		chartShows(t, ctx)
	}},
	{name: "search", path: "/search?q=basketballs", wait: `[data-testid=search-results]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=search-results]`), "9506.62.80.20", "Basketballs")
	}},
	{name: "line", path: "/line/9506.62.80.20", wait: `#f-origin`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `main`), "Rates of duty", "4.8%", "Work out the duty on this line")
		if v := eval[string](t, ctx, `document.querySelector('form[action="/assess"] input[name=hts]').value`); v != "9506.62.80.20" {
			t.Errorf("the line's form carries hts %q", v)
		}
	}},
	{name: "line-wine", path: "/line/2204.21.50.40", wait: `#f-quantity`, check: func(t *testing.T, ctx context.Context, w int64) {
		// A per-unit rate asks for the quantity up front, in the unit the line reports in.
		wantText(t, text(t, ctx, `main`), "6.3¢/liter", "Quantities are reported in liters")
		wantText(t, text(t, ctx, `label[for=f-quantity] ~ .input-wrap`), "liters")
	}},
	{name: "line-heading", path: "/line/8703", wait: `[data-testid=children]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=children]`), "8703.23.01.30")
	}},
	{name: "line-history", path: "/line/0901.11.00.45?entry_date=2025-06-30", wait: `[data-testid=history]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=history]`), "No longer in the schedule", "Discontinued, effective July 1, 2025")
	}},
	{name: "line-unknown", path: "/line/8703.23.01.39", wait: `[data-testid=error-summary]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `main`), "8703.23.01.39 is not in the schedule", "8703.23.01.30")
	}},
	{name: "assess-asks", path: "/assess?hts=9506.62.80.20", wait: `[data-testid=questions]`, check: func(t *testing.T, ctx context.Context, w int64) {
		noErrors(t, ctx)
		wantText(t, text(t, ctx, `[data-testid=questions]`), "Which country are the goods from?", "On what date", "customs value")
	}},
	{name: "assess-car", path: "/assess?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000", wait: `[data-testid=duty]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=duty]`), "$6,000.00")
		// The result is headed by what was asked.
		wantText(t, text(t, ctx, `[data-testid=asked]`), "8703.23.01.30", "Japan (JP)", "$40,000.00", "20 September 2025", "Law as known on")
		wantText(t, text(t, ctx, `[data-testid=layers]`), "Section 232, vehicles of Japan, 15% inclusive", "15% in all, including the base rate", "EO 14345")
		wantText(t, text(t, ctx, `[data-testid=reports]`), "9903.01.33", "Reported at no duty", "9903.94.41")
		links := eval[string](t, ctx, `[...document.querySelectorAll('[data-testid=layers] a')].map(a => a.href).join(' ')`)
		for _, want := range []string{"https://www.govinfo.gov/link/fr/90/43535", "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/3f2c91c", "https://hts.usitc.gov/reststop/file?release=2025HTSRev24"} {
			if !strings.Contains(links, want) {
				t.Errorf("citations are not linked to %s: %s", want, links)
			}
		}
		// The measures that decided the result are shown, the rest folded.
		decided := eval[int](t, ctx, `document.querySelectorAll('[data-testid=decided] tbody tr').length`)
		folded := eval[bool](t, ctx, `!document.querySelector('[data-testid=others]').open`)
		if decided == 0 || decided > 12 || !folded {
			t.Errorf("explanation shows %d deciding measures (want 1 to 12) with the rest folded (%v)", decided, folded)
		}
		wantText(t, text(t, ctx, `[data-testid=others] summary`), "other measures do not apply")
	}},
	{name: "assess-question", path: "/assess?hts=8708.80.65.90&origin=MX&entry_date=2025-06-01&value=10000", wait: `[data-testid=question]`, check: func(t *testing.T, ctx context.Context, w int64) {
		q := text(t, ctx, `main`)
		wantText(t, q, "What levy assumed", "Do the goods qualify", "USMCA", "$250.00 less", "See the duty with USMCA (S) claimed")
		lacksText(t, q, "$-", "usmca:", "--claim", "--program")
	}},
	{name: "assess-wine", path: "/assess?hts=2204.21.50.40&origin=FR&entry_date=2025-09-20&value=10000&quantity=1000&unit=liters", wait: `[data-testid=duty]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=layers]`), "6.3¢/liter", "$63.00")
		wantText(t, text(t, ctx, `[data-testid=asked]`), "1000 liters")
	}},
	{name: "assess-errors", path: "/assess?hts=8703.23.01.39&origin=Jpn&entry_date=&value=&quantity=&unit=kg&steel_value=x&mode=", wait: `[data-testid=error-summary]`, check: func(t *testing.T, ctx context.Context, w int64) {
		errorsLinked(t, ctx, 5)
	}},
	{name: "timeline-asks", path: "/timeline?hts=9506.62.80.20", wait: `[data-testid=questions]`, check: func(t *testing.T, ctx context.Context, w int64) {
		noErrors(t, ctx)
		wantText(t, text(t, ctx, `[data-testid=questions]`), "Which country are the goods from?")
	}},
	{name: "timeline-spike", path: "/timeline?hts=8471.30.01.00&origin=CN&to=2026-12-31", wait: `[data-testid=timeline-table]`, check: func(t *testing.T, ctx context.Context, w int64) {
		chartShows(t, ctx)
		// One-day spikes are marked and labelled; they do not set the scale.
		spikes := eval[string](t, ctx, visibleChart+`.querySelectorAll('[data-testid=spike] text').length + ' ' + [...`+visibleChart+`.querySelectorAll('[data-testid=spike] text')].map(e => e.textContent).join(',')`)
		if !strings.Contains(spikes, "145%") {
			t.Errorf("the 145%% spike of 10 April 2025 is not labelled on the chart: %s", spikes)
		}
		top := eval[string](t, ctx, `[...`+visibleChart+`.querySelectorAll('.tick')].map(e => e.textContent).filter(s => s.endsWith('%')).pop()`)
		if top == "" || len(top) > 3 {
			t.Errorf("the rate axis tops at %q: a one-day spike set the scale", top)
		}
		wantText(t, text(t, ctx, `[data-testid=off-scale]`), "145%", "10 April 2025")
		// The end of levy's data is marked.
		if n := eval[int](t, ctx, visibleChart+`.querySelectorAll('[data-testid=past-data]').length`); n != 1 {
			t.Errorf("the stretch past levy's data is not marked (%d bands)", n)
		}
	}},
	{name: "timeline-wine", path: "/timeline?hts=2204.21.50.40&origin=FR&quantity=1000&unit=liters", wait: `[data-testid=timeline-table]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=asked]`), "France (FR)")
		if v := eval[string](t, ctx, `document.getElementById('f-quantity').value + ' ' + document.getElementById('f-unit').value`); v != "1000 liters" {
			t.Errorf("the timeline form's quantity and unit: %q", v)
		}
	}},
	{name: "compare", path: "/compare?hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000&scenario=japan-35", wait: `[data-testid=compare-table]`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `[data-testid=compare-table]`), "Enacted law", "Threatened 35% rate on Japan", "+$2,000.00")
	}},
	{name: "compare-wine", path: "/compare?hts=2204.21.50.40&origin=FR&entry_date=2025-09-20&value=10000&quantity=1000&unit=liters", wait: `[data-testid=compare-table]`},
	{name: "not-found", path: "/no/such/page", wait: `main h1`, check: func(t *testing.T, ctx context.Context, w int64) {
		wantText(t, text(t, ctx, `main`), "Page not found", "Search the tariff schedule")
	}},
}

// noErrors fails when the view shows an error where it should ask.
func noErrors(t *testing.T, ctx context.Context) {
	t.Helper()
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=error-summary], .error-message').length`); n > 0 {
		t.Errorf("the view shows %d errors where it should ask for what is missing:\n%s", n, text(t, ctx, `main`))
	}
	if title := eval[string](t, ctx, `document.title`); strings.HasPrefix(title, "Error") {
		t.Errorf("title %q", title)
	}
}

// errorsLinked checks the error summary lists n errors at once, each a
// link to a field that is visible (a folded section with an error is open).
func errorsLinked(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	got := eval[string](t, ctx, `[...document.querySelectorAll('[data-testid=error-summary] li')].map(li => {
		const a = li.querySelector('a'); if (!a) return 'no link: ' + li.textContent;
		const el = document.getElementById(a.getAttribute('href').slice(1));
		if (!el) return 'no field ' + a.getAttribute('href');
		const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? 'ok' : 'hidden ' + el.id; }).join('|')`)
	parts := strings.Split(got, "|")
	if len(parts) != n {
		t.Errorf("the error summary lists %d errors, want %d: %s\n%s", len(parts), n, got, text(t, ctx, `[data-testid=error-summary]`))
	}
	for _, p := range parts {
		if p != "ok" {
			t.Errorf("error summary: %s", p)
		}
	}
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title %q lacks the Error: prefix", title)
	}
}

// chartShows checks the visible chart: both readings drawn, the dashed one
// clear of the axis, dates with their year, every change a link to its row.
func chartShows(t *testing.T, ctx context.Context) {
	t.Helper()
	got := eval[string](t, ctx, `(() => { const s = `+visibleChart+`; if (!s) return 'no chart';
		const c = s.querySelector('path[data-series=collected]'), k = s.querySelector('path[data-series=known]');
		const axis = s.querySelector('line.axis').getBoundingClientRect().top;
		const kb = k.getBoundingClientRect();
		if (!c.getAttribute('d') || !k.getAttribute('d')) return 'a series is not drawn';
		if (getComputedStyle(k).stroke === 'none' || getComputedStyle(c).stroke === 'none') return 'a series has no stroke';
		if (kb.bottom > axis - 1) return 'the as-known line lies on the axis: ' + kb.bottom + ' >= ' + axis;
		const bad = [...s.querySelectorAll('text.tick')].map(e => e.textContent).filter(x => !/%$/.test(x) && !/^[A-Z][a-z]{2} \d{4}$/.test(x));
		if (bad.length) return 'ambiguous dates: ' + bad.join(',');
		const pts = [...s.querySelectorAll('a.pt')];
		if (pts.length < 2) return 'no focusable points';
		const lost = pts.filter(a => !document.getElementById(a.getAttribute('href').slice(1)));
		if (lost.length) return 'points link to no row: ' + lost.map(a => a.getAttribute('href')).join(',');
		return 'ok'; })()`)
	if got != "ok" {
		t.Errorf("chart: %s", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=timeline-table] tbody tr').length`); n < 3 {
		t.Errorf("the table beside the chart has %d rows", n)
	}
}

// TestBrowser drives the page in headless Chromium at a phone's and a
// laptop's width: every view and flow without sideways scroll, no dead
// ends, every error at once, short links, the chart by keyboard and touch,
// and the main flows with JavaScript off. Screenshots go to $LEVY_ARTIFACTS.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	ts := start(t)
	base := ts.URL()
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			do(t, ctx, "viewport", viewport(w))
			for _, p := range pages {
				t.Run(p.name, func(t *testing.T) {
					do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
					noSideScroll(t, ctx, w)
					if p.check != nil {
						p.check(t, ctx, w)
					}
					shot(t, ctx, fmt.Sprintf("%s-%d", p.name, w))
				})
			}
			t.Run("flow-search-to-duty", func(t *testing.T) { searchToDuty(t, ctx, base, w, "js") })
			t.Run("flow-line-links-ask", func(t *testing.T) { lineLinksAsk(t, ctx, base, w) })
			t.Run("flow-every-error", func(t *testing.T) { everyError(t, ctx, base, w) })
			t.Run("flow-question-answered", func(t *testing.T) { questionAnswered(t, ctx, base, w) })
			t.Run("flow-chart-keys-touch", func(t *testing.T) { chartKeysTouch(t, ctx, base, w) })
			t.Run("no-js", func(t *testing.T) {
				nctx := tab(t, ctx, false)
				do(t, nctx, "viewport", viewport(w))
				searchToDuty(t, nctx, base, w, "nojs")
				noJSTimeline(t, nctx, base, w)
				noJSErrors(t, nctx, base, w)
			})
		})
	}
	// The narrowest phone the page is made for: no view scrolls sideways.
	t.Run("360", func(t *testing.T) {
		do(t, ctx, "viewport", viewport(360))
		for _, p := range pages {
			do(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			noSideScroll(t, ctx, 360)
		}
	})
	fmt.Fprintln(os.Stderr, "screenshots in", artifacts(t))
}

// searchToDuty is the main flow as a reader types it: search, open a
// line, give origin, date and value on the line's page, read the duty;
// the address is then a short link that reproduces the result.
func searchToDuty(t *testing.T, ctx context.Context, base string, w int64, mode string) {
	do(t, ctx, "search", chromedp.Navigate(base+"/search"), chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
		chromedp.SendKeys(chromedp.CSS(`#f-q`), "basketballs"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=search-results]`)))
	noSideScroll(t, ctx, w)
	do(t, ctx, "open the line", chromedp.Click(chromedp.CSS(`[data-testid=search-results] a[href="/line/9506.62.80.20"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-origin`)))
	do(t, ctx, "the line's form", chromedp.SendKeys(chromedp.CSS(`#f-origin`), "Japan"),
		chromedp.SendKeys(chromedp.CSS(`#f-entry_date`), "08202025"),
		chromedp.SendKeys(chromedp.CSS(`#f-value`), "10,000"),
		chromedp.Click(chromedp.CSS(`form[action="/assess"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=duty]`)))
	noSideScroll(t, ctx, w)
	wantText(t, text(t, ctx, `[data-testid=duty]`), "$1,980.00")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	u, _ := url.Parse(loc)
	if u.Path != "/assess" || u.RawQuery != "hts=9506.62.80.20&origin=Japan&entry_date=2025-08-20&value=10%2C000" {
		t.Errorf("the result's address is not the short link of what was given: %s", loc)
	}
	if share := eval[string](t, ctx, `document.querySelector('[data-testid=short-link]').getAttribute('href')`); share != u.RequestURI() {
		t.Errorf("the link to share is %q, the address %q", share, u.RequestURI())
	}
	// The script only adds the copy button: its state tells the modes apart.
	if hidden := eval[bool](t, ctx, `document.querySelector('[data-copy]').hidden`); hidden != (mode == "nojs") {
		t.Errorf("%s: the copy button is hidden=%v; the tab does not run scripts as it should", mode, hidden)
	}
	shot(t, ctx, fmt.Sprintf("flow-search-to-duty-%s-%d", mode, w))
	// Opening the short link in a fresh tab reproduces the view.
	fresh := tab(t, ctx, mode == "js")
	do(t, fresh, "open the short link", viewport(w), chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS(`[data-testid=duty]`)))
	wantText(t, text(t, fresh, `[data-testid=duty]`), "$1,980.00")
	wantText(t, text(t, fresh, `[data-testid=asked]`), "Japan (JP)", "20 August 2025")
}

// lineLinksAsk follows the links of a line's page: each carries the line
// and asks for what it lacks instead of failing.
func lineLinksAsk(t *testing.T, ctx context.Context, base string, w int64) {
	for _, link := range []struct{ text, want string }{
		{"See how this duty changes with the entry date", "Which country are the goods from?"},
		{"Work out the duty on one entry", "On what date are the goods entered?"},
		{"Compare with announced and threatened measures", "What is the customs value"},
	} {
		do(t, ctx, "line", chromedp.Navigate(base+"/line/9506.62.80.20"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=next]`)))
		href := eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('[data-testid=next] a')].find(a => a.textContent === %q).getAttribute('href')`, link.text))
		if !strings.Contains(href, "hts=9506.62.80.20") {
			t.Errorf("%q does not carry the line: %s", link.text, href)
		}
		do(t, ctx, link.text, chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS(`[data-testid=questions]`)))
		noErrors(t, ctx)
		noSideScroll(t, ctx, w)
		wantText(t, text(t, ctx, `[data-testid=questions]`), link.want)
		if v := eval[string](t, ctx, `document.getElementById('f-hts').value`); v != "9506.62.80.20" {
			t.Errorf("the form lost the line: %q", v)
		}
	}
	shot(t, ctx, fmt.Sprintf("flow-line-links-ask-%d", w))
}

// everyError submits a form with five problems, two in the folded part,
// and expects all five at once, each linked to a visible field.
func everyError(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "assess form", chromedp.Navigate(base+"/assess"), chromedp.WaitVisible(chromedp.CSS(`#f-hts`)),
		chromedp.SendKeys(chromedp.CSS(`#f-hts`), "8703.23.01.39"),
		chromedp.SendKeys(chromedp.CSS(`#f-origin`), "Jpn"),
		chromedp.Click(chromedp.CSS(`details summary`)),
		chromedp.SendKeys(chromedp.CSS(`#f-steel_value`), "lots"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-summary]`)))
	errorsLinked(t, ctx, 5)
	noSideScroll(t, ctx, w)
	wantText(t, text(t, ctx, `[data-testid=error-summary]`), "8703.23.01.39 is not in the schedule", "“Jpn” is not a country",
		"Enter the entry date", "Enter the customs value", "Enter the value of the steel content")
	if focused := eval[string](t, ctx, `document.activeElement.getAttribute('data-testid')`); focused != "error-summary" {
		t.Errorf("focus is on %q, not the error summary", focused)
	}
	// The summary's link reaches the field, even one in the folded part.
	do(t, ctx, "follow an error", chromedp.Click(chromedp.CSS(`[data-testid=error-summary] a[href="#f-steel_value"]`)))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "f-steel_value" {
		t.Errorf("the error link focused %q", id)
	}
	wantText(t, text(t, ctx, `label[for=f-hts] ~ .suggest`), "8703.23.01.30")
	shot(t, ctx, fmt.Sprintf("flow-every-error-%d", w))
}

// questionAnswered follows a question's link: the other answer is given
// and the duty follows, no dead end.
func questionAnswered(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "question", chromedp.Navigate(base+"/assess?hts=8708.80.65.90&origin=MX&entry_date=2025-06-01&value=10000"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=question]`)))
	before := text(t, ctx, `[data-testid=duty]`)
	do(t, ctx, "answer", chromedp.Click(chromedp.CSS(`[data-testid=question] a[href$="program=S"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=duty]`)))
	after := text(t, ctx, `[data-testid=duty]`)
	if before != "$2,750.00" || after != "$2,500.00" {
		t.Errorf("duty %s before claiming USMCA, %s after; want $2,750.00 and $2,500.00", before, after)
	}
	wantText(t, text(t, ctx, `[data-testid=asked]`), "USMCA (S)")
	noSideScroll(t, ctx, w)
	shot(t, ctx, fmt.Sprintf("flow-question-answered-%d", w))
}

// chartKeysTouch reads the chart's values by keyboard and by a tap.
func chartKeysTouch(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "timeline", chromedp.Navigate(base+"/timeline?hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=timeline-table]`)))
	first := `(` + visibleChart + `).querySelector('a.pt[data-series=collected]')`
	eval[any](t, ctx, first+`.focus()`)
	tip := eval[string](t, ctx, `getComputedStyle(document.activeElement.querySelector('.tip')).display + ' ' + document.querySelector('[data-chart-readout]').textContent`)
	if !strings.HasPrefix(tip, "inline") || !strings.Contains(tip, "As collected: 4.8%") {
		t.Errorf("a focused point does not show its value: %q", tip)
	}
	noSideScroll(t, ctx, w)
	if out := eval[string](t, ctx, `(() => { const r = document.activeElement.querySelector('.tip').getBoundingClientRect(), s = document.activeElement.closest('svg').getBoundingClientRect();
		return r.left < s.left - 1 || r.right > s.right + 1 ? Math.round(r.left) + '..' + Math.round(r.right) + ' outside ' + Math.round(s.left) + '..' + Math.round(s.right) : ''; })()`); out != "" {
		t.Errorf("a point's tip is cut off: %s", out)
	}
	do(t, ctx, "arrow right", chromedp.KeyEvent(kb.ArrowRight))
	label := eval[string](t, ctx, `document.activeElement.getAttribute('aria-label') + ' | ' + document.querySelector('[data-chart-readout]').textContent`)
	if !strings.Contains(label, "14.8%") {
		t.Errorf("the arrow key did not move to the next change: %q", label)
	}
	tapLastKnown(t, ctx, visibleChart, `[data-chart-readout]`, w)
	shot(t, ctx, fmt.Sprintf("flow-chart-keys-touch-%d", w))
}

// noJSTimeline: the chart and its table come from the server; a point is
// a link to its row.
func noJSTimeline(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "timeline", chromedp.Navigate(base+"/timeline?hts=8471.30.01.00&origin=CN"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=timeline-table]`)))
	noSideScroll(t, ctx, w)
	chartShows(t, ctx)
	href := eval[string](t, ctx, `(`+visibleChart+`).querySelector('a.pt').getAttribute('href')`)
	if !regexp.MustCompile(`^#tl-row-\d+$`).MatchString(href) {
		t.Errorf("a chart point links to %q, not its table row", href)
	}
	shot(t, ctx, fmt.Sprintf("flow-timeline-nojs-%d", w))
}

// noJSErrors: the error summary is the server's.
func noJSErrors(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "assess", chromedp.Navigate(base+"/assess?hts=9506.62.80.20"), chromedp.WaitVisible(chromedp.CSS(`#f-origin`)),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-summary]`)))
	errorsLinked(t, ctx, 3)
	noSideScroll(t, ctx, w)
}
