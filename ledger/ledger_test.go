package ledger_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/ledger/ledgertest"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

var asOf = date.MustParse("2026-11-01")

const head = "Entry Number,Entry Type,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount,Liquidation Status,Liquidation Date,Protest Flag\n"

const report = head +
	"ABC-1234567-8,01,06/02/2025,IOR1,1,9503000090,CN,10000,0,Liquidated,10/15/2025,N\n" +
	"ABC-1234567-8,01,06/02/2025,IOR1,1,9903.01.24,,,2000,Liquidated,10/15/2025,N\n" +
	"ABC-1234567-8,01,06/02/2025,IOR1,1,9903.01.25,,,1000,Liquidated,10/15/2025,N\n" +
	"ABC-1234568-6,01,06/03/2025,IOR1,1,9503000090,CN,5000,0,Unliquidated,,Y\n" +
	"ABC-1234568-6,01,06/03/2025,IOR1,1,9903.01.25,,,500,Unliquidated,,Y\n" +
	"XYZ-1234569-4,01,06/04/2025,IOR2,1,9503000090,VN,5000,0,Unliquidated,,N\n"

func importText(t *testing.T, l *ledger.DB, text string) (*ledger.ImportStats, error) {
	t.Helper()
	r, err := ace.NewReader(strings.NewReader(text), ace.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind == ace.ES022 || r.Kind == ace.REV603 {
		return l.ImportRefunds(context.Background(), string(r.Kind), "test.csv", "2026-11-01T00:00:00Z", r.NextRefund)
	}
	return l.ImportEntries(context.Background(), string(r.Kind), "test.csv", "2026-11-01T00:00:00Z", r.Next)
}

func counts(t *testing.T, l *ledger.DB) ledger.Counts {
	t.Helper()
	c, err := l.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func forEach(t *testing.T, f func(t *testing.T, l *ledger.DB)) {
	for _, d := range ledgertest.Dialects {
		t.Run(d, func(t *testing.T) { f(t, ledgertest.Open(t, d)) })
	}
}

func TestImportTwiceUpdates(t *testing.T) {
	forEach(t, func(t *testing.T, l *ledger.DB) {
		st, err := importText(t, l, report)
		if err != nil {
			t.Fatal(err)
		}
		if st.Rows != 6 || st.Entries != 3 {
			t.Errorf("stats %+v, want 6 rows of 3 entries", st)
		}
		want := ledger.Counts{Entries: 3, Lines: 6}
		if c := counts(t, l); c != want {
			t.Errorf("after the first import %+v, want %+v", c, want)
		}
		if _, err := importText(t, l, report); err != nil {
			t.Fatal(err)
		}
		if c := counts(t, l); c != want {
			t.Errorf("after importing again %+v, want %+v (updated, not duplicated)", c, want)
		}
		// A later report of one entry (liquidated now, a line removed by a PSC)
		// replaces its lines and updates its status; a column it lacks (the
		// protest flag) keeps the stored value.
		later := "Entry Number,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount,Liquidation Status,Liquidation Date\n" +
			"ABC-1234568-6,06/03/2025,IOR1,1,9503000090,CN,5000,0,Liquidated,10/20/2025\n"
		if _, err := importText(t, l, later); err != nil {
			t.Fatal(err)
		}
		e, err := l.Entry(context.Background(), "ABC12345686")
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Rows) != 1 || e.LiqStatus != refund.Liquidated || e.LiqDate != date.MustParse("2025-10-20") || !e.Flags.Protest || e.Type != "01" {
			t.Errorf("entry after the later report: %+v", e)
		}
		if c := counts(t, l); c.Lines != 5 {
			t.Errorf("lines = %d, want 5", c.Lines)
		}
	})
}

func TestFailedImportLeavesLedgerUnchanged(t *testing.T) {
	bad := []struct{ name, text, want string }{
		{"malformed entry number", report + "ABC-123456-8,01,06/02/2025,IOR1,1,9503000090,CN,1,0,Unliquidated,,N\n", "line 8"},
		{"duplicate line", report + "XYZ-1234569-4,01,06/04/2025,IOR2,1,9503000090,VN,5000,0,Unliquidated,,N\n", "line 8: duplicate line: entry XYZ12345694 line 1 HTS 9503000090 is already on line 7"},
		{"future date", report + "XYZ-1234570-1,01,06/04/2027,IOR2,1,9503000090,VN,5000,0,Unliquidated,,N\n", "in the future"},
		{"broken half-way", head + "ABC-1234567-8,01,06/02/2025,IOR1,1,9503000090,CN,10000,0,Liquidated,10/15/2025,N\n" +
			"ABC-1234567-8,01,06/02/2025,IOR1,1,\"9903.01.24,,,2000,Liquidated,10/15/2025,N\n", "broken CSV"},
		{"conflicting entry date", report + "XYZ-1234569-4,01,06/05/2025,IOR2,2,9503000090,VN,5000,0,Unliquidated,,N\n", "entry date \"2025-06-05\" differs"},
	}
	forEach(t, func(t *testing.T, l *ledger.DB) {
		if _, err := importText(t, l, report); err != nil {
			t.Fatal(err)
		}
		before := counts(t, l)
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				// The bad file also changes an entry already stored: that change must not land.
				text := strings.Replace(b.text, "10000,0,Liquidated", "10000,7,Liquidated", 1)
				_, err := importText(t, l, text)
				var ie *ledger.ImportError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), "nothing was imported") {
					t.Fatalf("import error %v, want an ImportError with %q", err, b.want)
				}
				if c := counts(t, l); c != before {
					t.Errorf("ledger changed by a failed import: %+v, was %+v", c, before)
				}
				e, _ := l.Entry(context.Background(), "ABC12345678")
				if e == nil || !e.Rows[0].Duty.IsZero() {
					t.Errorf("a stored line changed by a failed import: %+v", e)
				}
			})
		}
	})
}

