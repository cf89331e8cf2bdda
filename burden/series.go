package burden

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Every is the step between the points of a series.
type Every int

// Steps of a series.
const (
	Day Every = iota + 1
	Week
	Month
)

// ParseEvery reads "day", "week" or "month".
func ParseEvery(s string) (Every, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "day", "daily":
		return Day, nil
	case "week", "weekly":
		return Week, nil
	case "month", "monthly":
		return Month, nil
	}
	return 0, fmt.Errorf("%q: want day, week or month", s)
}

func (e Every) String() string {
	switch e {
	case Day:
		return "day"
	case Week:
		return "week"
	case Month:
		return "month"
	}
	return fmt.Sprintf("Every(%d)", int(e))
}

// point is the k-th point from from: k days, k weeks, or k months on the
// same day of the month (the month's last day where it has fewer days).
func (e Every) point(from date.Date, k int) date.Date {
	switch e {
	case Day:
		return from.AddDays(k)
	case Week:
		return from.AddDays(7 * k)
	}
	t := from.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return date.Of(first.AddDate(0, 0, min(t.Day(), last)-1))
}

// MaxPoints bounds the points of one series (ten years of days).
const MaxPoints = 3660

// Weights picks the basket of import values that weights each entry date.
// A year's basket is built the first time a date of that year asks for
// it, and only from the partners kept by Only.
type Weights struct {
	fixed *Basket
	years []int
	// load returns the basket of a year, of the origins only (all if none).
	load    func(year int, origins []string) (*Basket, error)
	origins []string
	label   string

	mu     sync.Mutex
	byYear map[int]*Basket
}

// Fixed weights every date by one basket (e.g. 2024 imports, a fixed
// pre-tariff basket, as the Yale Budget Lab tracker does, or a user's file).
func Fixed(b *Basket) *Weights { return &Weights{fixed: b, label: b.Source} }

// String says which imports weight which dates.
func (w *Weights) String() string { return w.label }

// ByYear weights each date by the basket of its own year; dates after the
// last year held take the last, dates before the first take the first.
// Every basket must have its Year.
func ByYear(bs ...*Basket) (*Weights, error) {
	held := map[int]*Basket{}
	var years []int
	var srcs []string
	for _, b := range bs {
		if b.Year == 0 {
			return nil, fmt.Errorf("basket %q has no year", b.Source)
		}
		if _, dup := held[b.Year]; dup {
			return nil, fmt.Errorf("two baskets for %d", b.Year)
		}
		held[b.Year] = b
		years = append(years, b.Year)
	}
	if len(years) == 0 {
		return nil, fmt.Errorf("no baskets")
	}
	sort.Ints(years)
	for _, y := range years {
		srcs = append(srcs, held[y].Source)
	}
	load := func(y int, origins []string) (*Basket, error) { return held[y].Only(origins...), nil }
	return lazyByYear(years, load, "each entry date by its year: "+strings.Join(srcs, ", ")), nil
}

func lazyByYear(years []int, load func(int, []string) (*Basket, error), label string) *Weights {
	return &Weights{years: years, load: load, label: label, byYear: map[int]*Basket{}}
}

// For returns the basket of entry date d.
func (w *Weights) For(d date.Date) (*Basket, error) {
	if w.fixed != nil {
		return w.fixed, nil
	}
	y := max(w.years[0], min(d.Time().Year(), w.years[len(w.years)-1]))
	w.mu.Lock()
	defer w.mu.Unlock()
	if b, ok := w.byYear[y]; ok {
		return b, nil
	}
	b, err := w.load(y, w.origins)
	if err != nil {
		return nil, err
	}
	w.byYear[y] = b
	return b, nil
}

// Only returns the weights restricted to the given countries (ISO codes).
func (w *Weights) Only(origins ...string) *Weights {
	if len(origins) == 0 {
		return w
	}
	if w.fixed != nil {
		out := Fixed(w.fixed.Only(origins...))
		out.label = w.label
		return out
	}
	out := lazyByYear(w.years, w.load, w.label)
	out.origins = append([]string{}, origins...)
	return out
}

