package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

func init() { register(newBatchCmd) }

func newBatchCmd(app *App) *cobra.Command {
	var outPath, inFmt, outFmt, knownOn, scenario string
	var noProgress, ignoreUnknown bool
	cmd := &cobra.Command{
		Use:   "batch IN.csv|IN.jsonl|- [-o OUT]",
		Short: "Assess a file of import lines (CSV or JSON Lines), streaming",
		Long: `Assess every row of a CSV or JSON Lines file and write one result row per input
row: id, duty, fees, total, effective_rate, headings, report_headings,
warnings, error. Columns are read by header name (id, hts, origin,
entry_date, export_date, known_on, value, quantity, unit, program, mode,
entry_id, steel_value, aluminum_value, copper_value, us_content_value);
the bulk format SKU, HTS, Value, Origin, Entry Date is accepted too.

A bad row gets its error with its line number and the rest go on; the exit
code is 1 when any row failed. With --known-on every row is also read as the
law was known on that date: what was owed then, what is owed now, and the
difference (a refund when negative).`,
		Example: `  levy batch entries.csv -o duties.csv
  levy batch entries.jsonl --out-format jsonl > duties.jsonl
  levy batch entries.csv --known-on 2026-03-01 -o refunds.csv
  cat entries.csv | levy batch - > duties.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := batch.Options{KnownOn: date.None, IgnoreUnknownColumns: ignoreUnknown}
			var err error
			if opt.InFormat, err = format(inFmt, args[0]); err != nil {
				return withCode(ExitUsage, err)
			}
			if opt.OutFormat, err = format(outFmt, outPath); err != nil {
				return withCode(ExitUsage, err)
			}
			if knownOn != "" {
				if opt.KnownOn, err = date.Parse(knownOn); err != nil {
					return withCode(ExitUsage, fmt.Errorf("--known-on: %w", err))
				}
			}
			snap, err := app.Snapshot(scenario)
			if err != nil {
				return err
			}
			var in io.Reader = app.Stdin
			var size int64 = -1
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return withCode(ExitUsage, err)
				}
				defer f.Close()
				if st, err := f.Stat(); err == nil {
					size = st.Size()
				}
				in = f
			}
			out := app.Stdout
			var outFile *os.File
			if outPath != "" && outPath != "-" {
				f, err := os.Create(outPath)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				defer f.Close()
				out, outFile = f, f
			}
			var bar *progressbar.ProgressBar
			if !noProgress && isTTY(app.Stderr) {
				bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(app.Stderr),
					progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("assessing"),
					progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true),
					progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
				opt.Progress = func(n int64) { bar.Set64(n) }
			}
			sum, err := batch.Run(app.Ctx, snap, in, out, opt)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return withCode(ExitData, err)
			}
			if outFile != nil {
				if err := outFile.Close(); err != nil {
					return withCode(ExitData, fmt.Errorf("writing %s: %w", outPath, err))
				}
			}
			printSummary(app.Stderr, sum, opt.KnownOn)
			if sum.Failed > 0 {
				return &codeError{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outPath, "output", "o", "", "write results to this file (default: standard output)")
	cmd.Flags().StringVar(&inFmt, "in-format", "", "input format: csv or jsonl (default: from the file name, else csv)")
	cmd.Flags().StringVar(&outFmt, "out-format", "", "output format: csv or jsonl (default: from the output name, else csv)")
	cmd.Flags().StringVar(&knownOn, "known-on", "", "refund view: also read every row as the law was known on this date")
	cmd.Flags().StringVar(&scenario, "scenario", "", "assess under a scenario instead of enacted law")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "never show a progress bar")
	cmd.Flags().BoolVar(&ignoreUnknown, "ignore-unknown-columns", false, "pass over columns levy does not read (listed as a warning) instead of refusing the file")
	return cmd
}

func format(flag, name string) (batch.Format, error) {
	switch strings.ToLower(flag) {
	case "csv":
		return batch.CSV, nil
	case "jsonl", "ndjson":
		return batch.JSONL, nil
	case "":
		if strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson") {
			return batch.JSONL, nil
		}
		return batch.CSV, nil
	}
	return 0, fmt.Errorf("format %q: use csv or jsonl", flag)
}

func printSummary(w io.Writer, s *batch.Summary, knownOn date.Date) {
	fmt.Fprintf(w, "%d rows, %d failed; duty %s, fees %s\n", s.Rows, s.Failed, money.Format(s.Duty), money.Format(s.Fees))
	if len(s.Ignored) > 0 {
		fmt.Fprintf(w, "warning: unknown columns passed over (--ignore-unknown-columns): %s\n", ignoredText(s.Ignored))
	}
	for _, f := range s.Families() {
		if s.ByFamily[f].IsZero() {
			continue
		}
		fmt.Fprintf(w, "  %-24s %14s\n", f, money.Format(s.ByFamily[f]))
	}
	if knownOn != date.None && knownOn != 0 {
		d, _ := s.DutyNow.Sub(s.DutyThen)
		what := "no change"
		switch {
		case d.IsNeg():
			what = "overpaid: a refund for entries not finally liquidated"
		case d.IsPos():
			what = "underpaid: an extra bill"
		}
		fmt.Fprintf(w, "as collected %s; as known on %s %s; difference %s (%s)\n", money.Format(s.DutyThen), knownOn, money.Format(s.DutyNow), money.Format(d), what)
	}
}

func ignoredText(us []batch.UnknownColumn) string {
	parts := make([]string, len(us))
	for i, u := range us {
		parts[i] = u.String()
	}
	return strings.Join(parts, ", ")
}
