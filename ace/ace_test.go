package ace_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/money"
)

var asOf = date.MustParse("2026-11-01")

func readAll(t *testing.T, text string, opt ace.Options) ([]ledger.Record, []error, error) {
	t.Helper()
	if opt.AsOf == 0 {
		opt.AsOf = asOf
	}
	r, err := ace.NewReader(strings.NewReader(text), opt)
	if err != nil {
		return nil, nil, err
	}
	var recs []ledger.Record
	var bad []error
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, bad, nil
		}
		var re *ledger.RowError
		if errors.As(err, &re) {
			bad = append(bad, err)
			continue
		}
		if err != nil {
			return recs, bad, err
		}
		recs = append(recs, rec)
	}
}

func TestHeaderVariants(t *testing.T) {
	for _, head := range []string{
		"Entry Number,Entry Type,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount,Liquidation Status,Liquidation Date",
		"\ufeffENTRY NUMBER,entry type,ENTRY_DATE,Importer of Record Number, Line No. ,HTS No.,COO,Entered Value,Line Duty Amount,Liq Status,Liq Date",
		"entry_no,entry_type_code,date of entry,IOR Number,line,HTSUS Number,Country Of Origin Code,Line Entered Value ($),Duty Amount ($),Liquidation Status,Liquidation Date",
	} {
		text := head + "\nABC-1234567-8,1,06/02/2025,12-3456789AB,1,9503.00.00.90,cn,\"$10,000.00\",0,Liquidated,10/15/2025\n" +
			"abc12345678,01,2025-06-02,12-3456789ab,1,9903.01.24,,,\"2,000.00\",liquidated,2025-10-15\n"
		recs, bad, err := readAll(t, text, ace.Options{})
		if err != nil || len(bad) > 0 || len(recs) != 2 {
			t.Fatalf("header %q: %d records, bad %v, err %v", head, len(recs), bad, err)
		}
		e, row := recs[0].Entry, recs[0].Row
		if e.Number != "ABC12345678" || e.Type != "01" || e.Date != date.MustParse("2025-06-02") || e.Importer != "12-3456789AB" ||
			e.LiqStatus != "liquidated" || e.LiqDate != date.MustParse("2025-10-15") || row.HTS != "9503000090" || row.Origin != "CN" ||
			money.Format(row.Value) != "10000.00" || row.Line != 1 {
			t.Errorf("header %q: read %+v %+v", head, e, row)
		}
		if money.Format(recs[1].Row.Duty) != "2000.00" || recs[1].Row.HTS != "99030124" {
			t.Errorf("header %q: chapter 99 row %+v", head, recs[1].Row)
		}
	}
}

func TestMap(t *testing.T) {
	text := "Summary No,Filed,IOR,Ln,Tariff Item,Origin Ctry,Val,Paid\nABC12345678,06/02/2025,X1,1,9503000090,CN,100,0\n"
	m, err := ace.ParseMap([]string{"entry_number=Summary No,entry_date=Filed", "importer=IOR", "line_number=Ln,hts=Tariff Item,origin=Origin Ctry,value=Val,duty=Paid"})
	if err != nil {
		t.Fatal(err)
	}
	recs, bad, err := readAll(t, text, ace.Options{Map: m, Kind: ace.ES003})
	if err != nil || len(bad) > 0 || len(recs) != 1 || recs[0].Entry.Importer != "X1" {
		t.Fatalf("records %+v, bad %v, err %v", recs, bad, err)
	}
	if _, err := ace.ParseMap([]string{"entry=Summary No"}); err == nil {
		t.Error("an unknown field was accepted in --map")
	}
	if _, err := ace.NewReader(strings.NewReader(text), ace.Options{Map: map[ace.Field]string{ace.FEntry: "Nope"}}); err == nil || !strings.Contains(err.Error(), "no such column") {
		t.Errorf("--map of a missing column: %v", err)
	}
}