// SeriesOptions ask for a series.
type SeriesOptions struct {
	// From is the first point, To the last date a point may fall on.
	From, To date.Date
	Every    Every
	// KnownOn is the second reading: every entry date read as the law is
	// known on this date (e.g. today: what is owed after refunds).
	KnownOn date.Date
	// Facts are the readings of facts import statistics do not give (metal
	// content, USMCA claims); their Date and KnownOn are not used.
	Facts Options
	// Workers assess in parallel; 0 means one per CPU.
	Workers int
	// EveryDay assesses every day of the range instead of only the days on
	// which a rule changes: the slow, obviously correct path, kept to check
	// the fast one.
	EveryDay bool
}

// Series is the burden over time: for every point, the period from its
// date to the next step, read as collected and as known on KnownOn.
type Series struct {
	From, To date.Date
	Every    Every
	KnownOn  date.Date
	// End is the day after the last period.
	End    date.Date
	Points []Point
	// Total is the whole range, From to End.
	Total Point
	// Dates are the entry dates assessed (the first day and every day a
	// rule changes); every other day reads the same as the last of them.
	Dates []date.Date
	// Horizon is the last date the rules are known for; periods after it
	// are read with the rules as they stood then.
	Horizon date.Date
	// BadRows are the rows of the baskets that could not be read (their
	// value is unknown, so no period counts it).
	BadRows []string
}

// Point is one period of a series.
type Point struct {
	// From is the point's date; To the first day after its period.
	From, To date.Date
	// Weights names the baskets that weight the period.
	Weights []string
	// Collected reads each entry date as the law stood that day (what was
	// collected); Known as the law is known on the series' KnownOn.
	Collected, Known Reading
}

// OwedBack is the duty collected less the duty owed as known: positive is
// owed back to importers (a refund), negative an extra bill.
func (p *Point) OwedBack() money.Decimal { d, _ := p.Collected.Duty.Sub(p.Known.Duty); return d }

// Reading is the duty of a period under one reading of the law. Values are
// the imports of the period: a basket is read as a year of imports arriving
// evenly, so a period of n days holds n/365 (n/366 in a leap year) of it.
type Reading struct {
	// Value and Duty cover the lines levy could assess.
	Value, Duty money.Decimal
	Partners    map[string]*Group
	Sections    map[string]*Group
	// NotAssessed is what levy could not assess, by reason.
	NotAssessed map[string]Skip
}

// Rate is the trade-weighted effective tariff rate of the reading, in percent.
func (r *Reading) Rate() money.Decimal { return pct(r.Duty, r.Value) }

// Skip is what could not be assessed for one reason: the most lines on any
// day of the period, and the imports of the period they stand for.
type Skip struct {
	Lines int
	Value money.Decimal
}

// RunSeries assesses the weights on every date of the series on which a
// rule changes (or every day, with EveryDay), in parallel on one snapshot,
// and integrates the results over each period.
func RunSeries(ctx context.Context, snap *engine.Snapshot, w *Weights, opt SeriesOptions) (*Series, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	s := &Series{From: opt.From, To: opt.To, Every: opt.Every, KnownOn: opt.KnownOn, Horizon: snap.Horizon}
	var starts []date.Date
	for k := 0; ; k++ {
		p := opt.Every.point(opt.From, k)
		if p > opt.To {
			break
		}
		starts = append(starts, p)
	}
	s.End = opt.Every.point(opt.From, len(starts))
	s.Dates = assessDates(snap, opt, s.End)
	segs, err := assessAll(ctx, snap, w, opt, s.Dates, s.End)
	if err != nil {
		return nil, err
	}
	seen := map[*prepared]bool{}
	for _, sg := range segs {
		if !seen[sg.prep] {
			seen[sg.prep] = true
			s.BadRows = append(s.BadRows, sg.prep.b.BadRows...)
		}
	}
	for i, p := range starts {
		to := s.End
		if i+1 < len(starts) {
			to = starts[i+1]
		}
		s.Points = append(s.Points, integrate(segs, p, to))
	}
	s.Total = integrate(segs, s.From, s.End)
	return s, nil
}

