package refund

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Quarter is one calendar quarter's overpayment interest rates, in percent a year.
type Quarter struct {
	Year, Q      int
	NonCorporate money.Decimal
	Corporate    money.Decimal
	Source       string
	Confidence   string
	start, end   date.Date
}

// Name prints the quarter as 2026Q2.
func (q Quarter) Name() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Start is the quarter's first day.
func (q Quarter) Start() date.Date {
	if q.start != 0 {
		return q.start
	}
	return date.Of(time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC))
}

// End is the day after the quarter's last day.
func (q Quarter) End() date.Date {
	if q.end != 0 {
		return q.end
	}
	if q.Q == 4 {
		return Quarter{Year: q.Year + 1, Q: 1}.Start()
	}
	return Quarter{Year: q.Year, Q: q.Q + 1}.Start()
}

// Rates is the table of quarterly rates, consecutive and sorted. It is safe
// for concurrent use.
type Rates struct {
	Quarters []Quarter
	// factors caches (1 + rate/days-in-year)^n by rate, year length and n:
	// a ledger has few distinct ones and each costs a big-number power.
	factors sync.Map
}

type factorKey struct {
	rate string
	leap bool
	days int
}

type ratesFile struct {
	Version  int `yaml:"version"`
	Quarters []struct {
		Quarter      string `yaml:"quarter"`
		NonCorporate string `yaml:"noncorporate"`
		Corporate    string `yaml:"corporate"`
		Confidence   string `yaml:"confidence"`
		Source       string `yaml:"source"`
	} `yaml:"quarters"`
}

// ParseRates reads a rate table (data/refunds/interest-rates.yaml). Every
// quarter needs both rates and a source, and the quarters must follow one
// another with no gap.
func ParseRates(b []byte) (*Rates, error) {
	var f ratesFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("interest rates: %w", err)
	}
	r := &Rates{}
	for i, q := range f.Quarters {
		var y, n int
		if _, err := fmt.Sscanf(q.Quarter, "%dQ%d", &y, &n); err != nil || n < 1 || n > 4 {
			return nil, fmt.Errorf("interest rates: quarter %d: %q is not a quarter like 2026Q2", i+1, q.Quarter)
		}
		nc, err1 := parsePercent(q.NonCorporate)
		c, err2 := parsePercent(q.Corporate)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("interest rates: %s: rates must be percentages like 7%%", q.Quarter)
		}
		if strings.TrimSpace(q.Source) == "" {
			return nil, fmt.Errorf("interest rates: %s: no source", q.Quarter)
		}
		qt := Quarter{Year: y, Q: n, NonCorporate: nc, Corporate: c, Source: q.Source, Confidence: q.Confidence}
		qt.start, qt.end = qt.Start(), qt.End()
		r.Quarters = append(r.Quarters, qt)
	}
	sort.Slice(r.Quarters, func(i, j int) bool { return r.Quarters[i].Start() < r.Quarters[j].Start() })
	for i := 1; i < len(r.Quarters); i++ {
		if r.Quarters[i].Start() != r.Quarters[i-1].End() {
			return nil, fmt.Errorf("interest rates: %s does not follow %s", r.Quarters[i].Name(), r.Quarters[i-1].Name())
		}
	}
	if len(r.Quarters) == 0 {
		return nil, fmt.Errorf("interest rates: no quarters")
	}
	return r, nil
}

func parsePercent(s string) (money.Decimal, error) {
	return money.Parse(strings.TrimSuffix(strings.TrimSpace(s), "%"))
}

// Through is the last day the table covers.
func (r *Rates) Through() date.Date { return r.Quarters[len(r.Quarters)-1].End() - 1 }

// InterestOptions say which rate applies.
type InterestOptions struct {
	// Corporate uses the corporate overpayment rate (one point lower).
	Corporate bool
	// LargeCorporate applies, to the part of a corporate refund above
	// $10,000, the rate 26 USC 6621(a)(1) gives it (2.5 points below the
	// non-corporate rate). Whether CBP does so for duty refunds is not known.
	LargeCorporate bool
}

