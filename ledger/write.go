package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// ImportStats counts what an import stored.
type ImportStats struct {
	ID      string `json:"id"`
	Rows    int    `json:"rows"`
	Entries int    `json:"entries"`
}

// batchRows is how many rows one INSERT carries: 10 columns each, well
// under SQLite's and PostgreSQL's parameter limits.
const batchRows = 500

type lineKey struct {
	entry [11]byte
	line  int32
	hts   [10]byte
}

type pendingEntry struct {
	e     refund.Entry
	has   Field
	first int // file line of its first row
}

type importer struct {
	l       *DB
	tx      *sql.Tx
	ctx     context.Context
	id      string
	kind    string
	errs    *ImportError
	lines   map[lineKey]int
	seen    map[string]*pendingEntry // every entry of this import
	pending []*pendingEntry          // entries to upsert at the next flush
	inBatch map[string]bool
	rows    []refund.Row
	rowOf   []string // entry of each pending row
	stats   ImportStats
	seq     int
}

// ImportEntries stores the entries of one report in one transaction: each
// entry's attributes are inserted or updated (a column the report lacks
// keeps the stored value) and its lines are replaced by the report's, so a
// report imported twice leaves the ledger as after the first. next returns
// records until io.EOF; a *RowError is collected and the import goes on
// reading, so that every bad row is reported, but nothing is stored: the
// transaction is rolled back and an *ImportError returned. Other errors end
// the import at once, also with nothing stored.
func (l *DB) ImportEntries(ctx context.Context, kind, name, at string, next func() (Record, error)) (*ImportStats, error) {
	im := &importer{l: l, ctx: ctx, kind: kind, errs: &ImportError{Name: name}, lines: map[lineKey]int{},
		seen: map[string]*pendingEntry{}, inBatch: map[string]bool{}}
	im.id = importID(kind, at)
	im.stats.ID = im.id
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", l.Name, err)
	}
	im.tx = tx
	defer tx.Rollback()
	err = drain(next, im.errs, func(rec Record) error {
		im.add(rec)
		if len(im.rows) >= batchRows && im.errs.Total == 0 {
			return im.flush()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if im.errs.Total == 0 {
		if err := im.flush(); err != nil {
			return nil, err
		}
	}
	im.checkRequired()
	if im.errs.Total > 0 {
		return nil, im.errs
	}
	if err := im.dropStale(); err != nil {
		return nil, fmt.Errorf("ledger: replacing lines: %w", err)
	}
	im.stats.Entries = len(im.seen)
	if _, err := tx.ExecContext(ctx, l.q(`INSERT INTO imports (id, kind, name, rows, entries, at) VALUES (?, ?, ?, ?, ?, ?)`),
		im.id, kind, name, im.stats.Rows, im.stats.Entries, at); err != nil {
		return nil, fmt.Errorf("ledger: recording the import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("ledger: commit: %w", err)
	}
	return &im.stats, nil
}

// importID names an import: its kind, its time and a random suffix, so
// that imports of the same second (or of two replicas) never collide.
func importID(kind, at string) string {
	var b strings.Builder
	for _, r := range at {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	var suffix [4]byte
	rand.Read(suffix[:])
	return kind + "-" + b.String() + "-" + hex.EncodeToString(suffix[:])
}

func (im *importer) add(rec Record) {
	e := &rec.Entry
	key := lineKey{line: int32(rec.Row.Line)}
	copy(key.entry[:], e.Number)
	copy(key.hts[:], rec.Row.HTS)
	if first, dup := im.lines[key]; dup {
		im.errs.add(&RowError{Line: rec.Line, Err: fmt.Errorf("duplicate line: entry %s line %d HTS %s is already on line %d", e.Number, rec.Row.Line, rec.Row.HTS, first)})
		return
	}
	im.lines[key] = rec.Line
	p, ok := im.seen[e.Number]
	if !ok {
		p = &pendingEntry{e: *e, has: rec.Has, first: rec.Line}
		p.e.Rows = nil
		im.seen[e.Number] = p
	} else if err := merge(p, rec); err != nil {
		im.errs.add(&RowError{Line: rec.Line, Err: err})
		return
	}
	if im.errs.Total > 0 {
		return // the import fails: only look for more bad rows
	}
	if !im.inBatch[e.Number] {
		im.inBatch[e.Number] = true
		im.pending = append(im.pending, p)
	}
	im.rows = append(im.rows, rec.Row)
	im.rowOf = append(im.rowOf, e.Number)
}

// merge checks that a later row of an entry agrees with the earlier ones
// and takes the attributes only it carries.
func merge(p *pendingEntry, rec Record) error {
	a, b := &p.e, &rec.Entry
	diff := func(what, x, y string) error {
		return fmt.Errorf("entry %s: %s %q differs from %q on line %d", a.Number, what, y, x, p.first)
	}
	if a.Importer != b.Importer {
		return diff("importer", a.Importer, b.Importer)
	}
	if a.Date != b.Date {
		return diff("entry date", a.Date.String(), b.Date.String())
	}
	both := p.has & rec.Has
	if both&HasType != 0 && a.Type != b.Type {
		return diff("entry type", a.Type, b.Type)
	}
	if both&HasLiqStatus != 0 && a.LiqStatus != b.LiqStatus {
		return diff("liquidation status", a.LiqStatus, b.LiqStatus)
	}
	if both&HasLiqDate != 0 && a.LiqDate != b.LiqDate {
		return diff("liquidation date", a.LiqDate.String(), b.LiqDate.String())
	}
	only := rec.Has &^ p.has
	if only&HasType != 0 {
		a.Type = b.Type
	}
	if only&HasPort != 0 {
		a.Port = b.Port
	}
	if only&HasLiqStatus != 0 {
		a.LiqStatus = b.LiqStatus
	}
	if only&HasLiqDate != 0 {
		a.LiqDate = b.LiqDate
	}
	if only&HasDeposit != 0 {
		a.Deposit = b.Deposit
	}
	fl := &a.Flags
	if rec.Has&HasRecon != 0 {
		fl.Reconciliation = fl.Reconciliation || b.Flags.Reconciliation
	}
	if rec.Has&HasReconFiled != 0 {
		fl.ReconFiled = fl.ReconFiled || b.Flags.ReconFiled
	}
	if rec.Has&HasDrawback != 0 {
		fl.Drawback = fl.Drawback || b.Flags.Drawback
	}
	if rec.Has&HasProtest != 0 {
		fl.Protest = fl.Protest || b.Flags.Protest
	}
	if rec.Has&HasADCVD != 0 {
		fl.ADCVD = fl.ADCVD || b.Flags.ADCVD
	}
	p.has |= rec.Has
	return nil
}

func (im *importer) checkRequired() {
	for _, p := range im.seen {
		if p.e.Importer == "" {
			im.errs.add(&RowError{Line: p.first, Column: "importer", Err: fmt.Errorf("entry %s has no importer of record", p.e.Number)})
		}
	}
}

func (im *importer) flush() error {
	if len(im.pending) == 0 && len(im.rows) == 0 {
		return nil
	}
	if err := im.upsertEntries(); err != nil {
		return fmt.Errorf("ledger: storing entries: %w", err)
	}
	if err := im.insertLines(); err != nil {
		return fmt.Errorf("ledger: storing lines: %w", err)
	}
	im.stats.Rows += len(im.rows)
	im.pending, im.rows, im.rowOf = im.pending[:0], im.rows[:0], im.rowOf[:0]
	clear(im.inBatch)
	return nil
}

const entryCols = `entry_number, importer, filer_code, entry_type, entry_date, port, liquidation_status, liquidation_date, deposit_date,
reconciliation, reconciliation_filed, drawback, protest, adcvd, estimated, source, import_id`

const entryUpdate = ` ON CONFLICT (entry_number) DO UPDATE SET importer = excluded.importer, filer_code = excluded.filer_code,
entry_type = COALESCE(excluded.entry_type, entries.entry_type), entry_date = excluded.entry_date,
port = COALESCE(excluded.port, entries.port), liquidation_status = COALESCE(excluded.liquidation_status, entries.liquidation_status),
liquidation_date = COALESCE(excluded.liquidation_date, entries.liquidation_date), deposit_date = COALESCE(excluded.deposit_date, entries.deposit_date),
reconciliation = COALESCE(excluded.reconciliation, entries.reconciliation), reconciliation_filed = COALESCE(excluded.reconciliation_filed, entries.reconciliation_filed),
drawback = COALESCE(excluded.drawback, entries.drawback), protest = COALESCE(excluded.protest, entries.protest), adcvd = COALESCE(excluded.adcvd, entries.adcvd),
estimated = excluded.estimated, source = excluded.source, import_id = excluded.import_id`

func (im *importer) upsertEntries() error {
	const cols = 17
	for start := 0; start < len(im.pending); start += batchRows {
		chunk := im.pending[start:min(start+batchRows, len(im.pending))]
		args := make([]any, 0, len(chunk)*cols)
		for _, p := range chunk {
			e, h := &p.e, p.has
			args = append(args, e.Number, e.Importer, refund.FilerCode(e.Number), opt(h&HasType != 0, e.Type), e.Date.String(),
				opt(h&HasPort != 0, e.Port), opt(h&HasLiqStatus != 0, e.LiqStatus), optDate(h&HasLiqDate != 0, e.LiqDate),
				optDate(h&HasDeposit != 0, e.Deposit), optBool(h&HasRecon != 0, e.Flags.Reconciliation),
				optBool(h&HasReconFiled != 0, e.Flags.ReconFiled), optBool(h&HasDrawback != 0, e.Flags.Drawback),
				optBool(h&HasProtest != 0, e.Flags.Protest), optBool(h&HasADCVD != 0, e.Flags.ADCVD), boolInt(e.Estimated), im.kind, im.id)
		}
		q := "INSERT INTO entries (" + entryCols + ") VALUES " + values(len(chunk), cols) + entryUpdate
		if _, err := im.tx.ExecContext(im.ctx, im.l.q(q), args...); err != nil {
			return err
		}
	}
	return nil
}

// dropStale removes the stored lines of the entries this import touched
// that the report no longer has: one statement at the end, since every
// line the report has was upserted with this import's id.
func (im *importer) dropStale() error {
	_, err := im.tx.ExecContext(im.ctx, im.l.q(`DELETE FROM lines WHERE import_id <> ? AND entry_number IN (SELECT entry_number FROM entries WHERE import_id = ?)`), im.id, im.id)
	return err
}

func (im *importer) insertLines() error {
	const cols = 10
	for start := 0; start < len(im.rows); start += batchRows {
		end := min(start+batchRows, len(im.rows))
		args := make([]any, 0, (end-start)*cols)
		for i := start; i < end; i++ {
			r := &im.rows[i]
			im.seq++
			args = append(args, im.rowOf[i], r.Line, r.HTS, im.seq, nullString(r.Origin), r.Value.String(), r.Duty.String(),
				optDecimal(r.Quantity), nullString(r.Unit), im.id)
		}
		q := "INSERT INTO lines (entry_number, line_number, hts, seq, origin, value, duty, quantity, unit, import_id) VALUES " + values(end-start, cols) +
			` ON CONFLICT (entry_number, line_number, hts) DO UPDATE SET seq = excluded.seq, origin = excluded.origin, value = excluded.value,
duty = excluded.duty, quantity = excluded.quantity, unit = excluded.unit, import_id = excluded.import_id`
		if _, err := im.tx.ExecContext(im.ctx, im.l.q(q), args...); err != nil {
			return err
		}
	}
	return nil
}

func values(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

func opt(has bool, s string) any {
	if !has {
		return nil
	}
	return s
}

func optDate(has bool, d date.Date) any {
	if !has || d == date.None {
		return nil
	}
	return d.String()
}

func optBool(has, b bool) any {
	if !has {
		return nil
	}
	return boolInt(b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optDecimal(d money.Decimal) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}
