package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
	"github.com/spf13/cobra"
)

func init() { register(newCompareCmd) }

func newCompareCmd(app *App) *cobra.Command {
	var in engine.Input
	var scenarios string
	cmd := &cobra.Command{
		Use:   "compare --hts CODE --origin CC --entry-date D --value V --scenario A,B",
		Short: "Enacted law beside announced or hypothetical scenarios",
		Long: `Assess one line under enacted law and under each named scenario (announced
letters, threats, rates as if never paused) and lay them side by side with the
difference from enacted law. levy measures scenarios lists the scenarios.`,
		Example: `  levy compare --hts 8703.23.01.30 --origin JP --entry-date 2025-08-15 --value 40000 --scenario letters-2025-07-07,japan-35
  levy compare --hts 9503.00.00.90 --origin JP --entry-date 2025-08-15 --value 10000 --scenario letters-2025-07-07,japan-35 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := in.Parse()
			if err != nil {
				return inputError(err)
			}
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			var names []string
			for _, s := range strings.Split(scenarios, ",") {
				if s = strings.TrimSpace(s); s != "" {
					names = append(names, s)
				}
			}
			cs, err := lv.Compare(q, names)
			if err != nil {
				var e *engine.Error
				if errors.As(err, &e) {
					return inputError(err)
				}
				return withCode(ExitNotFound, err)
			}
			type cv struct {
				Scenario   string      `json:"scenario"`
				Title      string      `json:"title"`
				Difference string      `json:"difference"`
				Assessment engine.View `json:"assessment"`
			}
			var out []cv
			for _, c := range cs {
				out = append(out, cv{c.Scenario, c.Title, money.Format(c.Difference), c.Assessment.View()})
			}
			if app.JSON {
				return writeJSON(app.Stdout, out)
			}
			fmt.Fprintf(app.Stdout, "%s from %s entered %s, value %s\n\n", cs[0].Assessment.Line, q.Origin, q.EntryDate, money.Format(q.Value))
			tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "READING\tDUTY\tRATE\tVS ENACTED\tHEADINGS")
			for _, c := range out {
				name := c.Scenario
				if name == "" {
					name = "enacted"
				}
				diff := c.Difference
				if !strings.HasPrefix(diff, "-") && diff != "0.00" {
					diff = "+" + diff
				}
				fmt.Fprintf(tw, "%s\t%s\t%s%%\t%s\t%s\n", name, c.Assessment.Duty, c.Assessment.EffectiveRate, diff, strings.Join(c.Assessment.Headings, ", "))
			}
			tw.Flush()
			fmt.Fprintln(app.Stdout)
			for _, c := range out[1:] {
				fmt.Fprintf(app.Stdout, "%s: %s\n", c.Scenario, c.Title)
			}
			return nil
		},
	}
	queryFlags(cmd, &in)
	cmd.Flags().StringVar(&scenarios, "scenario", "", "comma-separated scenario names")
	return cmd
}
