package server

import (
	"crypto/subtle"
	"math"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// DefaultReloadInterval is the least time between two reloads asked for
// over HTTP: a reload compiles the whole rule set (most of a second of
// CPU), so an unbounded stream of them would be a cheap denial of service.
const DefaultReloadInterval = 10 * time.Second

// MinAdminToken is the shortest admin token the server accepts.
const MinAdminToken = 16

// adminReload reloads the data. The admin endpoints are off unless the
// server has a token, and then answer only requests that carry it as a
// bearer token. A failure keeps the data in use and is reported, with the
// loader's message (server paths cut to file names), as a 422: the request
// was fine, the files were not.
func (s *Server) adminReload(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	if err := noBody(r); err != nil {
		return err
	}
	if err := s.reloadSlot(); err != nil {
		return err
	}
	if err := s.Reload(); err != nil {
		return &Error{Code: CodeUnprocessable, Message: "reload failed; the data in use is unchanged: " + redactPaths(err.Error())}
	}
	return s.info(w, r)
}

// authorize checks the bearer token of an admin request.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) error {
	if s.AdminToken == "" {
		return &Error{Code: CodeForbidden, Message: "the admin endpoints are off; start levy serve with --admin-token-file FILE " +
			"(or LEVY_ADMIN_TOKEN) to enable them, or send SIGHUP to reload"}
	}
	auth := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.AdminToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="levy admin"`)
		return &Error{Code: CodeUnauthorized, Field: "Authorization", Message: "send the admin token as Authorization: Bearer TOKEN"}
	}
	return nil
}

// noBody refuses a body on an endpoint that reads none, unless it is an
// empty JSON document: a cross-site form (urlencoded, multipart or
// text/plain) never gets through.
func noBody(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength <= 0 {
		return nil
	}
	if _, err := mediaType(r, "application/json"); err != nil {
		return err
	}
	return nil
}

// reloadSlot admits one reload per ReloadInterval; a reload asked for
// sooner, or while one runs, gets a 429 with the seconds to wait.
func (s *Server) reloadSlot() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	now := time.Now()
	if wait := s.lastReload.Add(s.ReloadInterval).Sub(now); !s.lastReload.IsZero() && wait > 0 {
		return &Error{Code: CodeBusy, Message: "a reload ran less than " + s.ReloadInterval.String() + " ago; try again later",
			RetryAfter: int(math.Ceil(wait.Seconds()))}
	}
	s.lastReload = now
	return nil
}

// pathLike matches file paths in loader messages, keeping the last element.
var pathLike = regexp.MustCompile(`(?:[A-Za-z]:)?(?:[^\s:"'()<>,;/\\]*[/\\])+([^\s:"'()<>,;/\\]*)`)

// redactPaths cuts every path in msg to its file name: the client learns
// which file failed, never where the server keeps it.
func redactPaths(msg string) string {
	return pathLike.ReplaceAllString(msg, "$1")
}

// sourceName is a schedule source as the API shows it: a file name, never a
// server path.
func sourceName(source string) string {
	if source == "" || source == "embedded" {
		return source
	}
	return filepath.Base(source)
}
