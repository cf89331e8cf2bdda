package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/levy-tariff/levy"
)

// FuzzRequest drives the whole handler with arbitrary methods, targets,
// content types and bodies, as decoded by net/http: every answer must be
// one the OpenAPI document declares (status, content type, body), never a
// 5xx, and never a panic.
func FuzzRequest(f *testing.F) {
	for _, c := range apiCases {
		if len(c.body) < 4096 {
			f.Add(c.method, c.path, c.ctype, c.body)
		}
	}
	f.Add("POST", "/v1/assess", "application/json", `{"hts":"9903.94.41","origin":"JP","origin":"CN"}`)
	f.Add("POST", "/v1/batch?ignore_unknown_columns=1", "text/csv", "hts,colour\n\"8703\n")
	f.Add("POST", "/v1/batch", "application/json", `[{"hts":1},[],"x",{"a":{"b":1}}]`)
	f.Add("POST", "/v1/batch", "application/x-ndjson", "{}\n[\n{\"hts\":\"8703.23.01.30\"}")
	srv := New(func() (*levy.Levy, error) { return levy.Load(levy.Options{}) })
	srv.Now = func() time.Time { return testToday }
	srv.MaxBatchRows, srv.MaxBatchBytes, srv.AdminToken = 20, 64<<10, testToken
	srv.ReloadInterval = time.Hour // a fuzzer must not spend its time reloading
	if err := srv.Reload(); err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	doc := loadAPIDoc(f)
	f.Fuzz(func(t *testing.T, method, target, ctype, body string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest(method, "http://levy.test"+target, strings.NewReader(body))
		if err != nil {
			return // not a request net/http would hand to a handler
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s → %d: %s", method, target, res.StatusCode, clip(rec.Body.Bytes()))
		}
		method = req.Method // "" means GET
		out := bytes.Clone(rec.Body.Bytes())
		if method == "HEAD" {
			out = nil // net/http drops a HEAD body; the recorder keeps it
		}
		check(t, doc, method, req.URL.RequestURI(), res.StatusCode, res.Header, out)
	})
}
