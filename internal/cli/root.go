// Package cli holds levy's command-line interface: one cobra command per
// file, each a function of its arguments and output streams so tests can run
// it in process. It wires the library packages together and renders their
// results; it holds no tariff logic of its own.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the command ran but some input failed (e.g. batch rows)
	ExitUsage    = 2 // bad flags or arguments
	ExitNotFound = 3 // an unknown HTS number, country, measure or scenario
	ExitData     = 4 // the schedule or measure files could not be read or compiled
)

// App carries the global flags and lazily loaded data shared by commands.
type App struct {
	Ctx      context.Context
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Schedule string // --schedule
	Measures string // --measures
	DataDir  string // --data-dir: where `levy data update` keeps newer revisions
	JSON     bool   // --json
	Verbose  bool   // --verbose
	Log      *slog.Logger

	cache appCache
}

// registry holds the constructors of top-level commands; each command file
// adds its own in an init function.
var registry []func(*App) *cobra.Command

func register(f func(*App) *cobra.Command) { registry = append(registry, f) }

// NewRoot builds the levy command tree for one invocation.
func NewRoot(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "levy",
		Short: "US import duties, layer by layer, as of any date",
		Long: `levy computes the US duty on an import line: the column 1, special or
column 2 base rate, every chapter 99 measure (IEEPA, Section 232, 301, 122…)
with its legal citation, and the MPF and HMF fees — as of any entry date and
as the law was known on any date.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelWarn
			if app.Verbose {
				level = slog.LevelDebug
			}
			app.Log = slog.New(slog.NewTextHandler(app.Stderr, &slog.HandlerOptions{Level: level}))
		},
	}
	root.SetIn(app.Stdin)
	root.SetOut(app.Stdout)
	root.SetErr(app.Stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&app.Schedule, "schedule", os.Getenv("LEVY_SCHEDULE"), "one USITC HTS export (JSON or CSV, .gz accepted) used for every date; default: every revision, the entry date picking the one in force")
	pf.StringVar(&app.Measures, "measures", os.Getenv("LEVY_MEASURES"), "directory of measure files; default: the embedded measure pack")
	pf.StringVar(&app.DataDir, "data-dir", DefaultDataDir(), "where levy keeps newer HTS revisions fetched by `levy data update` (env LEVY_DATA_DIR)")
	pf.BoolVar(&app.JSON, "json", false, "print machine-readable JSON")
	pf.BoolVarP(&app.Verbose, "verbose", "v", false, "log what levy does to stderr")
	for _, f := range registry {
		root.AddCommand(f(app))
	}
	return root
}

// Run executes levy with args and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	root := NewRoot(app)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintln(stderr, "levy:", ce.err)
		}
		return ce.code
	}
	fmt.Fprintln(stderr, "levy:", err)
	return ExitUsage
}

// codeError attaches an exit code to an error.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *codeError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codeError{code: code, err: err}
}
