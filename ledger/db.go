// Package ledger stores the refunds ledger: entries and the HTS numbers on
// their lines with the duty paid, CAPE declarations and refunds received.
// One database/sql implementation serves embedded SQLite (a file, pure-Go
// driver) and PostgreSQL (pgx) with one schema and one set of queries; the
// few dialect differences (placeholders, locks) are in dialect.go and are
// tested against both. Migrations are numbered SQL files applied in order,
// each in its own transaction; every import is one transaction.
//
// It holds no refund logic (package refund does) and must not import cli
// or server.
package ledger

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open ledger.
type DB struct {
	db *sql.DB
	d  dialect
	// Name is the DSN with any password removed, for messages.
	Name string
}

// Open opens (and creates or migrates) the ledger named by dsn: a
// postgres:// or postgresql:// URL opens PostgreSQL, anything else is a
// SQLite file path (an optional "sqlite:" prefix is removed).
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, driver, src := sqliteDialect, "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d, driver, src = postgresDialect, "pgx", dsn
	} else {
		if src == "" {
			return nil, errors.New("ledger: no database given (--db levy.db or --db postgres://...)")
		}
		src = "file:" + src + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)&_txlock=immediate"
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", redact(dsn), err)
	}
	if d.name == "sqlite" {
		db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	}
	l := &DB{db: db, d: d, Name: redact(dsn)}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger %s: %w", l.Name, err)
	}
	if err := l.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return l, nil
}

// Close closes the database.
func (l *DB) Close() error { return l.db.Close() }

// Dialect names the database: "sqlite" or "postgres".
func (l *DB) Dialect() string { return l.d.name }

func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			cred := dsn[i+3 : at]
			if c := strings.Index(cred, ":"); c >= 0 {
				return dsn[:i+3] + cred[:c] + ":***" + dsn[at:]
			}
		}
	}
	return dsn
}

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", base)
		}
		b, _ := migrations.ReadFile(n)
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// migrate applies the migrations not yet applied, each in a transaction
// that holds the migration lock, so that replicas starting together apply
// each migration once.
func (l *DB) migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	err = l.tx(ctx, func(tx *sql.Tx) error {
		if err := l.d.lock(ctx, tx, lockMigrate); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.Name, err)
	}
	for _, m := range ms {
		err := l.tx(ctx, func(tx *sql.Tx) error {
			if err := l.d.lock(ctx, tx, lockMigrate); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, l.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitSQL(m.SQL) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", m.Name, err)
				}
			}
			_, err := tx.ExecContext(ctx, l.q(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`), m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("ledger %s: migration %w", l.Name, err)
		}
	}
	return nil
}

// Version is the highest migration applied.
func (l *DB) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := l.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

func splitSQL(s string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if t := strings.TrimSpace(cur.String()); t != "" {
		out = append(out, t)
	}
	return out
}

// tx runs f in a transaction, committed when f returns nil.
func (l *DB) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// q rewrites a query written with ? placeholders for the dialect.
func (l *DB) q(s string) string { return l.d.rebind(s) }
