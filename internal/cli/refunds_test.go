package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/ledger/ledgertest"
	"github.com/levy-tariff/levy/refund"
)

const casesDir = "../../refund/testdata/cases/"

// TestRefundsCommands runs levy refunds import, report, cape and received
// on the hand-worked ledger, on SQLite and PostgreSQL; the human report is
// a golden file.
func TestRefundsCommands(t *testing.T) {
	for _, dialect := range ledgertest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			db := ledgertest.DSN(t, dialect)
			levy := func(want int, args ...string) string {
				t.Helper()
				out, errOut, code := runLevy(t, append([]string{"refunds", "--db", db, "--as-of", "2026-11-01"}, args...)...)
				if code != want {
					t.Fatalf("levy refunds %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errOut)
				}
				return out + errOut
			}
			out := levy(0, "import", casesDir+"es003.csv", "--no-progress")
			if !strings.Contains(out, "31 rows, 12 entries imported") {
				t.Errorf("import: %s", out)
			}
			levy(0, "import", casesDir+"es003.csv", "--no-progress") // again: updates
			out = levy(0, "received", casesDir+"es022.csv")
			if !strings.Contains(out, "1 refunds of 1 entries recorded") {
				t.Errorf("received: %s", out)
			}
			if dialect == "sqlite" {
				checkGolden(t, "refunds_report.golden", levy(0, "report"))
				checkGolden(t, "refunds_entry.golden", levy(0, "report", "--entry", "XYZ-7000001-4"))
			}
			csvOut := levy(0, "report", "--csv")
			if lines := strings.Split(strings.TrimSpace(csvOut), "\n"); len(lines) != 13 || !strings.HasPrefix(lines[0], "entry,importer,filer") {
				t.Errorf("csv: %d lines\n%s", len(lines), csvOut)
			}
			if js := levy(0, "report", "--json", "--phase", "cape-1"); !strings.Contains(js, `"refundable": "9500.00"`) && !strings.Contains(js, `"entry": "XYZ70000014"`) {
				t.Errorf("json: %s", js)
			}
			dir := t.TempDir()
			out = levy(0, "cape", "--out", dir)
			if !strings.Contains(out, "4 entries of importer 12-3456789AB") || !strings.Contains(out, "1 entries of importer 98-7654321AA") {
				t.Errorf("cape: %s", out)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
			if len(files) != 2 {
				t.Fatalf("files %v", files)
			}
			for _, f := range files {
				b, _ := os.ReadFile(f)
				if errs := refund.CheckCAPEFile(b, nil); len(errs) > 0 {
					t.Errorf("%s: %v", f, errs)
				}
				if out := levy(0, "cape", "--check", f); !strings.Contains(out, "passes every rule") {
					t.Errorf("check: %s", out)
				}
			}
			if out := levy(0, "cape", "--out", dir); !strings.Contains(out, "no entries to declare") {
				t.Errorf("cape again: %s", out)
			}
			id := strings.TrimSuffix(filepath.Base(files[0]), ".csv")
			levy(0, "cape", "--accepted", id)
			// The accepted declaration's own file now fails the check: its entries are on an accepted declaration.
			if out := levy(ExitFailure, "cape", "--check", files[0]); !strings.Contains(out, "already on an accepted declaration") {
				t.Errorf("check after acceptance: %s", out)
			}
			if out := levy(0, "cape", "--list"); !strings.Contains(out, id) || !strings.Contains(out, "accepted") {
				t.Errorf("list: %s", out)
			}
			levy(ExitNotFound, "cape", "--rejected", "NOPE")
			out = levy(0, "received", "--entry", "ABC-1234571-0", "--refund", "R9", "--principal", "5000", "--interest", "200", "--date", "2026-10-30")
			if !strings.Contains(out, "recorded") {
				t.Errorf("received by hand: %s", out)
			}
			if out := levy(0, "report", "--entry", "ABC12345710"); !strings.Contains(out, "interest -14.74") || !strings.Contains(out, "Status: refunded") {
				t.Errorf("entry after a refund by hand: %s", out)
			}
		})
	}
}

func TestRefundsErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "levy.db")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Entry Number,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount\n"+
		"ABC-1234567-8,06/02/2025,X,1,9503000090,CN,100,0\nABC-1234567-8,06/02/2025,X,1,9503000090,CN,100,0\nABC-12,06/02/2025,X,1,9503000090,CN,100,0\n"), 0o644)
	missing := filepath.Join(t.TempDir(), "missing.csv")
	os.WriteFile(missing, []byte("Entry Number,Entry Date,HTS Number\nABC12345678,06/02/2025,9503000090\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"bad rows", []string{"import", bad}, ExitFailure, []string{"2 bad row(s); nothing was imported", "line 3: duplicate line", "line 4: column \"Entry Number\""}},
		{"missing column", []string{"import", missing}, ExitUsage, []string{"missing column(s) importer", "line_number", "--map"}},
		{"no file", []string{"import", "no/such.csv"}, ExitUsage, []string{"no/such.csv"}},
		{"bad map", []string{"import", bad, "--map", "nonsense"}, ExitUsage, []string{"--map"}},
		{"bad kind", []string{"import", bad, "--kind", "xls"}, ExitUsage, []string{"--kind"}},
		{"bad as-of", []string{"--as-of", "tomorrow", "report"}, ExitUsage, []string{"--as-of"}},
		{"bad phase", []string{"report", "--phase", "nine"}, ExitUsage, []string{"--phase"}},
		{"bad entry", []string{"report", "--entry", "ABC"}, ExitUsage, []string{"entry number \"ABC\""}},
		{"unknown entry", []string{"report", "--entry", "ABC12345678"}, ExitNotFound, []string{"not found"}},
		{"received needs flags", []string{"received"}, ExitUsage, []string{"--entry, --refund and --principal"}},
		{"received entry report", []string{"received", bad}, ExitUsage, []string{"use levy refunds import"}},
		{"bad database", []string{"--db", "postgres://levy:pw@127.0.0.1:1/x?connect_timeout=1", "report"}, ExitData, []string{"ledger postgres://levy:***@"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"refunds", "--db", db}, tt.args...)
			_, errOut, code := runLevy(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestRefundsBatchImport: levy's own batch CSV, the duty paid estimated as
// collected (Chinese toys entered 2025-06-02: 9903.01.24 20% and 9903.01.25
// 10% of $10,000, hand-worked in refund/testdata/cases).
func TestRefundsBatchImport(t *testing.T) {
	dir := t.TempDir()
	db, in := filepath.Join(dir, "levy.db"), filepath.Join(dir, "lines.csv")
	os.WriteFile(in, []byte("id,entry_id,hts,origin,entry_date,value\n1,ABC-1234567-8,9503.00.00.90,CN,2025-06-02,10000\n"), 0o644)
	if _, errOut, code := runLevy(t, "refunds", "--db", db, "import", in, "--importer", "12-3456789AB"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out, errOut, code := runLevy(t, "refunds", "--db", db, "--as-of", "2026-11-01", "report", "--entry", "ABC12345678")
	if code != 0 || !strings.Contains(out, "IEEPA refundable principal 3000.00") || !strings.Contains(out, "estimated by levy") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
}
