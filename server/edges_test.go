package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levy-tariff/levy"
)

// TestMetricsBounded sends every method to every route, invented methods
// and random paths, and bodies of every kind: /metrics must not grow with
// them past 200 KB (each new label value is a series for good).
func TestMetricsBounded(t *testing.T) {
	ts := start(t)
	client := &http.Client{Timeout: 10 * time.Second}
	send := func(method, p, ctype, body string) {
		req, err := http.NewRequest(method, ts.URL()+p, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s: %d", method, p, res.StatusCode)
		}
	}
	paths := []string{"/v1/assess?" + line(), "/v1/assess?hts=1", "/v1/batch", "/v1/hts?q=toys", "/v1/hts?q=", "/v1/hts/8703.23.01.30",
		"/v1/hts/1", "/v1/hts/8703.23.01.39", "/v1/timeline?hts=2204.21.50.40&origin=FR", "/v1/compare?hts=1", "/v1/measures", "/v1/scenarios",
		"/v1/info", "/v1/admin/reload", "/v1/nope", "/v1", "/healthz", "/readyz", "/openapi.json", "/metrics", "/", "/app.js", "/nope", "//x"}
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}
	for _, p := range paths {
		for _, m := range methods {
			send(m, p, "", "")
		}
		for _, ct := range []string{"application/json", "text/csv", "text/plain", "application/x-ndjson"} {
			send("POST", p, ct, "{")
		}
	}
	for i := range 300 {
		send(fmt.Sprintf("M%04d", i), fmt.Sprintf("/v1/x%d/%s?q=%d", i, strings.Repeat("y", i%50), i), "", "")
		send("GET", fmt.Sprintf("/page%d.js", i), "", "")
	}
	r := ts.get(t, "/metrics")
	t.Logf("/metrics: %.1f KB, %d lines", float64(len(r.raw))/1024, bytes.Count(r.raw, []byte("\n")))
	if len(r.raw) > 200<<10 {
		t.Errorf("/metrics is %d KB after every method on every route; the bound is 200 KB", len(r.raw)>>10)
	}
	if bytes.Contains(r.raw, []byte("M0001")) || bytes.Contains(r.raw, []byte("/v1/x1/")) || bytes.Contains(r.raw, []byte(`method="PATCH"`)) {
		t.Error("a client's method or path became a label value")
	}
	if !bytes.Contains(r.raw, []byte(`method="other"`)) {
		t.Error(`other methods are not counted as method="other"`)
	}
}

// TestBatchStreams sends a CSV body that does not end until the first rows
// of the answer have arrived: the server must answer rows while the body
// still comes in, not after reading all of it.
func TestBatchStreams(t *testing.T) {
	ts := start(t, func(s *Server) { s.MaxBatchRows = 10000; s.MaxBatchBytes = 4 << 20 })
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", ts.URL()+"/v1/batch", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Accept", "text/csv")
	row := "x,9503.00.00.90,JP,2025-06-01,1000\n"
	firstRows := make(chan struct{})
	go func() {
		io.WriteString(pw, "id,hts,origin,entry_date,value\n")
		for range 600 {
			io.WriteString(pw, row)
		}
		// The rest of the body only once rows have come back.
		select {
		case <-firstRows:
		case <-time.After(20 * time.Second):
			pw.CloseWithError(fmt.Errorf("no row came back while the body was open"))
			return
		}
		for range 600 {
			io.WriteString(pw, row)
		}
		pw.Close()
	}()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	br := bufio.NewReader(res.Body)
	if _, err := br.ReadString('\n'); err != nil { // the header
		t.Fatal(err)
	}
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	close(firstRows)
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(rest, []byte("\n")) + 1; n != 1200 {
		t.Errorf("%d rows answered, want 1200", n)
	}
}

