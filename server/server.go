// Package server holds levy's HTTP API and the web page embedded beside it:
// the JSON endpoints under /v1, the OpenAPI document, health, readiness and
// Prometheus metrics, and the live reload of the schedule and measures.
//
// It renders what the library computes and holds no tariff logic of its
// own. It must not import internal/cli, and nothing but cmd and internal/cli
// may import it.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/ledger"
)

// Default limits. A batch body is bounded both in bytes and in rows so that
// one request cannot hold a worker for long.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultMaxBodyBytes  = 64 << 10
	DefaultMaxBatchBytes = 4 << 20
	DefaultMaxBatchRows  = 10000
)

// Server serves the API and the page. Set the fields before Open; they are
// not read concurrently afterwards.
type Server struct {
	// Addr is the HOST:PORT to listen on; port 0 picks a free port.
	Addr string
	// Load reads and compiles the schedule and the measures. It is called
	// by Open and by every reload.
	Load func() (*levy.Levy, error)
	// Log receives request failures and reloads; nil discards them.
	Log *slog.Logger
	// Now is the clock used for defaults such as "as known today"; nil
	// means time.Now. The engine never reads the clock; only the server does.
	Now func() time.Time
	// MaxBodyBytes bounds JSON request bodies; MaxBatchBytes and
	// MaxBatchRows bound POST /v1/batch.
	MaxBodyBytes  int64
	MaxBatchBytes int64
	MaxBatchRows  int
	// ShutdownTimeout bounds how long Close waits for requests in flight.
	ShutdownTimeout time.Duration
	// AdminToken enables the admin endpoints (POST /v1/admin/reload) for
	// requests that carry it as a bearer token; empty leaves them off.
	AdminToken string
	// ReloadInterval is the least time between two reloads asked for over
	// HTTP (default DefaultReloadInterval). SIGHUP and Reload are not limited.
	ReloadInterval time.Duration
	// MaxConcurrentBatches bounds the POST /v1/batch requests served at
	// once (default: the number of CPUs, at least 2); more get a 429.
	// LazyFront leaves the front page's burden series (Japan, as known
	// today) to be computed when the page is first asked for, rather than in
	// the background as soon as the data loads.
	LazyFront            bool
	MaxConcurrentBatches int
	// Ledger is the refunds ledger served under /v1/refunds/ and at
	// /refunds; nil answers those with 503. MaxImportBytes bounds a report
	// posted to it (default DefaultMaxImportBytes).
	Ledger         *ledger.DB
	MaxImportBytes int64

	state  atomic.Pointer[state]
	reload sync.Mutex // one reload at a time

	reloadMu   sync.Mutex // guards lastReload
	lastReload time.Time  // when the last reload over HTTP was admitted

	batches chan struct{} // one token per batch in flight
	closing atomic.Bool
	ln      net.Listener
	http    *http.Server
	served  chan error
	metrics *metrics
	handler http.Handler
}

// state is one loaded rule set; a reload swaps the whole value so that a
// request sees either the old or the new data, never a mixture.
type state struct {
	lv       *levy.Levy
	loadedAt time.Time
	burdens  *seriesCache // answers of GET /v1/burden on this data
	series   *pageSeries  // the burden series of the pages on this data
}

// New returns a server that loads its data with load.
func New(load func() (*levy.Levy, error)) *Server {
	return &Server{Addr: DefaultAddr, Load: load}
}

// Open loads the data, listens on Addr and serves in a goroutine. The
// listener is bound when Open returns, so URL is valid at once.
func (s *Server) Open() error {
	if s.Load == nil {
		return errors.New("server: Load is not set")
	}
	s.defaults()
	if err := s.Reload(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// OPTIONS * reaches the handler, which answers it in the API's shape.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	s.served = make(chan error, 1)
	go func() { s.served <- s.http.Serve(ln) }()
	return nil
}

// Close stops accepting connections and waits, up to ShutdownTimeout, for
// the requests in flight to finish.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	s.closing.Store(true)
	if st := s.current(); st != nil {
		st.series.stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if serr := <-s.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// URL is the base URL the server listens on, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

func (s *Server) defaults() {
	if s.Addr == "" {
		s.Addr = DefaultAddr
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.MaxBatchBytes <= 0 {
		s.MaxBatchBytes = DefaultMaxBatchBytes
	}
	if s.MaxBatchRows <= 0 {
		s.MaxBatchRows = DefaultMaxBatchRows
	}
	if s.ShutdownTimeout <= 0 {
		s.ShutdownTimeout = 15 * time.Second
	}
	if s.ReloadInterval <= 0 {
		s.ReloadInterval = DefaultReloadInterval
	}
	if s.MaxConcurrentBatches <= 0 {
		s.MaxConcurrentBatches = max(2, runtime.NumCPU())
	}
	if s.batches == nil {
		s.batches = make(chan struct{}, s.MaxConcurrentBatches)
	}
	if s.metrics == nil {
		s.metrics = newMetrics(prometheus.NewRegistry())
	}
}

// Reload loads and compiles the data again, every scenario included, and
// swaps it in. When anything fails the data in use is kept and the error is
// logged and returned.
func (s *Server) Reload() error {
	s.reload.Lock()
	defer s.reload.Unlock()
	start := time.Now()
	s.defaults()
	lv, err := s.load()
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		s.Log.Error("reload failed; keeping the data in use", "err", err)
		return err
	}
	st := &state{lv: lv, loadedAt: s.now(), burdens: newSeriesCache(32)}
	st.series = s.newPageSeries(st)
	if old := s.state.Swap(st); old != nil {
		old.series.stop()
	}
	s.metrics.reloads.WithLabelValues("ok").Inc()
	s.Log.Info("data loaded", "revision", lv.Schedule.Revision, "measures", len(lv.Rules.Measures),
		"scenarios", len(lv.Rules.Scenarios), "took", time.Since(start))
	return nil
}

// load compiles every scenario up front, so that a broken scenario fails
// the reload rather than a later request, and requests never compile.
func (s *Server) load() (lv *levy.Levy, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("loading data: panic: %v", r)
		}
	}()
	lv, err = s.Load()
	if err != nil {
		return nil, err
	}
	for _, sc := range engine.ScenarioNames(lv.Rules) {
		if _, err := lv.Snapshot(sc); err != nil {
			return nil, fmt.Errorf("scenario %s: %w", sc, err)
		}
	}
	return lv, nil
}

func (s *Server) now() time.Time { return s.Now() }

// current returns the data in use.
func (s *Server) current() *state { return s.state.Load() }

// Handler returns the server's handler; Open serves it. Tests may use it
// with httptest after calling Reload.
func (s *Server) Handler() http.Handler {
	if s.handler == nil {
		s.defaults()
		s.handler = s.routes()
	}
	return s.handler
}
