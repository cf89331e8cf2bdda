package cli

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/measure"
	"github.com/spf13/cobra"
)

func init() { register(newMeasuresCmd) }

func newMeasuresCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "measures",
		Short: "Check, list and explain the measure pack",
		Example: `  levy measures check
  levy measures check ./my-measures
  levy measures list --family ieepa-reciprocal
  levy measures coverage
  levy measures scenarios`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check [DIR]",
		Short: "Parse, check and compile rule files; report every problem as file:line:col",
		Example: `  levy measures check
  levy measures check ./measures`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := app.Measures
			if len(args) == 1 {
				dir = args[0]
			}
			set, err := levy.LoadRules(dir)
			if err != nil {
				return withCode(ExitData, err)
			}
			sched, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			snaps := 0
			for _, sc := range append([]string{""}, engine.ScenarioNames(set)...) {
				if _, err := engine.Compile(sched, set, sc); err != nil {
					return withCode(ExitData, err)
				}
				snaps++
			}
			where := dir
			if where == "" {
				where = "embedded measure pack"
			}
			if app.JSON {
				return writeJSON(app.Stdout, map[string]any{"source": where, "ok": true, "files": len(set.Files), "measures": len(set.Measures),
					"lists": len(set.Lists), "stacking_rules": len(set.Stacking), "fees": len(set.Fees), "scenarios": len(set.Scenarios), "snapshots": snaps})
			}
			fmt.Fprintf(app.Stdout, "%s: %d files, %d measures, %d lists, %d stacking rules, %d fees, %d scenarios: ok\n",
				where, len(set.Files), len(set.Measures), len(set.Lists), len(set.Stacking), len(set.Fees), len(set.Scenarios))
			return nil
		},
	})
	var family string
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the enacted measures with heading, dates, rate and instrument",
		Example: "  levy measures list --family s232-autos\n  levy measures list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			var ms []*measure.Measure
			for _, m := range lv.Rules.Measures {
				if family == "" || m.Family == family {
					ms = append(ms, m)
				}
			}
			if app.JSON {
				return writeJSON(app.Stdout, measureViews(ms))
			}
			tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "HEADING\tID\tFROM\tTO\tRATE\tCOUNTRIES\tINSTRUMENT")
			for _, v := range measureViews(ms) {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Heading, v.ID, v.From, orOpen(v.To), v.Rate, v.Countries, v.Instrument)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&family, "family", "", "only measures of this family")
	cmd.AddCommand(list)
	cmd.AddCommand(&cobra.Command{
		Use:     "scenarios",
		Short:   "List the scenarios (announced or hypothetical measures) that compare and assess accept",
		Example: "  levy measures scenarios",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			type sv struct {
				ID, Title, Description string
				Measures               int
			}
			var out []sv
			for _, id := range engine.ScenarioNames(lv.Rules) {
				sc := lv.Rules.Scenarios[id]
				out = append(out, sv{id, sc.Scenario.Title, sc.Scenario.Description, len(sc.Measures)})
			}
			if app.JSON {
				return writeJSON(app.Stdout, out)
			}
			for _, s := range out {
				fmt.Fprintf(app.Stdout, "%-22s %s (%d measures)\n", s.ID, s.Title, s.Measures)
			}
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:     "coverage",
		Short:   "For each measure: where its product scope comes from, whether it is complete, its confidence",
		Example: "  levy measures coverage",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			snap, err := lv.Snapshot("")
			if err != nil {
				return err
			}
			rows := coverage(lv.Rules)
			from, basis, gaps := coverageStatement(lv.Rules, snap)
			if app.JSON {
				return writeJSON(app.Stdout, map[string]any{"coverage_from": from, "horizon": snap.Horizon.String(),
					"horizon_basis": basis, "not_modelled": gaps, "measures": rows})
			}
			if from != "" {
				fmt.Fprintf(app.Stdout, "coverage start: %s (assessments before it warn)\n", from)
			}
			fmt.Fprintf(app.Stdout, "data horizon: %s (assessments after it warn)\n", snap.Horizon)
			if basis != "" {
				fmt.Fprintf(app.Stdout, "  rests on: %s\n", basis)
			}
			for _, g := range gaps {
				fmt.Fprintf(app.Stdout, "not modelled: %s: %s\n", g.Title, g.Reason)
			}
			fmt.Fprintln(app.Stdout)
			tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "HEADING\tID\tSCOPE FROM\tCOMPLETE\tCONFIDENCE")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Heading, r.ID, r.Scope, r.Complete, r.Confidence)
			}
			return tw.Flush()
		},
	})
	return cmd
}

func orOpen(s string) string {
	if s == "" {
		return "open"
	}
	return s
}

func measureViews(ms []*measure.Measure) []measure.Summary {
	var out []measure.Summary
	for _, m := range ms {
		out = append(out, m.Summary())
	}
	return out
}

type gapView struct {
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// coverageStatement returns the coverage start, what the horizon rests on
// and the duties levy does not model, as the rules state them.
func coverageStatement(set *measure.Set, snap *engine.Snapshot) (from, basis string, gaps []gapView) {
	c := set.Coverage
	if c == nil {
		return "", "", nil
	}
	if !snap.CoverageFrom.IsNone() {
		from = snap.CoverageFrom.String()
	}
	for _, g := range c.NotModelled {
		gaps = append(gaps, gapView{g.Title, g.Reason})
	}
	return from, c.HorizonBasis, gaps
}

type coverageRow struct {
	ID         string `json:"id"`
	Heading    string `json:"heading"`
	Scope      string `json:"scope"`
	Complete   string `json:"complete"`
	Confidence string `json:"confidence"`
}

func coverage(set *measure.Set) []coverageRow {
	var out []coverageRow
	for _, m := range set.Measures {
		r := coverageRow{ID: m.ID, Heading: m.Heading, Confidence: m.Confidence, Complete: "yes"}
		var parts []string
		p := m.Products
		if p.All {
			parts = append(parts, "all products")
		}
		if len(p.Include) > 0 {
			parts = append(parts, fmt.Sprintf("%d HTS prefixes", len(p.Include)))
		}
		for _, id := range p.Lists {
			l := set.Lists[id]
			parts = append(parts, fmt.Sprintf("list %s (%d items, %s)", id, len(l.Items), l.Authority.Instrument))
			if l.Complete != nil && !*l.Complete {
				r.Complete = "no: list " + id + " is partial"
			}
		}
		if len(p.Footnotes) > 0 {
			parts = append(parts, "schedule footnotes citing "+strings.Join(p.Footnotes, ", "))
		}
		for _, id := range p.ExceptLists {
			parts = append(parts, "except list "+id)
		}
		for _, e := range m.Exemptions {
			if e.Products == nil {
				continue
			}
			for _, id := range e.Products.Lists {
				if l := set.Lists[id]; l.Complete != nil && !*l.Complete && r.Complete == "yes" {
					r.Complete = "no: exemption list " + id + " is partial"
				}
			}
		}
		r.Scope = strings.Join(parts, "; ")
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Heading < out[j].Heading })
	return out
}
