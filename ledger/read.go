package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// Filter selects entries.
type Filter struct {
	Importer string
	Entry    string
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Importer != "" {
		conds = append(conds, "e.importer = ?")
		args = append(args, f.Importer)
	}
	if f.Entry != "" {
		conds = append(conds, "e.entry_number = ?")
		args = append(args, f.Entry)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Entries calls fn for every entry the filter selects, in entry-number
// order, with its lines, refunds and declarations. It streams: one entry
// is in memory at a time (refunds and declarations are read first).
func (l *DB) Entries(ctx context.Context, f Filter, fn func(*refund.Entry) error) error {
	refunds, err := l.refundsByEntry(ctx, f)
	if err != nil {
		return err
	}
	decls, err := l.declarationsByEntry(ctx, f)
	if err != nil {
		return err
	}
	where, args := f.where()
	q := `SELECT e.entry_number, e.importer, e.filer_code, e.entry_type, e.entry_date, e.port, e.liquidation_status, e.liquidation_date,
e.deposit_date, e.reconciliation, e.reconciliation_filed, e.drawback, e.protest, e.adcvd, e.estimated,
l.line_number, l.hts, l.origin, l.value, l.duty, l.quantity, l.unit
FROM entries e LEFT JOIN lines l ON l.entry_number = e.entry_number` + where + ` ORDER BY e.entry_number`
	rows, err := l.db.QueryContext(ctx, l.q(q), args...)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	var cur *refund.Entry
	emit := func() error {
		if cur == nil {
			return nil
		}
		cur.Refunds = refunds[cur.Number]
		cur.Declarations = decls[cur.Number]
		// Rows in key order, sorted here: ordering by entry alone lets
		// PostgreSQL merge-join the two primary keys instead of sorting.
		sort.Slice(cur.Rows, func(i, j int) bool {
			a, b := &cur.Rows[i], &cur.Rows[j]
			return a.Line < b.Line || a.Line == b.Line && a.HTS < b.HTS
		})
		return fn(cur)
	}
	for rows.Next() {
		var (
			num, imp, filer, edate                             string
			typ, port, lstat, ldate, dep, origin, qty, unit    sql.NullString
			recon, reconFiled, drawback, protest, adcvd, estim sql.NullInt64
			line                                               sql.NullInt64
			hts, value, duty                                   sql.NullString
		)
		if err := rows.Scan(&num, &imp, &filer, &typ, &edate, &port, &lstat, &ldate, &dep, &recon, &reconFiled, &drawback, &protest, &adcvd, &estim,
			&line, &hts, &origin, &value, &duty, &qty, &unit); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if cur == nil || cur.Number != num {
			if err := emit(); err != nil {
				return err
			}
			cur = &refund.Entry{Number: num, Importer: imp, Filer: filer, Type: typ.String, Port: port.String,
				LiqStatus: lstat.String, Estimated: estim.Int64 == 1,
				Flags: refund.Flags{Reconciliation: recon.Int64 == 1, ReconFiled: reconFiled.Int64 == 1, Drawback: drawback.Int64 == 1,
					Protest: protest.Int64 == 1, ADCVD: adcvd.Int64 == 1}}
			var err error
			if cur.Date, err = date.Parse(edate); err != nil {
				return fmt.Errorf("ledger: entry %s: %w", num, err)
			}
			cur.LiqDate, cur.Deposit = parseNull(ldate), parseNull(dep)
		}
		if !hts.Valid {
			continue
		}
		r := refund.Row{Line: int(line.Int64), HTS: hts.String, Origin: origin.String, Unit: unit.String}
		r.Value, _ = money.Parse(value.String)
		r.Duty, _ = money.Parse(duty.String)
		if qty.Valid {
			r.Quantity, _ = money.Parse(qty.String)
		}
		cur.Rows = append(cur.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return emit()
}

// Entry returns one entry, or ErrNotFound.
func (l *DB) Entry(ctx context.Context, number string) (*refund.Entry, error) {
	var out *refund.Entry
	err := l.Entries(ctx, Filter{Entry: number}, func(e *refund.Entry) error { out = e; return nil })
	if err == nil && out == nil {
		err = fmt.Errorf("entry %s: %w", number, ErrNotFound)
	}
	return out, err
}

func parseNull(s sql.NullString) date.Date {
	if !s.Valid || s.String == "" {
		return date.None
	}
	d, err := date.Parse(s.String)
	if err != nil {
		return date.None
	}
	return d
}

func (l *DB) refundsByEntry(ctx context.Context, f Filter) (map[string][]refund.Received, error) {
	q := `SELECT r.entry_number, r.refund_number, r.declaration, r.principal, r.interest, r.status, r.status_date, r.source FROM refunds r`
	var args []any
	if f.Entry != "" {
		q += " WHERE r.entry_number = ?"
		args = append(args, f.Entry)
	} else if f.Importer != "" {
		q += " JOIN entries e ON e.entry_number = r.entry_number WHERE e.importer = ?"
		args = append(args, f.Importer)
	}
	rows, err := l.db.QueryContext(ctx, l.q(q+" ORDER BY r.entry_number, r.refund_number"), args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	out := map[string][]refund.Received{}
	for rows.Next() {
		var rc refund.Received
		var decl, status, sdate sql.NullString
		var p, i string
		if err := rows.Scan(&rc.Entry, &rc.Refund, &decl, &p, &i, &status, &sdate, &rc.Source); err != nil {
			return nil, err
		}
		rc.Declaration, rc.Status, rc.Date = decl.String, status.String, parseNull(sdate)
		rc.Principal, _ = money.Parse(p)
		rc.Interest, _ = money.Parse(i)
		out[rc.Entry] = append(out[rc.Entry], rc)
	}
	return out, rows.Err()
}

func (l *DB) declarationsByEntry(ctx context.Context, f Filter) (map[string][]refund.DeclarationRef, error) {
	q := `SELECT de.entry_number, d.id, d.status FROM declaration_entries de JOIN declarations d ON d.id = de.declaration_id`
	var args []any
	if f.Entry != "" {
		q += " WHERE de.entry_number = ?"
		args = append(args, f.Entry)
	} else if f.Importer != "" {
		q += " WHERE d.importer = ?"
		args = append(args, f.Importer)
	}
	rows, err := l.db.QueryContext(ctx, l.q(q+" ORDER BY de.entry_number, d.id"), args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	out := map[string][]refund.DeclarationRef{}
	for rows.Next() {
		var e string
		var d refund.DeclarationRef
		if err := rows.Scan(&e, &d.ID, &d.Status); err != nil {
			return nil, err
		}
		out[e] = append(out[e], d)
	}
	return out, rows.Err()
}

// Counts says how much the ledger holds.
type Counts struct {
	Entries, Lines, Declarations, Refunds int
}

// Count counts the rows of each table.
func (l *DB) Count(ctx context.Context) (Counts, error) {
	var c Counts
	for _, t := range []struct {
		table string
		n     *int
	}{{"entries", &c.Entries}, {"lines", &c.Lines}, {"declarations", &c.Declarations}, {"refunds", &c.Refunds}} {
		if err := l.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.table).Scan(t.n); err != nil {
			return c, fmt.Errorf("ledger: %w", err)
		}
	}
	return c, nil
}
