package server

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
)

// The burden page and the front page show series of the embedded Census
// weights that take a few seconds each (Japan: about 10,500 lines on some
// fifty dates under both readings). Each series is computed once per
// loaded rule set, in the background, and kept: requests for the same
// series wait for the one computation, and the front page never waits at
// all — it shows Japan's series once it is ready. Japan's series as known
// today is started as soon as the data is loaded, without holding up
// readiness.

// seriesAsk is one series the page can ask for.
type seriesAsk struct {
	origins  []string
	from, to date.Date
	every    burden.Every
	known    date.Date
	// weights is "" (each entry date by its own year's imports) or a year.
	weights string
}

func (a seriesAsk) key() string {
	return strings.Join([]string{strings.Join(a.origins, ","), a.from.String(), a.to.String(), a.every.String(), a.known.String(), a.weights}, "|")
}

// seriesRun is one computation of a series; done is closed when it ends.
type seriesRun struct {
	ask    seriesAsk
	done   chan struct{}
	series *burden.Series
	err    error
	took   time.Duration
	// coverFrom is the first entry date the rules are complete for.
	coverFrom date.Date
}

// ready says the run has ended.
func (r *seriesRun) ready() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// pageSeries keeps the series of one loaded rule set: the latest asked
// (at most max) and the front page's, which is never dropped.
type pageSeries struct {
	st     *state
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	max    int
	// slots bounds the series computed at once: each uses every core.
	slots chan struct{}

	mu    sync.Mutex
	byKey map[string]*seriesRun
	order []string
	// front is the key of the front page's series as last asked, shown is
	// the latest of the front page's series that has ended without error.
	front string
	shown *seriesRun
}

// pageSeriesKept bounds the series kept per loaded rule set; a series of
// ten partners over two years is a few hundred kilobytes.
const pageSeriesKept = 24

// newPageSeries returns the series store of st and starts the front
// page's series as known today.
func (s *Server) newPageSeries(st *state) *pageSeries {
	ctx, cancel := context.WithCancel(context.Background())
	ps := &pageSeries{st: st, log: s.Log, ctx: ctx, cancel: cancel, max: pageSeriesKept, byKey: map[string]*seriesRun{},
		slots: make(chan struct{}, 2)}
	if f, ok := st.frontAsk(s.today()); ok && !s.LazyFront {
		ps.front = f.key()
		ps.start(f)
	}
	return ps
}

// stop cancels every computation under way; a stopped store computes no
// more (its rule set has been replaced, or the server is closing).
func (ps *pageSeries) stop() {
	if ps != nil {
		ps.cancel()
	}
}

// frontAsk is the series of the front page: Japan, every month from 1
// January 2025 to the end of levy's data, as known on today.
func (st *state) frontAsk(today date.Date) (seriesAsk, bool) {
	snap, err := st.snapshot("")
	if err != nil {
		return seriesAsk{}, false
	}
	return seriesAsk{origins: []string{"JP"}, from: timelineFrom, to: snap.Horizon, every: burden.Month, known: today}, true
}

// start returns the run of ask, starting it unless it is kept already.
func (ps *pageSeries) start(ask seriesAsk) *seriesRun {
	key := ask.key()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if r, ok := ps.byKey[key]; ok {
		return r
	}
	r := &seriesRun{ask: ask, done: make(chan struct{})}
	ps.byKey[key] = r
	ps.order = append(ps.order, key)
	ps.trim()
	go ps.run(r)
	return r
}

// trim drops the oldest runs that have ended beyond max, never the front
// page's.
func (ps *pageSeries) trim() {
	for i := 0; len(ps.order) > ps.max && i < len(ps.order); {
		k := ps.order[i]
		r := ps.byKey[k]
		if k == ps.front || r == ps.shown || !r.ready() {
			i++
			continue
		}
		delete(ps.byKey, k)
		ps.order = append(ps.order[:i], ps.order[i+1:]...)
	}
}

func (ps *pageSeries) run(r *seriesRun) {
	defer close(r.done)
	begin := time.Now()
	r.series, r.err = ps.compute(r)
	r.took = time.Since(begin)
	switch {
	case r.err == nil:
		ps.log.Info("burden series computed", "series", r.ask.key(), "took", r.took)
		return
	case ps.ctx.Err() == nil:
		ps.log.Error("burden series", "series", r.ask.key(), "err", r.err)
	}
	// A failed run is not kept: the next request tries again.
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if key := r.ask.key(); ps.byKey[key] == r {
		delete(ps.byKey, key)
		ps.order = slices.DeleteFunc(ps.order, func(k string) bool { return k == key })
	}
}

// compute runs the series of r, at most len(slots) at a time.
func (ps *pageSeries) compute(r *seriesRun) (*burden.Series, error) {
	snap, err := ps.st.snapshot("")
	if err != nil {
		return nil, err
	}
	r.coverFrom = snap.CoverageFrom
	wts, err := burden.CensusWeights(r.ask.weights)
	if err != nil {
		return nil, err
	}
	select {
	case ps.slots <- struct{}{}:
		defer func() { <-ps.slots }()
	case <-ps.ctx.Done():
		return nil, ps.ctx.Err()
	}
	return burden.RunSeries(ps.ctx, snap, wts.Only(r.ask.origins...), burden.SeriesOptions{
		From: r.ask.from, To: r.ask.to, Every: r.ask.every, KnownOn: r.ask.known})
}

// get waits for the series of ask, or for ctx to end.
func (ps *pageSeries) get(ctx context.Context, ask seriesAsk) (*seriesRun, error) {
	r := ps.start(ask)
	select {
	case <-r.done:
		return r, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// frontSeries is the front page's series without waiting: Japan's as known
// today when it is ready, else the latest one ready (as known on an
// earlier day, which it says), else nil while the first is computed.
func (ps *pageSeries) frontSeries(today date.Date) *seriesRun {
	ask, ok := ps.st.frontAsk(today)
	if !ok {
		return nil
	}
	ps.mu.Lock()
	ps.front = ask.key()
	ps.mu.Unlock()
	r := ps.start(ask)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if r.ready() && r.err == nil {
		ps.shown = r
	}
	return ps.shown
}
