// Package cli holds levy's command-line interface: one cobra command per
// file, each a function of its arguments and output streams so tests can run
// it in process. It wires the library packages together and renders their
// results; it holds no tariff logic of its own.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/measure"
)

// Exit codes shared by every command; the README's table lists them.
const (
	ExitOK          = 0   // done
	ExitFailure     = 1   // the command ran but some input failed (batch rows, a rate levy cannot compute)
	ExitUsage       = 2   // bad flags, arguments or input (an unknown subcommand, a malformed date, a bad CSV header)
	ExitNotFound    = 3   // an unknown HTS number, country, measure or scenario
	ExitData        = 4   // the schedule or measure files could not be read or compiled
	ExitOutput      = 5   // an output file could not be written
	ExitListen      = 6   // levy serve could not listen on the address (the port is in use, no permission)
	ExitInterrupted = 130 // interrupted (Ctrl-C, SIGTERM) before the command finished
)

// exitNames name the exit codes in JSON errors.
var exitNames = map[int]string{ExitFailure: "failed", ExitUsage: "invalid", ExitNotFound: "not_found", ExitData: "data",
	ExitOutput: "output", ExitListen: "listen", ExitInterrupted: "interrupted"}

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
	refuseUnknownSubcommands(root)
	return root
}

// refuseUnknownSubcommands makes levy and every command that only groups
// others (levy measures, levy hts, levy data) refuse an unknown subcommand with a
// suggestion, where cobra would print help and exit 0: "levy measures
// lst" is a typo, not a request for help.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if c.Runnable() || !c.HasSubCommands() {
		return
	}
	c.Args = cobra.ArbitraryArgs
	// The flags after a mistyped subcommand belong to it: they must not
	// hide the real mistake behind "unknown flag".
	c.FParseErrWhitelist.UnknownFlags = true
	c.SuggestionsMinimumDistance = 2
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf("; did you mean %q?", s[0])
		}
		var names []string
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
			}
		}
		return withCode(ExitUsage, fmt.Errorf("%s (its commands: %s)", msg, strings.Join(names, ", ")))
	}
}

// Run executes levy with args and returns the process exit code. An error
// goes to stderr as "levy: message", or with --json as one JSON object
// {"error": {"code", "exit", "message", "field", "suggestions"}}.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	root := NewRoot(app)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(ctx, err)
	var ce *codeError
	if errors.As(err, &ce) && ce.err == nil {
		return code // the command has already said what failed
	}
	if app.JSON || wantsJSON(args) {
		writeJSONError(stderr, code, err)
	} else {
		fmt.Fprintln(stderr, "levy:", err)
	}
	return code
}

// exitCode is the one table from errors to exit codes: an error that
// carries a code keeps it; an interrupted context is ExitInterrupted;
// anything else (cobra's flag and argument errors) is ExitUsage.
func exitCode(ctx context.Context, err error) int {
	if ctx != nil && ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code
	}
	return ExitUsage
}

// wantsJSON reports whether --json is among args: a flag error stops cobra
// before it sets app.JSON, and that error must be JSON too.
func wantsJSON(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--json" || a == "--json=true" {
			return true
		}
	}
	return false
}

// jsonError is the shape of an error with --json, the API's error with
// the exit code beside it.
type jsonError struct {
	Code        string        `json:"code"`
	Exit        int           `json:"exit"`
	Message     string        `json:"message"`
	Field       string        `json:"field,omitempty"`
	Suggestions []string      `json:"suggestions,omitempty"`
	Problems    []jsonProblem `json:"problems,omitempty"`
}

// jsonProblem is one problem of a rule file at its position.
type jsonProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
}

func writeJSONError(w io.Writer, code int, err error) {
	je := jsonError{Code: exitNames[code], Exit: code, Message: err.Error()}
	if je.Code == "" {
		je.Code = "error"
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		je.Field, je.Suggestions = ee.Field, ee.Suggestions
	}
	var ms measure.Errors
	if errors.As(err, &ms) {
		for _, m := range ms {
			je.Problems = append(je.Problems, jsonProblem{File: m.Pos.File, Line: m.Pos.Line, Col: m.Pos.Col, Message: m.Msg})
		}
	}
	b, _ := json.Marshal(map[string]jsonError{"error": je})
	fmt.Fprintf(w, "%s\n", b)
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
