// Package batch assesses files of import lines: CSV or JSON Lines in,
// CSV or JSON Lines out, one row at a time in constant memory. A bad row gets
// its error, with its line number, and the rest go on.
//
// It reads and writes streams only; it must not import cli or server.
package batch

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Format is a file format.
type Format int

// Formats.
const (
	CSV Format = iota
	JSONL
)

// Options control a run.
type Options struct {
	InFormat, OutFormat Format
	// KnownOn, when set, adds the refund view: each row is assessed as
	// collected (known on its entry date) and as known on KnownOn.
	KnownOn date.Date
	// Progress is called after every row with the bytes read so far.
	Progress func(bytesRead int64)
}

// Summary totals a run.
type Summary struct {
	Rows      int
	Failed    int
	Duty      money.Decimal
	Fees      money.Decimal
	DutyThen  money.Decimal
	DutyNow   money.Decimal
	ByFamily  map[string]money.Decimal
	Questions int
}

// Families returns the families of ByFamily in descending order of duty.
func (s *Summary) Families() []string {
	var out []string
	for f := range s.ByFamily {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		c := s.ByFamily[out[i]].Cmp(s.ByFamily[out[j]])
		return c > 0 || c == 0 && out[i] < out[j]
	})
	return out
}

// columns maps accepted header names to input fields.
var aliases = map[string]string{
	"id": "id", "sku": "id", "line": "id", "reference": "id",
	"hts": "hts", "hts_code": "hts", "htsno": "hts", "hts_number": "hts", "hs_code": "hts", "tariff_number": "hts",
	"origin": "origin", "country": "origin", "country_of_origin": "origin", "coo": "origin",
	"entry_date": "entry_date", "date": "entry_date", "export_date": "export_date", "known_on": "known_on",
	"value": "value", "customs_value": "value", "entered_value": "value",
	"quantity": "quantity", "qty": "quantity", "unit": "unit", "program": "program", "spi": "program",
	"mode": "mode", "transport_mode": "mode", "entry_id": "entry_id",
	"steel_value": "steel_value", "aluminum_value": "aluminum_value", "aluminium_value": "aluminum_value",
	"copper_value": "copper_value", "us_content_value": "us_content_value", "informal": "informal", "claims": "claims", "de_minimis": "de_minimis", "section_321": "de_minimis",
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	h = strings.NewReplacer(" ", "_", "-", "_", ".", "").Replace(h)
	return aliases[h]
}

// The input fields, by index: a row holds them in an array, not a map, so
// reading a row allocates nothing but its strings.
const (
	fID = iota
	fHTS
	fOrigin
	fEntryDate
	fExportDate
	fKnownOn
	fValue
	fQuantity
	fUnit
	fProgram
	fMode
	fEntryID
	fSteel
	fAluminum
	fCopper
	fUSContent
	fInformal
	fClaims
	fDeMinimis
	nFields
)

var fieldIndex = map[string]int{"id": fID, "hts": fHTS, "origin": fOrigin, "entry_date": fEntryDate,
	"export_date": fExportDate, "known_on": fKnownOn, "value": fValue, "quantity": fQuantity, "unit": fUnit,
	"program": fProgram, "mode": fMode, "entry_id": fEntryID, "steel_value": fSteel, "aluminum_value": fAluminum,
	"copper_value": fCopper, "us_content_value": fUSContent, "informal": fInformal, "claims": fClaims,
	"de_minimis": fDeMinimis}

// fields are a row's values by field index.
type fields [nFields]string

func (f *fields) set(name, v string) {
	if i, ok := fieldIndex[name]; ok {
		f[i] = v
	}
}

// row is one input row.
type row struct {
	line    int
	fields  fields
	readErr error
}

func (r *row) input() engine.Input {
	f := &r.fields
	return engine.Input{HTS: f[fHTS], Origin: f[fOrigin], EntryDate: f[fEntryDate], ExportDate: f[fExportDate],
		KnownOn: f[fKnownOn], Value: f[fValue], Quantity: f[fQuantity], Unit: f[fUnit], Program: f[fProgram],
		Mode: f[fMode], Steel: f[fSteel], Aluminum: f[fAluminum], Copper: f[fCopper],
		USContent: f[fUSContent], Claims: f[fClaims], Informal: truthy(f[fInformal]), DeMinimis: truthy(f[fDeMinimis])}
}

