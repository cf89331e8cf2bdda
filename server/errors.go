package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
)

// Error codes of the API. Each has one HTTP status in statusOf.
const (
	CodeInvalid       = "invalid"            // bad input; Field names it
	CodeUnauthorized  = "unauthorized"       // an admin endpoint without the right bearer token
	CodeForbidden     = "forbidden"          // admin endpoints are off (no token configured)
	CodeNotFound      = "not_found"          // unknown HTS number, scenario or path
	CodeUnprocessable = "unprocessable"      // valid input levy cannot compute (unparsed rate, missing quantity)
	CodeTooLarge      = "too_large"          // body beyond the size or row limit
	CodeMethod        = "method_not_allowed" // wrong HTTP method
	CodeUnsupported   = "unsupported_media"  // a body type the endpoint does not read
	CodeBusy          = "too_many_requests"  // a limit on concurrent batches or on reloads; see Retry-After
	CodeUnavailable   = "unavailable"        // not ready, shutting down
	CodeInternal      = "internal"           // a bug; details are logged, never sent
)

// statusOf is the one table from error code to HTTP status.
var statusOf = map[string]int{
	CodeInvalid:       http.StatusBadRequest,
	CodeUnauthorized:  http.StatusUnauthorized,
	CodeForbidden:     http.StatusForbidden,
	CodeNotFound:      http.StatusNotFound,
	CodeUnprocessable: http.StatusUnprocessableEntity,
	CodeTooLarge:      http.StatusRequestEntityTooLarge,
	CodeMethod:        http.StatusMethodNotAllowed,
	CodeUnsupported:   http.StatusUnsupportedMediaType,
	CodeBusy:          http.StatusTooManyRequests,
	CodeUnavailable:   http.StatusServiceUnavailable,
	CodeInternal:      http.StatusInternalServerError,
}

// Error is the body of every failed request:
// {"error": {"code", "message", "field", "suggestions"}}.
type Error struct {
	Code        string   `json:"code"`
	Message     string   `json:"message"`
	Field       string   `json:"field,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header of a 429
	// or 503.
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

func invalid(field, msg string) *Error { return &Error{Code: CodeInvalid, Field: field, Message: msg} }

// apiError turns any error into the API's Error. Errors it does not know
// become CodeInternal with a generic message.
func apiError(err error) *Error {
	var (
		ae *Error
		ee *engine.Error
		nf *hts.NotFoundError
		ce *country.UnknownError
		mb *http.MaxBytesError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ee):
		return fromEngine(ee)
	case errors.As(err, &nf):
		return &Error{Code: CodeNotFound, Field: "hts", Message: nf.Error(), Suggestions: nf.Nearest}
	case errors.As(err, &ce):
		return &Error{Code: CodeInvalid, Field: "origin", Message: ce.Error(), Suggestions: ce.Suggestions}
	case errors.As(err, &mb):
		return &Error{Code: CodeTooLarge, Message: "request body is larger than " + sizeText(mb.Limit)}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// The client has gone or the server is stopping: not a bug.
		return &Error{Code: CodeUnavailable, Message: "the request was cancelled before it was answered"}
	}
	return &Error{Code: CodeInternal, Message: "internal error; it has been logged"}
}

// fromEngine maps engine codes. An unknown HTS number is "not found"; an
// unknown country is bad input, since the country list is fixed.
func fromEngine(e *engine.Error) *Error {
	out := &Error{Code: CodeInvalid, Field: e.Field, Message: e.Msg, Suggestions: e.Suggestions}
	switch e.Code {
	case engine.CodeNotFound:
		var ce *country.UnknownError
		if errors.As(e.Err, &ce) && len(out.Suggestions) == 0 {
			out.Suggestions = ce.Suggestions
		}
		if e.Field == "hts" {
			out.Code = CodeNotFound
		}
	case engine.CodeUnknown:
		out.Code = CodeUnprocessable
	}
	return out
}

// Bounds on what an error repeats of the request: messages quote the
// input they are about, field names and suggestions come from it, and none
// of them may grow a response with the size of a hostile request.
const (
	maxMessage     = 1024
	maxFieldName   = 64
	maxSuggestions = 20
)

// bounded returns a copy of e cut to the bounds above.
func bounded(e *Error) *Error {
	out := *e
	out.Message = engine.Clip(e.Message, maxMessage)
	out.Field = engine.Clip(e.Field, maxFieldName)
	if len(e.Suggestions) > 0 {
		out.Suggestions = make([]string, 0, min(len(e.Suggestions), maxSuggestions))
		for _, s := range e.Suggestions[:min(len(e.Suggestions), maxSuggestions)] {
			out.Suggestions = append(out.Suggestions, engine.Clip(s, maxFieldName))
		}
	}
	return &out
}

// writeError writes err in the API's shape and logs internal errors with
// the request they came from.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := bounded(apiError(err))
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 && e.Code == CodeInternal {
		s.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", engine.Clip(r.URL.Path, 256), "err", err)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, status, errorBody{e})
}

// errorBody is the one shape of a failed request.
type errorBody struct {
	Error *Error `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("encoding response", "err", err)
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error; it has been logged"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
