package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// batchSummary totals a batch response.
type batchSummary struct {
	Rows   int    `json:"rows"`
	Failed int    `json:"failed"`
	Duty   string `json:"duty"`
	Fees   string `json:"fees"`
}

// batch assesses many lines: a JSON array of input objects, or a CSV file
// (Content-Type text/csv) in the format of `levy batch`. The answer is JSON
// unless the client accepts text/csv. Bodies beyond MaxBatchBytes or
// MaxBatchRows are refused whole with a 413, before any row is assessed.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	for name := range qs {
		if name != "scenario" && name != "known_on" {
			return invalid(name, "unknown parameter; batch takes scenario and known_on")
		}
	}
	opt := batch.Options{KnownOn: date.None, OutFormat: batch.JSONL}
	if t := strings.TrimSpace(qs.Get("known_on")); t != "" {
		d, err := date.Parse(t)
		if err != nil {
			return invalid("known_on", err.Error())
		}
		opt.KnownOn = d
	}
	snap, err := s.current().snapshot(qs.Get("scenario"))
	if err != nil {
		return err
	}
	body, err := readBody(w, r, s.MaxBatchBytes)
	if err != nil {
		return err
	}
	in, err := s.batchInput(r.Header.Get("Content-Type"), body, &opt)
	if err != nil {
		return err
	}
	wantCSV := strings.Contains(r.Header.Get("Accept"), "text/csv")
	if wantCSV {
		opt.OutFormat = batch.CSV
	}
	var out bytes.Buffer
	sum, err := batch.Run(r.Context(), snap, in, &out, opt)
	if err != nil {
		if r.Context().Err() != nil {
			return r.Context().Err()
		}
		return invalid("body", err.Error())
	}
	if wantCSV {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write(out.Bytes())
		return nil
	}
	rows := []map[string]any{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return err
		}
		if row["warnings"] == nil {
			row["warnings"] = []string{}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": rows, "summary": batchSummary{Rows: sum.Rows, Failed: sum.Failed,
		Duty: money.Format(sum.Duty), Fees: money.Format(sum.Fees)}})
	return nil
}

// batchInput checks the body's type and row count and returns it as a
// stream batch.Run reads.
func (s *Server) batchInput(contentType string, body []byte, opt *batch.Options) (io.Reader, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv":
		opt.InFormat = batch.CSV
		n, err := csvRows(body)
		if err != nil {
			return nil, invalid("body", err.Error())
		}
		if n > s.MaxBatchRows {
			return nil, s.tooManyRows(n)
		}
		return bytes.NewReader(body), nil
	case "application/json", "":
		opt.InFormat = batch.JSONL
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, invalid("body", "the body must be a JSON array of import lines (or CSV with Content-Type text/csv)")
		}
		if len(items) > s.MaxBatchRows {
			return nil, s.tooManyRows(len(items))
		}
		var lines bytes.Buffer
		for _, it := range items {
			// Compact puts each object on one line, as JSON Lines needs.
			if err := json.Compact(&lines, it); err != nil {
				return nil, invalid("body", err.Error())
			}
			lines.WriteByte('\n')
		}
		return &lines, nil
	}
	return nil, &Error{Code: CodeUnsupported, Field: "Content-Type", Message: "send application/json (an array of lines) or text/csv",
		Suggestions: []string{"application/json", "text/csv"}}
}

func (s *Server) tooManyRows(n int) error {
	return &Error{Code: CodeTooLarge, Message: fmt.Sprintf("%d rows; a batch request takes at most %d (use the levy batch command for more)", n, s.MaxBatchRows)}
}

// csvRows counts the data rows of a CSV body, header excluded.
func csvRows(body []byte) (int, error) {
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	n := -1
	for {
		_, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return 0, err
		}
		n++
	}
	if n < 0 {
		return 0, errors.New("the CSV body is empty: a header row is required")
	}
	return n, nil
}
