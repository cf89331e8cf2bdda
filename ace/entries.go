package ace

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// Options configure the readers.
type Options struct {
	// Map names the columns of another layout: field -> header.
	Map map[Field]string
	// AsOf is today: dates after it are errors.
	AsOf date.Date
	// CheckHTS, when set, says whether an HTS number exists (an unknown
	// number is an error of its row).
	CheckHTS func(hts string, entryDate date.Date) error
	// Snapshot estimates the duty of batch lines as collected.
	Snapshot refund.Assessor
	// Kind forces a layout instead of detecting it from the header.
	Kind Kind
	// Importer is the importer of record of rows that name none (levy's
	// batch CSV has no importer column).
	Importer string
}

// Reader reads one report.
type Reader struct {
	Kind   Kind
	Header *Header
	csv    *csv.Reader
	opt    Options
	rec    []string
	line   int
	// batch state
	lineNo map[string]int
	a      engine.Assessment
	queue  []ledger.Record
}

// NewReader reads the header of a report and detects its kind.
func NewReader(in io.Reader, opt Options) (*Reader, error) {
	c := csv.NewReader(in)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	c.TrimLeadingSpace = true
	head, err := c.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: no header")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	names := append([]string(nil), head...)
	h, err := resolve(names, opt.Map)
	if err != nil {
		return nil, err
	}
	kind := opt.Kind
	if kind == "" {
		if kind, err = Detect(h); err != nil {
			return nil, err
		}
	}
	r := &Reader{Kind: kind, Header: h, csv: c, opt: opt, line: 1, lineNo: map[string]int{}}
	switch kind {
	case ES003:
		err = h.require(kind, FEntry, FDate, FImporter, FLine, FHTS, FValue, FDuty)
	case Batch:
		err = h.require(kind, FEntry, FHTS, FOrigin, FDate, FValue)
		if err == nil && opt.Snapshot == nil {
			err = errors.New("batch files need levy's rules to estimate the duty paid")
		}
	case ES022:
		err = h.require(kind, FEntry, FRefund, FPrincipal, FInterest)
	case REV603:
		err = h.require(kind, FRefund, FStatus)
	default:
		err = fmt.Errorf("unknown report kind %q", kind)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// read returns the next CSV record; a broken record is a *RowError.
func (r *Reader) read() error {
	rec, err := r.csv.Read()
	if err == nil && len(rec) > 0 {
		r.line, _ = r.csv.FieldPos(0)
	}
	if err == io.EOF {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.line = pe.Line
		return &ledger.RowError{Line: pe.Line, Err: fmt.Errorf("broken CSV: %v", pe.Err)}
	}
	if err != nil {
		return err
	}
	r.rec = rec
	return nil
}

func (r *Reader) get(f Field) string {
	i := r.Header.Col(f)
	if i < 0 || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *Reader) bad(f Field, err error) error {
	col := string(f)
	if i := r.Header.Col(f); i >= 0 {
		col = fmt.Sprintf("column %q", r.Header.Names[i])
	}
	return &ledger.RowError{Line: r.line, Column: col, Err: err}
}

func (r *Reader) blank() bool {
	for _, v := range r.rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Next returns the next entry record of an ES-003 or batch file: io.EOF at
// the end, a *ledger.RowError for a bad row (reading can go on).
func (r *Reader) Next() (ledger.Record, error) {
	if len(r.queue) > 0 {
		rec := r.queue[0]
		r.queue = r.queue[1:]
		return rec, nil
	}
	for {
		if err := r.read(); err != nil {
			return ledger.Record{}, err
		}
		if !r.blank() {
			break
		}
	}
	if len(r.rec) != len(r.Header.Names) {
		return ledger.Record{}, &ledger.RowError{Line: r.line, Err: fmt.Errorf("%d fields; the header has %d", len(r.rec), len(r.Header.Names))}
	}
	rec, err := r.entryFields()
	if err != nil {
		return rec, err
	}
	if r.Kind == Batch {
		return r.estimate(rec)
	}
	return r.es003Row(rec)
}

func (r *Reader) entryFields() (ledger.Record, error) {
	rec := ledger.Record{Line: r.line}
	e := &rec.Entry
	var err error
	if e.Number, err = refund.ParseEntryNumber(r.get(FEntry)); err != nil {
		return rec, r.bad(FEntry, err)
	}
	e.Filer = refund.FilerCode(e.Number)
	raw := r.get(FDate)
	if raw == "" {
		return rec, r.bad(FDate, errors.New("entry date is required"))
	}
	if e.Date, err = parseDate(raw, r.opt.AsOf, false); err != nil {
		return rec, r.bad(FDate, err)
	}
	e.Importer = strings.ToUpper(r.get(FImporter))
	if e.Importer == "" {
		e.Importer = strings.ToUpper(strings.TrimSpace(r.opt.Importer))
	}
	if e.Importer == "" {
		return rec, r.bad(FImporter, errors.New("importer of record is required (a column, or --importer for the whole file)"))
	}
	if r.Header.Has(FType) {
		if e.Type, err = parseEntryType(r.get(FType)); err != nil {
			return rec, r.bad(FType, err)
		}
		if e.Type != "" {
			rec.Has |= ledger.HasType
		}
	}
	if r.Header.Has(FPort) {
		e.Port, rec.Has = r.get(FPort), rec.Has|ledger.HasPort
	}
	if r.Header.Has(FLiqStatus) {
		if e.LiqStatus, err = refund.ParseLiquidationStatus(r.get(FLiqStatus)); err != nil {
			return rec, r.bad(FLiqStatus, err)
		}
		rec.Has |= ledger.HasLiqStatus
	}
	if r.Header.Has(FLiqDate) {
		e.LiqDate, err = parseDate(r.get(FLiqDate), r.opt.AsOf, true)
		if err != nil {
			return rec, r.bad(FLiqDate, err)
		}
		if e.LiqDate != date.None {
			rec.Has |= ledger.HasLiqDate
			switch {
			case e.LiqDate < e.Date:
				return rec, r.bad(FLiqDate, fmt.Errorf("liquidation %s is before the entry date %s", e.LiqDate, e.Date))
			case e.LiqDate > r.opt.AsOf && r.opt.AsOf != date.None && (e.LiqStatus == refund.Liquidated || e.LiqStatus == refund.Reliquidated):
				return rec, r.bad(FLiqDate, fmt.Errorf("liquidated on %s, which is in the future (after %s)", e.LiqDate, r.opt.AsOf))
			}
		}
	}
	if e.LiqStatus == refund.Liquidated && rec.Has&ledger.HasLiqDate == 0 && r.Header.Has(FLiqDate) {
		return rec, r.bad(FLiqDate, errors.New("a liquidated entry needs its liquidation date (the protest clock runs from it)"))
	}
	if r.Header.Has(FDeposit) {
		if e.Deposit, err = parseDate(r.get(FDeposit), r.opt.AsOf, false); err != nil {
			return rec, r.bad(FDeposit, err)
		}
		if e.Deposit != date.None {
			rec.Has |= ledger.HasDeposit
		}
	}
	for _, fl := range []struct {
		f   Field
		has ledger.Field
		dst *bool
	}{{FRecon, ledger.HasRecon, &e.Flags.Reconciliation}, {FReconFiled, ledger.HasReconFiled, &e.Flags.ReconFiled},
		{FDrawback, ledger.HasDrawback, &e.Flags.Drawback}, {FProtest, ledger.HasProtest, &e.Flags.Protest}, {FADCVD, ledger.HasADCVD, &e.Flags.ADCVD}} {
		if !r.Header.Has(fl.f) {
			continue
		}
		if *fl.dst, err = parseFlag(r.get(fl.f)); err != nil {
			return rec, r.bad(fl.f, err)
		}
		rec.Has |= fl.has
	}
	return rec, nil
}

func (r *Reader) es003Row(rec ledger.Record) (ledger.Record, error) {
	row := &rec.Row
	var err error
	n, err := strconv.Atoi(r.get(FLine))
	if err != nil || n <= 0 {
		return rec, r.bad(FLine, fmt.Errorf("%q is not a line number", r.get(FLine)))
	}
	row.Line = n
	if row.HTS, err = parseHTS(r.get(FHTS)); err != nil {
		return rec, r.bad(FHTS, err)
	}
	if r.opt.CheckHTS != nil {
		if err := r.opt.CheckHTS(row.HTS, rec.Entry.Date); err != nil {
			return rec, r.bad(FHTS, err)
		}
	}
	if row.Value, err = parseAmount(r.get(FValue)); err != nil {
		return rec, r.bad(FValue, err)
	}
	if row.Duty, err = parseAmount(r.get(FDuty)); err != nil {
		return rec, r.bad(FDuty, err)
	}
	if o := r.get(FOrigin); o != "" {
		c, err := country.Lookup(o)
		if err != nil {
			return rec, r.bad(FOrigin, err)
		}
		row.Origin = c.Code
	} else if !refund.IsChapter99(row.HTS) && !strings.HasPrefix(row.HTS, "98") {
		return rec, r.bad(FOrigin, errors.New("the country of origin is required on the chapter 1-97 number"))
	}
	if q := r.get(FQuantity); q != "" {
		if row.Quantity, err = parseAmount(q); err != nil {
			return rec, r.bad(FQuantity, err)
		}
	}
	row.Unit = r.get(FUnit)
	return rec, nil
}

// estimate turns one line of a batch file into the rows levy says were
// reported as collected: the chapter 1-97 number with its base duty, then
// each chapter 99 heading with its duty (zero-rate headings included).
func (r *Reader) estimate(rec ledger.Record) (ledger.Record, error) {
	in := engine.Input{HTS: r.get(FHTS), Origin: r.get(FOrigin), EntryDate: rec.Entry.Date.String(), Value: r.get(FValue),
		Quantity: r.get(FQuantity), Unit: r.get(FUnit), Program: r.get(FProgram), Mode: r.get(FMode), ExportDate: r.get(FExportDate)}
	q, err := in.Parse()
	if err != nil {
		var ee *engine.Error
		if errors.As(err, &ee) {
			return rec, r.bad(Field(ee.Field), errors.New(ee.Msg))
		}
		return rec, r.bad(FHTS, err)
	}
	if err := r.opt.Snapshot.AssessInto(&q, &r.a); err != nil {
		var ee *engine.Error
		if errors.As(err, &ee) {
			return rec, r.bad(Field(ee.Field), errors.New(ee.Msg))
		}
		return rec, r.bad(FHTS, err)
	}
	rec.Entry.Estimated = true
	n := r.lineNo[rec.Entry.Number] + 1
	if v := r.get(FLine); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			return rec, r.bad(FLine, fmt.Errorf("%q is not a line number", v))
		}
	}
	r.lineNo[rec.Entry.Number] = max(n, r.lineNo[rec.Entry.Number])
	hts, _ := parseHTS(in.HTS)
	out := []ledger.Record{}
	add := func(h string, value, duty money.Decimal) {
		x := rec
		x.Row = refund.Row{Line: n, HTS: h, Origin: q.Origin, Value: value, Duty: duty, Quantity: q.Quantity, Unit: q.Unit}
		out = append(out, x)
	}
	seen := map[string]bool{}
	for _, l := range r.a.Layers {
		if l.Kind == engine.BaseLayer {
			add(hts, q.Value, l.Amount)
			continue
		}
		h := refund.Heading8(l.Heading)
		if seen[h] {
			continue
		}
		seen[h] = true
		amt := money.Zero
		for _, m := range r.a.Layers {
			if m.Kind != engine.BaseLayer && refund.Heading8(m.Heading) == h {
				amt, _ = amt.Add(m.Amount)
			}
		}
		add(h, money.Zero, amt)
	}
	for _, h := range r.a.Report {
		if k := refund.Heading8(h); !seen[k] {
			seen[k] = true
			add(k, money.Zero, money.Zero)
		}
	}
	r.queue = out[1:]
	return out[0], nil
}

// NextRefund returns the next row of an ES-022 or REV-603 report.
func (r *Reader) NextRefund() (ledger.RefundRecord, error) {
	for {
		if err := r.read(); err != nil {
			return ledger.RefundRecord{}, err
		}
		if !r.blank() {
			break
		}
	}
	rec := ledger.RefundRecord{Line: r.line, StatusOnly: r.Kind == REV603}
	rf := &rec.Refund
	rf.Source = string(r.Kind)
	var err error
	if v := r.get(FEntry); v != "" || r.Kind == ES022 {
		if rf.Entry, err = refund.ParseEntryNumber(v); err != nil {
			return rec, r.bad(FEntry, err)
		}
	}
	if rf.Refund = r.get(FRefund); rf.Refund == "" {
		return rec, r.bad(FRefund, errors.New("refund number is required"))
	}
	rf.Declaration = r.get(FDeclaration)
	rf.Status = r.get(FStatus)
	if r.Kind == REV603 && rf.Status == "" {
		return rec, r.bad(FStatus, errors.New("status is required"))
	}
	if rf.Date, err = parseDate(r.get(FStatusDate), r.opt.AsOf, false); err != nil {
		return rec, r.bad(FStatusDate, err)
	}
	if r.Kind == ES022 {
		if rf.Principal, err = parseAmount(r.get(FPrincipal)); err != nil {
			return rec, r.bad(FPrincipal, err)
		}
		if rf.Interest, err = parseAmount(r.get(FInterest)); err != nil {
			return rec, r.bad(FInterest, err)
		}
	}
	return rec, nil
}
