package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/refund"
)

// ImportRefunds stores the rows of a refund report in one transaction: an
// ES-022 row inserts or updates the refund (entry, refund number) and marks
// the entry as on CBP's accepted declaration; a REV-603 row (StatusOnly)
// updates the status of refunds already reported, and is an error when the
// refund number is unknown. Bad rows are collected as in ImportEntries and
// fail the whole import.
func (l *DB) ImportRefunds(ctx context.Context, kind, name, at string, next func() (RefundRecord, error)) (*ImportStats, error) {
	errs := &ImportError{Name: name}
	stats := &ImportStats{ID: importID(kind, at)}
	entries := map[string]bool{}
	seen := map[string]int{}
	err := l.tx(ctx, func(tx *sql.Tx) error {
		err := drain(next, errs, func(rec RefundRecord) error {
			rf := &rec.Refund
			key := rf.Entry + "/" + rf.Refund
			if first, dup := seen[key]; dup && !rec.StatusOnly {
				errs.add(&RowError{Line: rec.Line, Err: fmt.Errorf("duplicate: refund %s of entry %s is already on line %d", rf.Refund, rf.Entry, first)})
				return nil
			}
			seen[key] = rec.Line
			if errs.Total > 0 {
				return nil
			}
			if rec.StatusOnly {
				n, err := l.setRefundStatus(ctx, tx, rf)
				if err != nil {
					return err
				}
				if n == 0 {
					errs.add(&RowError{Line: rec.Line, Column: "refund number", Err: fmt.Errorf("refund %s is not in the ledger: import the ES-022 report first", rf.Refund)})
				}
			} else if err := l.upsertRefund(ctx, tx, rf, kind); err != nil {
				return err
			}
			stats.Rows++
			entries[rf.Entry] = true
			return nil
		})
		if err != nil {
			return err
		}
		if errs.Total > 0 {
			return errs
		}
		stats.Entries = len(entries)
		_, err = tx.ExecContext(ctx, l.q(`INSERT INTO imports (id, kind, name, rows, entries, at) VALUES (?, ?, ?, ?, ?, ?)`),
			stats.ID, kind, name, stats.Rows, stats.Entries, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	return stats, nil
}

func (l *DB) upsertRefund(ctx context.Context, tx *sql.Tx, rf *refund.Received, source string) error {
	_, err := tx.ExecContext(ctx, l.q(`INSERT INTO refunds (entry_number, refund_number, declaration, principal, interest, status, status_date, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_number, refund_number) DO UPDATE SET
declaration = COALESCE(excluded.declaration, refunds.declaration), principal = excluded.principal, interest = excluded.interest,
status = COALESCE(excluded.status, refunds.status), status_date = COALESCE(excluded.status_date, refunds.status_date), source = excluded.source`),
		rf.Entry, rf.Refund, nullString(rf.Declaration), rf.Principal.String(), rf.Interest.String(), nullString(rf.Status), optDate(true, rf.Date), source)
	if err != nil || rf.Declaration == "" {
		return err
	}
	// CBP's declaration number: the entry is on an accepted declaration.
	if _, err := tx.ExecContext(ctx, l.q(`INSERT INTO declarations (id, importer, status, created_on, file_name, entries, source)
SELECT ?, COALESCE((SELECT importer FROM entries WHERE entry_number = ?), ''), ?, ?, NULL, 0, ? WHERE NOT EXISTS (SELECT 1 FROM declarations WHERE id = ?)`),
		rf.Declaration, rf.Entry, refund.DeclAccepted, dateOr(rf.Date), source, rf.Declaration); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, l.q(`INSERT INTO declaration_entries (declaration_id, entry_number) VALUES (?, ?) ON CONFLICT DO NOTHING`), rf.Declaration, rf.Entry)
	return err
}

func dateOr(d date.Date) string {
	if d == date.None {
		return ""
	}
	return d.String()
}

func (l *DB) setRefundStatus(ctx context.Context, tx *sql.Tx, rf *refund.Received) (int64, error) {
	q := `UPDATE refunds SET status = ?, status_date = COALESCE(?, status_date) WHERE refund_number = ?`
	args := []any{rf.Status, optDate(true, rf.Date), rf.Refund}
	if rf.Entry != "" {
		q += " AND entry_number = ?"
		args = append(args, rf.Entry)
	}
	res, err := tx.ExecContext(ctx, l.q(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeclarationInfo describes a declaration.
type DeclarationInfo struct {
	ID        string `json:"id"`
	Importer  string `json:"importer"`
	Status    string `json:"status"`
	CreatedOn string `json:"created_on"`
	FileName  string `json:"file_name,omitempty"`
	Entries   int    `json:"entries"`
	Source    string `json:"source"`
}

// ConflictError says entries are already on a declaration.
type ConflictError struct{ Entries map[string]string }

func (e *ConflictError) Error() string {
	var parts []string
	for en, d := range e.Entries {
		parts = append(parts, en+" (on "+d+")")
		if len(parts) == 5 {
			break
		}
	}
	return fmt.Sprintf("%d entries are already on an accepted or prepared declaration: %s", len(e.Entries), strings.Join(parts, ", "))
}

// RecordDeclaration records a declaration levy wrote, in one transaction
// that holds the declaration lock: none of its entries may already be on an
// accepted or prepared declaration (a *ConflictError otherwise). It returns
// the declaration's id: LEVY-<importer>-<created>-<n>.
func (l *DB) RecordDeclaration(ctx context.Context, importer string, entries []string, created date.Date, fileName func(id string) string) (string, error) {
	var id string
	err := l.tx(ctx, func(tx *sql.Tx) error {
		if err := l.d.lock(ctx, tx, lockDeclaration); err != nil {
			return err
		}
		conflict := map[string]string{}
		for start := 0; start < len(entries); start += batchRows {
			chunk := entries[start:min(start+batchRows, len(entries))]
			args := make([]any, 0, len(chunk)+2)
			args = append(args, refund.DeclAccepted, refund.DeclPrepared)
			for _, e := range chunk {
				args = append(args, e)
			}
			rows, err := tx.QueryContext(ctx, l.q(`SELECT de.entry_number, d.id FROM declaration_entries de JOIN declarations d ON d.id = de.declaration_id
WHERE d.status IN (?, ?) AND de.entry_number IN (`+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`)`), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var e, d string
				if err := rows.Scan(&e, &d); err != nil {
					rows.Close()
					return err
				}
				conflict[e] = d
			}
			rows.Close()
		}
		if len(conflict) > 0 {
			return &ConflictError{Entries: conflict}
		}
		prefix := fmt.Sprintf("LEVY-%s-%s-", safeID(importer), strings.ReplaceAll(created.String(), "-", ""))
		var n int
		if err := tx.QueryRowContext(ctx, l.q(`SELECT COUNT(*) FROM declarations WHERE id LIKE ?`), prefix+"%").Scan(&n); err != nil {
			return err
		}
		id = fmt.Sprintf("%s%d", prefix, n+1)
		name := ""
		if fileName != nil {
			name = fileName(id)
		}
		if _, err := tx.ExecContext(ctx, l.q(`INSERT INTO declarations (id, importer, status, created_on, file_name, entries, source) VALUES (?, ?, ?, ?, ?, ?, 'levy')`),
			id, importer, refund.DeclPrepared, created.String(), nullString(name), len(entries)); err != nil {
			return err
		}
		for start := 0; start < len(entries); start += batchRows {
			chunk := entries[start:min(start+batchRows, len(entries))]
			args := make([]any, 0, 2*len(chunk))
			for _, e := range chunk {
				args = append(args, id, e)
			}
			if _, err := tx.ExecContext(ctx, l.q(`INSERT INTO declaration_entries (declaration_id, entry_number) VALUES `+values(len(chunk), 2)), args...); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

func safeID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SetDeclarationStatus records what CBP did with a declaration: accepted or
// rejected (a rejected declaration frees its entries for a new one).
func (l *DB) SetDeclarationStatus(ctx context.Context, id, status string) error {
	if status != refund.DeclAccepted && status != refund.DeclRejected && status != refund.DeclPrepared {
		return fmt.Errorf("declaration status %q: use accepted, rejected or prepared", status)
	}
	res, err := l.db.ExecContext(ctx, l.q(`UPDATE declarations SET status = ? WHERE id = ?`), status, id)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("declaration %s: %w", id, ErrNotFound)
	}
	return nil
}

// Declarations lists the declarations, newest first.
func (l *DB) Declarations(ctx context.Context) ([]DeclarationInfo, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, importer, status, created_on, file_name, entries, source FROM declarations ORDER BY created_on DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	var out []DeclarationInfo
	for rows.Next() {
		var d DeclarationInfo
		var fn sql.NullString
		if err := rows.Scan(&d.ID, &d.Importer, &d.Status, &d.CreatedOn, &fn, &d.Entries, &d.Source); err != nil {
			return nil, err
		}
		d.FileName = fn.String
		out = append(out, d)
	}
	return out, rows.Err()
}

// AcceptedEntries returns the entries on accepted declarations.
func (l *DB) AcceptedEntries(ctx context.Context) (map[string]string, error) {
	rows, err := l.db.QueryContext(ctx, l.q(`SELECT de.entry_number, d.id FROM declaration_entries de JOIN declarations d ON d.id = de.declaration_id WHERE d.status = ?`), refund.DeclAccepted)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var e, d string
		if err := rows.Scan(&e, &d); err != nil {
			return nil, err
		}
		out[e] = d
	}
	return out, rows.Err()
}

// Declaration returns one declaration and its entries, in file order.
func (l *DB) Declaration(ctx context.Context, id string) (*DeclarationInfo, []string, error) {
	var d DeclarationInfo
	var fn sql.NullString
	err := l.db.QueryRowContext(ctx, l.q(`SELECT id, importer, status, created_on, file_name, entries, source FROM declarations WHERE id = ?`), id).
		Scan(&d.ID, &d.Importer, &d.Status, &d.CreatedOn, &fn, &d.Entries, &d.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("declaration %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: %w", err)
	}
	d.FileName = fn.String
	rows, err := l.db.QueryContext(ctx, l.q(`SELECT entry_number FROM declaration_entries WHERE declaration_id = ? ORDER BY entry_number`), id)
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	var es []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, nil, err
		}
		es = append(es, e)
	}
	return &d, es, rows.Err()
}
