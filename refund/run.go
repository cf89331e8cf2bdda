package refund

import "github.com/levy-tariff/levy/date"

// Source yields entries one at a time (the ledger streams them).
type Source func(fn func(*Entry) error) error

// Run assesses every entry of src as of asOf, adds each to the summary and
// keeps the results keep accepts (nil keeps none), due-soon first.
func Run(src Source, asOf date.Date, opt Options, keep func(*Result) bool) (*Summary, []*Result, error) {
	x := NewAssess(opt)
	sum := NewSummary(asOf)
	var kept []*Result
	err := src(func(e *Entry) error {
		r := x.Entry(e, asOf)
		sum.Add(r)
		if keep != nil && keep(r) {
			kept = append(kept, r)
		} else {
			r.Lines = nil
		}
		return nil
	})
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
