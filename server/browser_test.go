package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
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
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
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
	t.Logf("screenshot: %s", path)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantText(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("page text lacks %q:\n%.800s", w, got)
		}
	}
}

// TestBrowser drives the page in headless Chromium: Japan's story on the
// front page, search, a line, an assessment, an error with suggestions, a
// timeline, a comparison and the phone layout.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	ts := start(t)
	base := ts.URL()

	t.Run("home", func(t *testing.T) {
		do(t, ctx, "home", chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`svg[data-testid=timeline-chart] path[data-series=known]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=duty]`)))
		wantText(t, text(t, ctx, `[data-testid=timeline-table]`), "9903.02.30", "9903.02.73", "As collected", "As known on 2026-06-01")
		wantText(t, text(t, ctx, `[data-testid=duty]`), "$6,000.00")
		title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('svg[data-testid=timeline-chart] title').textContent`))
		wantText(t, title, "9506.62.80.20", "JP")
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg[data-testid=timeline-chart] circle').length`))
		if err != nil || n < 8 {
			t.Errorf("chart has %d change points (err %v), want at least 8", n, err)
		}
		shot(t, ctx, "home")
	})

	t.Run("search", func(t *testing.T) {
		do(t, ctx, "search", chromedp.Navigate(base+"/?page=search"),
			chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
			chromedp.SendKeys(chromedp.CSS(`#f-q`), "basketballs"),
			chromedp.Submit(chromedp.CSS(`#f-q`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=search-results]`)))
		wantText(t, text(t, ctx, `[data-testid=search-results]`), "9506.62.80.20", "Basketballs")
		url, _ := chromedp.Run(ctx, chromedp.Location())
		if !strings.Contains(url, "q=basketballs") {
			t.Errorf("search state is not in the URL: %s", url)
		}
		shot(t, ctx, "search")
		do(t, ctx, "open line", chromedp.Click(chromedp.CSS(`[data-testid=search-results] a[href*="9506.62.80.20"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#result-heading`)))
		wantText(t, text(t, ctx, `main`), "Rates of duty", "4.8%", "Assess this line")
		shot(t, ctx, "line")
	})

	t.Run("assess", func(t *testing.T) {
		do(t, ctx, "assess", chromedp.Navigate(base+"/?page=assess"),
			chromedp.WaitVisible(chromedp.CSS(`#f-hts`)),
			chromedp.SendKeys(chromedp.CSS(`#f-hts`), "8703.23.01.30"),
			chromedp.SendKeys(chromedp.CSS(`#f-origin`), "JP"),
			chromedp.SetValue(chromedp.CSS(`#f-entry_date`), "2025-09-20"),
			chromedp.SendKeys(chromedp.CSS(`#f-value`), "40000"),
			chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#result-heading`)))
		got := text(t, ctx, `#results`)
		wantText(t, got, "$6,000.00", "9903.94.41", "15% inclusive", "EO 14345", "Merchandise processing fee", "9903.01.33")
		focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if focused != "result-heading" {
			t.Errorf("focus is on %q, want the result heading", focused)
		}
		shot(t, ctx, "assess")
	})

	t.Run("assess error", func(t *testing.T) {
		do(t, ctx, "assess error", chromedp.Navigate(base+"/?page=assess&hts=8703.23.01.39&origin=JP&entry_date=2025-09-20&value=100"),
			chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
		wantText(t, text(t, ctx, `.error-summary`), "There is a problem", "8703.23.01.39 is not in the schedule", "8703.23.01.30")
		inv, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('f-hts').getAttribute('aria-invalid')`))
		if inv != "true" {
			t.Errorf("the HTS field is not marked invalid")
		}
		shot(t, ctx, "assess-error")
	})

	t.Run("timeline", func(t *testing.T) {
		do(t, ctx, "timeline", chromedp.Navigate(base+"/?page=timeline&hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31&known_on=2026-03-01"),
			chromedp.WaitVisible(chromedp.CSS(`svg[data-testid=timeline-chart] path[data-series=collected]`)))
		wantText(t, text(t, ctx, `#results`), "Basketballs", "As known on 2026-03-01", "9903.02.30")
		d, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('path[data-series=known]').getAttribute('d')`))
		if strings.Count(d, "V") < 2 {
			t.Errorf("the known-on series has no steps: %q", d)
		}
		shot(t, ctx, "timeline")
	})

	t.Run("compare", func(t *testing.T) {
		do(t, ctx, "compare", chromedp.Navigate(base+"/?page=compare&hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000&scenario=japan-35"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=compare-table]`)))
		wantText(t, text(t, ctx, `[data-testid=compare-table]`), "Enacted law", "Threatened 35% rate on Japan", "Difference from enacted law")
		shot(t, ctx, "compare")
	})

	t.Run("phone", func(t *testing.T) {
		do(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`svg[data-testid=timeline-chart]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=duty]`)))
		overflow, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if overflow {
			t.Error("the page scrolls sideways on a phone")
		}
		shot(t, ctx, "phone")
	})
	fmt.Fprintln(os.Stderr, "screenshots in", artifacts(t))
}
