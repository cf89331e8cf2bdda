package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/internal/apicheck"
)

// testToday is the server clock in tests, so that "as known today" is fixed.
var testToday = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// loaded is the embedded data, loaded once; Load hands it out again unless
// a test makes loading fail.
var (
	loadOnce sync.Once
	loadedLv *levy.Levy
	loadErr  error
)

type testServer struct {
	*Server
	fail atomic.Bool // when set, Load fails
	api  *apicheck.Doc
}

// testToken is the admin token of test servers; adminAuth is its header.
const testToken = "test-admin-token-0123456789"

var adminAuth = []string{"Authorization", "Bearer " + testToken}

// start runs a server on 127.0.0.1:0 with small batch limits, an admin
// token and no wait between reloads; opts change the server before Open.
func start(t testing.TB, opts ...func(*Server)) *testServer {
	t.Helper()
	ts := &testServer{api: loadAPIDoc(t)}
	ts.Server = New(func() (*levy.Levy, error) {
		if ts.fail.Load() {
			return nil, &os.PathError{Op: "open", Path: "/srv/levy-data/measures/broken.yaml", Err: os.ErrNotExist}
		}
		// A fresh Levy each time, as a real reload reads the files again.
		return levy.Load(levy.Options{})
	})
	ts.Addr = "127.0.0.1:0"
	ts.Now = func() time.Time { return testToday }
	ts.MaxBatchRows = 5
	ts.MaxBatchBytes = 32 << 10
	ts.AdminToken = testToken
	ts.ReloadInterval = time.Nanosecond
	ts.LazyFront = true // most tests never open the front page
	for _, o := range opts {
		o(ts.Server)
	}
	if err := ts.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ts.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return ts
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// errBody returns the error object of an error response.
func (r *response) errBody() map[string]any {
	e, _ := r.body["error"].(map[string]any)
	return e
}

func (r *response) str(key string) string {
	if e := r.errBody(); e != nil {
		s, _ := e[key].(string)
		return s
	}
	s, _ := r.body[key].(string)
	return s
}

// do sends a request and checks a JSON answer against the OpenAPI schema
// of its path, method and status.
func (ts *testServer) do(t testing.TB, method, path, ctype string, body []byte, hdr ...string) *response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := &response{status: res.StatusCode, header: res.Header, raw: raw}
	if method != "HEAD" && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s %s: response is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	if method == "HEAD" {
		raw = nil
	}
	check(t, ts.api, method, path, res.StatusCode, res.Header, raw)
	return r
}

func (ts *testServer) get(t testing.TB, path string) *response {
	t.Helper()
	return ts.do(t, "GET", path, "", nil)
}

var (
	docOnce sync.Once
	theDoc  *apicheck.Doc
	docErr  error
)

// loadAPIDoc is the embedded openapi.json, loaded once.
func loadAPIDoc(t testing.TB) *apicheck.Doc {
	t.Helper()
	docOnce.Do(func() {
		b, err := files.ReadFile("openapi.json")
		if err == nil {
			theDoc, err = apicheck.Load(b)
		}
		docErr = err
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return theDoc
}

// check holds an answer to the document; see apicheck.Doc.Check.
func check(t testing.TB, d *apicheck.Doc, method, path string, status int, h http.Header, body []byte) {
	t.Helper()
	for _, err := range d.Check(method, path, status, h, body) {
		t.Error(err)
	}
}
