package refund_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/data"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

func TestParseEntryNumber(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"ABC-1234567-8", "ABC12345678", ""},
		{"abc12345678", "ABC12345678", ""},
		{" 9X1 1234567 0 ", "9X112345670", ""},
		{"ABC-123456-8", "", "has 10 characters"},
		{"AB#12345678", "", "filer code"},
		{"ABC12345X78", "", "transaction number"},
		{"ABC1234567X", "", "check digit"},
		{"", "", "empty"},
	}
	for _, tt := range tests {
		got, err := refund.ParseEntryNumber(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseEntryNumber(%q) = %q, %v; want error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseEntryNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseEntryNumber(f *testing.F) {
	for _, s := range []string{"ABC-1234567-8", "abc12345678", "", "---", "ABC-123456-8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := refund.ParseEntryNumber(s)
		if err != nil {
			return
		}
		if len(n) != 11 || n != strings.ToUpper(n) {
			t.Fatalf("%q -> %q", s, n)
		}
		again, err := refund.ParseEntryNumber(refund.FormatEntryNumber(n))
		if err != nil || again != n {
			t.Fatalf("round trip %q -> %q -> %q, %v", s, n, again, err)
		}
	})
}

func BenchmarkParseEntryNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		refund.ParseEntryNumber("ABC-1234567-8")
	}
}

func rates(t testing.TB) *refund.Rates {
	r, err := refund.ParseRates(data.InterestRates)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestInterest: the fact sheet's illustration ($10,000 deposited 2025-06-10,
// reliquidated 2026-06-20, 375 days: about $722 non-corporate, about $613
// corporate) and cases worked with a 50-digit decimal calculator.
func TestInterest(t *testing.T) {
	r := rates(t)
	tests := []struct {
		name     string
		p        string
		from, to string
		opt      refund.InterestOptions
		want     string
		days     int
		complete bool
	}{
		{"illustration non-corporate", "10000", "2025-06-10", "2026-06-20", refund.InterestOptions{}, "722.07", 375, true},
		{"illustration corporate", "10000", "2025-06-10", "2026-06-20", refund.InterestOptions{Corporate: true}, "612.50", 375, true},
		// $10,000 at the corporate rate, $5,000 above it at 7% - 2.5 = 4.5% (3.5% in 2026 Q2).
		{"large corporate", "15000", "2025-06-10", "2026-06-20", refund.InterestOptions{Corporate: true, LargeCorporate: true}, "837.61", 375, true},
		{"same day", "1000", "2025-06-10", "2025-06-10", refund.InterestOptions{}, "0.00", 0, true},
		{"one day", "36500", "2025-06-10", "2025-06-11", refund.InterestOptions{}, "7.00", 1, true},
		// Past the table (2026-12-31): the days of 2027 have no rate.
		{"past the table", "1000", "2026-12-01", "2027-02-01", refund.InterestOptions{}, "5.96", 62, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := r.Compute(money.MustParse(tt.p), date.MustParse(tt.from), date.MustParse(tt.to), tt.opt)
			if money.Format(in.Amount) != tt.want || in.Days != tt.days || in.Complete != tt.complete {
				t.Errorf("interest = %s over %d days (complete %v, %s), want %s over %d (complete %v)", money.Format(in.Amount), in.Days, in.Complete, in.Warning, tt.want, tt.days, tt.complete)
			}
			total := 0
			for _, p := range in.Periods {
				total += p.Days
				if p.Source == "" {
					t.Errorf("%s has no source", p.Quarter)
				}
			}
			if tt.complete && total != tt.days {
				t.Errorf("periods cover %d days, want %d", total, tt.days)
			}
		})
	}
}

func TestParseRatesRejects(t *testing.T) {
	for _, bad := range []string{
		"version: 1\nquarters: []\n",
		"version: 1\nquarters:\n  - {quarter: 2025Q1, noncorporate: 7%, corporate: 6%, source: x}\n  - {quarter: 2025Q3, noncorporate: 7%, corporate: 6%, source: x}\n",
		"version: 1\nquarters:\n  - {quarter: 2025Q1, noncorporate: 7%, corporate: 6%}\n",
		"version: 1\nquarters:\n  - {quarter: 2025Q5, noncorporate: 7%, corporate: 6%, source: x}\n",
		"version: 1\nquarters:\n  - {quarter: 2025Q1, noncorporate: seven, corporate: 6%, source: x}\n",
		"version: 1\nbogus: 1\n",
	} {
		if _, err := refund.ParseRates([]byte(bad)); err == nil {
			t.Errorf("ParseRates accepted %q", bad)
		}
	}
}

