package server

import (
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
	CodeNotFound      = "not_found"          // unknown HTS number, scenario or path
	CodeUnprocessable = "unprocessable"      // valid input levy cannot compute (unparsed rate, missing quantity)
	CodeTooLarge      = "too_large"          // body beyond the size or row limit
	CodeMethod        = "method_not_allowed" // wrong HTTP method
	CodeUnsupported   = "unsupported_media"  // a body type the endpoint does not read
	CodeUnavailable   = "unavailable"        // not ready, shutting down
	CodeInternal      = "internal"           // a bug; details are logged, never sent
)

// statusOf is the one table from error code to HTTP status.
var statusOf = map[string]int{
	CodeInvalid:       http.StatusBadRequest,
	CodeNotFound:      http.StatusNotFound,
	CodeUnprocessable: http.StatusUnprocessableEntity,
	CodeTooLarge:      http.StatusRequestEntityTooLarge,
	CodeMethod:        http.StatusMethodNotAllowed,
	CodeUnsupported:   http.StatusUnsupportedMediaType,
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

// writeError writes err in the API's shape and logs internal errors with
// the request they came from.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := apiError(err)
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 && e.Code == CodeInternal {
		s.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]*Error{"error": e})
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
