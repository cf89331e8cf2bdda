// Package ledgertest opens throwaway ledgers for tests: a SQLite file in
// the test's temporary directory, and a PostgreSQL schema of its own in the
// database named by LEVY_TEST_POSTGRES (skipped when unset, failed when
// LEVY_REQUIRE_POSTGRES=1), dropped when the test ends.
//
// It is for tests only.
package ledgertest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/ledger"
)

// Dialects are the databases every ledger test runs against.
var Dialects = []string{"sqlite", "postgres"}

var seq atomic.Int64

// Open returns an empty, migrated ledger of the dialect, closed at cleanup.
func Open(t testing.TB, dialect string) *ledger.DB {
	t.Helper()
	dsn := DSN(t, dialect)
	l, err := ledger.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// DSN returns the DSN of a fresh, empty database of the dialect.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "levy.db")
	}
	base := testenv.PostgresDSN(t)
	schema := fmt.Sprintf("levy_test_%d_%d", time.Now().UnixNano(), seq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres %s: create schema: %v", base, err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
