package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
)

func init() { register(newRefundsCmd) }

// refundsFlags are the flags every refunds subcommand shares.
type refundsFlags struct {
	db    string
	asOf  string
	today func() time.Time
}

func newRefundsCmd(app *App) *cobra.Command {
	rf := &refundsFlags{today: time.Now}
	cmd := &cobra.Command{
		Use:   "refunds",
		Short: "A ledger of an importer's entries: IEEPA refunds, CAPE files, deadlines, interest",
		Long: `Keep an importer's entries in a ledger (SQLite by default, PostgreSQL for
teams) and read each one three ways: what was paid by duty family, what levy
says was owed as collected (the law as known on the entry date, line by line,
with every disagreeing line flagged) and what is owed as known today. The
IEEPA principal is refundable; Section 122 and the forced-labour Section 301
are contested and shown apart. Each entry is routed (CAPE phase 1 or 2, or
outside CAPE with the reason) and clocked (CAPE window, protest deadline,
post-summary correction), with overpayment interest under 19 USC 1505(c).`,
		Example: `  levy refunds import es003.csv
  levy refunds report --as-of 2026-09-30
  levy refunds report --entry ABC-1234567-8
  levy refunds cape --importer 12-3456789AB --out declarations/
  levy refunds received es022.csv
  levy refunds --db postgres://levy@db.example/levy report --json`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&rf.db, "db", envOr("LEVY_DB", "levy.db"), "the ledger: a SQLite file, or postgres://user:pass@host/db")
	pf.StringVar(&rf.asOf, "as-of", "", "read deadlines, routes and interest as of this date (default: today)")
	cmd.AddCommand(newRefundsImportCmd(app, rf), newRefundsReportCmd(app, rf), newRefundsCapeCmd(app, rf), newRefundsReceivedCmd(app, rf))
	return cmd
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// asOfDate is the only place refunds read the clock.
func (rf *refundsFlags) asOfDate() (date.Date, error) {
	if rf.asOf == "" {
		return date.Of(rf.today()), nil
	}
	d, err := date.Parse(rf.asOf)
	if err != nil {
		return date.None, withCode(ExitUsage, fmt.Errorf("--as-of: %w", err))
	}
	return d, nil
}

func (rf *refundsFlags) open(ctx context.Context) (*ledger.DB, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	l, err := ledger.Open(ctx, rf.db)
	return l, withCode(ExitData, err)
}

// stamp is the import time recorded in the ledger.
func (rf *refundsFlags) stamp() string { return rf.today().UTC().Format(time.RFC3339) }

func newRefundsImportCmd(app *App, rf *refundsFlags) *cobra.Command {
	var kind, importer string
	var maps []string
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import ACE ES-003, levy batch CSV, ES-022 or REV-603 reports into the ledger",
		Long: `Import reports into the ledger, each file in one transaction. The layout is
detected from the header: the ES-003 entry summary line report (one row per
HTS number per line, chapter 99 included: Entry Number, Entry Type, Entry
Date, Importer Number, Line Number, HTS Number, Country of Origin, Line
Entered Value, Duty Amount, Liquidation Status, Liquidation Date...), levy's
batch CSV (a line list with entry_id: levy estimates the duty paid as
collected), ES-022 (CAPE refunds: principal and interest) and REV-603 (refund
status). Headers match case- and space-insensitively; dates are MM/DD/YYYY
or YYYY-MM-DD; entry numbers with or without dashes. --map names the columns
of any other layout (fields: entry_number, entry_type, entry_date, importer,
line_number, hts, origin, value, duty, liquidation_status, liquidation_date,
deposit_date, port, reconciliation, reconciliation_filed, drawback, protest,
adcvd, refund_number, declaration, principal, interest, status, status_date).

Importing a report again updates its entries (their lines are replaced by the
report's); a column the report lacks keeps what the ledger holds. Every bad
row is reported with its line and column, and then nothing of that file is
stored.`,
		Example: `  levy refunds import es003-2025.csv es003-2026.csv
  levy refunds import broker.csv --map "entry_number=Entry Summary No,duty=Line Duty"
  levy refunds import lines.csv --kind batch --importer 12-3456789AB`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			asOf, err := rf.asOfDate()
			if err != nil {
				return err
			}
			m, err := ace.ParseMap(maps)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			opt := ace.Options{Map: m, AsOf: asOf, Kind: ace.Kind(kind), Importer: importer}
			if kind != "" && !validKind(kind) {
				return withCode(ExitUsage, fmt.Errorf("--kind %q: use es003, batch, es022 or rev603", kind))
			}
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			ro, err := lv.RefundOptions()
			if err != nil {
				return withCode(ExitData, err)
			}
			opt.CheckHTS, opt.Snapshot = lv.CheckHTS(ro.Headings), ro.Snapshot
			l, err := rf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer l.Close()
			failed := false
			for _, path := range args {
				if err := importFile(cmd.Context(), app, rf, l, path, opt, !noProgress); err != nil {
					var ie *ledger.ImportError
					if !errors.As(err, &ie) {
						return err
					}
					fmt.Fprintln(app.Stderr, "levy:", err)
					failed = true
				}
			}
			if failed {
				return &codeError{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "report layout: es003, batch, es022 or rev603 (default: from the header)")
	cmd.Flags().StringArrayVar(&maps, "map", nil, "field=Header Name for a column of another layout (repeatable, or comma-separated)")
	cmd.Flags().StringVar(&importer, "importer", "", "importer of record of rows that name none (levy batch CSV)")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "never show a progress bar")
	return cmd
}

func validKind(k string) bool {
	for _, x := range ace.Kinds {
		if string(x) == k {
			return true
		}
	}
	return false
}

func importFile(ctx context.Context, app *App, rf *refundsFlags, l *ledger.DB, path string, opt ace.Options, progress bool) error {
	var in io.Reader = app.Stdin
	var size int64 = -1
	name := "standard input"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in, name = f, path
	}
	var bar *progressbar.ProgressBar
	if progress && isTTY(app.Stderr) {
		bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(app.Stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("importing "+name), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		pr := progressbar.NewReader(in, bar)
		in = &pr
	}
	r, err := ace.NewReader(in, opt)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("%s: %w", name, err))
	}
	start := time.Now()
	var stats *ledger.ImportStats
	switch r.Kind {
	case ace.ES022, ace.REV603:
		stats, err = l.ImportRefunds(ctx, string(r.Kind), name, rf.stamp(), r.NextRefund)
	default:
		stats, err = l.ImportEntries(ctx, string(r.Kind), name, rf.stamp(), r.Next)
	}
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		var ie *ledger.ImportError
		if errors.As(err, &ie) {
			return err
		}
		return withCode(ExitData, fmt.Errorf("%s: %w", name, err))
	}
	took := time.Since(start)
	if app.JSON {
		return writeJSON(app.Stdout, map[string]any{"file": name, "kind": r.Kind, "rows": stats.Rows, "entries": stats.Entries, "import": stats.ID})
	}
	fmt.Fprintf(app.Stdout, "%s: %s, %d rows, %d entries imported into %s (%s)\n", name, r.Kind, stats.Rows, stats.Entries, l.Name, took.Round(time.Millisecond))
	return nil
}
