package refund

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Assessor assesses one import line; *engine.Snapshot is one.
type Assessor interface {
	AssessInto(q *engine.Query, a *engine.Assessment) error
}

// Amounts are money by group.
type Amounts [8]money.Decimal

// Get returns the amount of a group.
func (a *Amounts) Get(g Group) money.Decimal { return a[groupIndex(g)] }

// Add adds d to group g.
func (a *Amounts) Add(g Group, d money.Decimal) {
	i := groupIndex(g)
	a[i], _ = a[i].Add(d)
}

// AddAll adds every group of b.
func (a *Amounts) AddAll(b *Amounts) {
	for i := range a {
		a[i], _ = a[i].Add(b[i])
	}
}

// Total sums every group.
func (a *Amounts) Total() money.Decimal {
	t := money.Zero
	for _, d := range a {
		t, _ = t.Add(d)
	}
	return t
}

// MarshalJSON writes the non-zero groups as an object of amounts.
func (a Amounts) MarshalJSON() ([]byte, error) {
	m := map[string]string{}
	for i, g := range Groups {
		if !a[i].IsZero() {
			m[string(g)] = money.Format(a[i])
		}
	}
	return json.Marshal(m)
}

func groupIndex(g Group) int {
	for i, x := range Groups {
		if x == g {
			return i
		}
	}
	return len(Groups) - 1
}

// Flag kinds of a reported HTS number that disagrees with levy.
const (
	FlagAmount  = "wrong-amount"    // same heading, different duty
	FlagMissing = "missing-heading" // levy reports a heading the entry does not
	FlagExtra   = "extra-heading"   // the entry reports a heading levy does not
	FlagUnknown = "cannot-assess"   // levy could not assess the line
)

// RowResult compares one HTS number of a line: what was paid on it, what
// levy says was owed as collected (known on the entry date) and as known on
// the as-of date.
type RowResult struct {
	HTS      string        `json:"hts"`
	Group    Group         `json:"group"`
	Reported bool          `json:"reported"`
	Paid     money.Decimal `json:"paid"`
	OwedThen money.Decimal `json:"owed_then"`
	OwedNow  money.Decimal `json:"owed_now"`
	Flag     string        `json:"flag,omitempty"`
	Note     string        `json:"note,omitempty"`
}

// LineResult is one entry summary line recomputed.
type LineResult struct {
	Line   int           `json:"line"`
	HTS    string        `json:"hts"`
	Origin string        `json:"origin"`
	Value  money.Decimal `json:"value"`
	Rows   []RowResult   `json:"rows"`
	Error  string        `json:"error,omitempty"`
}

// Result is one entry read three ways (paid, owed as collected, owed as
// known on the as-of date), routed, clocked and with interest.
type Result struct {
	Entry *Entry    `json:"-"`
	AsOf  date.Date `json:"as_of"`
	Route Route     `json:"route"`
	// Paid, OwedThen and OwedNow by group.
	Paid     Amounts `json:"paid"`
	OwedThen Amounts `json:"owed_then"`
	OwedNow  Amounts `json:"owed_now"`
	// Refundable is the IEEPA principal deposited: what CAPE refunds.
	Refundable money.Decimal `json:"refundable"`
	// ContestedS122 and ContestedFL301 were paid under contested measures:
	// shown apart, never added to the refund.
	ContestedS122  money.Decimal `json:"contested_s122"`
	ContestedFL301 money.Decimal `json:"contested_fl301"`
	// Overpaid is duty paid above what levy says was owed as collected on
	// non-IEEPA headings (money left on the table: PSC or protest);
	// Underpaid the reverse (a risk).
	Overpaid  money.Decimal `json:"overpaid"`
	Underpaid money.Decimal `json:"underpaid"`
	Lines     []LineResult  `json:"lines,omitempty"`
	Flagged   int           `json:"flagged_rows"`
	// Complete is false when some line could not be assessed.
	Complete bool `json:"complete"`
	// Interest on Refundable, with the assumptions it rests on.
	Interest    Interest `json:"interest"`
	Assumptions []string `json:"assumptions,omitempty"`
	// Received sums what CBP reported refunded (ES-022) and the difference
	// with levy's figures (received - levy).
	ReceivedPrincipal money.Decimal `json:"received_principal"`
	ReceivedInterest  money.Decimal `json:"received_interest"`
	PrincipalDiff     money.Decimal `json:"principal_difference"`
	InterestDiff      money.Decimal `json:"interest_difference"`
	Status            string        `json:"status"`
}