// Run assesses every row of in and writes one output row for each.
func Run(ctx context.Context, snap *engine.Snapshot, in io.Reader, out io.Writer, opt Options) (*Summary, error) {
	cr := &countingReader{r: in}
	next, err := reader(cr, opt.InFormat)
	if err != nil {
		return nil, err
	}
	// Reading and parsing run on one goroutine, assessing and writing on
	// this one; batches of rows pass between them through a small buffer,
	// so memory stays constant whatever the size of the file.
	done := make(chan struct{})
	defer close(done)
	jobs := make(chan []job, 4)
	var readErr error
	go func() {
		defer close(jobs)
		readErr = produce(ctx, next, cr, jobs, done)
	}()
	w := newWriter(out, opt)
	sum := &Summary{ByFamily: map[string]money.Decimal{}}
	var a, now engine.Assessment
	var entry pendingEntry
	emit := func(res *result, a, now *engine.Assessment) error {
		sum.add(res, a, now, opt)
		if err := w.write(res, a, now); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		return nil
	}
	for batch := range jobs {
		for i := range batch {
			j := &batch[i]
			sum.Rows++
			res := result{id: j.id, line: j.line, err: j.err}
			if res.err == nil {
				res.err = assess(snap, &j.q, &a, &now, opt)
			}
			// A bad row stays in its entry, in its place, so that it does
			// not split the entry into two that each pay a minimum fee.
			if j.entryID != entry.id || j.entryID == "" {
				if err := entry.flush(snap, emit); err != nil {
					return sum, err
				}
			}
			if j.entryID == "" {
				if err := emit(&res, &a, &now); err != nil {
					return sum, err
				}
			} else {
				entry.add(j.entryID, res, j.q, &a, &now)
			}
		}
		if opt.Progress != nil && len(batch) > 0 {
			opt.Progress(batch[len(batch)-1].read)
		}
	}
	// Rows already assessed are written even when reading failed.
	if err := entry.flush(snap, emit); err != nil {
		return sum, err
	}
	if readErr != nil {
		w.flush()
		return sum, readErr
	}
	return sum, w.flush()
}

// job is one row read and parsed, waiting to be assessed.
type job struct {
	line        int
	id, entryID string
	q           engine.Query
	err         error
	read        int64 // bytes read when the row was
}

const jobBatch = 256

// produce reads and parses rows into batches until the input ends.
func produce(ctx context.Context, next func() (*row, error), cr *countingReader, jobs chan<- []job, done <-chan struct{}) error {
	batch := make([]job, 0, jobBatch)
	send := func() bool {
		select {
		case jobs <- batch:
			batch = make([]job, 0, jobBatch)
			return true
		case <-done:
			return false
		}
	}
	for n := 0; ; n++ {
		if n%jobBatch == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			send()
			return err
		}
		j := job{line: r.line, id: r.fields[fID], entryID: strings.TrimSpace(r.fields[fEntryID]), err: r.readErr, read: cr.n}
		if j.err == nil {
			j.q, j.err = r.input().Parse()
		}
		batch = append(batch, j)
		if len(batch) == jobBatch && !send() {
			return nil
		}
	}
	if len(batch) > 0 {
		send()
	}
	return nil
}

type result struct {
	id   string
	line int
	err  error
}

func assess(snap *engine.Snapshot, q *engine.Query, a, now *engine.Assessment, opt Options) error {
	if err := snap.AssessInto(q, a); err != nil {
		return err
	}
	if opt.KnownOn != date.None && opt.KnownOn != 0 {
		q2 := *q
		q2.KnownOn = opt.KnownOn
		if err := snap.AssessInto(&q2, now); err != nil {
			return err
		}
	}
	return nil
}

func (sum *Summary) add(res *result, a, now *engine.Assessment, opt Options) {
	if res.err != nil {
		sum.Failed++
		return
	}
	sum.Duty, _ = sum.Duty.Add(a.Duty)
	sum.Fees, _ = sum.Fees.Add(a.FeesTotal)
	sum.Questions += len(a.Questions)
	for _, l := range a.Layers {
		fam := l.Family
		if l.Kind == engine.BaseLayer {
			fam = "base rate"
		}
		sum.ByFamily[fam], _ = sum.ByFamily[fam].Add(l.Amount)
	}
	if opt.KnownOn != date.None && opt.KnownOn != 0 {
		sum.DutyThen, _ = sum.DutyThen.Add(a.Duty)
		sum.DutyNow, _ = sum.DutyNow.Add(now.Duty)
	}
}

// pendingEntry holds the rows of one entry (consecutive rows with the same
// entry_id) until it ends: the merchandise processing fee is charged once
// per formal entry, on the entry's total value, between the fiscal year's
// minimum and maximum, and shared among the rows in proportion to value.
type pendingEntry struct {
	id   string
	rows []pendingRow
}

type pendingRow struct {
	res    result
	q      engine.Query
	a, now *engine.Assessment
}

func (e *pendingEntry) add(id string, res result, q engine.Query, a, now *engine.Assessment) {
	e.id = id
	if res.err != nil {
		// a and now hold an earlier row's results: keep none.
		e.rows = append(e.rows, pendingRow{res: res, q: q, a: &engine.Assessment{}, now: &engine.Assessment{}})
		return
	}
	e.rows = append(e.rows, pendingRow{res: res, q: q, a: a.Clone(), now: now.Clone()})
}

