package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// batchSummary totals a batch response.
type batchSummary struct {
	Rows     int      `json:"rows"`
	Failed   int      `json:"failed"`
	Duty     string   `json:"duty"`
	Fees     string   `json:"fees"`
	Warnings []string `json:"warnings"`
}

// The body types POST /v1/batch reads, and the formats they are read as.
var batchTypes = map[string]batch.Format{
	"application/json":     batch.JSONArray,
	"application/x-ndjson": batch.JSONL,
	"application/jsonl":    batch.JSONL,
	"text/csv":             batch.CSV,
}

// batch assesses many lines as they arrive: a JSON array of line objects,
// JSON Lines, or CSV in the format of `levy batch`, read row by row and
// answered row by row, so memory stays flat whatever the body's size. The
// answer is JSON ({"rows": [...], "summary": {...}}), or CSV or JSON Lines
// when the client accepts them. Problems found before the first row (bad
// parameters, an unknown column, a body that is not an array, a declared
// length beyond MaxBatchBytes, too many batches at once) are the usual
// error responses; a problem after it (the body goes past MaxBatchBytes or
// MaxBatchRows, broken JSON) ends the stream with an error in band, after
// the rows already assessed.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) error {
	opt, snap, err := s.batchOptions(r)
	if err != nil {
		return err
	}
	mt, err := mediaType(r, "application/json", "application/x-ndjson", "text/csv", "application/jsonl")
	if err != nil {
		return err
	}
	opt.InFormat = batchTypes[mt]
	if r.ContentLength > s.MaxBatchBytes {
		return &Error{Code: CodeTooLarge, Message: "request body is larger than " + sizeText(s.MaxBatchBytes) + " (use the levy batch command for more)"}
	}
	select {
	case s.batches <- struct{}{}:
		defer func() { <-s.batches }()
	default:
		return &Error{Code: CodeBusy, RetryAfter: 1,
			Message: fmt.Sprintf("%d batches are being assessed, the most this server takes at once; try again in a second", cap(s.batches))}
	}
	// Rows are answered while the body is still arriving.
	_ = http.NewResponseController(w).EnableFullDuplex()
	body := http.MaxBytesReader(w, r.Body, s.MaxBatchBytes)
	out := newBatchOut(w, r.Header.Get("Accept"), opt)
	opt.OutFormat = batch.JSONL
	if out.format == batchCSV {
		opt.OutFormat = batch.CSV
	}
	sum, err := batch.Run(r.Context(), snap, body, out, opt)
	// A run that stopped early (the row limit, broken JSON) leaves body
	// unread; reading the rest, up to the byte limit, keeps the connection
	// fit for the client's next request. A streamed answer has already
	// told the client to keep it.
	_, _ = io.Copy(io.Discard, body)
	if err != nil && !out.started {
		return s.batchError(err)
	}
	if err != nil && r.Context().Err() != nil {
		return nil // the client has gone: nobody to tell
	}
	var stop *Error
	if err != nil {
		stop = bounded(s.batchError(err))
	}
	if werr := out.finish(sum, stop); werr != nil {
		s.Log.DebugContext(r.Context(), "batch response not delivered", "err", werr)
	}
	return nil
}

func (s *Server) batchOptions(r *http.Request) (batch.Options, *engine.Snapshot, error) {
	opt := batch.Options{KnownOn: date.None, MaxRows: s.MaxBatchRows}
	qs := r.URL.Query()
	for name, vs := range qs {
		switch name {
		case "scenario", "known_on", "ignore_unknown_columns":
			if len(vs) > 1 {
				return opt, nil, invalid(name, "parameter given more than once")
			}
		default:
			return opt, nil, &Error{Code: CodeInvalid, Field: name, Message: "unknown parameter; batch takes scenario, known_on and ignore_unknown_columns",
				Suggestions: []string{"ignore_unknown_columns", "known_on", "scenario"}}
		}
	}
	if t := strings.TrimSpace(qs.Get("known_on")); t != "" {
		d, err := date.Parse(t)
		if err != nil {
			return opt, nil, invalid("known_on", err.Error())
		}
		opt.KnownOn = d
	}
	ignore, err := parseBool("ignore_unknown_columns", qs.Get("ignore_unknown_columns"))
	if err != nil {
		return opt, nil, err
	}
	opt.IgnoreUnknownColumns = ignore
	snap, err := s.current().snapshot(strings.TrimSpace(qs.Get("scenario")))
	return opt, snap, err
}

