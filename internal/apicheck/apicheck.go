// Package apicheck checks HTTP answers against levy's OpenAPI document:
// the status is one the document declares for the path and method, the
// Content-Type one it declares for that status, the headers it requires
// are there, and the body matches (JSON against its schema, CSV and JSON
// Lines read as such). The server's tests and the soak program (bench/)
// both hold every answer to it.
//
// It is for tests and benchmarks only and must not import any levy
// package.
package apicheck

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Doc is a loaded OpenAPI document; it is safe for concurrent use.
type Doc struct {
	doc map[string]any

	mu      sync.Mutex
	c       *jsonschema.Compiler
	schemas map[string]*jsonschema.Schema
	seen    map[string]bool // Key of every answer checked
}

const docURL = "file:///openapi.json"

const errorRef = "#/components/responses/Error"

// Load reads an OpenAPI 3.1 document.
func Load(b []byte) (*Doc, error) {
	d := &Doc{schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}, c: jsonschema.NewCompiler()}
	if err := json.Unmarshal(b, &d.doc); err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if err := d.c.AddResource(docURL, inst); err != nil {
		return nil, err
	}
	return d, nil
}

// Key names a documented answer: "METHOD /path/{template} status type".
func Key(method, tmpl string, status int, ctype string) string {
	return strings.ToUpper(method) + " " + tmpl + " " + strconv.Itoa(status) + " " + ctype
}

// Seen reports whether an answer with this key was checked.
func (d *Doc) Seen(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.seen[key]
}

// Declared lists the keys of every answer the document declares.
func (d *Doc) Declared() []string {
	var out []string
	for path, item := range d.doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op, ok := op.(map[string]any)
			if !ok {
				continue
			}
			for code, res := range op["responses"].(map[string]any) {
				res := res.(map[string]any)
				if ref, ok := res["$ref"].(string); ok {
					res = d.Resolve(ref)
				}
				status, _ := strconv.Atoi(code)
				for ct := range res["content"].(map[string]any) {
					out = append(out, Key(method, path, status, ct))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Template maps a request path to the documented path it matches: the
// path itself, else a template whose {parameters} each match one segment,
// the one with the fewest parameters first; "" when none does.
func (d *Doc) Template(p string) string {
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
	sort.Slice(found, func(i, j int) bool {
		ci, cj := strings.Count(found[i], "{"), strings.Count(found[j], "{")
		return ci < cj || ci == cj && found[i] < found[j]
	})
	if len(found) > 0 {
		return found[0]
	}
	return ""
}

// response finds the documented response for a status, with references
// followed, and its JSON pointer. A path not documented must answer 404
// and a method a path lacks 405 (or the 404 of a templated resource that
// does not exist), both in the error shape; HEAD answers as GET.
func (d *Doc) response(tmpl, method string, status int) (map[string]any, string, bool) {
	if tmpl == "" {
		return d.Resolve(errorRef), errorRef, status == 404
	}
	item := d.doc["paths"].(map[string]any)[tmpl].(map[string]any)
	get, _ := item["get"].(map[string]any)
	// Methods are case-sensitive: "GeT" is not GET, and answers 405.
	op, ok := item[strings.ToLower(method)].(map[string]any)
	ok = ok && method == strings.ToUpper(method)
	switch {
	case ok:
		return d.opResponse(tmpl, strings.ToLower(method), op, status)
	case method == "HEAD" && get != nil, status == 404 && get != nil:
		return d.opResponse(tmpl, "get", get, status)
	}
	return d.Resolve(errorRef), errorRef, status == 405
}

func (d *Doc) opResponse(tmpl, method string, op map[string]any, status int) (map[string]any, string, bool) {
	code := strconv.Itoa(status)
	res, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		return nil, "", false
	}
	if ref, ok := res["$ref"].(string); ok {
		return d.Resolve(ref), ref, true
	}
	return res, "#/paths/" + escape(tmpl) + "/" + method + "/responses/" + code, true
}

var escape = strings.NewReplacer("~", "~0", "/", "~1").Replace

// Resolve follows a local JSON pointer in the document.
func (d *Doc) Resolve(ref string) map[string]any {
	var cur any = d.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		cur = cur.(map[string]any)[part]
	}
	return cur.(map[string]any)
}

// Check holds one answer to the document and returns every way it
// departs from it. path is the request path with its query; body is nil
// for HEAD.
func (d *Doc) Check(method, path string, status int, h http.Header, body []byte) []error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s %.120s → %d: "+format, append([]any{method, path, status}, args...)...))
	}
	tmpl := d.Template(path)
	res, ptr, ok := d.response(tmpl, method, status)
	if !ok {
		fail("openapi.json documents no such answer for %s %s", method, tmpl)
		return errs
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	content, _ := res["content"].(map[string]any)
	if _, ok := content[ct]; !ok {
		fail("Content-Type %q is not documented (%v)", h.Get("Content-Type"), keys(content))
		return errs
	}
	if status == 405 && h.Get("Allow") == "" {
		fail("no Allow header")
	}
	hdrs, _ := res["headers"].(map[string]any)
	for name, spec := range hdrs {
		if req, _ := spec.(map[string]any)["required"].(bool); req && h.Get(name) == "" {
			fail("no %s header, which the document requires", name)
		}
	}
	if method == "HEAD" {
		if len(body) > 0 {
			fail("a HEAD answer with a body")
		}
		return errs
	}
	d.mu.Lock()
	d.seen[Key(method, tmpl, status, ct)] = true
	d.mu.Unlock()
	switch ct {
	case "application/json":
		if err := d.Validate(ptr+"/content/"+escape(ct)+"/schema", body); err != nil {
			fail("%v\n%s", err, clip(body))
		}
	case "text/csv":
		if _, err := csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
			fail("not CSV: %v", err)
		}
	case "application/x-ndjson":
		for i, line := range bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n")) {
			sch := "#/components/schemas/BatchRow"
			if bytes.HasPrefix(line, []byte(`{"error":`)) {
				sch = "#/components/schemas/Error"
			}
			if err := d.Validate(sch, line); err != nil {
				fail("line %d: %v", i+1, err)
			}
		}
	default:
		if len(body) == 0 {
			fail("an empty %s body", ct)
		}
	}
	return errs
}

// Validate checks a JSON body against the schema at a JSON pointer of the
// document.
func (d *Doc) Validate(ptr string, body []byte) error {
	d.mu.Lock()
	sch, ok := d.schemas[ptr]
	if !ok {
		var err error
		if sch, err = d.c.Compile(docURL + ptr); err != nil {
			d.mu.Unlock()
			return fmt.Errorf("compiling %s: %w", ptr, err)
		}
		d.schemas[ptr] = sch
	}
	d.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("does not match openapi.json: %w", err)
	}
	return nil
}

// Schemas returns the names of components/schemas, to compile each.
func (d *Doc) Schemas() []string {
	var out []string
	for name := range d.doc["components"].(map[string]any)["schemas"].(map[string]any) {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// CompileSchema compiles one schema of components/schemas.
func (d *Doc) CompileSchema(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, err := d.c.Compile(docURL + "#/components/schemas/" + name)
	return err
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