func TestRoutes(t *testing.T) {
	asOf := date.MustParse("2026-11-01")
	base := refund.Entry{Number: "ABC12345678", Type: "01", Date: date.MustParse("2025-09-10"), LiqStatus: refund.Unliquidated, LiqDate: date.None}
	tests := []struct {
		name  string
		edit  func(e *refund.Entry)
		ieepa bool
		want  refund.Phase
		why   string
	}{
		{"unliquidated", func(e *refund.Entry) {}, true, refund.Phase1, "unliquidated"},
		{"suspended", func(e *refund.Entry) { e.LiqStatus = refund.Suspended }, true, refund.Phase1, "suspended"},
		{"extended", func(e *refund.Entry) { e.LiqStatus = refund.Extended }, true, refund.Phase1, "extended"},
		{"liquidated 80 days ago", func(e *refund.Entry) { e.LiqStatus, e.LiqDate = refund.Liquidated, asOf.AddDays(-80) }, true, refund.Phase1, "within CAPE's 80 days"},
		{"liquidated 81 days ago", func(e *refund.Entry) { e.LiqStatus, e.LiqDate = refund.Liquidated, asOf.AddDays(-81) }, true, refund.Protest, "protest"},
		{"liquidated 180 days ago", func(e *refund.Entry) { e.LiqStatus, e.LiqDate = refund.Liquidated, asOf.AddDays(-180) }, true, refund.Protest, "protest"},
		{"liquidated 181 days ago", func(e *refund.Entry) { e.LiqStatus, e.LiqDate = refund.Liquidated, asOf.AddDays(-181) }, true, refund.Final, "finally liquidated"},
		{"no IEEPA", func(e *refund.Entry) {}, false, refund.NoIEEPA, "no IEEPA"},
		{"type 09", func(e *refund.Entry) { e.Type = "09" }, true, refund.Outside, "type 09"},
		{"type 08", func(e *refund.Entry) { e.Type = "08" }, true, refund.Outside, "type 08"},
		{"type 47", func(e *refund.Entry) { e.Type = "47" }, true, refund.Outside, "type 47"},
		{"type 23", func(e *refund.Entry) { e.Type = "23" }, true, refund.Outside, "type 23"},
		{"drawback", func(e *refund.Entry) { e.Flags.Drawback = true }, true, refund.Outside, "drawback"},
		{"protest", func(e *refund.Entry) { e.Flags.Protest = true }, true, refund.Outside, "protest"},
		{"AD/CVD", func(e *refund.Entry) { e.Flags.ADCVD = true }, true, refund.Outside, "AD/CVD"},
		{"reconciliation 06", func(e *refund.Entry) { e.Type, e.Flags.Reconciliation = "06", true }, true, refund.Phase2, "phase 2"},
		{"reconciliation with 09 filed", func(e *refund.Entry) { e.Flags.Reconciliation, e.Flags.ReconFiled = true, true }, true, refund.Outside, "type 09 has been filed"},
		{"reconciliation type 03", func(e *refund.Entry) { e.Type, e.Flags.Reconciliation = "03", true }, true, refund.Outside, "type 03"},
		{"status not reported", func(e *refund.Entry) { e.LiqStatus = "" }, true, refund.Unrouted, "not reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.edit(&e)
			r := refund.RouteOf(&e, tt.ieepa, asOf)
			if r.Phase != tt.want || !strings.Contains(r.Reason, tt.why) {
				t.Errorf("route = %s (%s), want %s with %q", r.Phase, r.Reason, tt.want, tt.why)
			}
		})
	}
	e := base
	if r := refund.RouteOf(&e, true, date.MustParse("2026-04-01")); !strings.Contains(r.Reason, "opens 2026-04-20") {
		t.Errorf("before CAPE opened: %s", r.Reason)
	}
	// A scheduled liquidation closes the PSC window 15 days before it.
	e.LiqDate = date.MustParse("2026-05-01")
	r := refund.RouteOf(&e, true, date.MustParse("2026-04-01"))
	if r.Next == nil || r.Next.Name != "psc" || r.Next.Date != date.MustParse("2026-04-16") || r.Next.DaysLeft != 15 {
		t.Errorf("PSC deadline = %+v, want 2026-04-16, 15 days", r.Next)
	}
}