// batchError maps what stopped a batch run to the API's error.
func (s *Server) batchError(err error) *Error {
	var (
		he *batch.HeaderError
		tm *batch.TooManyRowsError
		mb *http.MaxBytesError
	)
	switch {
	case errors.As(err, &he):
		field := he.Field()
		if field == "" {
			field = "body"
		}
		return &Error{Code: CodeInvalid, Field: field, Message: he.Error() + "; rename the column, or add ignore_unknown_columns=true to pass over unknown ones"}
	case errors.As(err, &tm):
		return &Error{Code: CodeTooLarge, Message: fmt.Sprintf("more than %d rows; a batch request takes at most %d (use the levy batch command for more)", tm.Max, tm.Max)}
	case errors.As(err, &mb):
		return &Error{Code: CodeTooLarge, Message: "request body is larger than " + sizeText(mb.Limit) + " (use the levy batch command for more)"}
	case errors.Is(err, batch.ErrNotArray):
		return invalid("body", "the body must be a JSON array of import lines (or JSON Lines with Content-Type application/x-ndjson, or CSV with text/csv)")
	}
	if ae := apiError(err); ae.Code != CodeInternal {
		return ae
	}
	return invalid("body", err.Error())
}

// The output formats of POST /v1/batch.
const (
	batchJSON = iota
	batchCSV
	batchNDJSON
)

// batchOut is the response of a batch: nothing is sent until the first
// row, so that a run that fails at once still gets a proper error status.
// In JSON it turns batch's JSON Lines into the elements of "rows".
type batchOut struct {
	w       http.ResponseWriter
	format  int
	refund  bool
	started bool
	comma   bool // a row has ended: a comma goes before the next
	err     error
}

func newBatchOut(w http.ResponseWriter, accept string, opt batch.Options) *batchOut {
	o := &batchOut{w: w, refund: opt.KnownOn != date.None && opt.KnownOn != 0}
	switch {
	case strings.Contains(accept, "text/csv"):
		o.format = batchCSV
	case strings.Contains(accept, "application/x-ndjson"), strings.Contains(accept, "application/jsonl"):
		o.format = batchNDJSON
	}
	return o
}

func (o *batchOut) start() {
	o.started = true
	h := o.w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	switch o.format {
	case batchCSV:
		h.Set("Content-Type", "text/csv; charset=utf-8")
	case batchNDJSON:
		h.Set("Content-Type", "application/x-ndjson")
	default:
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	o.w.WriteHeader(http.StatusOK)
	if o.format == batchJSON {
		o.write([]byte(`{"rows":[`))
	}
}

func (o *batchOut) write(p []byte) {
	if o.err == nil {
		_, o.err = o.w.Write(p)
	}
}

// flush sends what is written so far: batch writes a block of rows at a
// time, and each block goes out as it is done.
func (o *batchOut) flush() {
	if o.err == nil {
		o.err = http.NewResponseController(o.w).Flush()
	}
}

// Write passes rows on; in JSON each JSON Lines row becomes an element.
// The JSON encoder escapes newlines inside strings, so a raw newline only
// ever ends a row.
func (o *batchOut) Write(p []byte) (int, error) {
	if !o.started {
		o.start()
	}
	n := len(p)
	defer o.flush()
	if o.format != batchJSON {
		o.write(p)
		return n, o.err
	}
	for len(p) > 0 {
		if o.comma {
			o.write([]byte{','})
			o.comma = false
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			o.write(p)
			break
		}
		o.write(p[:i])
		o.comma, p = true, p[i+1:]
	}
	return n, o.err
}

// finish ends the response: in JSON the summary (and the error that
// stopped the run, if one did); in CSV a last row whose error column says
// why the run stopped; in JSON Lines a last {"error": ...} line.
func (o *batchOut) finish(sum *batch.Summary, stop *Error) error {
	if !o.started {
		o.start()
	}
	switch o.format {
	case batchJSON:
		tail := struct {
			Summary batchSummary `json:"summary"`
			Error   *Error       `json:"error,omitempty"`
		}{summaryOf(sum), stop}
		b, _ := json.Marshal(tail)
		o.write([]byte("],"))
		o.write(b[1:]) // the summary and error members, after the rows
		o.write([]byte("\n"))
	case batchCSV:
		if stop != nil {
			rec := make([]string, len(batch.Columns), len(batch.Columns)+len(batch.RefundColumns))
			rec[len(rec)-1] = "the request stopped here: " + stop.Message
			if o.refund {
				rec = append(rec, make([]string, len(batch.RefundColumns))...)
			}
			cw := csv.NewWriter(o)
			cw.Write(rec)
			cw.Flush()
		}
	case batchNDJSON:
		if stop != nil {
			b, _ := json.Marshal(errorBody{stop})
			o.write(append(b, '\n'))
		}
	}
	return o.err
}

func summaryOf(sum *batch.Summary) batchSummary {
	out := batchSummary{Duty: money.Format(money.Zero), Fees: money.Format(money.Zero), Warnings: []string{}}
	if sum == nil {
		return out
	}
	out.Rows, out.Failed, out.Duty, out.Fees = sum.Rows, sum.Failed, money.Format(sum.Duty), money.Format(sum.Fees)
	for _, u := range sum.Ignored {
		out.Warnings = append(out.Warnings, "unknown column passed over: "+u.String())
	}
	return out
}