func TestManyRowsAcrossBatches(t *testing.T) {
	forEach(t, func(t *testing.T, l *ledger.DB) {
		var b strings.Builder
		b.WriteString(head)
		// 1,200 rows: two entries whose rows are not contiguous and span
		// several insert batches.
		for i := 1; i <= 600; i++ {
			for _, e := range []string{"AAA-0000001-0", "BBB-0000002-0"} {
				b.WriteString(e + ",01,06/02/2025,IOR1," + itoa(i) + ",9503000090,CN,100,1.25,Unliquidated,,N\n")
			}
		}
		st, err := importText(t, l, b.String())
		if err != nil {
			t.Fatal(err)
		}
		if st.Rows != 1200 || st.Entries != 2 {
			t.Errorf("stats %+v", st)
		}
		e, err := l.Entry(context.Background(), "AAA00000010")
		if err != nil || len(e.Rows) != 600 {
			t.Fatalf("entry AAA: %d rows, %v", len(e.Rows), err)
		}
		sum := money.Zero
		for _, r := range e.Rows {
			sum, _ = sum.Add(r.Duty)
		}
		if money.Format(sum) != "750.00" {
			t.Errorf("duty = %s, want 750.00", money.Format(sum))
		}
	})
}

func itoa(i int) string {
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func TestDeclarations(t *testing.T) {
	forEach(t, func(t *testing.T, l *ledger.DB) {
		ctx := context.Background()
		if _, err := importText(t, l, report); err != nil {
			t.Fatal(err)
		}
		on := date.MustParse("2026-11-01")
		id, err := l.RecordDeclaration(ctx, "IOR1", []string{"ABC12345678", "ABC12345686"}, on, nil)
		if err != nil || id != "LEVY-IOR1-20261101-1" {
			t.Fatalf("declaration %q, %v", id, err)
		}
		_, err = l.RecordDeclaration(ctx, "IOR1", []string{"ABC12345678"}, on, nil)
		var ce *ledger.ConflictError
		if !errors.As(err, &ce) || ce.Entries["ABC12345678"] != id {
			t.Fatalf("second declaration of the same entry: %v", err)
		}
		e, _ := l.Entry(ctx, "ABC12345678")
		if d, ok := e.OnDeclaration(); !ok || d != id {
			t.Errorf("entry not on its declaration: %+v", e.Declarations)
		}
		if err := l.SetDeclarationStatus(ctx, id, refund.DeclRejected); err != nil {
			t.Fatal(err)
		}
		id2, err := l.RecordDeclaration(ctx, "IOR1", []string{"ABC12345678"}, on, nil)
		if err != nil || id2 != "LEVY-IOR1-20261101-2" {
			t.Fatalf("after rejection: %q, %v", id2, err)
		}
		if err := l.SetDeclarationStatus(ctx, id2, refund.DeclAccepted); err != nil {
			t.Fatal(err)
		}
		acc, _ := l.AcceptedEntries(ctx)
		if acc["ABC12345678"] != id2 || len(acc) != 1 {
			t.Errorf("accepted %v", acc)
		}
		if err := l.SetDeclarationStatus(ctx, "nope", refund.DeclAccepted); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("unknown declaration: %v", err)
		}
		ds, _ := l.Declarations(ctx)
		if len(ds) != 2 {
			t.Errorf("declarations %+v", ds)
		}
	})
}

