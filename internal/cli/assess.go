package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
	"github.com/spf13/cobra"
)

func init() { register(newAssessCmd) }

// queryFlags binds the flags of one import line.
func queryFlags(cmd *cobra.Command, in *engine.Input) {
	f := cmd.Flags()
	f.StringVar(&in.HTS, "hts", "", "HTS number, 8 or 10 digits (dots optional)")
	f.StringVar(&in.Origin, "origin", "", "country of origin, ISO 3166-1 alpha-2 (e.g. JP)")
	f.StringVar(&in.EntryDate, "entry-date", "", "date of entry for consumption (YYYY-MM-DD)")
	f.StringVar(&in.ExportDate, "export-date", "", "date the goods were loaded for export, for in-transit rules")
	f.StringVar(&in.KnownOn, "known-on", "", "read the law as known on this date (default: the entry date)")
	f.StringVar(&in.Value, "value", "", "customs value in US dollars")
	f.StringVar(&in.Quantity, "quantity", "", "quantity, for specific rates")
	f.StringVar(&in.Unit, "unit", "", "unit of the quantity (kg, liters, No., doz., pr.)")
	f.StringVar(&in.Program, "program", "", "special program claimed (e.g. S+ for USMCA, KR for KORUS)")
	f.StringVar(&in.Mode, "mode", "", "final mode of transport: ocean, air, truck or rail")
	f.StringVar(&in.Steel, "steel-value", "", "value of the steel content")
	f.StringVar(&in.Aluminum, "aluminum-value", "", "value of the aluminum content")
	f.StringVar(&in.Copper, "copper-value", "", "value of the copper content")
	f.StringVar(&in.USContent, "us-content-value", "", "value of the US content")
	f.BoolVar(&in.Informal, "informal", false, "the line is an informal entry (flat MPF)")
	f.BoolVar(&in.DeMinimis, "de-minimis", false, "claim duty-free entry of a shipment of $800 or less (19 USC 1321), where still available")
	f.StringVar(&in.Claims, "claim", "", "declared facts an exemption may need, ';'-separated (e.g. us-data-center)")
}

func newAssessCmd(app *App) *cobra.Command {
	var in engine.Input
	var scenario string
	var explain bool
	cmd := &cobra.Command{
		Use:   "assess --hts CODE --origin CC --entry-date D --value V [flags]",
		Short: "Compute every duty layer of one import line",
		Long: `Assess one import line: the base rate (column 1 general, special or column 2),
every chapter 99 measure in force on the entry date as the law was known on
--known-on, the merchandise processing and harbor maintenance fees, and the
total, each with its legal citation.`,
		Example: `  levy assess --hts 8703.23.01.30 --origin JP --entry-date 2025-09-20 --value 40000
  levy assess --hts 9506.62.80.20 --origin JP --entry-date 2025-08-20 --value 10000 --known-on 2026-03-01
  levy assess --hts 2204.21.50.40 --origin FR --entry-date 2025-09-01 --value 10000 --quantity 1000 --unit liters --json
  levy assess --hts 9503.00.00.90 --origin JP --entry-date 2025-08-15 --export-date 2025-08-01 --mode ocean --value 10000 --explain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := in.Parse()
			if err != nil {
				return inputError(err)
			}
			q.Explain = explain
			snap, err := app.Snapshot(scenario)
			if err != nil {
				return err
			}
			a, err := snap.Assess(&q)
			if err != nil {
				return inputError(err)
			}
			snap.WhatIf(&q, a)
			if app.JSON {
				return writeJSON(app.Stdout, a.View())
			}
			printAssessment(app.Stdout, a, explain, isTTY(app.Stdout))
			return nil
		},
	}
	queryFlags(cmd, &in)
	cmd.Flags().StringVar(&scenario, "scenario", "", "assess under a scenario instead of enacted law (see levy measures scenarios)")
	cmd.Flags().BoolVar(&explain, "explain", false, "say which measures were considered and why each applied or not")
	return cmd
}

// inputError maps an engine error to an exit code.
func inputError(err error) error {
	var e *engine.Error
	if errors.As(err, &e) {
		switch e.Code {
		case engine.CodeNotFound:
			return withCode(ExitNotFound, err)
		case engine.CodeUnknown:
			return withCode(ExitFailure, err)
		}
		return withCode(ExitUsage, err)
	}
	return withCode(ExitFailure, err)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printAssessment(w io.Writer, a *engine.Assessment, explain, color bool) {
	st := styler(color)
	fmt.Fprintf(w, "%s  %s\n", st.bold(a.Line), a.Description)
	fmt.Fprintf(w, "entry %s, law as known on %s, base rate from %s (%s)\n\n", a.EntryDate, a.KnownOn, a.RateLine, a.Column)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "HEADING\tRATE\t%12s\t%12s\tLEGAL BASIS\n", "BASE", "AMOUNT")
	row := func(l engine.Layer) {
		fmt.Fprintf(tw, "%s\t%s\t%12s\t%12s\t%s\n", l.Heading, l.Rate, money.Format(l.Base), money.Format(l.Amount), cite(l))
	}
	for _, l := range a.Layers {
		row(l)
	}
	fmt.Fprintf(tw, "%s\t\t%12s\t%12s\t\n", st.bold("duty"), "", st.bold(money.Format(a.Duty)))
	for _, l := range a.Fees {
		row(l)
	}
	fmt.Fprintf(tw, "%s\t\t%12s\t%12s\t\n", st.bold("total"), "", st.bold(money.Format(a.Total)))
	tw.Flush()
	fmt.Fprintf(w, "\neffective duty rate %s%%", a.EffectiveRate())
	if len(a.Report) > 0 {
		fmt.Fprintf(w, "; headings to report: %s", strings.Join(a.Report, ", "))
	}
	fmt.Fprintln(w)
	for _, x := range a.Warnings {
		fmt.Fprintf(w, "%s %s\n", st.yellow("warning:"), x)
	}
	for _, q := range a.Questions {
		fmt.Fprintf(w, "%s %s: %s; %s", st.yellow("question:"), q.Fact, q.Assumed, q.Otherwise)
		if q.Alternative != "" {
			fmt.Fprintf(w, " (with %s the duty changes by %s)", q.Alternative, q.DutyChange)
		}
		fmt.Fprintln(w)
	}
	if explain {
		fmt.Fprintln(w, "\nmeasures considered:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		other := map[string]int{}
		for _, s := range a.Steps {
			if s.Outcome == "not applicable" {
				other[otherReason(s.Reason)]++
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.Heading, s.Measure, s.Outcome, s.Reason)
		}
		tw.Flush()
		if len(other) > 0 {
			fmt.Fprintln(w, "  the other measures of the pack do not apply to this country, product or entry date (--json lists each with its reason)")
		}
	}
}

func cite(l engine.Layer) string {
	s := l.Title
	if l.Citation != "" {
		s += " — " + l.Citation
	}
	if l.Confidence != "" && l.Confidence != "high" {
		s += " [" + l.Confidence + " confidence]"
	}
	return s
}

func otherReason(r string) string {
	switch {
	case strings.HasPrefix(r, "country"):
		return "country"
	case strings.HasPrefix(r, "product"):
		return "product"
	case strings.HasPrefix(r, "entry date"):
		return "dates"
	}
	return "claims"
}
