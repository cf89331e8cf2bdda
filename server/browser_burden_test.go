package server

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// visibleBurden is the burden chart drawn for the current width.
const visibleBurden = `[...document.querySelectorAll('svg[data-testid=burden-chart]')].find(s => s.getBoundingClientRect().width > 0)`

// burdenChartShows checks the visible burden chart: both readings drawn
// and stroked, the end of levy's data marked, dates with their year, every
// step a link to its row (on the page, or on the burden page from the
// front page).
func burdenChartShows(t *testing.T, ctx context.Context, rows string) {
	t.Helper()
	got := eval[string](t, ctx, `(() => { const s = `+visibleBurden+`; if (!s) return 'no chart';
		const c = s.querySelector('path[data-series=collected]'), k = s.querySelector('path[data-series=known]');
		if (!c.getAttribute('d') || !k.getAttribute('d')) return 'a series is not drawn';
		if (getComputedStyle(k).stroke === 'none' || getComputedStyle(c).stroke === 'none') return 'a series has no stroke';
		if (c.getBoundingClientRect().width < s.getBoundingClientRect().width / 2 || k.getBoundingClientRect().width < s.getBoundingClientRect().width / 2) return 'a series does not run across the chart';
		if (!s.querySelector('[data-testid=past-data]')) return 'the end of levy data is not marked';
		const bad = [...s.querySelectorAll('text.tick')].map(e => e.textContent).filter(x => !/%$/.test(x) && !/^[A-Z][a-z]{2} \d{4}$/.test(x));
		if (bad.length) return 'ambiguous dates: ' + bad.join(',');
		const pts = [...s.querySelectorAll('a.pt')];
		if (pts.filter(a => a.dataset.series === 'collected').length < 3 || pts.filter(a => a.dataset.series === 'known').length < 3) return 'too few points of a series';
		const wrong = pts.filter(a => !a.getAttribute('href').startsWith(`+"`"+rows+"`"+`));
		if (wrong.length) return 'points link elsewhere: ' + wrong[0].getAttribute('href');
		return 'ok'; })()`)
	if got != "ok" {
		t.Errorf("burden chart: %s", got)
	}
}

// TestBrowserBurden drives the burden page and the front page's Japan chart
// in Chromium at a phone's and a laptop's width: no sideways scroll, both
// series drawn, the table of every period, every error at once, the form to
// a short link, the chart's values by keyboard and touch, and the page
// with JavaScript off; then both pages at 360 px.
func TestBrowserBurden(t *testing.T) {
	ctx := browser(t)
	ts := start(t)
	waitFront(t, ts)
	base := ts.URL()
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			do(t, ctx, "viewport", viewport(w))
			t.Run("burden", func(t *testing.T) { burdenJapan(t, ctx, base, w) })
			t.Run("front", func(t *testing.T) {
				do(t, ctx, "front page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=home-burden] svg`)))
				noSideScroll(t, ctx, w)
				burdenChartShows(t, ctx, "/burden#bd-row-")
				wantText(t, text(t, ctx, `[data-testid=home-burden]`), "Japan, 2025–2026: the rate as collected and as owed today", "is owed back")
				shot(t, ctx, fmt.Sprintf("burden-front-%d", w))
				do(t, ctx, "open the burden page", chromedp.Click(chromedp.CSS(`[data-testid=burden-link]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=burden-table]`)))
			})
			t.Run("every-error", func(t *testing.T) {
				do(t, ctx, "errors", chromedp.Navigate(base+"/burden?origin=Jpn,Kora&from=2025-02-30&to=x&every=fortnight&known_on=soon&weights_year=1999"),
					chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-summary]`)))
				errorsLinked(t, ctx, 6)
				noSideScroll(t, ctx, w)
				shot(t, ctx, fmt.Sprintf("burden-errors-%d", w))
			})
			t.Run("form-to-short-link", func(t *testing.T) { burdenForm(t, ctx, base, w) })
			t.Run("chart-keys-touch", func(t *testing.T) { burdenKeysTouch(t, ctx, base, w) })
			t.Run("no-js", func(t *testing.T) {
				nctx := tab(t, ctx, false)
				do(t, nctx, "viewport", viewport(w))
				burdenJapan(t, nctx, base, w)
				href := eval[string](t, nctx, `(`+visibleBurden+`).querySelector('a.pt').getAttribute('href')`)
				if !regexp.MustCompile(`^#bd-row-\d+$`).MatchString(href) {
					t.Errorf("a chart point links to %q, not its table row", href)
				}
				do(t, nctx, "errors", chromedp.Navigate(base+"/burden?origin=Jpn&every=day&from=2024-01-01"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-summary]`)))
				errorsLinked(t, nctx, 2)
			})
		})
	}
	t.Run("360", func(t *testing.T) {
		do(t, ctx, "viewport", viewport(360))
		for _, p := range []string{"/burden", "/", "/burden?origin=JP,KR&from=2025-03-01&to=2025-05-31"} {
			do(t, ctx, p, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS(`[data-testid=burden-figure]`)))
			noSideScroll(t, ctx, 360)
		}
	})
}

// burdenJapan checks Japan's series as the page shows it.
func burdenJapan(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "burden", chromedp.Navigate(base+"/burden"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=burden-table]`)))
	noSideScroll(t, ctx, w)
	burdenChartShows(t, ctx, "#bd-row-")
	wantText(t, text(t, ctx, `main h1`), "Japan, 2025–2026: the rate as collected and as owed today")
	wantText(t, text(t, ctx, `[data-testid=burden-totals]`), "Duty as collected", "Duty as known on 1 June 2026", "Owed back to importers", "bn")
	wantText(t, text(t, ctx, `[data-testid=burden-figure]`), "As collected", "As known on 1 June 2026", "After the end of levy's data")
	wantText(t, text(t, ctx, `[data-testid=not-assessed]`), "HTS number not in force on the date")
	wantText(t, text(t, ctx, `[data-testid=weights-source]`), "Census Bureau", "imports for consumption", "2024 and 2025")
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=burden-table] tbody tr').length`); n != 22 {
		t.Errorf("the table has %d periods, want the 22 months from January 2025 to October 2026", n)
	}
	// Every figure of a period is on the screen, labelled on a phone.
	if got := eval[string](t, ctx, `(() => { const r = document.getElementById('bd-row-4'); const out = [];
		for (const td of r.querySelectorAll('td')) { const b = td.getBoundingClientRect(); if (b.width === 0 || !/\$|%|None/.test(td.textContent)) out.push(td.dataset.label); }
		return out.join(','); })()`); got != "" {
		t.Errorf("May 2025 hides %s", got)
	}
	shot(t, ctx, fmt.Sprintf("burden-%d", w))
}

