package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/levy-tariff/levy"
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
	api  *apiDoc
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
	res, err := http.DefaultClient.Do(req)
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
	ts.api.check(t, method, path, res.StatusCode, res.Header, raw)
	return r
}

func (ts *testServer) get(t testing.TB, path string) *response {
	t.Helper()
	return ts.do(t, "GET", path, "", nil)
}

// apiDoc is the OpenAPI document with compiled response schemas.
type apiDoc struct {
	doc     map[string]any
	mu      sync.Mutex
	schemas map[string]*jsonschema.Schema
	c       *jsonschema.Compiler
	seen    map[string]bool // "METHOD template status" validated
}

const docURL = "file:///openapi.json"

var (
	docOnce sync.Once
	theDoc  *apiDoc
	docErr  error
)

func loadAPIDoc(t testing.TB) *apiDoc {
	t.Helper()
	docOnce.Do(func() {
		b, err := files.ReadFile("openapi.json")
		if err != nil {
			docErr = err
			return
		}
		d := &apiDoc{schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}, c: jsonschema.NewCompiler()}
		if err := json.Unmarshal(b, &d.doc); err != nil {
			docErr = err
			return
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			docErr = err
			return
		}
		if err := d.c.AddResource(docURL, inst); err != nil {
			docErr = err
			return
		}
		theDoc = d
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return theDoc
}

// template maps a request path to the documented path it matches: the
// path itself, else a template whose {parameters} each match one segment.
func (d *apiDoc) template(p string) string {
	p, _, _ = strings.Cut(p, "?")
	paths := d.doc["paths"].(map[string]any)
	if _, ok := paths[p]; ok {
		return p
	}
	segs := strings.Split(p, "/")
	var found []string
	for tmpl := range paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) || !strings.Contains(tmpl, "{") {
			continue
		}
		ok := true
		for i := range ts {
			if ts[i] != segs[i] && !(strings.HasPrefix(ts[i], "{") && segs[i] != "") {
				ok = false
				break
			}
		}
		if ok {
			found = append(found, tmpl)
		}
	}
	// The most specific template wins: the one with the fewest parameters.
	sort.Slice(found, func(i, j int) bool { return strings.Count(found[i], "{") < strings.Count(found[j], "{") })
	if len(found) > 0 {
		return found[0]
	}
	return ""
}

const errorRef = "#/components/responses/Error"

// response finds the documented response for a status: its object with
// references followed, and its JSON pointer. A path not documented must
// answer 404 and a method a path lacks 405, both in the error shape.
func (d *apiDoc) response(tmpl, method string, status int) (map[string]any, string, bool) {
	if tmpl == "" {
		return d.resolve(errorRef), errorRef, status == 404
	}
	op, ok := d.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		if method == "HEAD" {
			if op, ok = d.doc["paths"].(map[string]any)[tmpl].(map[string]any)["get"].(map[string]any); ok {
				return d.opResponse(tmpl, "get", op, status)
			}
		}
		// A templated resource that does not exist may be a 404 whatever
		// the method, where its GET declares one.
		get, _ := d.doc["paths"].(map[string]any)[tmpl].(map[string]any)["get"].(map[string]any)
		if status == 404 && get != nil {
			return d.opResponse(tmpl, "get", get, status)
		}
		return d.resolve(errorRef), errorRef, status == 405
	}
	return d.opResponse(tmpl, strings.ToLower(method), op, status)
}

func (d *apiDoc) opResponse(tmpl, method string, op map[string]any, status int) (map[string]any, string, bool) {
	code := strconv.Itoa(status)
	res, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		return nil, "", false
	}
	if ref, ok := res["$ref"].(string); ok {
		return d.resolve(ref), ref, true
	}
	esc := strings.NewReplacer("~", "~0", "/", "~1").Replace
	return res, "#/paths/" + esc(tmpl) + "/" + method + "/responses/" + code, true
}

// resolve follows a local JSON pointer in the document.
func (d *apiDoc) resolve(ref string) map[string]any {
	var cur any = d.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		cur = cur.(map[string]any)[part]
	}
	return cur.(map[string]any)
}

// check validates one answer against the document: the status is declared
// for the path and method, the Content-Type is one the response declares,
// the headers it requires are there, and the body matches the schema (JSON
// against its schema, CSV and JSON Lines read as such).
func (d *apiDoc) check(t testing.TB, method, path string, status int, h http.Header, body []byte) {
	t.Helper()
	tmpl := d.template(path)
	res, ptr, ok := d.response(tmpl, method, status)
	if !ok {
		t.Errorf("openapi.json documents no %d response for %s %s (%s)", status, method, tmpl, path)
		return
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	content, _ := res["content"].(map[string]any)
	if _, ok := content[ct]; !ok {
		t.Errorf("%s %s → %d: Content-Type %q is not documented (%v)", method, path, status, h.Get("Content-Type"), keys(content))
		return
	}
	if status == 405 && h.Get("Allow") == "" {
		t.Errorf("%s %s → 405 without an Allow header", method, path)
	}
	hdrs, _ := res["headers"].(map[string]any)
	for name, spec := range hdrs {
		if req, _ := spec.(map[string]any)["required"].(bool); req && h.Get(name) == "" {
			t.Errorf("%s %s → %d lacks the %s header the document requires", method, path, status, name)
		}
	}
	d.mu.Lock()
	if method != "HEAD" {
		d.seen[strings.ToUpper(method)+" "+tmpl+" "+strconv.Itoa(status)+" "+ct] = true
	}
	d.mu.Unlock()
	if method == "HEAD" {
		if len(body) > 0 {
			t.Errorf("HEAD %s has a body", path)
		}
		return
	}
	esc := strings.NewReplacer("~", "~0", "/", "~1").Replace
	switch ct {
	case "application/json":
		d.validate(t, ptr+"/content/"+esc(ct)+"/schema", method+" "+path, status, body)
	case "text/csv":
		if _, err := csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
			t.Errorf("%s %s → %d: not CSV: %v", method, path, status, err)
		}
	case "application/x-ndjson":
		for i, line := range bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n")) {
			sch := "#/components/schemas/BatchRow"
			if bytes.HasPrefix(line, []byte(`{"error":`)) {
				sch = "#/components/schemas/Error"
			}
			d.validate(t, sch, fmt.Sprintf("%s %s line %d", method, path, i+1), status, line)
		}
	default:
		if len(body) == 0 && method != "HEAD" {
			t.Errorf("%s %s → %d: empty %s body", method, path, status, ct)
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (d *apiDoc) validate(t testing.TB, ptr, what string, status int, body []byte) {
	t.Helper()
	d.mu.Lock()
	sch, ok := d.schemas[ptr]
	if !ok {
		var err error
		sch, err = d.c.Compile(docURL + ptr)
		if err != nil {
			d.mu.Unlock()
			t.Fatalf("compiling %s: %v", ptr, err)
		}
		d.schemas[ptr] = sch
	}
	d.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Errorf("%s → %d: not JSON: %v\n%s", what, status, err, clip(body))
		return
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s → %d does not match openapi.json: %v\n%s", what, status, err, clip(body))
	}
}
