package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/jsonobj"
)

// request is one import line as the API receives it, with the options of
// the endpoint that received it.
type request struct {
	in       engine.Input
	scenario string
	explain  bool
	// extra holds the endpoint's own parameters (from, to, scenario lists).
	extra map[string]string
}

// inputFields are the fields of engine.Input by their JSON and query name;
// they are the batch column names.
var inputFields = map[string]func(*engine.Input) *string{
	"hts":              func(in *engine.Input) *string { return &in.HTS },
	"origin":           func(in *engine.Input) *string { return &in.Origin },
	"entry_date":       func(in *engine.Input) *string { return &in.EntryDate },
	"export_date":      func(in *engine.Input) *string { return &in.ExportDate },
	"known_on":         func(in *engine.Input) *string { return &in.KnownOn },
	"value":            func(in *engine.Input) *string { return &in.Value },
	"quantity":         func(in *engine.Input) *string { return &in.Quantity },
	"unit":             func(in *engine.Input) *string { return &in.Unit },
	"program":          func(in *engine.Input) *string { return &in.Program },
	"mode":             func(in *engine.Input) *string { return &in.Mode },
	"steel_value":      func(in *engine.Input) *string { return &in.Steel },
	"aluminum_value":   func(in *engine.Input) *string { return &in.Aluminum },
	"copper_value":     func(in *engine.Input) *string { return &in.Copper },
	"us_content_value": func(in *engine.Input) *string { return &in.USContent },
	"claims":           func(in *engine.Input) *string { return &in.Claims },
}

// params says which parameters an endpoint accepts besides the input
// fields.
type params struct {
	// extra are the endpoint's own parameter names.
	extra []string
	// without are input fields the endpoint does not take.
	without []string
	// flags says whether scenario and explain are accepted.
	scenario, explain bool
}

// set applies one named text value to req; an unknown name is bad input.
func (p params) set(req *request, name, text string) error {
	for _, w := range p.without {
		if name == w {
			return invalid(name, "this endpoint does not take "+name)
		}
	}
	if f, ok := inputFields[name]; ok {
		*f(&req.in) = text
		return nil
	}
	switch {
	case name == "informal":
		b, err := parseBool(name, text)
		req.in.Informal = b
		return err
	case name == "de_minimis":
		b, err := parseBool(name, text)
		req.in.DeMinimis = b
		return err
	case name == "explain" && p.explain:
		b, err := parseBool(name, text)
		req.explain = b
		return err
	case name == "scenario" && p.scenario:
		req.scenario = strings.TrimSpace(text)
		return nil
	}
	for _, x := range p.extra {
		if name == x {
			req.extra[name] = text
			return nil
		}
	}
	return &Error{Code: CodeInvalid, Field: name, Message: "unknown parameter " + strconv.Quote(name), Suggestions: p.names()}
}

func (p params) names() []string {
	var out []string
	for n := range inputFields {
		out = append(out, n)
	}
	out = append(out, "informal", "de_minimis")
	if p.scenario {
		out = append(out, "scenario")
	}
	if p.explain {
		out = append(out, "explain")
	}
	out = append(out, p.extra...)
	sort.Strings(out)
	return out
}

func parseBool(field, text string) (bool, error) {
	if strings.TrimSpace(text) == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(text))
	if err != nil {
		return false, invalid(field, strconv.Quote(text)+" is not true or false")
	}
	return b, nil
}

// fromQuery reads a request from URL query parameters; a parameter given
// twice is bad input, since only one value can be meant.
func (p params) fromQuery(q url.Values) (*request, error) {
	req := &request{extra: map[string]string{}}
	for _, name := range sortedKeys(q) {
		vs := q[name]
		if len(vs) > 1 {
			return nil, invalid(name, "parameter given more than once")
		}
		if err := p.set(req, name, vs[0]); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// fromJSON reads a request from a JSON object whose values are strings,
// numbers (kept as written, so no precision is lost), booleans or null. A
// key given twice is bad input naming it: only one value can be meant.
func (p params) fromJSON(body []byte) (*request, error) {
	req := &request{extra: map[string]string{}}
	err := jsonobj.Decode(body, func(name, text string, null bool) error {
		if null {
			return nil
		}
		return p.set(req, name, text)
	})
	var je *jsonobj.Error
	switch {
	case err == nil:
		return req, nil
	case errors.Is(err, jsonobj.ErrNotObject):
		return nil, invalid("", "the body must be one JSON object of import line fields")
	case errors.As(err, &je):
		return nil, invalid(je.Key, je.Msg)
	}
	return nil, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// mediaType returns the request's media type if it is one of allowed, and
// otherwise a 415 that lists them. A POST body must say what it is: the
// types a cross-site HTML form can send without asking (urlencoded,
// multipart, text/plain) are never among those read.
func mediaType(r *http.Request, allowed ...string) (string, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil {
		for _, a := range allowed {
			if mt == a {
				return mt, nil
			}
		}
	}
	msg := "send the body with Content-Type " + strings.Join(allowed, " or ")
	if ct != "" {
		msg = strconv.Quote(engine.Clip(ct, 64)) + " is not read here; " + msg
	}
	return "", &Error{Code: CodeUnsupported, Field: "Content-Type", Message: msg, Suggestions: allowed}
}

// readBody reads a body of at most limit bytes; a larger one is a 413.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, invalid("", "reading the request body: "+err.Error())
	}
	return b, nil
}

// parse checks the input fields and returns the engine query.
func (req *request) parse() (engine.Query, error) {
	q, err := req.in.Parse()
	q.Explain = req.explain
	return q, err
}