// Options configure Assess.
type Options struct {
	Snapshot Assessor
	Headings Headings
	Rates    *Rates
	Interest InterestOptions
	// DepositLag is the number of days after the entry date assumed for the
	// deposit when the report gives no deposit date.
	DepositLag int
	// KeepLines keeps the line-by-line comparison in the result.
	KeepLines bool
	// Workers is how many goroutines Run assesses with (default: GOMAXPROCS).
	Workers int
}

// Assessor state reused across entries; not safe for concurrent use.
type assessState struct {
	then, now engine.Assessment
	q         engine.Query
}

// Assess recomputes every entry as of asOf. It holds per-call scratch space
// and is not safe for concurrent use; give each goroutine its own.
type Assess struct {
	opt Options
	st  assessState
}

// NewAssess returns an assessor of entries.
func NewAssess(opt Options) *Assess { return &Assess{opt: opt} }

// Entry reads one entry.
func (x *Assess) Entry(e *Entry, asOf date.Date) *Result {
	r := &Result{Entry: e, AsOf: asOf, Complete: true, Interest: Interest{From: date.None, To: date.None, Complete: true}}
	for _, ln := range groupLines(e.Rows) {
		lr := x.line(e, ln, asOf, r)
		if x.opt.KeepLines {
			r.Lines = append(r.Lines, lr)
		}
	}
	r.Refundable = r.Paid.Get(IEEPA)
	r.ContestedS122 = r.Paid.Get(S122)
	r.ContestedFL301 = r.Paid.Get(FL301)
	r.Route = RouteOf(e, r.Refundable.IsPos(), asOf)
	x.interest(e, r, asOf)
	for _, rc := range e.Refunds {
		r.ReceivedPrincipal, _ = r.ReceivedPrincipal.Add(rc.Principal)
		r.ReceivedInterest, _ = r.ReceivedInterest.Add(rc.Interest)
	}
	if len(e.Refunds) > 0 {
		r.PrincipalDiff, _ = r.ReceivedPrincipal.Sub(r.Refundable)
		r.InterestDiff, _ = r.ReceivedInterest.Sub(r.Interest.Amount)
	}
	r.Status = statusOf(e, r)
	pad(&r.Refundable, &r.ContestedS122, &r.ContestedFL301, &r.Overpaid, &r.Underpaid, &r.ReceivedPrincipal,
		&r.ReceivedInterest, &r.PrincipalDiff, &r.InterestDiff, &r.Interest.Amount, &r.Interest.Principal)
	if e.Estimated {
		r.Assumptions = append(r.Assumptions, "duty paid estimated by levy from the line list (no ACE report imported for this entry)")
	}
	return r
}

func statusOf(e *Entry, r *Result) string {
	switch {
	case len(e.Refunds) > 0:
		return "refunded"
	case r.Route.Phase == NoIEEPA:
		return "nothing to claim"
	}
	for _, d := range e.Declarations {
		if d.Status == DeclAccepted {
			return "declared (accepted " + d.ID + ")"
		}
	}
	for _, d := range e.Declarations {
		if d.Status == DeclPrepared {
			return "declared (prepared " + d.ID + ")"
		}
	}
	if r.Route.Phase == Phase1 || r.Route.Phase == Phase2 {
		return "to declare"
	}
	return "outside CAPE"
}