// TestConcurrentDeclarations: two writers declaring the same entries at
// once (two levy serve replicas) record one declaration, not two.
func TestConcurrentDeclarations(t *testing.T) {
	for _, d := range ledgertest.Dialects {
		t.Run(d, func(t *testing.T) {
			dsn := ledgertest.DSN(t, d)
			ctx := context.Background()
			var ls []*ledger.DB
			for i := 0; i < 2; i++ {
				l, err := ledger.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Close()
				ls = append(ls, l)
			}
			if _, err := importText(t, ls[0], report); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range ls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = ls[i].RecordDeclaration(ctx, "IOR1", []string{"ABC12345678"}, asOf, nil)
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				var ce *ledger.ConflictError
				switch {
				case err == nil:
					ok++
				case !errors.As(err, &ce):
					t.Errorf("unexpected error: %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("%d declarations recorded, want 1 (errors %v)", ok, errs)
			}
		})
	}
}

func TestRefunds(t *testing.T) {
	forEach(t, func(t *testing.T, l *ledger.DB) {
		ctx := context.Background()
		if _, err := importText(t, l, report); err != nil {
			t.Fatal(err)
		}
		es022 := "CAPE Declaration Number,Entry Number,Refund Number,Refund Principal Amount,Refund Interest Amount\nCAPE1,ABC-1234567-8,R1,3000.00,120.50\n"
		for i := 0; i < 2; i++ { // twice: updated, not duplicated
			if _, err := importText(t, l, es022); err != nil {
				t.Fatal(err)
			}
		}
		if c := counts(t, l); c.Refunds != 1 {
			t.Errorf("refunds = %d, want 1", c.Refunds)
		}
		if _, err := importText(t, l, "Refund Number,Refund Secondary Status,Status Date\nR1,Funds Diverted,07/01/2026\n"); err != nil {
			t.Fatal(err)
		}
		e, _ := l.Entry(ctx, "ABC12345678")
		if len(e.Refunds) != 1 || e.Refunds[0].Status != "Funds Diverted" || money.Format(e.Refunds[0].Interest) != "120.50" {
			t.Errorf("refunds %+v", e.Refunds)
		}
		if _, ok := e.OnDeclaration(); !ok {
			t.Error("an ES-022 refund puts the entry on CBP's accepted declaration")
		}
		_, err := importText(t, l, "Refund Number,Refund Secondary Status\nR9,Treasury Issued\n")
		if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "R9 is not in the ledger") {
			t.Errorf("REV-603 of an unknown refund: %v", err)
		}
		_, err = importText(t, l, "Entry Number,Refund Number,Principal,Interest\nABC12345678,R2,1,1\nABC12345678,R2,1,1\n")
		if err == nil || !strings.Contains(err.Error(), "line 3: duplicate") {
			t.Errorf("duplicate ES-022 row: %v", err)
		}
		if c := counts(t, l); c.Refunds != 1 {
			t.Errorf("refunds = %d after failed imports, want 1", c.Refunds)
		}
	})
}

func TestMigrations(t *testing.T) {
	ms, err := ledger.Migrations()
	if err != nil || len(ms) == 0 || ms[0].Version != 1 {
		t.Fatalf("migrations %v, %v", ms, err)
	}
	for _, d := range ledgertest.Dialects {
		t.Run(d, func(t *testing.T) {
			dsn := ledgertest.DSN(t, d)
			ctx := context.Background()
			// Replicas starting together each run the migrations; each applies once.
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					l, err := ledger.Open(ctx, dsn)
					if err == nil {
						l.Close()
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			l, err := ledger.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if v, err := l.Version(ctx); err != nil || v != ms[len(ms)-1].Version {
				t.Errorf("version %d, %v", v, err)
			}
			if l.Dialect() != d {
				t.Errorf("dialect %s, want %s", l.Dialect(), d)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := ledger.Open(context.Background(), ""); err == nil {
		t.Error("an empty DSN was accepted")
	}
	_, err := ledger.Open(context.Background(), "postgres://levy:secret@127.0.0.1:1/nope?connect_timeout=1")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("unreachable PostgreSQL: %v (the password must not be printed)", err)
	}
}
