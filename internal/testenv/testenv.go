// Package testenv locates the reference data that tests read from outside
// the repository (../shared next to the module root).
//
// It is for tests only and must not import any other levy package.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RequireEnv is the environment variable that turns a missing shared
// directory from a skip into a failure (set it to "1" in CI).
const RequireEnv = "LEVY_REQUIRE_SHARED"

// SharedDir returns the absolute path of ../shared relative to the module
// root (the nearest directory above the working directory holding go.mod).
// When that directory or its data/ subdirectory is absent the test is
// skipped, or fails if LEVY_REQUIRE_SHARED=1.
func SharedDir(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err == nil {
		dir := filepath.Join(filepath.Dir(root), "shared")
		if fi, serr := os.Stat(filepath.Join(dir, "data")); serr == nil && fi.IsDir() {
			return dir
		}
		err = os.ErrNotExist
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("needs ../shared/data: %v (%s=1)", err, RequireEnv)
	}
	t.Skipf("needs ../shared/data: %v", err)
	return ""
}

// DataFile returns the absolute path of a file in ../shared/data, with the
// same skip-or-fail rule as SharedDir when the directory or file is absent.
func DataFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(SharedDir(t), "data", name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("needs ../shared/data/%s: %v", name, err)
		}
		t.Skipf("needs ../shared/data/%s: %v", name, err)
	}
	return p
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Require skips the test for want (a program or file it needs), or fails it
// when LEVY_REQUIRE_SHARED=1, as for ../shared itself.
func Require(t testing.TB, want string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("needs %s (%s=1)", want, RequireEnv)
	}
	t.Skipf("needs %s", want)
}

// Environment variables for the PostgreSQL tests: PostgresEnv holds the DSN
// of a database the tests may create schemas in (.ci/run starts one and
// sets it); RequirePostgresEnv=1 turns its absence into a failure.
const (
	PostgresEnv        = "LEVY_TEST_POSTGRES"
	RequirePostgresEnv = "LEVY_REQUIRE_POSTGRES"
)

// PostgresDSN returns the DSN of the test PostgreSQL database, or skips the
// test (fails it when LEVY_REQUIRE_POSTGRES=1) when none is configured.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if os.Getenv(RequirePostgresEnv) == "1" {
			t.Fatalf("needs PostgreSQL: set %s to a postgres:// DSN (%s=1)", PostgresEnv, RequirePostgresEnv)
		}
		t.Skipf("needs PostgreSQL: set %s to a postgres:// DSN (e.g. postgres://levy:levy@127.0.0.1:5432/levy_test)", PostgresEnv)
	}
	return dsn
}