func (x *Assess) interest(e *Entry, r *Result, asOf date.Date) {
	if !r.Refundable.IsPos() || x.opt.Rates == nil {
		return
	}
	from := e.Deposit
	if from == date.None {
		from = e.Date.AddDays(x.opt.DepositLag)
		r.Assumptions = append(r.Assumptions, fmt.Sprintf("deposit date not in the report: assumed the entry date + %d days (%s)", x.opt.DepositLag, from))
	}
	to := asOf
	switch {
	case e.LiqStatus == Reliquidated && e.LiqDate != date.None:
		to = e.LiqDate
	case e.Liquidated() && e.LiqDate != date.None && len(e.Refunds) > 0:
		to = e.LiqDate
	default:
		r.Assumptions = append(r.Assumptions, fmt.Sprintf("no reliquidation date yet: interest accrued to %s", asOf))
	}
	r.Interest = x.opt.Rates.Compute(r.Refundable, from, to, x.opt.Interest)
}

// summaryLine is the rows of one entry summary line.
type summaryLine struct {
	number int
	rows   []Row
}

func groupLines(rows []Row) []summaryLine {
	var out []summaryLine
	idx := map[int]int{}
	for _, rw := range rows {
		i, ok := idx[rw.Line]
		if !ok {
			i = len(out)
			idx[rw.Line] = i
			out = append(out, summaryLine{number: rw.Line})
		}
		out[i].rows = append(out[i].rows, rw)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

// baseRow is the chapter 1-97 number of a line: the first one that is
// neither chapter 98 nor 99.
func baseRow(rows []Row) (Row, bool) {
	for _, rw := range rows {
		if !strings.HasPrefix(rw.HTS, "98") && !strings.HasPrefix(rw.HTS, "99") {
			return rw, true
		}
	}
	return Row{}, false
}

const baseKey = "base"

// owed sums an assessment's duty by heading key and remembers each key's
// group and the zero-rate headings it reports.
type owed struct {
	amount map[string]money.Decimal
	group  map[string]Group
}

func owedOf(a *engine.Assessment) owed {
	o := owed{amount: map[string]money.Decimal{}, group: map[string]Group{}}
	for _, l := range a.Layers {
		k, g := baseKey, Base
		if l.Kind != engine.BaseLayer {
			k, g = Heading8(l.Heading), GroupOf(l.Family)
		}
		o.amount[k], _ = o.amount[k].Add(l.Amount)
		o.group[k] = g
	}
	for _, h := range a.Report {
		k := Heading8(h)
		if _, ok := o.amount[k]; !ok {
			o.amount[k] = money.Zero
		}
	}
	return o
}

func (x *Assess) line(e *Entry, ln summaryLine, asOf date.Date, r *Result) LineResult {
	lr := LineResult{Line: ln.number}
	paid := map[string]money.Decimal{}
	groups := map[string]Group{}
	var order []string
	for _, rw := range ln.rows {
		k, g := baseKey, Base
		if IsChapter99(rw.HTS) {
			k, g = Heading8(rw.HTS), x.opt.Headings.GroupOfHTS(rw.HTS)
		}
		if _, ok := paid[k]; !ok {
			order = append(order, k)
		}
		paid[k], _ = paid[k].Add(rw.Duty)
		groups[k] = g
		r.Paid.Add(g, rw.Duty)
	}
	base, ok := baseRow(ln.rows)
	if !ok {
		lr.Error = "no chapter 1-97 number on this line: levy cannot assess it"
		r.Complete = false
		r.Flagged++
		lr.Rows = rowsPaidOnly(order, paid, groups)
		return lr
	}
	lr.HTS, lr.Origin, lr.Value = base.HTS, base.Origin, base.Value
	for _, rw := range ln.rows {
		if rw.Value.IsPos() && lr.Value.IsZero() {
			lr.Value = rw.Value
		}
	}
	then, err1 := x.assess(e, base, lr.Value, e.Date, &x.st.then)
	now, err2 := x.assess(e, base, lr.Value, asOf, &x.st.now)
	if err := firstErr(err1, err2); err != nil {
		lr.Error = err.Error()
		r.Complete = false
		r.Flagged++
		lr.Rows = rowsPaidOnly(order, paid, groups)
		return lr
	}
	for k, g := range then.group {
		if _, ok := groups[k]; !ok {
			groups[k] = g
		}
	}
	for k, g := range now.group {
		if _, ok := groups[k]; !ok {
			groups[k] = g
		}
	}
	for k := range then.amount {
		if _, ok := groups[k]; !ok {
			groups[k] = x.opt.Headings.GroupOfHTS(k)
		}
	}
	keys := append([]string(nil), order...)
	for _, k := range sortedKeys(then.amount) {
		if _, ok := paid[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		rr := RowResult{HTS: k, Group: groups[k], Paid: paid[k], OwedThen: then.amount[k], OwedNow: now.amount[k]}
		if k == baseKey {
			rr.HTS = base.HTS
		}
		_, rr.Reported = paid[k]
		_, levyHas := then.amount[k]
		switch {
		case rr.Reported && levyHas && !rr.Paid.Equal(rr.OwedThen):
			rr.Flag = FlagAmount
			rr.Note = fmt.Sprintf("paid %s, levy says %s was owed as collected", money.Format(rr.Paid), money.Format(rr.OwedThen))
		case rr.Reported && !levyHas && rr.Paid.IsZero():
			rr.Note = "reported at zero; levy does not report this heading for this line"
		case rr.Reported && !levyHas:
			rr.Flag = FlagExtra
			rr.Note = "reported and paid; levy reports no such heading for this line as the law stood on the entry date"
		case !rr.Reported && rr.OwedThen.IsZero():
			rr.Note = "levy also reports this heading at zero (an exemption or in-transit heading); the entry does not"
		case !rr.Reported:
			rr.Flag = FlagMissing
			rr.Note = fmt.Sprintf("levy says %s was owed under this heading as collected; the entry does not report it", money.Format(rr.OwedThen))
		}
		if rr.Flag != "" {
			r.Flagged++
		}
		if rr.Group != IEEPA {
			d, _ := rr.Paid.Sub(rr.OwedThen)
			if d.IsPos() {
				r.Overpaid, _ = r.Overpaid.Add(d)
			} else if d.IsNeg() {
				r.Underpaid, _ = r.Underpaid.Add(d.Neg())
			}
		}
		r.OwedThen.Add(rr.Group, rr.OwedThen)
		r.OwedNow.Add(rr.Group, rr.OwedNow)
		lr.Rows = append(lr.Rows, rr)
	}
	return lr
}

func rowsPaidOnly(order []string, paid map[string]money.Decimal, groups map[string]Group) []RowResult {
	var out []RowResult
	for _, k := range order {
		out = append(out, RowResult{HTS: k, Group: groups[k], Reported: true, Paid: paid[k], Flag: FlagUnknown})
	}
	return out
}

func (x *Assess) assess(e *Entry, base Row, value money.Decimal, knownOn date.Date, a *engine.Assessment) (owed, error) {
	q := &x.st.q
	*q = engine.Query{HTS: base.HTS, Origin: base.Origin, EntryDate: e.Date, KnownOn: knownOn, Value: value,
		Quantity: base.Quantity, Unit: base.Unit, ExportDate: date.None}
	if err := x.opt.Snapshot.AssessInto(q, a); err != nil {
		return owed{}, fmt.Errorf("line %s (%s from %s): %w", base.HTS, money.Format(value), base.Origin, err)
	}
	return owedOf(a), nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func sortedKeys(m map[string]money.Decimal) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// pad writes amounts with two decimals, so that JSON prints 0.00, not 0.
func pad(ds ...*money.Decimal) {
	for _, d := range ds {
		*d = money.Cents(*d)
	}
}
