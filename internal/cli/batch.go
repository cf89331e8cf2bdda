package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
		Use:   "batch IN.csv|IN.jsonl|IN.json|- [-o OUT]",
		Short: "Assess a file of import lines (CSV, JSON Lines or a JSON array, .gz too), streaming",
		Long: `Assess every row of a CSV, JSON Lines or JSON array file (gzipped or not) and
write one result row per input row: id, duty, fees, total, effective_rate,
headings, report_headings, warnings, error. Columns are read by header name
(id, hts, origin, entry_date, export_date, known_on, value, quantity, unit,
program, mode, entry_id, steel_value, aluminum_value, copper_value,
us_content_value, informal, de_minimis, claims); the bulk format SKU, HTS,
Value, Origin, Entry Date is accepted too. Columns named expect_*, note,
notes, comment(s) or description are passed over by design.

Any other column is an error that names it and the nearest column levy
reads: a misspelt steel_value would otherwise change the duty without a
word. --ignore-unknown-columns passes over such columns instead and says so
in the summary. In JSON rows an unknown or repeated field fails that row.

A bad row gets its error with its line number and the rest go on; the exit
code is 1 when any row failed. With --known-on every row is also read as the
law was known on that date: what was owed then, what is owed now, and the
difference (a refund when negative).

-o writes to a temporary file renamed over OUT only when the run finishes,
so a failed or interrupted run leaves an existing OUT as it was; OUT.gz is
written gzipped. With --json the output is JSON Lines (unless -o names a
.csv file or --out-format says otherwise) and the summary is one JSON object
on stderr.`,
		Example: `  levy batch entries.csv -o duties.csv
  levy batch entries.csv.gz -o duties.csv.gz
  levy batch entries.jsonl --out-format jsonl > duties.jsonl
  levy batch entries.csv --known-on 2026-03-01 -o refunds.csv
  levy batch entries.csv --json 2>summary.json >duties.jsonl
  cat entries.csv | levy batch - > duties.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := batch.Options{KnownOn: date.None, IgnoreUnknownColumns: ignoreUnknown}
			var err error
			if opt.InFormat, err = format(inFmt, args[0], true); err != nil {
				return withCode(ExitUsage, err)
			}
			if outFmt == "" && app.JSON && !strings.HasSuffix(strings.TrimSuffix(outPath, ".gz"), ".csv") {
				outFmt = "jsonl"
			}
			if opt.OutFormat, err = format(outFmt, outPath, false); err != nil {
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
			in, size, closeIn, err := openIn(app, args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			var out io.Writer = app.Stdout
			var file *outFile
			if outPath != "" && outPath != "-" {
				if file, err = createOut(outPath); err != nil {
					return err
				}
				defer file.abort() // a no-op once committed
				out = file
			}
			var bar *progressbar.ProgressBar
			if !noProgress && !app.JSON && isTTY(app.Stderr) {
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
				return batchRunError(app, err, args[0])
			}
			if file != nil {
				if err := file.commit(); err != nil {
					return err
				}
			}
			if app.JSON {
				b, _ := json.Marshal(summaryView(sum, opt.KnownOn, outPath))
				fmt.Fprintf(app.Stderr, "%s\n", b)
			} else {
				printSummary(app.Stderr, sum, opt.KnownOn)
			}
			if sum.Failed > 0 {
				return &codeError{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outPath, "output", "o", "", "write results to this file (default: standard output)")
	cmd.Flags().StringVar(&inFmt, "in-format", "", "input format: csv, jsonl or json (default: from the file name, else csv)")
	cmd.Flags().StringVar(&outFmt, "out-format", "", "output format: csv or jsonl (default: from the output name, else csv)")
	cmd.Flags().StringVar(&knownOn, "known-on", "", "refund view: also read every row as the law was known on this date")
	cmd.Flags().StringVar(&scenario, "scenario", "", "assess under a scenario instead of enacted law")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "never show a progress bar")
	cmd.Flags().BoolVar(&ignoreUnknown, "ignore-unknown-columns", false, "pass over columns levy does not read (listed as a warning) instead of refusing the file")
	return cmd
}

// format picks a file format from a flag or, failing that, the file name
// (.gz aside): .jsonl and .ndjson are JSON Lines, .json (input only) a
// JSON array, anything else CSV.
func format(flag, name string, input bool) (batch.Format, error) {
	switch strings.ToLower(flag) {
	case "csv":
		return batch.CSV, nil
	case "jsonl", "ndjson":
		return batch.JSONL, nil
	case "json":
		if input {
			return batch.JSONArray, nil
		}
	case "":
		name = strings.TrimSuffix(name, ".gz")
		switch {
		case strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson"):
			return batch.JSONL, nil
		case input && strings.HasSuffix(name, ".json"):
			return batch.JSONArray, nil
		}
		return batch.CSV, nil
	}
	if input {
		return 0, fmt.Errorf("--in-format %q: use csv, jsonl or json", flag)
	}
	return 0, fmt.Errorf("--out-format %q: use csv or jsonl", flag)
}

// batchRunError gives a run that stopped its exit code: interrupted,
// output not written, or input levy cannot read (a bad header, broken
// JSON, a file that ends in error); the rows before it were written to
// standard output, but an -o file is left as it was.
func batchRunError(app *App, err error, name string) error {
	var (
		he *batch.HeaderError
		oe *batch.OutputError
	)
	switch {
	case app.Ctx != nil && app.Ctx.Err() != nil:
		return withCode(ExitInterrupted, fmt.Errorf("interrupted; no output file was written: %w", err))
	case errors.As(err, &oe):
		return withCode(ExitOutput, err)
	case errors.As(err, &he):
		return withCode(ExitUsage, fmt.Errorf("%s: %w; rename the column, or pass --ignore-unknown-columns to skip unknown ones", name, err))
	}
	return withCode(ExitUsage, fmt.Errorf("%s: %w", name, err))
}

// batchSummaryView is what `levy batch --json` prints on stderr.
type batchSummaryView struct {
	Output    string            `json:"output,omitempty"`
	Rows      int               `json:"rows"`
	Failed    int               `json:"failed"`
	Duty      string            `json:"duty"`
	Fees      string            `json:"fees"`
	ByFamily  map[string]string `json:"duty_by_family"`
	Questions int               `json:"questions"`
	Warnings  []string          `json:"warnings"`
	KnownOn   string            `json:"known_on,omitempty"`
	DutyThen  string            `json:"duty_as_collected,omitempty"`
	DutyNow   string            `json:"duty_as_known,omitempty"`
	Diff      string            `json:"difference,omitempty"`
}

func summaryView(s *batch.Summary, knownOn date.Date, out string) batchSummaryView {
	v := batchSummaryView{Output: out, Rows: s.Rows, Failed: s.Failed, Duty: money.Format(s.Duty), Fees: money.Format(s.Fees),
		ByFamily: map[string]string{}, Questions: s.Questions, Warnings: []string{}}
	for f, d := range s.ByFamily {
		v.ByFamily[f] = money.Format(d)
	}
	if len(s.Ignored) > 0 {
		v.Warnings = append(v.Warnings, "unknown columns passed over (--ignore-unknown-columns): "+ignoredText(s.Ignored))
	}
	if knownOn != date.None && knownOn != 0 {
		d, _ := s.DutyNow.Sub(s.DutyThen)
		v.KnownOn, v.DutyThen, v.DutyNow, v.Diff = knownOn.String(), money.Format(s.DutyThen), money.Format(s.DutyNow), money.Format(d)
	}
	return v
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
