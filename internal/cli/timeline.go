package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/render"
	"github.com/spf13/cobra"
)

func init() { register(newTimelineCmd) }

type timelineView struct {
	HTS      string        `json:"hts"`
	Origin   string        `json:"origin"`
	Value    string        `json:"value"`
	Readings []readingView `json:"readings"`
}

type readingView struct {
	Reading  string        `json:"reading"`
	KnownOn  string        `json:"known_on,omitempty"`
	Segments []segmentView `json:"segments"`
}

type segmentView struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Duty     string   `json:"duty"`
	Rate     string   `json:"effective_rate"`
	Headings []string `json:"headings"`
	Layers   []string `json:"layers"`
}

func newTimelineCmd(app *App) *cobra.Command {
	var in engine.Input
	var from, to, knownOn, out, scenario string
	var asCSV bool
	cmd := &cobra.Command{
		Use:   "timeline --hts CODE --origin CC --from D --to D [--known-on D] [--out chart.svg]",
		Short: "How the duty on a product from a country moved, as a table and a chart",
		Long: `Assess the line on every date any rule changes and print the runs of equal duty:
as collected (each entry read as the law stood that day) and, with --known-on,
as the law is known on that date (retroactive changes and court rulings
applied). --out writes an SVG step chart of both readings.`,
		Example: `  levy timeline --hts 9506.62.80.20 --origin JP --from 2025-01-01 --to 2026-10-31
  levy timeline --hts 9506.62.80.20 --origin JP --from 2025-01-01 --to 2026-10-31 --known-on 2026-11-29 --out japan.svg
  levy timeline --hts 8703.23.01.30 --origin JP --from 2025-01-01 --to 2026-10-31 --json
  levy timeline --hts 6110.20.20.20 --origin CN --from 2025-01-01 --to 2026-10-31 --csv > sweaters.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.Value == "" {
				in.Value = "10000"
			}
			in.EntryDate = from
			q, err := in.Parse()
			if err != nil {
				return inputError(err)
			}
			f, err := date.Parse(from)
			if err != nil {
				return withCode(ExitUsage, fmt.Errorf("--from: %w", err))
			}
			t, err := date.Parse(to)
			if err != nil {
				return withCode(ExitUsage, fmt.Errorf("--to: %w", err))
			}
			if t < f {
				return withCode(ExitUsage, fmt.Errorf("--to %s is before --from %s", t, f))
			}
			snap, err := app.Snapshot(scenario)
			if err != nil {
				return err
			}
			readings := []struct {
				name  string
				known date.Date
			}{{"as collected", date.None}}
			if knownOn != "" {
				k, err := date.Parse(knownOn)
				if err != nil {
					return withCode(ExitUsage, fmt.Errorf("--known-on: %w", err))
				}
				readings = append(readings, struct {
					name  string
					known date.Date
				}{"as known on " + k.String(), k})
			}
			view := timelineView{HTS: q.HTS, Origin: q.Origin, Value: money.Format(q.Value)}
			var series []render.Series
			for _, r := range readings {
				segs, err := snap.Timeline(q, f, t, r.known)
				if err != nil {
					return inputError(err)
				}
				rv := readingView{Reading: r.name}
				if r.known != date.None {
					rv.KnownOn = r.known.String()
				}
				s := render.Series{Name: r.name}
				for _, sg := range segs {
					rv.Segments = append(rv.Segments, segmentView{From: sg.From.String(), To: sg.To.AddDays(-1).String(),
						Duty: money.Format(sg.Duty), Rate: sg.Rate.Round(2).String(), Headings: nonNil(sg.Headings), Layers: sg.Layers})
					v, _ := sg.Rate.Float64()
					s.Steps = append(s.Steps, render.Step{From: sg.From.Time(), To: sg.To.Time(), Value: v})
				}
				view.Readings = append(view.Readings, rv)
				series = append(series, s)
			}
			if out != "" {
				fh, err := createOut(out)
				if err != nil {
					return err
				}
				title := fmt.Sprintf("Duty on %s from %s, %% of value", q.HTS, q.Origin)
				if err := render.StepChartSVG(fh, title, series); err != nil {
					fh.abort()
					return withCode(ExitOutput, err)
				}
				if err := fh.commit(); err != nil {
					return err
				}
			}
			if app.JSON {
				return writeJSON(app.Stdout, view)
			}
			if asCSV {
				return timelineCSV(app.Stdout, view)
			}
			printTimeline(app.Stdout, view, series)
			if out != "" {
				fmt.Fprintf(app.Stdout, "\nchart written to %s\n", out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.HTS, "hts", "", "HTS number, 8 or 10 digits")
	f.StringVar(&in.Origin, "origin", "", "country of origin (ISO alpha-2)")
	f.StringVar(&in.Value, "value", "10000", "customs value (only matters for specific rates and fees)")
	f.StringVar(&in.Quantity, "quantity", "", "quantity, for specific rates")
	f.StringVar(&in.Unit, "unit", "", "unit of the quantity")
	f.StringVar(&in.Program, "program", "", "special program claimed")
	f.StringVar(&from, "from", "2025-01-01", "first entry date")
	f.StringVar(&to, "to", "", "last entry date")
	f.StringVar(&knownOn, "known-on", "", "also show the timeline as the law is known on this date")
	f.StringVar(&out, "out", "", "write an SVG step chart to this file")
	f.StringVar(&scenario, "scenario", "", "under a scenario instead of enacted law")
	f.BoolVar(&asCSV, "csv", false, "print the segments as CSV")
	cmd.MarkFlagRequired("to")
	return cmd
}

func timelineCSV(w io.Writer, v timelineView) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"hts", "origin", "reading", "from", "to", "effective_rate", "duty", "headings", "layers"})
	for _, r := range v.Readings {
		for _, s := range r.Segments {
			cw.Write([]string{v.HTS, v.Origin, r.Reading, s.From, s.To, s.Rate, s.Duty, strings.Join(s.Headings, ";"), strings.Join(s.Layers, " + ")})
		}
	}
	cw.Flush()
	return cw.Error()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func printTimeline(w io.Writer, v timelineView, series []render.Series) {
	for i, r := range v.Readings {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s from %s, %s (value %s)\n", v.HTS, v.Origin, r.Reading, v.Value)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "FROM\tTO\tRATE\tDUTY\tLAYERS")
		for _, s := range r.Segments {
			fmt.Fprintf(tw, "%s\t%s\t%s%%\t%s\t%s\n", s.From, s.To, s.Rate, s.Duty, strings.Join(s.Layers, " + "))
		}
		tw.Flush()
		fmt.Fprintln(w)
		render.TextBars(w, series[i], 40)
	}
}
