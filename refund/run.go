package refund

import (
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Source yields entries one at a time (the ledger streams them).
type Source func(fn func(*Entry) error) error

// Run assesses every entry of src as of asOf on every core, adds each to
// the summary and keeps the results keep accepts (nil keeps none), due-soon
// first. The summary and the order of the results do not depend on the
// number of workers: sums are exact and every ordering has a full
// tie-break.
func Run(src Source, asOf date.Date, opt Options, keep func(*Result) bool) (*Summary, []*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sum := NewSummary(asOf)
	var kept []*Result
	var mu sync.Mutex
	add := func(r *Result) {
		k := keep != nil && keep(r)
		if !k {
			r.Lines = nil
		}
		mu.Lock()
		sum.Add(r)
		if k {
			kept = append(kept, r)
		}
		mu.Unlock()
	}
	var err error
	if workers == 1 {
		x := NewAssess(opt)
		err = src(func(e *Entry) error { add(x.Entry(e, asOf)); return nil })
	} else {
		in := make(chan *Entry, 64*workers)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x := NewAssess(opt)
				for e := range in {
					add(x.Entry(e, asOf))
				}
			}()
		}
		err = src(func(e *Entry) error { in <- e; return nil })
		close(in)
		wg.Wait()
	}
	if err != nil {
		return nil, nil, err
	}
	SortDueFirst(kept)
	return sum.Finish(), kept, nil
}

// View is an entry with its result, as the CLI's --json and the API print it.
type View struct {
	Entry        string           `json:"entry"`
	Importer     string           `json:"importer"`
	Filer        string           `json:"filer"`
	Type         string           `json:"type,omitempty"`
	EntryDate    date.Date        `json:"entry_date"`
	Port         string           `json:"port,omitempty"`
	LiqStatus    string           `json:"liquidation_status,omitempty"`
	LiqDate      date.Date        `json:"liquidation_date"`
	Deposit      date.Date        `json:"deposit_date"`
	Flags        Flags            `json:"flags"`
	Estimated    bool             `json:"estimated,omitempty"`
	Refunds      []Received       `json:"refunds,omitempty"`
	Declarations []DeclarationRef `json:"declarations,omitempty"`
	*Result
}

// ViewOf pairs a result with its entry.
func ViewOf(r *Result) View {
	e := r.Entry
	return View{Entry: e.Number, Importer: e.Importer, Filer: e.Filer, Type: e.Type, EntryDate: e.Date, Port: e.Port,
		LiqStatus: e.LiqStatus, LiqDate: e.LiqDate, Deposit: e.Deposit, Flags: e.Flags, Estimated: e.Estimated,
		Refunds: e.Refunds, Declarations: e.Declarations, Result: r}
}

// CSVColumns are the columns of the per-entry CSV report (levy refunds
// report --csv, GET /v1/refunds/entries?format=csv).
var CSVColumns = []string{"entry", "importer", "filer", "entry_type", "entry_date", "liquidation_status", "liquidation_date", "route", "reason",
	"next_deadline", "next_deadline_date", "days_left", "paid", "paid_base", "paid_ieepa", "paid_s122", "paid_s232", "paid_s301", "paid_s301_forced_labor",
	"paid_other", "owed_then", "owed_now", "refundable", "interest", "interest_from", "interest_to", "contested_s122", "contested_fl301",
	"overpaid", "underpaid", "flagged_rows", "complete", "received_principal", "received_interest", "principal_difference", "interest_difference",
	"status", "assumptions"}

// CSVRecord is the result as one row of CSVColumns; money has two decimals.
func (r *Result) CSVRecord() []string {
	e, f := r.Entry, money.Format
	next, nextDate, left := "", "", ""
	if r.Route.Next != nil {
		next, nextDate, left = r.Route.Next.Name, r.Route.Next.Date.String(), strconv.Itoa(r.Route.Next.DaysLeft)
	}
	other, _ := r.Paid.Get(Other).Add(r.Paid.Get(Unknown))
	return []string{e.Number, e.Importer, e.Filer, e.Type, e.Date.String(), e.LiqStatus, e.LiqDate.String(), string(r.Route.Phase), r.Route.Reason,
		next, nextDate, left, f(r.Paid.Total()), f(r.Paid.Get(Base)), f(r.Paid.Get(IEEPA)), f(r.Paid.Get(S122)),
		f(r.Paid.Get(S232)), f(r.Paid.Get(S301)), f(r.Paid.Get(FL301)), f(other),
		f(r.OwedThen.Total()), f(r.OwedNow.Total()), f(r.Refundable), f(r.Interest.Amount), r.Interest.From.String(), r.Interest.To.String(),
		f(r.ContestedS122), f(r.ContestedFL301), f(r.Overpaid), f(r.Underpaid), strconv.Itoa(r.Flagged), strconv.FormatBool(r.Complete),
		f(r.ReceivedPrincipal), f(r.ReceivedInterest), f(r.PrincipalDiff), f(r.InterestDiff), r.Status, strings.Join(r.Assumptions, "; ")}
}