// TestBatchStopsInBand: past the row limit, the answer keeps the rows
// assessed and says why it stopped, in each output format.
func TestBatchStopsInBand(t *testing.T) {
	ts := start(t)
	lines := strings.Repeat(`{"hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000}`+"\n", 7)
	r := ts.do(t, "POST", "/v1/batch", "application/x-ndjson", []byte(lines))
	var res struct {
		Rows    []map[string]any
		Summary struct{ Rows int }
		Error   struct{ Code, Message string }
	}
	if err := json.Unmarshal(r.raw, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 5 || res.Summary.Rows != 5 || res.Error.Code != "too_large" || !strings.Contains(res.Error.Message, "at most 5") {
		t.Errorf("JSON: %d rows, summary %d, error %+v", len(res.Rows), res.Summary.Rows, res.Error)
	}
	r = ts.do(t, "POST", "/v1/batch", "application/x-ndjson", []byte(lines), "Accept", "text/csv")
	recs, err := csv.NewReader(bytes.NewReader(r.raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if last := recs[len(recs)-1]; len(recs) != 7 || last[0] != "" || !strings.HasPrefix(last[8], "the request stopped here: more than 5 rows") {
		t.Errorf("CSV: %d records, last %q", len(recs), recs[len(recs)-1])
	}
	r = ts.do(t, "POST", "/v1/batch", "application/x-ndjson", []byte(lines), "Accept", "application/x-ndjson")
	out := strings.Split(strings.TrimSpace(string(r.raw)), "\n")
	if len(out) != 6 || !strings.HasPrefix(out[5], `{"error":{"code":"too_large"`) {
		t.Errorf("JSON Lines: %d lines, last %s", len(out), out[len(out)-1])
	}
	// Broken JSON after a first good item: the item is answered, then the error.
	r = ts.do(t, "POST", "/v1/batch", "application/json", []byte(`[{"hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000}, {"hts": ]`))
	if err := json.Unmarshal(r.raw, &res); err != nil {
		t.Fatal(err)
	}
	if r.status != 200 || len(res.Rows) != 1 || res.Error.Code != "invalid" || !strings.Contains(res.Error.Message, "item 2") {
		t.Errorf("broken JSON: %d, %d rows, error %+v", r.status, len(res.Rows), res.Error)
	}
}

// TestCompareDeduplicates: naming a scenario many times reads it once.
func TestCompareDeduplicates(t *testing.T) {
	ts := start(t)
	names := strings.TrimSuffix(strings.Repeat("japan-35,", 500), ",")
	r := ts.get(t, "/v1/compare?"+line("hts", "9506.62.80.20", "scenario", names+",letters-2025-07-07, japan-35"))
	cs, _ := r.body["comparisons"].([]any)
	if r.status != 200 || len(cs) != 3 {
		t.Fatalf("%d, %d comparisons; want enacted, japan-35 and the letters once each", r.status, len(cs))
	}
	if len(r.raw) > 64<<10 {
		t.Errorf("answer is %d KB", len(r.raw)>>10)
	}
}

// TestErrorsDoNotEcho sends runaway values in every place a request can
// hold one: no answer repeats more than a sane part of it.
func TestErrorsDoNotEcho(t *testing.T) {
	ts := start(t, func(s *Server) { s.MaxBatchBytes = 1 << 20 })
	long := strings.Repeat("7", 20000)
	cases := []struct{ method, path, ctype, body string }{
		{"GET", "/v1/assess?" + line("hts", long), "", ""},
		{"GET", "/v1/assess?" + line("origin", long), "", ""},
		{"GET", "/v1/assess?" + line("entry_date", long), "", ""},
		{"GET", "/v1/assess?" + line("value", long), "", ""},
		{"GET", "/v1/assess?" + line("mode", long), "", ""},
		{"GET", "/v1/assess?" + line("scenario", long), "", ""},
		{"GET", "/v1/assess?" + line() + "&" + long + "=1", "", ""},
		{"GET", "/v1/hts/" + long, "", ""},
		{"GET", "/v1/timeline?hts=8703.23.01.30&origin=JP&from=" + long, "", ""},
		{"GET", "/v1/compare?" + line("scenario", long), "", ""},
		{"GET", "/v1/batch?" + long + "=1", "", ""},
		{"GET", "/v1/" + long, "", ""},
		{"GET", "/" + long + ".js", "", ""},
		{"POST", "/v1/assess", "application/json", `{"` + long + `":1}`},
		{"POST", "/v1/assess", "application/json", `{"hts":"` + long + `"}`},
		{"POST", "/v1/assess", "application/" + long, `{}`},
		{"POST", "/v1/batch?known_on=" + long, "text/csv", okCSV},
		{"POST", "/v1/batch", "text/csv", "hts,origin," + long + "\n"},
		{"POST", "/v1/batch", "text/csv", "id,hts,origin,entry_date,value\n" + strings.Repeat(long, 20) + ",8703.23.01.30,JP,2025-09-20,1\n"},
		{"POST", "/v1/batch", "application/json", `[{"hts":"8703.23.01.30","` + long + `":1}]`},
	}
	for _, c := range cases {
		r := ts.do(t, c.method, c.path, c.ctype, []byte(c.body))
		if len(r.raw) > 4096 {
			t.Errorf("%s %.60s…: %d-byte answer to a runaway value: %.300s", c.method, c.path, len(r.raw), r.raw)
		}
	}
}

// TestNoServerPath loads a schedule from a file: no answer names the
// directory it came from.
func TestNoServerPath(t *testing.T) {
	dir := t.TempDir()
	sched := filepath.Join(dir, "hts_2026_rev_10.json")
	// A two-line schedule of levy's own making, enough to assess on.
	export := `[{"htsno":"9503.00.00","indent":"0","description":"Toys","units":[],"general":"Free","special":"","other":"70%","footnotes":[]},
{"htsno":"9503.00.00.90","indent":"1","description":"Other","units":["No."],"general":"","special":"","other":"","footnotes":[]}]`
	if err := os.WriteFile(sched, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := start(t, func(s *Server) {
		s.Load = func() (*levy.Levy, error) { return levy.Load(levy.Options{Schedule: sched}) }
	})
	q := url.Values{"hts": {"9503.00.00.90"}, "origin": {"JP"}, "entry_date": {"2025-06-01"}, "value": {"100"}}
	for _, p := range []string{"/v1/info", "/v1/assess?" + q.Encode(), "/v1/hts/9503.00.00.90", "/v1/hts?q=toys", "/v1/hts/9503.00.00.99"} {
		r := ts.get(t, p)
		if bytes.Contains(r.raw, []byte(dir)) || bytes.Contains(r.raw, []byte(os.TempDir())) {
			t.Errorf("%s shows the server path %s: %s", p, dir, clip(r.raw))
		}
	}
	if src := ts.get(t, "/v1/info").str("source"); src != "hts_2026_rev_10.json" {
		t.Errorf("source %q, want the file name", src)
	}
}

func TestRedactPaths(t *testing.T) {
	for in, want := range map[string]string{
		"open /srv/levy/measures/broken.yaml: no such file":                "open broken.yaml: no such file",
		"measures/s232.yaml:3:9: unknown field":                            "s232.yaml:3:9: unknown field",
		`C:\levy\data\hts.json: record 3`:                                  "hts.json: record 3",
		"s232.yaml:3:9: \"2025-13-01\" is not a date":                      "s232.yaml:3:9: \"2025-13-01\" is not a date",
		"hts_2026_rev_10.json.gz: record 12: indent \"x\" is not a number": "hts_2026_rev_10.json.gz: record 12: indent \"x\" is not a number",
	} {
		if got := redactPaths(in); got != want {
			t.Errorf("redactPaths(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAdminTokenNotLeaked: the token never appears in an answer.
func TestAdminTokenNotLeaked(t *testing.T) {
	ts := start(t)
	for _, hdr := range [][]string{nil, {"Authorization", "Bearer nope"}, adminAuth} {
		r := ts.do(t, "POST", "/v1/admin/reload", "", nil, hdr...)
		if bytes.Contains(r.raw, []byte(testToken)) {
			t.Errorf("the token is in the answer: %s", r.raw)
		}
	}
}
