package server

import (
	"bytes"
	"encoding/json"
	"io"
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

// start runs a server on 127.0.0.1:0 with small batch limits.
func start(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{api: loadAPIDoc(t)}
	ts.Server = New(func() (*levy.Levy, error) {
		if ts.fail.Load() {
			return nil, &os.PathError{Op: "open", Path: "measures/broken.yaml", Err: os.ErrNotExist}
		}
		// A fresh Levy each time, as a real reload reads the files again.
		return levy.Load(levy.Options{})
	})
	ts.Addr = "127.0.0.1:0"
	ts.Now = func() time.Time { return testToday }
	ts.MaxBatchRows = 5
	ts.MaxBatchBytes = 32 << 10
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
		ts.api.check(t, method, path, res.StatusCode, raw)
	}
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

// template maps a request path to the documented path it matches.
func (d *apiDoc) template(path string) string {
	path, _, _ = strings.Cut(path, "?")
	paths := d.doc["paths"].(map[string]any)
	if _, ok := paths[path]; ok {
		return path
	}
	if strings.HasPrefix(path, "/v1/hts/") {
		return "/v1/hts/{code}"
	}
	return refundTemplate(path)
}

// schemaPointer finds the JSON pointer of the response schema, following
// an OpenAPI reference to components/responses.
func (d *apiDoc) schemaPointer(tmpl, method string, status int) (string, bool) {
	if tmpl == "" {
		return "#/components/responses/Error/content/application~1json/schema", status >= 400
	}
	op, ok := d.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		// A method the path does not have: the document's description
		// promises a 405 in the one error shape.
		return "#/components/responses/Error/content/application~1json/schema", status == 405
	}
	code := strconv.Itoa(status)
	res, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		return "", false
	}
	if ref, ok := res["$ref"].(string); ok {
		return ref + "/content/application~1json/schema", true
	}
	esc := strings.NewReplacer("~", "~0", "/", "~1").Replace
	return "#/paths/" + esc(tmpl) + "/" + strings.ToLower(method) + "/responses/" + code + "/content/application~1json/schema", true
}

func (d *apiDoc) check(t testing.TB, method, path string, status int, body []byte) {
	t.Helper()
	if method == "HEAD" {
		return
	}
	tmpl := d.template(path)
	ptr, ok := d.schemaPointer(tmpl, method, status)
	if !ok {
		t.Errorf("openapi.json documents no %d response for %s %s", status, method, tmpl)
		return
	}
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
	d.seen[method+" "+tmpl+" "+strconv.Itoa(status)] = true
	d.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\n%s", method, path, status, err, body)
	}
}

// unproduced lists the JSON responses the document declares, for the paths
// keep accepts, that no request produced ("METHOD path status", sorted).
// TestRefundsAPI checks the refunds paths, which need a ledger.
func (d *apiDoc) unproduced(keep func(path string) bool) []string {
	var missing []string
	for path, item := range d.doc["paths"].(map[string]any) {
		if !keep(path) {
			continue
		}
		for method, op := range item.(map[string]any) {
			for code, res := range op.(map[string]any)["responses"].(map[string]any) {
				res := res.(map[string]any)
				if content, ok := res["content"].(map[string]any); ok && content["application/json"] == nil {
					continue // not JSON: text/plain metrics
				}
				if key := strings.ToUpper(method) + " " + path + " " + code; !d.seen[key] {
					missing = append(missing, key)
				}
			}
		}
	}
	sort.Strings(missing)
	return missing
}
