package server

import (
	"embed"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/engine"
)

//go:embed web/assets web/templates/*.html openapi.json
var files embed.FS

// methods maps HTTP methods to the handler of one route.
type methods map[string]handlerFunc

// handlerFunc is an API handler: it writes a response or returns an error
// that the server writes in the one error shape.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routes builds the mux. Every route answers a wrong method with a JSON 405
// and an Allow header, and is counted under its pattern; every path the
// mux does not serve gets a JSON 404, never a redirect or a text page.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, ms methods) {
		mux.Handle(pattern, s.metrics.instrument(pattern, s.dispatch(ms)))
	}
	handle("/v1/assess", methods{"GET": s.assessGet, "POST": s.assessPost})
	handle("/v1/batch", methods{"POST": s.batch})
	handle("/v1/hts", methods{"GET": s.htsSearch})
	handle("/v1/hts/{code}", methods{"GET": s.htsLine})
	handle("/v1/hts/{code}/history", methods{"GET": s.htsHistory})
	handle("/v1/hts/diff", methods{"GET": s.htsDiff})
	handle("/v1/hts/revisions", methods{"GET": s.htsRevisions})
	handle("/v1/timeline", methods{"GET": s.timeline})
	handle("/v1/burden", methods{"GET": s.burden})
	handle("/v1/compare", methods{"GET": s.compare})
	handle("/v1/measures", methods{"GET": s.measures})
	handle("/v1/scenarios", methods{"GET": s.scenarios})
	handle("/v1/info", methods{"GET": s.info})
	handle("/v1/admin/reload", methods{"POST": s.adminReload})
	s.refundRoutes(handle)
	// A path levy does not serve is a 404 whatever the method.
	unknown := s.metrics.instrument("/v1/", s.answer(s.notFound))
	mux.Handle("/v1/", unknown)
	mux.Handle("/v1", unknown) // else the mux redirects to /v1/ with an HTML body
	handle("/healthz", methods{"GET": s.healthz})
	handle("/readyz", methods{"GET": s.readyz})
	handle("/openapi.json", methods{"GET": s.openapi})
	prom := s.metrics.handler()
	handle("/metrics", methods{"GET": func(w http.ResponseWriter, r *http.Request) error { prom.ServeHTTP(w, r); return nil }})
	s.pageRoutes(mux)
	return s.front(mux)
}

// front answers, in the API's shape, the requests the mux would answer
// with a redirect or a text page: paths that are not clean (//, /./, /../)
// and request targets that are not paths (OPTIONS *, CONNECT host:port).
func (s *Server) front(mux http.Handler) http.Handler {
	notFound := s.metrics.instrument("other", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &Error{Code: CodeNotFound, Message: "no endpoint " + strconv.Quote(engine.Clip(r.URL.Path, 128)) + "; see /openapi.json"})
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if !strings.HasPrefix(p, "/") || clean != p {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// answer serves h for every method and writes its error.
func (s *Server) answer(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// dispatch picks the handler for the request's method (HEAD is served as
// GET) and writes the handler's error.
func (s *Server) dispatch(ms methods) http.Handler {
	allow := make([]string, 0, len(ms)+1)
	for m := range ms {
		allow = append(allow, m)
	}
	if _, ok := ms["GET"]; ok {
		allow = append(allow, "HEAD")
	}
	sort.Strings(allow)
	allowed := strings.Join(allow, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == "HEAD" {
			method = "GET"
		}
		h, ok := ms[method]
		if !ok {
			w.Header().Set("Allow", allowed)
			s.writeError(w, r, &Error{Code: CodeMethod, Message: r.Method + " is not allowed here; use " + allowed})
			return
		}
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return &Error{Code: CodeNotFound, Message: "no endpoint " + strconv.Quote(engine.Clip(r.URL.Path, 128)) + "; see /openapi.json"}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz says whether the server can answer: data is loaded and it is not
// shutting down.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.current() == nil {
		return &Error{Code: CodeUnavailable, Message: "data not loaded"}
	}
	if s.closing.Load() {
		return &Error{Code: CodeUnavailable, Message: "shutting down"}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	b, err := files.ReadFile("openapi.json")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
	return nil
}
