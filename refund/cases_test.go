package refund_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/ledger/ledgertest"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

type expectedCase struct {
	Entry     string `yaml:"entry"`
	Reasoning string `yaml:"reasoning"`
	Phase     string `yaml:"phase"`
	Next      *struct {
		Name     string `yaml:"name"`
		Date     string `yaml:"date"`
		DaysLeft int    `yaml:"days_left"`
	} `yaml:"next"`
	Paid           map[string]string `yaml:"paid"`
	OwedThen       map[string]string `yaml:"owed_then"`
	OwedNow        map[string]string `yaml:"owed_now"`
	Refundable     string            `yaml:"refundable"`
	ContestedS122  string            `yaml:"contested_s122"`
	ContestedFL301 string            `yaml:"contested_fl301"`
	Overpaid       string            `yaml:"overpaid"`
	Underpaid      string            `yaml:"underpaid"`
	Flags          int               `yaml:"flags"`
	Interest       string            `yaml:"interest"`
	InterestDays   int               `yaml:"interest_days"`
	RecvPrincipal  string            `yaml:"received_principal"`
	RecvInterest   string            `yaml:"received_interest"`
	PrincipalDiff  string            `yaml:"principal_difference"`
	InterestDiff   string            `yaml:"interest_difference"`
	Status         string            `yaml:"status"`
}

type expectedFile struct {
	AsOf    string         `yaml:"as_of"`
	Entries []expectedCase `yaml:"entries"`
	Totals  struct {
		Entries        int      `yaml:"entries"`
		Refundable     string   `yaml:"refundable"`
		ContestedS122  string   `yaml:"contested_s122"`
		ContestedFL301 string   `yaml:"contested_fl301"`
		Due            []string `yaml:"due"`
	} `yaml:"totals"`
}