func (opt *SeriesOptions) check() error {
	switch {
	case opt.From == date.None || opt.To == date.None:
		return fmt.Errorf("a series needs a first and a last date")
	case opt.To < opt.From:
		return fmt.Errorf("the last date %s is before the first %s", opt.To, opt.From)
	case opt.Every < Day || opt.Every > Month:
		return fmt.Errorf("step %v: want day, week or month", opt.Every)
	case opt.KnownOn == date.None:
		return fmt.Errorf("a series needs the date the law is known on")
	}
	n := 0
	for opt.Every.point(opt.From, n) <= opt.To {
		if n++; n > MaxPoints {
			return fmt.Errorf("more than %d points from %s to %s every %s", MaxPoints, opt.From, opt.To, opt.Every)
		}
	}
	return nil
}

// assessDates are the first day, every change of the rules and every 1
// January (the weights may change and a year's days are counted apart)
// before end; or every day with EveryDay.
func assessDates(snap *engine.Snapshot, opt SeriesOptions, end date.Date) []date.Date {
	last := end.AddDays(-1)
	if opt.EveryDay {
		var ds []date.Date
		for d := opt.From; d <= last; d++ {
			ds = append(ds, d)
		}
		return ds
	}
	set := map[date.Date]bool{}
	for _, d := range snap.ChangeDates(opt.From, last) {
		set[d] = true
	}
	for y := opt.From.Time().Year() + 1; ; y++ {
		d := jan1(y)
		if d > last {
			break
		}
		set[d] = true
	}
	ds := make([]date.Date, 0, len(set))
	for d := range set {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds
}

func jan1(y int) date.Date { return date.Of(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)) }

// daysInYear is the number of days of d's calendar year.
func daysInYear(d date.Date) int {
	y := d.Time().Year()
	return int(jan1(y+1) - jan1(y))
}

// segment is a run of days that read alike: its tallies under both readings.
type segment struct {
	from, to         date.Date
	prep             *prepared
	collected, known *tally
}

// tally is the assessment of a basket on one date under one reading, at
// the basket's full (annual) value.
type tally struct {
	value, duty money.Decimal
	partners    []vd // by index in prepared.partners
	sections    []vd // by index in sections; the last for codes of no section
	skipLines   [nReasons]int
	skipValue   [nReasons]money.Decimal
}

type vd struct{ value, duty money.Decimal }

// prepared is a basket with each line's partner and section worked out once.
type prepared struct {
	b        *Basket
	partner  []uint16
	section  []uint8
	partners []string
}

func prepare(b *Basket) *prepared {
	p := &prepared{b: b, partner: make([]uint16, len(b.Lines)), section: make([]uint8, len(b.Lines))}
	at := map[string]uint16{}
	for i, l := range b.Lines {
		k, ok := at[l.Origin]
		if !ok {
			k = uint16(len(p.partners))
			at[l.Origin] = k
			p.partners = append(p.partners, l.Origin)
		}
		p.partner[i] = k
		p.section[i] = uint8(sectionIndex(chapterOf(l.HTS)))
	}
	return p
}

// chapterOf is the first two digits of an HTS number as written.
func chapterOf(hts string) string {
	var ch []byte
	for i := 0; i < len(hts) && len(ch) < 2; i++ {
		if c := hts[i]; c >= '0' && c <= '9' {
			ch = append(ch, c)
		}
	}
	return string(ch)
}

type task struct {
	seg   int
	known date.Date // date.None: as collected
	out   **tally
}

// assessAll assesses every segment's basket under both readings, one task
// per segment and reading, spread over the workers.
func assessAll(ctx context.Context, snap *engine.Snapshot, w *Weights, opt SeriesOptions, dates []date.Date, end date.Date) ([]segment, error) {
	preps := map[*Basket]*prepared{}
	segs := make([]segment, len(dates))
	var tasks []task
	for i, d := range dates {
		b, err := w.For(d)
		if err != nil {
			return nil, err
		}
		if preps[b] == nil {
			preps[b] = prepare(b)
		}
		to := end
		if i+1 < len(dates) {
			to = dates[i+1]
		}
		segs[i] = segment{from: d, to: to, prep: preps[b]}
		tasks = append(tasks, task{i, date.None, &segs[i].collected}, task{i, opt.KnownOn, &segs[i].known})
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan task)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a, alt engine.Assessment
			for t := range next {
				sg := &segs[t.seg]
				tl, err := assessOn(ctx, snap, sg.prep, opt.Facts, sg.from, t.known, &a, &alt)
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				*t.out = tl
			}
		}()
	}
	for _, t := range tasks {
		if ctx.Err() != nil {
			break
		}
		next <- t
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return segs, nil
}