func (e *pendingEntry) flush(snap *engine.Snapshot, emit func(*result, *engine.Assessment, *engine.Assessment) error) error {
	if len(e.rows) == 0 {
		e.id = ""
		return nil
	}
	// The value subject to the fee: rows that pay an MPF of their own.
	base := money.Zero
	var paying []int
	for i, r := range e.rows {
		if mpfIndex(r.a) >= 0 {
			base, _ = base.Add(r.q.Value)
			paying = append(paying, i)
		}
	}
	if len(paying) > 0 {
		total, ok := snap.MPF(e.rows[paying[0]].q.EntryDate, base)
		if ok {
			left := total
			for k, i := range paying {
				r := e.rows[i]
				share := left
				if k < len(paying)-1 {
					share, _ = total.Mul(r.q.Value)
					share, _ = share.Quo(base)
					share = money.Cents(share)
					left, _ = left.Sub(share)
				}
				for _, a := range []*engine.Assessment{r.a, r.now} {
					j := mpfIndex(a)
					if j < 0 {
						continue
					}
					old := a.Fees[j].Amount
					a.Fees[j].Amount = share
					a.Fees[j].Base = base
					a.Fees[j].Rate += " (entry " + e.id + ")"
					a.FeesTotal, _ = a.FeesTotal.Sub(old)
					a.FeesTotal, _ = a.FeesTotal.Add(share)
					a.Total, _ = a.Duty.Add(a.FeesTotal)
				}
			}
		}
	}
	for i := range e.rows {
		if err := emit(&e.rows[i].res, e.rows[i].a, e.rows[i].now); err != nil {
			return err
		}
	}
	e.rows, e.id = e.rows[:0], ""
	return nil
}

func mpfIndex(a *engine.Assessment) int {
	for i, f := range a.Fees {
		if f.Heading == "MPF" && !strings.HasPrefix(f.Rate, "informal") {
			return i
		}
	}
	return -1
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// reader returns a function yielding rows until io.EOF.
func reader(in io.Reader, f Format) (func() (*row, error), error) {
	if f == JSONL {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		line := 0
		return func() (*row, error) {
			for sc.Scan() {
				line++
				text := strings.TrimSpace(sc.Text())
				if text == "" {
					continue
				}
				r := &row{line: line}
				var obj map[string]any
				if err := json.Unmarshal([]byte(text), &obj); err != nil {
					r.readErr = fmt.Errorf("line %d: not a JSON object: %v", line, err)
					return r, nil
				}
				for k, v := range obj {
					if name := normHeader(k); name != "" {
						switch t := v.(type) {
						case string:
							r.fields.set(name, t)
						case nil:
						case float64, bool:
							r.fields.set(name, fmt.Sprint(t))
						default:
							b, _ := json.Marshal(t)
							r.fields.set(name, string(b))
						}
					}
				}
				// Numbers keep their text: re-read them exactly.
				var raw map[string]json.RawMessage
				_ = json.Unmarshal([]byte(text), &raw)
				for k, v := range raw {
					if name := normHeader(k); name != "" && len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
						r.fields.set(name, string(v))
					}
				}
				return r, nil
			}
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("reading JSON Lines at line %d: %w", line+1, err)
			}
			return nil, io.EOF
		}, nil
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the input is empty: a CSV header row is required")
	}
	if err != nil {
		return nil, fmt.Errorf("reading CSV header: %w", err)
	}
	names := make([]string, len(header))
	cols := make([]int, len(header)) // field index of each column, -1 if none
	hasHTS := false
	for i, h := range header {
		names[i] = normHeader(h)
		hasHTS = hasHTS || names[i] == "hts"
		cols[i] = -1
		if j, ok := fieldIndex[names[i]]; ok {
			cols[i] = j
		}
	}
	if !hasHTS {
		return nil, fmt.Errorf("the CSV header %q has no HTS column (hts, or HTS as in the SKU, HTS, Value, Origin, Entry Date format)", strings.Join(header, ","))
	}
	return func() (*row, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		r := &row{}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.readErr = fmt.Errorf("line %d: %v", pe.Line, pe.Err)
				r.line = pe.Line
				return r, nil
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		r.line = line
		for i, v := range rec {
			if i < len(cols) && cols[i] >= 0 {
				r.fields[cols[i]] = v
			}
		}
		if len(rec) != len(names) {
			r.readErr = fmt.Errorf("line %d: %d fields, the header has %d", line, len(rec), len(names))
		}
		return r, nil
	}, nil
}

func truthy(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "true" || s == "1" || s == "yes" || s == "y"
}