func TestParseLiquidationStatus(t *testing.T) {
	for in, want := range map[string]string{"Liquidated": refund.Liquidated, "UNLIQUIDATED": refund.Unliquidated, "": refund.Unliquidated,
		"Open": refund.Unliquidated, "Suspended": refund.Suspended, "Extended": refund.Extended, "Reliquidated": refund.Reliquidated,
		"Under Review": refund.UnderReview} {
		got, err := refund.ParseLiquidationStatus(in)
		if err != nil || got != want {
			t.Errorf("ParseLiquidationStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := refund.ParseLiquidationStatus("bogus"); err == nil {
		t.Error("bogus status accepted")
	}
}

// TestCAPEFile writes declarations for 10,500 entries of two importers and
// checks every file against every rule of CBP's template.
func TestCAPEFile(t *testing.T) {
	var cs []refund.Candidate
	for i := 0; i < 10500; i++ {
		cs = append(cs, refund.Candidate{Entry: fmt.Sprintf("ABC-%07d-%d", i, i%10), Importer: "IOR-1"})
	}
	for i := 0; i < 3; i++ {
		cs = append(cs, refund.Candidate{Entry: fmt.Sprintf("xyz%07d%d", i, i), Importer: "IOR-2"})
	}
	cs = append(cs, cs[0]) // a duplicate is written once
	ds, err := refund.Declarations(cs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("%d declarations, want 3 (9,999 + 501 for IOR-1, 3 for IOR-2)", len(ds))
	}
	sizes := []int{9999, 501, 3}
	total := 0
	for i, d := range ds {
		b := d.Bytes()
		if errs := refund.CheckCAPEFile(b, nil); len(errs) > 0 {
			t.Errorf("declaration %d: %v", i, errs)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
		if lines[0] != "Entry Number" || len(lines)-1 != sizes[i] {
			t.Errorf("declaration %d: header %q, %d rows; want \"Entry Number\", %d", i, lines[0], len(lines)-1, sizes[i])
		}
		for _, l := range lines[1:] {
			if len(l) != 11 || strings.ContainsAny(l, ",- \"") {
				t.Fatalf("declaration %d: row %q is not an 11-character entry number", i, l)
			}
		}
		for _, e := range d.Entries {
			for _, c := range cs {
				if c.Entry == e && c.Importer != d.Importer {
					t.Fatalf("entry %s of %s in a file of %s", e, c.Importer, d.Importer)
				}
			}
		}
		total += len(d.Entries)
	}
	if total != 10503 {
		t.Errorf("%d entries written, want 10503", total)
	}
	if _, err := refund.Declarations([]refund.Candidate{{Entry: "ABC-12-3", Importer: "X"}}); err == nil {
		t.Error("a malformed entry number was accepted")
	}
}

func TestCheckCAPEFileRejects(t *testing.T) {
	accepted := func(e string) bool { return e == "ABC12345679" }
	tests := []struct{ name, file, want string }{
		{"header", "Entry number\r\nABC12345678\r\n", "header"},
		{"two columns", "Entry Number,Entry Type\r\nABC12345678,01\r\n", "2 columns"},
		{"dashes", "Entry Number\r\nABC-1234567-8\r\n", "must be written as the 11 characters"},
		{"short", "Entry Number\r\nABC1234567\r\n", "10 characters"},
		{"duplicate", "Entry Number\r\nABC12345678\r\nABC12345678\r\n", "already on line 2"},
		{"accepted", "Entry Number\r\nABC12345679\r\n", "accepted declaration"},
		{"empty", "Entry Number\r\n", "no entry numbers"},
		{"too many", "Entry Number\r\n" + strings.Repeat("ABC12345678\r\n", 1) + rows(10000), "at most 9999"},
	}
	for _, tt := range tests {
		errs := refund.CheckCAPEFile([]byte(tt.file), accepted)
		var b bytes.Buffer
		for _, e := range errs {
			fmt.Fprintln(&b, e)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: errors %q, want one with %q", tt.name, b.String(), tt.want)
		}
	}
}

func rows(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "ABD%07d1\r\n", i)
	}
	return b.String()
}

func FuzzCheckCAPEFile(f *testing.F) {
	f.Add([]byte("Entry Number\r\nABC12345678\r\n"))
	f.Add([]byte("Entry Number\nABC-1234567-8\nABC12345678\n"))
	f.Add([]byte("\"Entry Number\",x\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		errs := refund.CheckCAPEFile(b, nil)
		if len(errs) > 0 {
			return
		}
		// A file that passes is rewritten identically from its entries.
		lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
		d := refund.Declaration{Entries: lines[1:]}
		if again := refund.CheckCAPEFile(d.Bytes(), nil); len(again) > 0 {
			t.Fatalf("%q passes, its rewrite %q does not: %v", b, d.Bytes(), again)
		}
	})
}

func FuzzParseRates(f *testing.F) {
	f.Add(data.InterestRates)
	f.Add([]byte("version: 1\nquarters:\n  - {quarter: 2025Q1, noncorporate: 7%, corporate: 6%, source: x}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := refund.ParseRates(b)
		if err != nil {
			return
		}
		for i := 1; i < len(r.Quarters); i++ {
			if r.Quarters[i].Start() != r.Quarters[i-1].End() {
				t.Fatalf("gap after %s", r.Quarters[i-1].Name())
			}
		}
	})
}
