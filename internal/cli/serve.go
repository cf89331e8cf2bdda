package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/server"
)

func init() { register(newServeCmd) }

func newServeCmd(app *App) *cobra.Command {
	addr := server.DefaultAddr
	var tokenFile string
	var lim serveLimits
	lim.db = os.Getenv("LEVY_DB")
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--admin-token-file FILE]",
		Short: "Serve the JSON API and the web page",
		Long: `Serve levy's JSON API under /v1 (described at /openapi.json), the web page at
/, health at /healthz and /readyz, and Prometheus metrics at /metrics.
With --db, the refunds ledger is served under /v1/refunds/ and its page at
/refunds; replicas given the same PostgreSQL --db share one ledger.

By default levy listens on 127.0.0.1:8080: only programs on this machine can
reach it. Listening on another address (0.0.0.0, a LAN address) exposes the
API and the page to everyone who can reach the port: levy has no user
accounts and speaks plain HTTP, so put it behind a reverse proxy that adds
TLS and access control before you do.

The admin endpoint POST /v1/admin/reload is off unless a token is given with
--admin-token-file (a file holding the token alone, at least 16 characters)
or the LEVY_ADMIN_TOKEN environment variable; it then requires the token as
"Authorization: Bearer TOKEN" and runs at most one reload per 10 seconds.
SIGHUP reloads too. A reload re-reads --schedule and --measures; when the new
files fail to load, the data in use is kept. SIGTERM or an interrupt stops
accepting connections and lets requests in flight finish.`,
		Example: `  levy serve
  levy serve --addr 127.0.0.1:9000 --measures ./my-measures
  openssl rand -hex 32 > admin.token && chmod 600 admin.token
  levy serve --admin-token-file admin.token
  curl -X POST -H "Authorization: Bearer $(cat admin.token)" http://127.0.0.1:8080/v1/admin/reload
  levy serve --db levy.db
  levy serve --db postgres://levy@db.internal/levy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := adminToken(tokenFile, os.Getenv("LEVY_ADMIN_TOKEN"))
			if err != nil {
				return withCode(ExitUsage, err)
			}
			return runServe(cmd.Context(), app, addr, token, lim)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", addr, "address to listen on, HOST:PORT (another host than 127.0.0.1 exposes the API to the network)")
	cmd.Flags().StringVar(&tokenFile, "admin-token-file", "", "file holding the bearer token that enables POST /v1/admin/reload (or set LEVY_ADMIN_TOKEN)")
	cmd.Flags().IntVar(&lim.rows, "max-batch-rows", server.DefaultMaxBatchRows, "most rows of one POST /v1/batch request")
	cmd.Flags().Int64Var(&lim.bytes, "max-batch-bytes", server.DefaultMaxBatchBytes, "most bytes of one POST /v1/batch body")
	cmd.Flags().IntVar(&lim.batches, "max-batches", 0, "most POST /v1/batch requests served at once (default: the number of CPUs, at least 2)")
	cmd.Flags().StringVar(&lim.db, "db", lim.db, "refunds ledger to serve: a SQLite file or postgres://... (default: none; env LEVY_DB)")
	return cmd
}

// serveLimits are the batch limits of levy serve, and the ledger it serves.
type serveLimits struct {
	rows, batches int
	bytes         int64
	db            string
}

// adminToken reads the admin token from a file (first) or the environment.
func adminToken(file, env string) (string, error) {
	token, from := strings.TrimSpace(env), "LEVY_ADMIN_TOKEN"
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--admin-token-file: %w", err)
		}
		token, from = strings.TrimSpace(string(b)), file
	}
	if token == "" {
		if file != "" {
			return "", fmt.Errorf("--admin-token-file %s is empty", file)
		}
		return "", nil
	}
	if len(token) < server.MinAdminToken || strings.ContainsAny(token, " \t\r\n") {
		return "", fmt.Errorf("the admin token in %s must be one word of at least %d characters (e.g. openssl rand -hex 32)", from, server.MinAdminToken)
	}
	return token, nil
}

func runServe(ctx context.Context, app *App, addr, token string, lim serveLimits) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var l *ledger.DB
	if lim.db != "" {
		var err error
		if l, err = ledger.Open(ctx, lim.db); err != nil {
			return withCode(ExitData, err)
		}
		defer l.Close()
	}
	log := app.serveLog()
	first := true
	srv := server.New(func() (*levy.Levy, error) {
		// The first load shares the invocation's cache; reloads re-read the files.
		if first {
			first = false
			return app.LoadLevy()
		}
		return levy.Load(levy.Options{Schedule: app.Schedule, Measures: app.Measures, DataDir: app.DataDir})
	})
	srv.Addr, srv.Log, srv.AdminToken, srv.Ledger = addr, log, token, l
	srv.MaxBatchRows, srv.MaxBatchBytes, srv.MaxConcurrentBatches = lim.rows, lim.bytes, lim.batches
	if err := srv.Open(); err != nil {
		if isListenError(err) {
			return withCode(ExitListen, fmt.Errorf("cannot listen on %s: %w", addr, err))
		}
		return err
	}
	if !loopback(srv.URL()) {
		log.Warn("listening beyond this machine: anyone who can reach the port can use the API; put a reverse proxy with TLS and access control in front", "addr", addr)
	}
	if token == "" {
		log.Info("admin endpoints are off (no --admin-token-file or LEVY_ADMIN_TOKEN); SIGHUP reloads")
	}
	if app.JSON {
		writeJSON(app.Stdout, map[string]string{"url": srv.URL()})
	} else {
		fmt.Fprintf(app.Stdout, "levy serving on %s\n", srv.URL())
	}
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

// serveLog logs requests and reloads to stderr, as JSON with --json.
func (app *App) serveLog() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if app.JSON {
		return slog.New(slog.NewJSONHandler(app.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(app.Stderr, opts))
}

// isListenError reports whether err is the listener failing: the port in
// use, an address this machine does not have, no permission for the port.
func isListenError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "listen"
}

// loopback reports whether a server URL is on a loopback address.
func loopback(u string) bool {
	host, _, err := net.SplitHostPort(strings.TrimPrefix(u, "http://"))
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