// TestHandWorkedCases imports the hand-worked ledger (testdata/cases) into
// SQLite and PostgreSQL through the ES-003 and ES-022 readers and checks
// every figure of every entry to the cent.
func TestHandWorkedCases(t *testing.T) {
	b, err := os.ReadFile("testdata/cases/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var exp expectedFile
	dec := yaml.NewDecoder(bytesReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&exp); err != nil {
		t.Fatal(err)
	}
	asOf := date.MustParse(exp.AsOf)
	lv, err := levy.Load(levy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := lv.RefundOptions()
	if err != nil {
		t.Fatal(err)
	}
	opt.Interest = refund.InterestOptions{Corporate: true}
	for _, dialect := range ledgertest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			l := ledgertest.Open(t, dialect)
			ctx := context.Background()
			for _, f := range []string{"es003.csv", "es022.csv"} {
				importFile(t, l, filepath.Join("testdata/cases", f), ace.Options{AsOf: asOf, CheckHTS: lv.CheckHTS(opt.Headings)})
			}
			src := func(fn func(*refund.Entry) error) error { return l.Entries(ctx, ledger.Filter{}, fn) }
			sum, rs, err := refund.Run(src, asOf, opt, func(*refund.Result) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*refund.Result{}
			for _, r := range rs {
				got[r.Entry.Number] = r
			}
			for _, c := range exp.Entries {
				t.Run(c.Entry, func(t *testing.T) { checkCase(t, c, got[c.Entry]) })
			}
			if sum.Total.Entries != exp.Totals.Entries {
				t.Errorf("entries = %d, want %d", sum.Total.Entries, exp.Totals.Entries)
			}
			eqMoney(t, "total refundable", sum.Total.Refundable, exp.Totals.Refundable)
			eqMoney(t, "total contested s122", sum.Total.S122, exp.Totals.ContestedS122)
			eqMoney(t, "total contested fl301", sum.Total.FL301, exp.Totals.ContestedFL301)
			// One worker or several: the same summary and order.
			one := opt
			one.Workers = 1
			sum1, rs1, err := refund.Run(src, asOf, one, func(*refund.Result) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(sum)
			b, _ := json.Marshal(sum1)
			if string(a) != string(b) || len(rs1) != len(rs) || rs1[0].Entry.Number != rs[0].Entry.Number {
				t.Errorf("one worker gives another summary:\n%s\n%s", b, a)
			}
			var due []string
			for _, d := range sum.Due {
				due = append(due, d.Entry)
			}
			if len(due) != len(exp.Totals.Due) || (len(due) > 0 && due[0] != exp.Totals.Due[0]) {
				t.Errorf("due = %v, want %v", due, exp.Totals.Due)
			}
		})
	}
}

func checkCase(t *testing.T, c expectedCase, r *refund.Result) {
	if r == nil {
		t.Fatalf("entry %s not in the ledger", c.Entry)
	}
	if string(r.Route.Phase) != c.Phase {
		t.Errorf("phase = %s (%s), want %s", r.Route.Phase, r.Route.Reason, c.Phase)
	}
	switch {
	case c.Next == nil && r.Route.Next != nil:
		t.Errorf("next deadline = %+v, want none", *r.Route.Next)
	case c.Next != nil && r.Route.Next == nil:
		t.Errorf("no next deadline, want %+v", *c.Next)
	case c.Next != nil:
		n := r.Route.Next
		if n.Name != c.Next.Name || n.Date.String() != c.Next.Date || n.DaysLeft != c.Next.DaysLeft {
			t.Errorf("next deadline = %s %s (%d days), want %s %s (%d days)", n.Name, n.Date, n.DaysLeft, c.Next.Name, c.Next.Date, c.Next.DaysLeft)
		}
	}
	eqAmounts(t, "paid", &r.Paid, c.Paid)
	eqAmounts(t, "owed then", &r.OwedThen, c.OwedThen)
	eqAmounts(t, "owed now", &r.OwedNow, c.OwedNow)
	eqMoney(t, "refundable", r.Refundable, c.Refundable)
	eqMoney(t, "contested s122", r.ContestedS122, c.ContestedS122)
	eqMoney(t, "contested fl301", r.ContestedFL301, c.ContestedFL301)
	eqMoney(t, "overpaid", r.Overpaid, c.Overpaid)
	eqMoney(t, "underpaid", r.Underpaid, c.Underpaid)
	eqMoney(t, "interest", r.Interest.Amount, c.Interest)
	if c.InterestDays != 0 && r.Interest.Days != c.InterestDays {
		t.Errorf("interest days = %d, want %d", r.Interest.Days, c.InterestDays)
	}
	if r.Flagged != c.Flags {
		t.Errorf("flagged rows = %d, want %d", r.Flagged, c.Flags)
	}
	if c.RecvPrincipal != "" {
		eqMoney(t, "received principal", r.ReceivedPrincipal, c.RecvPrincipal)
		eqMoney(t, "received interest", r.ReceivedInterest, c.RecvInterest)
		eqMoney(t, "principal difference", r.PrincipalDiff, c.PrincipalDiff)
		eqMoney(t, "interest difference", r.InterestDiff, c.InterestDiff)
	}
	if r.Status != c.Status {
		t.Errorf("status = %q, want %q", r.Status, c.Status)
	}
	if t.Failed() {
		t.Logf("reasoning: %s", c.Reasoning)
		for _, ln := range r.Lines {
			t.Logf("line %d %s: %+v %s", ln.Line, ln.HTS, ln.Rows, ln.Error)
		}
	}
}

func eqMoney(t *testing.T, what string, got money.Decimal, want string) {
	t.Helper()
	if want == "" {
		want = "0.00"
	}
	if money.Format(got) != want {
		t.Errorf("%s = %s, want %s", what, money.Format(got), want)
	}
}

func eqAmounts(t *testing.T, what string, got *refund.Amounts, want map[string]string) {
	t.Helper()
	for _, g := range refund.Groups {
		eqMoney(t, what+" "+string(g), got.Get(g), want[string(g)])
	}
}

func importFile(t *testing.T, l *ledger.DB, path string, opt ace.Options) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ace.NewReader(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	switch r.Kind {
	case ace.ES022, ace.REV603:
		_, err = l.ImportRefunds(ctx, string(r.Kind), path, "2026-11-01T00:00:00Z", r.NextRefund)
	default:
		_, err = l.ImportEntries(ctx, string(r.Kind), path, "2026-11-01T00:00:00Z", r.Next)
	}
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
}
