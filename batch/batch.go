// Package batch assesses files of import lines: CSV or JSON Lines in,
// CSV or JSON Lines out, one row at a time in constant memory. A bad row gets
// its error, with its line number, and the rest go on.
//
// It reads and writes streams only; it must not import cli or server.
package batch

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Format is a file format.
type Format int

// Formats. JSONArray (one JSON array of line objects) is read only; the
// output is CSV or JSON Lines.
const (
	CSV Format = iota
	JSONL
	JSONArray
)

// Options control a run.
type Options struct {
	InFormat, OutFormat Format
	// KnownOn, when set, adds the refund view: each row is assessed as
	// collected (known on its entry date) and as known on KnownOn.
	KnownOn date.Date
	// Progress is called after every row with the bytes read so far.
	Progress func(bytesRead int64)
	// IgnoreUnknownColumns passes over columns (and JSON Lines fields)
	// levy does not read instead of refusing them; Summary.Ignored lists
	// them so that the choice stays visible.
	IgnoreUnknownColumns bool
	// MaxRows, when positive, stops the run with a *TooManyRowsError at
	// the row after the MaxRows-th; the rows before it are written.
	MaxRows int
}

// OutputError is a failure to write the output; the input was fine.
type OutputError struct{ Err error }

func (e *OutputError) Error() string { return "writing output: " + e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// TooManyRowsError stops a run at Options.MaxRows.
type TooManyRowsError struct{ Max int }

func (e *TooManyRowsError) Error() string {
	return fmt.Sprintf("more than %d rows; the rows after row %d were not read", e.Max, e.Max)
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
	// Ignored are the unknown columns passed over with
	// IgnoreUnknownColumns, in the order first seen (at most 32).
	Ignored []UnknownColumn
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

// Run assesses every row of in and writes one output row for each.
func Run(ctx context.Context, snap *engine.Snapshot, in io.Reader, out io.Writer, opt Options) (*Summary, error) {
	cr := &countingReader{r: in}
	src, err := newSource(cr, opt)
	if err != nil {
		return nil, err
	}
	// Reading and parsing run on one goroutine, assessing and writing on
	// this one; batches of rows pass between them through a small buffer,
	// so memory stays constant whatever the size of the file.
	// On an early return the producer is told to stop and waited for, so
	// that nothing reads in after Run returns.
	var producing sync.WaitGroup
	defer producing.Wait()
	done := make(chan struct{})
	defer close(done)
	jobs := make(chan []job, 4)
	var readErr error
	producing.Go(func() {
		defer close(jobs)
		readErr = produce(ctx, src.next, cr, opt.MaxRows, jobs, done)
	})
	w := newWriter(out, opt)
	sum := &Summary{ByFamily: map[string]money.Decimal{}}
	var a, now engine.Assessment
	var entry pendingEntry
	emit := func(res *result, a, now *engine.Assessment) error {
		sum.add(res, a, now, opt)
		if err := w.write(res, a, now); err != nil {
			return &OutputError{Err: err}
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
		// Rows leave a batch of rows at a time, so that a reader of the
		// output (an HTTP client) sees them while the input still arrives.
		if err := w.flush(); err != nil {
			return sum, &OutputError{Err: err}
		}
		if opt.Progress != nil && len(batch) > 0 {
			opt.Progress(batch[len(batch)-1].read)
		}
	}
	// Rows already assessed are written even when reading failed. The
	// producer has finished (jobs is closed), so src is ours to read.
	sum.Ignored = src.ignored
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
func produce(ctx context.Context, next func() (*row, error), cr *countingReader, maxRows int, jobs chan<- []job, done <-chan struct{}) error {
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
		if err == nil && maxRows > 0 && n >= maxRows {
			err = &TooManyRowsError{Max: maxRows}
		}
		if err != nil {
			send()
			return err
		}
		j := job{line: r.line, id: r.fields[fID], entryID: strings.TrimSpace(r.fields[fEntryID]), err: r.readErr, read: cr.n}
		if j.err == nil {
			j.err = checkIDs(&j)
		}
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

// checkIDs bounds id and entry_id as Input.Parse bounds the other fields;
// a runaway id is cut in the output, never repeated whole.
func checkIDs(j *job) error {
	for _, f := range []struct {
		name string
		text *string
	}{{"id", &j.id}, {"entry_id", &j.entryID}} {
		if n := len(*f.text); n > engine.MaxFieldBytes {
			*f.text = engine.Clip(*f.text, engine.MaxFieldBytes)
			return fmt.Errorf("%s: %d bytes long; a field holds at most %d", f.name, n, engine.MaxFieldBytes)
		}
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
