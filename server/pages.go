package server

import (
	"bytes"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
)

// The web page: every view is rendered by the server from Go templates,
// so that search, a line, an assessment, a timeline and a comparison work
// with no JavaScript at all; web/app.js only enhances them (the chart's
// values by keyboard and touch, copying a link). Every view is a GET with
// the fields given in its query string, so every view is a short link.

// pageTemplates are the page templates, one per view, each with the
// layout and the shared parts.
var pageTemplates = sync.OnceValue(func() map[string]*template.Template {
	base := template.Must(template.New("layout").Funcs(pageFuncs).ParseFS(files, "web/templates/_*.html"))
	names, err := fs.Glob(files, "web/templates/[a-z]*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		t := template.Must(template.Must(base.Clone()).ParseFS(files, n))
		out[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return out
})

var pageFuncs = template.FuncMap{
	"lower":    strings.ToLower,
	"addf":     func(a, b float64) float64 { return round1(a + b) },
	"subf":     func(a, b float64) float64 { return round1(a - b) },
	"citeList": func(c citeLink) []citeLink { return []citeLink{c} },
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// layout is what every view shows around its content.
type layout struct {
	// Title is the document title; the layout prefixes "Error: " when the
	// view has errors, as GOV.UK pages do.
	Title string
	// Nav is the navigation item of the view.
	Nav string
	// Footer describes the data in use.
	Footer string
	// HasErrors says the view shows an error summary.
	HasErrors bool
	// Refunds says the server holds a refunds ledger (levy serve --db), so
	// the navigation links to its page.
	Refunds bool
}

// pageData is the value every template receives.
type pageData struct {
	Layout layout
	View   any
}

// renderPage writes a view with status; a template failure is a 500 page,
// never half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, l layout, view any) {
	t, ok := pageTemplates()[name]
	if !ok {
		s.Log.ErrorContext(r.Context(), "no page template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if st := s.current(); st != nil {
		l.Footer = s.footer(st)
	}
	l.Refunds = s.Ledger != nil
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pageData{Layout: l, View: view}); err != nil {
		s.Log.ErrorContext(r.Context(), "rendering page", "page", name, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("<!DOCTYPE html><title>levy: error</title><p>The page could not be shown; the error has been logged.</p>")
	}
	setPageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func (s *Server) footer(st *state) string {
	snap, err := st.lv.Snapshot("")
	if err != nil {
		return ""
	}
	return "Schedule: " + st.lv.Schedule.Revision + ". Rules: " + strconv.Itoa(len(st.lv.Rules.Measures)) + " measures, known to " +
		longDate(snap.Horizon) + "."
}

// pageRoutes adds the page's routes to mux: the views, their two assets,
// the old one-page addresses (/?page=...) and an HTML "not found".
func (s *Server) pageRoutes(mux *http.ServeMux) {
	page := func(pattern string, h func(w http.ResponseWriter, r *http.Request)) {
		mux.Handle(pattern, s.metrics.instrument(pattern, s.dispatch(methods{"GET": func(w http.ResponseWriter, r *http.Request) error {
			h(w, r)
			return nil
		}})))
	}
	page("/{$}", s.homePage)
	page("/search", s.searchPage)
	page("/line/{code}", s.linePage)
	page("/assess", s.assessPage)
	page("/timeline", s.timelinePage)
	page("/compare", s.comparePage)
	page("/burden", s.burdenPage)
	for _, name := range []string{"app.js", "style.css"} {
		page("/"+name, s.asset(name))
	}
	// Any other address, whatever the method, is not found.
	mux.Handle("/", s.metrics.instrument("/", http.HandlerFunc(s.notFoundPage)))
}

// asset serves one file of web/assets.
func (s *Server) asset(name string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		http.ServeFileFS(w, r, files, "web/assets/"+name)
	}
}

// notFoundPage answers an unknown address with a page that offers a way
// on, and sends the old one-page addresses (/?page=assess&...) to the view
// they name so that links shared before keep working.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	// A browser gets a page with a way on; a program, the API's JSON error.
	if r.Method != http.MethodGet && r.Method != http.MethodHead || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		s.writeError(w, r, &Error{Code: CodeNotFound, Message: "no page or endpoint " + strconv.Quote(engine.Clip(r.URL.Path, 128)) + "; the API is described at /openapi.json"})
		return
	}
	s.renderPage(w, r, http.StatusNotFound, "notfound", layout{Title: "Page not found"}, nil)
}

// legacyRedirect answers /?page=X&... with the view's own address; it
// reports false when the request is not such an address.
func legacyRedirect(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	pg := q.Get("page")
	if pg == "" {
		return false
	}
	q.Del("page")
	q.Del("explain")
	target := "/"
	switch pg {
	case "search", "assess", "timeline", "compare":
		target = "/" + pg
	case "line":
		target = "/line/" + url.PathEscape(q.Get("code"))
		q.Del("code")
	}
	http.Redirect(w, r, target+shortQuery(q, nil), http.StatusMovedPermanently)
	return true
}

// shortQuery is the query string of the non-empty values of q, in the
// order of names (then the rest, sorted), with "?" when not empty: the
// short link of a view holds only the fields given.
func shortQuery(q url.Values, names []string) string {
	var parts []string
	seen := map[string]bool{}
	addName := func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, v := range q[n] {
			if v = strings.TrimSpace(v); v != "" {
				parts = append(parts, url.QueryEscape(n)+"="+url.QueryEscape(v))
			}
		}
	}
	for _, n := range names {
		addName(n)
	}
	rest := make([]string, 0, len(q))
	for n := range q {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	for _, n := range rest {
		addName(n)
	}
	if len(parts) == 0 {
		return ""
	}
	return "?" + strings.Join(parts, "&")
}

// hasEmpty reports whether q holds a parameter with an empty value, as a
// submitted form does for the fields left blank.
func hasEmpty(q url.Values) bool {
	for _, vs := range q {
		for _, v := range vs {
			if strings.TrimSpace(v) == "" {
				return true
			}
		}
	}
	return false
}

// resultPage is what the views that answer a form share: the form, the
// heading, what was asked, the short link and the links onward.
type resultPage struct {
	Form *form
	// Caption and Heading head the view; Lead introduces it before there
	// is a result.
	Caption, Heading, Lead string
	Asked                  []askedRow
	// Result or Timeline is the answer, nil until there is one.
	Result   *resultView
	Timeline *timelineView
	ShortURL string
	Next     []suggestion
}

// settle ends the checks of a view's form. A submitted form with no
// problem is answered with a redirect to its short link, which holds only
// the fields given (done is true); otherwise status says whether the form
// has errors.
func settle(w http.ResponseWriter, r *http.Request, f *form) (status int, done bool) {
	f.finish()
	q := r.URL.Query()
	if f.ok() && hasEmpty(q) {
		http.Redirect(w, r, r.URL.Path+shortQuery(canonical(q), formOrder), http.StatusSeeOther)
		return 0, true
	}
	if len(f.Errors) > 0 {
		return http.StatusBadRequest, false
	}
	return http.StatusOK, false
}

// computed is the status once the engine has answered: an error it found
// in input the form's checks accepted is a 422.
func computed(f *form, status int) int {
	if status == http.StatusOK && len(f.Errors) > 0 {
		return http.StatusUnprocessableEntity
	}
	return status
}

// lookupLine is the one place the page looks a line up, and revisionOn
// the one place it names the schedule revision in force on a date. The
// date given (the entry date, or today on a line's own page; date.None
// for the newest revision) picks the version of the line in force.
func (st *state) lookupLine(code string, on date.Date) (*hts.Line, error) {
	return st.lv.Schedule.Lookup(code, on)
}

func (st *state) revisionOn(on date.Date) string { return st.lv.Schedule.Cite(nil, on) }

// today is the server's date, the default of "as known on" for timelines.
func (s *Server) today() date.Date { return date.Of(s.now()) }