// assessOn assesses every line of p on d as known on known.
func assessOn(ctx context.Context, snap *engine.Snapshot, p *prepared, facts Options, d, known date.Date, a, alt *engine.Assessment) (*tally, error) {
	t := &tally{partners: make([]vd, len(p.partners)), sections: make([]vd, len(sections)+1)}
	t.skipLines[reasonCountryCode] = len(p.b.Unmatched)
	t.skipValue[reasonCountryCode] = p.b.unmatchedValue()
	for i := range p.b.Lines {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		l := &p.b.Lines[i]
		if !snap.Schedule.InForce(l.HTS, d) {
			// Passed over before the engine builds the error that says when
			// the line is in force: most such lines stay out for many dates.
			t.skipLines[reasonNotInSchedule]++
			t.skipValue[reasonNotInSchedule], _ = t.skipValue[reasonNotInSchedule].Add(l.Value)
			continue
		}
		q := facts.query(l, d, known)
		duty, err := facts.assess(snap, &q, a, alt)
		if err != nil {
			r := reasonOf(err)
			t.skipLines[r]++
			t.skipValue[r], _ = t.skipValue[r].Add(l.Value)
			continue
		}
		t.value, _ = t.value.Add(l.Value)
		t.duty, _ = t.duty.Add(duty)
		pv := &t.partners[p.partner[i]]
		pv.value, _ = pv.value.Add(l.Value)
		pv.duty, _ = pv.duty.Add(duty)
		sv := &t.sections[p.section[i]]
		sv.value, _ = sv.value.Add(l.Value)
		sv.duty, _ = sv.duty.Add(duty)
	}
	return t, nil
}

// integrate sums the segments over [from, to): each day holds 1/365 (1/366
// in a leap year) of its basket's annual value.
func integrate(segs []segment, from, to date.Date) Point {
	pt := Point{From: from, To: to, Collected: newReading(), Known: newReading()}
	for i := range segs {
		sg := &segs[i]
		lo, hi := max(sg.from, from), min(sg.to, to)
		if lo >= hi {
			continue
		}
		n, days := money.Whole(int64(hi-lo)), money.Whole(int64(daysInYear(lo)))
		share := func(x money.Decimal) money.Decimal {
			y, _ := x.Mul(n)
			y, _ = y.Quo(days)
			return y
		}
		if !slices.Contains(pt.Weights, sg.prep.b.Source) {
			pt.Weights = append(pt.Weights, sg.prep.b.Source)
		}
		pt.Collected.addTally(sg.collected, sg.prep.partners, share)
		pt.Known.addTally(sg.known, sg.prep.partners, share)
	}
	return pt
}

func newReading() Reading {
	return Reading{Partners: map[string]*Group{}, Sections: map[string]*Group{}, NotAssessed: map[string]Skip{}}
}

func (r *Reading) addTally(t *tally, partners []string, share func(money.Decimal) money.Decimal) {
	r.Value, _ = r.Value.Add(share(t.value))
	r.Duty, _ = r.Duty.Add(share(t.duty))
	for i, x := range t.partners {
		if x.value.IsZero() {
			continue
		}
		add(r.Partners, partners[i], partnerName(partners[i]), share(x.value), share(x.duty))
	}
	for i, x := range t.sections {
		if x.value.IsZero() {
			continue
		}
		key, name := "?", "Unknown"
		if i < len(sections) {
			key, name = sections[i].key, sections[i].name
		}
		add(r.Sections, key, name, share(x.value), share(x.duty))
	}
	for k := range nReasons {
		if t.skipLines[k] == 0 {
			continue
		}
		s := r.NotAssessed[reasons[k]]
		s.Lines = max(s.Lines, t.skipLines[k])
		s.Value, _ = s.Value.Add(share(t.skipValue[k]))
		r.NotAssessed[reasons[k]] = s
	}
}