func TestMissingColumn(t *testing.T) {
	_, _, err := readAll(t, "Entry Number,Entry Date,Importer Number,HTS Number,Line Entered Value,Duty Amount\n", ace.Options{})
	if err == nil || !strings.Contains(err.Error(), "line_number") || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("missing Line Number: %v", err)
	}
	_, _, err = readAll(t, "Foo,Bar\n1,2\n", ace.Options{})
	if err == nil || !strings.Contains(err.Error(), "not a report levy reads") {
		t.Errorf("unknown layout: %v", err)
	}
	_, _, err = readAll(t, "", ace.Options{})
	if err == nil {
		t.Error("an empty file was accepted")
	}
}

const head = "Entry Number,Entry Type,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount,Liquidation Status,Liquidation Date\n"

func TestBadRows(t *testing.T) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := lv.RefundOptions()
	check := lv.CheckHTS(opt.Headings)
	tests := []struct{ name, row, want string }{
		{"entry number", "ABC-123456-8,01,06/02/2025,X,1,9503000090,CN,100,0,Unliquidated,", `line 2: column "Entry Number": entry number "ABC-123456-8": has 10 characters`},
		{"unknown HTS", "ABC12345678,01,06/02/2025,X,1,9503009999,CN,100,0,Unliquidated,", `line 2: column "HTS Number":`},
		{"unknown chapter 99", "ABC12345678,01,06/02/2025,X,1,9903.99.99,,0,10,Unliquidated,", "9903.99.99 is neither in the schedule nor in levy's rules"},
		{"HTS digits", "ABC12345678,01,06/02/2025,X,1,9503,CN,100,0,Unliquidated,", "8 or 10 digits"},
		{"future entry", "ABC12345678,01,12/02/2026,X,1,9503000090,CN,100,0,Unliquidated,", "2026-12-02 is in the future (after 2026-11-01)"},
		{"future liquidation", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Liquidated,12/01/2026", "in the future"},
		{"liquidated before entry", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Liquidated,01/01/2025", "before the entry date"},
		{"liquidated without a date", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Liquidated,", "needs its liquidation date"},
		{"bad date", "ABC12345678,01,13/45/2025,X,1,9503000090,CN,100,0,Unliquidated,", `"13/45/2025" is not a date`},
		{"bad amount", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,ten,0,Unliquidated,", `column "Line Entered Value": "ten" is not an amount`},
		{"negative duty", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,-5,Unliquidated,", "negative"},
		{"country", "ABC12345678,01,06/02/2025,X,1,9503000090,XX,100,0,Unliquidated,", `column "Country of Origin"`},
		{"no origin", "ABC12345678,01,06/02/2025,X,1,9503000090,,100,0,Unliquidated,", "country of origin is required"},
		{"status", "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Maybe,", `liquidation status "Maybe"`},
		{"line", "ABC12345678,01,06/02/2025,X,x,9503000090,CN,100,0,Unliquidated,", "is not a line number"},
		{"importer", "ABC12345678,01,06/02/2025,,1,9503000090,CN,100,0,Unliquidated,", "importer of record is required"},
		{"fields", "ABC12345678,01,06/02/2025,X,1", "5 fields; the header has 11"},
		{"type", "ABC12345678,XX,06/02/2025,X,1,9503000090,CN,100,0,Unliquidated,", "not an entry type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, bad, err := readAll(t, head+tt.row+"\n", ace.Options{CheckHTS: check})
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) != 1 || !strings.Contains(bad[0].Error(), tt.want) {
				t.Errorf("errors %v, want one with %q", bad, tt.want)
			}
		})
	}
}

func TestBrokenFileHalfWay(t *testing.T) {
	text := head + "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Unliquidated,\n" +
		"ABC12345678,01,06/02/2025,X,2,9503000090,CN,\"100,0,Unliquidated,\n"
	recs, bad, err := readAll(t, text, ace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || len(bad) != 1 || !strings.Contains(bad[0].Error(), "line 3") || !strings.Contains(bad[0].Error(), "broken CSV") {
		t.Errorf("records %d, errors %v; want 1 record and a broken-CSV error on line 3", len(recs), bad)
	}
}

func TestBatchEstimate(t *testing.T) {
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := lv.Snapshot("")
	// Chinese toys entered 2025-06-02: MFN Free, 9903.01.24 20%, 9903.01.25 10% (worked case reasoning in refund/testdata/cases).
	text := "id,entry_id,hts,origin,entry_date,value\n1,ABC-1234567-8,9503.00.00.90,CN,2025-06-02,10000\n2,ABC-1234567-8,9503.00.00.90,XX,2025-06-02,10000\n"
	if _, bad, _ := readAll(t, text, ace.Options{Snapshot: snap}); len(bad) != 2 || !strings.Contains(bad[0].Error(), "--importer") {
		t.Errorf("batch rows without an importer: %v", bad)
	}
	recs, bad, err := readAll(t, text, ace.Options{Snapshot: snap, Importer: "ior1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		if r.Entry.Importer != "IOR1" {
			t.Errorf("importer %q, want IOR1 from --importer", r.Entry.Importer)
		}
		if !r.Entry.Estimated {
			t.Error("batch rows must be marked estimated")
		}
		got = append(got, r.Row.HTS+"="+money.Format(r.Row.Duty))
	}
	if strings.Join(got, " ") != "9503000090=0.00 99030124=2000.00 99030125=1000.00" {
		t.Errorf("estimated rows %v", got)
	}
	if len(bad) != 1 || !strings.Contains(bad[0].Error(), "line 3") {
		t.Errorf("errors %v, want the bad country on line 3", bad)
	}
}

func TestRefundReports(t *testing.T) {
	r, err := ace.NewReader(strings.NewReader("CAPE Declaration Number,Entry Number,Refund Number,Refund Principal Amount,Refund Interest Amount\nD1,ABC-1234567-8,R1,\"$2,000.00\",60.00\n,ABC-12,R2,1,1\n"), ace.Options{AsOf: asOf})
	if err != nil || r.Kind != ace.ES022 {
		t.Fatalf("ES-022: %v %v", r, err)
	}
	rec, err := r.NextRefund()
	if err != nil || rec.Refund.Entry != "ABC12345678" || money.Format(rec.Refund.Principal) != "2000.00" || rec.Refund.Declaration != "D1" {
		t.Errorf("ES-022 row %+v, %v", rec, err)
	}
	if _, err := r.NextRefund(); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("bad ES-022 row: %v", err)
	}
	r, err = ace.NewReader(strings.NewReader("Refund Number,Refund Secondary Status,Status Date\nR1,Treasury Issued,07/01/2026\n"), ace.Options{AsOf: asOf})
	if err != nil || r.Kind != ace.REV603 {
		t.Fatalf("REV-603: %v %v", r, err)
	}
	rec, err = r.NextRefund()
	if err != nil || !rec.StatusOnly || rec.Refund.Status != "Treasury Issued" || rec.Refund.Date != date.MustParse("2026-07-01") {
		t.Errorf("REV-603 row %+v, %v", rec, err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(head + "ABC12345678,01,06/02/2025,X,1,9503000090,CN,100,0,Unliquidated,\n")
	f.Add("Refund Number,Refund Secondary Status\nR1,Treasury Issued\n")
	f.Add("Entry Number,Refund Number,Principal,Interest\nABC12345678,R1,1,1\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ace.NewReader(strings.NewReader(s), ace.Options{AsOf: asOf})
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			var err error
			if r.Kind == ace.ES022 || r.Kind == ace.REV603 {
				_, err = r.NextRefund()
			} else {
				var rec ledger.Record
				rec, err = r.Next()
				if err == nil && (len(rec.Entry.Number) != 11 || rec.Entry.Date == date.None) {
					t.Fatalf("accepted a record without entry number or date: %+v", rec)
				}
			}
			var re *ledger.RowError
			if err == io.EOF || err != nil && !errors.As(err, &re) {
				return
			}
		}
	})
}

func BenchmarkES003(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(head)
	for i := 0; i < 1000; i++ {
		sb.WriteString("ABC12345678,01,06/02/2025,12-3456789AB,1,9503000090,CN,\"10,000.00\",0,Liquidated,10/15/2025\n")
	}
	text := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r, _ := ace.NewReader(strings.NewReader(text), ace.Options{AsOf: asOf})
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			}
		}
	}
}
