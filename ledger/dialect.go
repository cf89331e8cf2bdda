package ledger

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// dialect holds what differs between SQLite and PostgreSQL: placeholders
// and the lock that serialises migrations and declarations across
// processes. Everything else (types, ON CONFLICT upserts, COALESCE) is
// written once.
type dialect struct {
	name   string
	rebind func(string) string
	lock   func(ctx context.Context, tx *sql.Tx, key int64) error
}

// Lock keys.
const (
	lockMigrate     int64 = 0x6c657679_0001
	lockDeclaration int64 = 0x6c657679_0002
)

var sqliteDialect = dialect{
	name:   "sqlite",
	rebind: func(s string) string { return s },
	// A SQLite write transaction (BEGIN IMMEDIATE, _txlock) already holds
	// the database's one write lock.
	lock: func(context.Context, *sql.Tx, int64) error { return nil },
}

var postgresDialect = dialect{
	name:   "postgres",
	rebind: dollarPlaceholders,
	lock: func(ctx context.Context, tx *sql.Tx, key int64) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key)
		return err
	},
}

// dollarPlaceholders turns ? into $1, $2...; queries hold no ? in literals.
func dollarPlaceholders(s string) string {
	if !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