// Period is the interest of one quarter (or the part of it in the interval).
type Period struct {
	Quarter string        `json:"quarter"`
	From    date.Date     `json:"from"`
	To      date.Date     `json:"to"` // exclusive
	Days    int           `json:"days"`
	Rate    money.Decimal `json:"rate"` // percent a year
	Source  string        `json:"source"`
}

// Interest is overpayment interest on one principal.
type Interest struct {
	Principal money.Decimal `json:"principal"`
	// From is the deposit date; To the (re)liquidation date. Interest runs
	// for each day from From up to, not including, To.
	From    date.Date     `json:"from"`
	To      date.Date     `json:"to"`
	Days    int           `json:"days"`
	Amount  money.Decimal `json:"amount"`
	Periods []Period      `json:"periods,omitempty"`
	// Complete is false when part of the interval has no rate in the table:
	// Amount then covers only the days that have one.
	Complete bool   `json:"complete"`
	Warning  string `json:"warning,omitempty"`
}

var tenThousand = money.MustParse("10000")

// Compute returns the interest on principal deposited on from and refunded
// by (re)liquidation on to, compounded daily at each quarter's rate: the
// principal times the product over the days of (1 + rate / days in the
// year), less one, rounded half-up to the cent once at the end. CBP's
// day-count conventions are not published; the result is an estimate to
// reconcile with the ES-022 interest column.
func (r *Rates) Compute(principal money.Decimal, from, to date.Date, opt InterestOptions) Interest {
	in := Interest{Principal: principal, From: from, To: to, Complete: true, Amount: money.Zero}
	if to <= from || !principal.IsPos() {
		return in
	}
	in.Days = int(to - from)
	parts := []struct {
		amount money.Decimal
		large  bool
	}{{principal, false}}
	if opt.Corporate && opt.LargeCorporate && tenThousand.Less(principal) {
		rest, _ := principal.Sub(tenThousand)
		parts = []struct {
			amount money.Decimal
			large  bool
		}{{tenThousand, false}, {rest, true}}
	}
	total := money.Zero
	for pi, p := range parts {
		factor := money.One
		for _, q := range r.Quarters {
			a, b := max(from, q.Start()), min(to, q.End())
			if a >= b {
				continue
			}
			rate := q.NonCorporate
			if opt.Corporate {
				rate = q.Corporate
			}
			if p.large {
				rate, _ = q.NonCorporate.Sub(money.MustParse("2.5"))
			}
			f, err := r.factor(rate, q.Year, int(b-a))
			if err != nil {
				in.Complete, in.Warning = false, err.Error()
				continue
			}
			factor, _ = factor.Mul(f)
			if pi == 0 {
				in.Periods = append(in.Periods, Period{Quarter: q.Name(), From: a, To: b, Days: int(b - a), Rate: rate, Source: q.Source})
			}
		}
		grown, _ := factor.Sub(money.One)
		amt, _ := p.amount.Mul(grown)
		total, _ = total.Add(amt)
	}
	first, last := r.Quarters[0].Start(), r.Quarters[len(r.Quarters)-1].End()
	if from < first || to > last {
		in.Complete = false
		in.Warning = fmt.Sprintf("the rate table covers %s to %s: interest outside it is not counted", first, last-1)
	}
	in.Amount = money.Cents(total)
	return in
}

func (r *Rates) factor(rate money.Decimal, year, n int) (money.Decimal, error) {
	k := factorKey{rate: rate.String(), leap: leap(year), days: n}
	if f, ok := r.factors.Load(k); ok {
		return f.(money.Decimal), nil
	}
	f, err := dailyFactor(rate, year, n)
	if err == nil {
		r.factors.Store(k, f)
	}
	return f, err
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// dailyFactor is (1 + rate/100/days-in-year)^n.
func dailyFactor(rate money.Decimal, year, n int) (money.Decimal, error) {
	days := int64(365)
	if leap(year) {
		days = 366
	}
	d, err := rate.Quo(money.Hundred)
	if err == nil {
		d, err = d.Quo(money.MustParse(fmt.Sprint(days)))
	}
	if err == nil {
		d, err = d.Add(money.One)
	}
	if err == nil {
		d, err = d.PowInt(n)
	}
	if err != nil {
		return money.One, fmt.Errorf("interest factor at %s%% for %d days: %v", rate, n, err)
	}
	return d, nil
}
