package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/server"
)

func init() { register(newServeCmd) }

func newServeCmd(app *App) *cobra.Command {
	addr := server.DefaultAddr
	db := os.Getenv("LEVY_DB")
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Serve the JSON API and the web page",
		Long: `Serve levy's JSON API under /v1 (described at /openapi.json), the web page at
/, health at /healthz and /readyz, and Prometheus metrics at /metrics.
With --db, the refunds ledger is served under /v1/refunds/ and its page at
/refunds; replicas given the same PostgreSQL --db share one ledger.

SIGHUP or POST /v1/admin/reload re-reads --schedule and --measures; when the
new files fail to load, the data in use is kept. SIGTERM or an interrupt
stops accepting connections and lets requests in flight finish.`,
		Example: `  levy serve
  levy serve --addr 0.0.0.0:8080 --schedule hts_2026_rev_10.json.gz
  levy serve --db levy.db
  levy serve --db postgres://levy@db.internal/levy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), app, addr, db)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", addr, "address to listen on, HOST:PORT")
	cmd.Flags().StringVar(&db, "db", db, "refunds ledger to serve: a SQLite file or postgres://... (default: none)")
	return cmd
}

func runServe(ctx context.Context, app *App, addr, db string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var l *ledger.DB
	if db != "" {
		var err error
		if l, err = ledger.Open(ctx, db); err != nil {
			return withCode(ExitData, err)
		}
		defer l.Close()
	}
	log := slog.New(slog.NewTextHandler(app.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	first := true
	srv := server.New(func() (*levy.Levy, error) {
		// The first load shares the invocation's cache; reloads re-read the files.
		if first {
			first = false
			return app.LoadLevy()
		}
		return levy.Load(levy.Options{Schedule: app.Schedule, Measures: app.Measures})
	})
	srv.Addr, srv.Log, srv.Ledger = addr, log, l
	if err := srv.Open(); err != nil {
		return withCode(ExitData, err)
	}
	fmt.Fprintf(app.Stdout, "levy serving on %s\n", srv.URL())
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	stop, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer cancel()
	for {
		select {
		case <-hup:
			log.Info("SIGHUP: reloading")
			_ = srv.Reload() // a failure is logged and the data in use kept
		case <-stop.Done():
			log.Info("shutting down")
			return srv.Close()
		}
	}
}
