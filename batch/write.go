package batch

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Columns are the output columns, in order.
var Columns = []string{"id", "duty", "fees", "total", "effective_rate", "headings", "report_headings", "warnings", "error"}

// RefundColumns are added with a known-on date.
var RefundColumns = []string{"duty_as_collected", "duty_as_known", "difference"}

type writer struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	enc    *json.Encoder
	refund bool
	rec    []string
	// unit names a row in errors: "line", or "item" of a JSON array.
	unit string
}

func newWriter(out io.Writer, opt Options) *writer {
	w := &writer{bw: bufio.NewWriterSize(out, 64*1024), refund: opt.KnownOn != date.None && opt.KnownOn != 0, unit: "line"}
	if opt.InFormat == JSONArray {
		w.unit = "item"
	}
	if opt.OutFormat == JSONL {
		w.enc = json.NewEncoder(w.bw)
		return w
	}
	w.cw = csv.NewWriter(w.bw)
	hdr := append([]string{}, Columns...)
	if w.refund {
		hdr = append(hdr, RefundColumns...)
	}
	w.cw.Write(hdr)
	return w
}

// maxError bounds an error cell: messages quote at most engine.MaxFieldBytes
// of any input, and this is the net below that.
const maxError = 2048

func (w *writer) errText(r *result) string {
	if r.err == nil {
		return ""
	}
	msg := r.err.Error()
	if !strings.HasPrefix(msg, w.unit+" ") {
		msg = fmt.Sprintf("%s %d: %s", w.unit, r.line, msg)
	}
	return engine.Clip(msg, maxError)
}

func (w *writer) write(r *result, a, now *engine.Assessment) error {
	var duty, fees, total, eff, heads, report, warns string
	if r.err == nil {
		duty, fees, total = money.Format(a.Duty), money.Format(a.FeesTotal), money.Format(a.Total)
		eff = a.EffectiveRate().String()
		heads, report = strings.Join(a.Headings, ";"), strings.Join(a.Report, ";")
		warns = strings.Join(a.Warnings, " | ")
	}
	var then, known, diff string
	if w.refund && r.err == nil {
		then, known = money.Format(a.Duty), money.Format(now.Duty)
		d, _ := now.Duty.Sub(a.Duty)
		diff = money.Format(d)
	}
	if w.enc != nil {
		obj := map[string]any{"id": r.id, "duty": duty, "fees": fees, "total": total, "effective_rate": eff,
			"headings": splitList(heads), "report_headings": splitList(report), "warnings": append([]string{}, a.Warnings...), "error": w.errText(r)}
		if r.err != nil {
			obj["warnings"] = []string{}
		}
		if w.refund {
			obj["duty_as_collected"], obj["duty_as_known"], obj["difference"] = then, known, diff
		}
		return w.enc.Encode(obj)
	}
	w.rec = append(w.rec[:0], r.id, duty, fees, total, eff, heads, report, warns, w.errText(r))
	if w.refund {
		w.rec = append(w.rec, then, known, diff)
	}
	return w.cw.Write(w.rec)
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ";")
}

func (w *writer) flush() error {
	if w.cw != nil {
		w.cw.Flush()
		if err := w.cw.Error(); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}