// burdenForm asks for two partners through the form: the answer's address
// is the short link of what was given, and the partners are listed.
func burdenForm(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "form", chromedp.Navigate(base+"/burden"), chromedp.WaitVisible(chromedp.CSS(`#f-origin`)),
		chromedp.SendKeys(chromedp.CSS(`#f-origin`), "Japan, KR"),
		chromedp.SendKeys(chromedp.CSS(`#f-from`), "03012025"),
		chromedp.SendKeys(chromedp.CSS(`#f-to`), "05312025"),
		chromedp.Click(chromedp.CSS(`form[action="/burden"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=burden-partners]`)))
	noSideScroll(t, ctx, w)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	u, _ := url.Parse(loc)
	if u.Path != "/burden" || u.RawQuery != "origin=Japan%2C+KR&from=2025-03-01&to=2025-05-31" {
		t.Errorf("the answer's address is not the short link of what was given: %s", loc)
	}
	wantText(t, text(t, ctx, `main h1`), "Japan and Korea, Republic of, 2025")
	wantText(t, text(t, ctx, `[data-testid=burden-partners]`), "Japan", "Korea, Republic of")
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=burden-table] tbody tr').length`); n != 3 {
		t.Errorf("the table has %d periods, want March to May 2025", n)
	}
	shot(t, ctx, fmt.Sprintf("burden-partners-%d", w))
}

// burdenKeysTouch reads the chart's values by keyboard and by a tap.
func burdenKeysTouch(t *testing.T, ctx context.Context, base string, w int64) {
	do(t, ctx, "burden", chromedp.Navigate(base+"/burden"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=burden-table]`)))
	eval[any](t, ctx, `(`+visibleBurden+`).querySelector('a.pt[data-series=collected]').focus()`)
	first := eval[string](t, ctx, `document.querySelector('[data-testid=burden-figure] [data-chart-readout]').textContent`)
	if !strings.HasPrefix(first, "As collected: ") || !strings.Contains(first, "% from 1 Jan 2025") {
		t.Errorf("a focused point does not read its value out: %q", first)
	}
	do(t, ctx, "arrow right", chromedp.KeyEvent(kb.ArrowRight))
	next := eval[string](t, ctx, `document.activeElement.getAttribute('aria-label')`)
	if next == first || !strings.HasPrefix(next, "As collected: ") {
		t.Errorf("the arrow key did not move to the next step: %q after %q", next, first)
	}
	do(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if got := eval[string](t, ctx, `document.activeElement.getAttribute('aria-label')`); !strings.HasPrefix(got, "As known on 1 Jun 2026: ") {
		t.Errorf("the arrow down did not switch to the other reading: %q", got)
	}
	tapLastKnown(t, ctx, visibleBurden, `[data-testid=burden-figure] [data-chart-readout]`, w)
	noSideScroll(t, ctx, w)
	shot(t, ctx, fmt.Sprintf("burden-chart-keys-%d", w))
}

// tapLastKnown taps (on a phone) or clicks the last point of the chart's
// as-known line: its value is read out in place, with no jump to its row.
func tapLastKnown(t *testing.T, ctx context.Context, chart, readoutSel string, w int64) {
	t.Helper()
	box := eval[[]float64](t, ctx, `(() => { const p = [...(`+chart+`).querySelectorAll('a.pt[data-series=known]')].pop().querySelector('circle');
		p.scrollIntoView({block: 'center'}); const c = p.getBoundingClientRect(); return [c.x + c.width/2, c.y + c.height/2]; })()`)
	if w < 600 {
		do(t, ctx, "tap", chromedp.TapXY(box[0], box[1]))
	} else {
		do(t, ctx, "click", chromedp.MouseClickXY(box[0], box[1]))
	}
	readout := eval[string](t, ctx, `document.querySelector('`+readoutSel+`').textContent + ' | ' + location.hash`)
	if !strings.HasPrefix(readout, "As known on 1 Jun 2026") || strings.Contains(readout, "#") {
		t.Errorf("a tap does not read the value out in place: %q", readout)
	}
}
