package refund

import (
	"sort"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Bucket is a total over some entries.
type Bucket struct {
	Key        string        `json:"key"`
	Entries    int           `json:"entries"`
	Refundable money.Decimal `json:"refundable"`
	Interest   money.Decimal `json:"interest"`
	S122       money.Decimal `json:"contested_s122"`
	FL301      money.Decimal `json:"contested_fl301"`
	Paid       Amounts       `json:"paid"`
	OwedThen   Amounts       `json:"owed_then"`
	OwedNow    Amounts       `json:"owed_now"`
	Received   money.Decimal `json:"received"`
}

func (b *Bucket) add(r *Result) {
	b.Entries++
	b.Refundable, _ = b.Refundable.Add(r.Refundable)
	b.Interest, _ = b.Interest.Add(r.Interest.Amount)
	b.S122, _ = b.S122.Add(r.ContestedS122)
	b.FL301, _ = b.FL301.Add(r.ContestedFL301)
	b.Paid.AddAll(&r.Paid)
	b.OwedThen.AddAll(&r.OwedThen)
	b.OwedNow.AddAll(&r.OwedNow)
	t, _ := r.ReceivedPrincipal.Add(r.ReceivedInterest)
	b.Received, _ = b.Received.Add(t)
}

// Due is an entry whose next deadline is near.
type Due struct {
	Entry    string    `json:"entry"`
	Importer string    `json:"importer"`
	Phase    Phase     `json:"phase"`
	Deadline string    `json:"deadline"`
	Date     date.Date `json:"date"`
	DaysLeft int       `json:"days_left"`
	Amount   string    `json:"refundable"`
}

// Summary totals a set of results: overall, by route, by month of entry
// and the entries due in the next 30 days, soonest first.
type Summary struct {
	AsOf     date.Date `json:"as_of"`
	Total    Bucket    `json:"total"`
	ByPhase  []Bucket  `json:"by_phase"`
	ByMonth  []Bucket  `json:"by_month"`
	Due      []Due     `json:"due"`
	Flagged  int       `json:"entries_flagged"`
	Partial  int       `json:"entries_incomplete"`
	byPhase  map[string]*Bucket
	byMonth  map[string]*Bucket
	finished bool
}

// NewSummary starts an empty summary.
func NewSummary(asOf date.Date) *Summary {
	return &Summary{AsOf: asOf, Total: Bucket{Key: "total"}, byPhase: map[string]*Bucket{}, byMonth: map[string]*Bucket{}}
}

// Add counts one result.
func (s *Summary) Add(r *Result) {
	s.Total.add(r)
	bucket(s.byPhase, string(r.Route.Phase)).add(r)
	bucket(s.byMonth, r.Entry.Date.String()[:7]).add(r)
	if r.Flagged > 0 {
		s.Flagged++
	}
	if !r.Complete {
		s.Partial++
	}
	if r.Route.DueWithin(DueSoon) && r.Status != "refunded" {
		s.Due = append(s.Due, Due{Entry: r.Entry.Number, Importer: r.Entry.Importer, Phase: r.Route.Phase, Deadline: r.Route.Next.Name,
			Date: r.Route.Next.Date, DaysLeft: r.Route.Next.DaysLeft, Amount: money.Format(r.Refundable)})
	}
}

func bucket(m map[string]*Bucket, k string) *Bucket {
	b, ok := m[k]
	if !ok {
		b = &Bucket{Key: k}
		m[k] = b
	}
	return b
}

// Finish orders the buckets (routes in report order, months ascending,
// deadlines soonest first) and returns the summary.
func (s *Summary) Finish() *Summary {
	if s.finished {
		return s
	}
	s.finished = true
	padBucket(&s.Total)
	for _, b := range s.byPhase {
		padBucket(b)
	}
	for _, b := range s.byMonth {
		padBucket(b)
	}
	for _, p := range Phases {
		if b, ok := s.byPhase[string(p)]; ok {
			s.ByPhase = append(s.ByPhase, *b)
		}
	}
	for _, b := range s.byMonth {
		s.ByMonth = append(s.ByMonth, *b)
	}
	sort.Slice(s.ByMonth, func(i, j int) bool { return s.ByMonth[i].Key < s.ByMonth[j].Key })
	sort.SliceStable(s.Due, func(i, j int) bool {
		if s.Due[i].Date != s.Due[j].Date {
			return s.Due[i].Date < s.Due[j].Date
		}
		return s.Due[i].Entry < s.Due[j].Entry
	})
	return s
}

// SortDueFirst orders results with the entries whose next deadline is in
// the next 30 days first (soonest first), then the rest by entry date.
func SortDueFirst(rs []*Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		da, db := a.Route.DueWithin(DueSoon), b.Route.DueWithin(DueSoon)
		if da != db {
			return da
		}
		if da && a.Route.Next.Date != b.Route.Next.Date {
			return a.Route.Next.Date < b.Route.Next.Date
		}
		if a.Entry.Date != b.Entry.Date {
			return a.Entry.Date < b.Entry.Date
		}
		return a.Entry.Number < b.Entry.Number
	})
}

func padBucket(b *Bucket) { pad(&b.Refundable, &b.Interest, &b.S122, &b.FL301, &b.Received) }
