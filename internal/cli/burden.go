package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/spf13/cobra"
)

func init() { register(newBurdenCmd) }

type groupView struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Value string `json:"value"`
	Duty  string `json:"duty"`
	Rate  string `json:"effective_rate"`
}

func newBurdenCmd(app *App) *cobra.Command {
	var on, knownOn, scenario, metalShare, usmcaShare string
	var top int
	cmd := &cobra.Command{
		Use:   "burden IMPORTS.csv[.gz] --date D [--known-on D]",
		Short: "Trade-weighted effective tariff rate and duty by partner and product group",
		Long: `Assess every row of a file of import values (HTS-10 × country, such as the
Census Bureau's imports by HTS-10 and country) on one entry date and total
the duty: the trade-weighted effective tariff rate overall, by partner, by HS
section and by chapter. Columns: hts (or hts10), origin (ISO code) or
cty_name/country (name), value (or con_val_usd). Rows levy cannot assess (a
number not in the schedule, a specific rate with no quantity) are counted
apart and their value shown, never treated as duty-free.`,
		Example: `  levy --schedule hts_2026_rev_10.json.gz burden imports_2025.csv.gz --date 2025-10-01
  levy --schedule hts_2026_rev_10.json.gz burden imports_2025.csv.gz --date 2025-10-01 --known-on 2026-11-29 --json
  levy --schedule hts_2026_rev_10.json.gz burden imports_2025.csv.gz --date 2025-10-01 --metal-share 40% --usmca-share 80%`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := date.Parse(on)
			if err != nil {
				return withCode(ExitUsage, fmt.Errorf("--date: %w", err))
			}
			k := date.None
			if knownOn != "" {
				if k, err = date.Parse(knownOn); err != nil {
					return withCode(ExitUsage, fmt.Errorf("--known-on: %w", err))
				}
			}
			snap, err := app.Snapshot(scenario)
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			defer f.Close()
			opt := burden.Options{Date: d, KnownOn: k}
			if metalShare != "" {
				if opt.MetalShare, err = shareFlag("--metal-share", metalShare); err != nil {
					return withCode(ExitUsage, err)
				}
				opt.HasMetalShare = true
			}
			if usmcaShare != "" {
				if opt.USMCAShare, err = shareFlag("--usmca-share", usmcaShare); err != nil {
					return withCode(ExitUsage, err)
				}
			}
			res, err := burden.RunWith(app.Ctx, snap, f, opt)
			if err != nil {
				return batchRunError(app, err, args[0])
			}
			views := func(m map[string]*burden.Group) []groupView {
				var out []groupView
				for _, g := range burden.Top(m, top) {
					out = append(out, groupView{g.Key, g.Name, money.Format(g.Value), money.Format(g.Duty), g.Rate().String()})
				}
				return out
			}
			skipped := map[string]string{}
			for k, v := range res.Skipped {
				skipped[k] = money.Format(v)
			}
			if app.JSON {
				return writeJSON(app.Stdout, map[string]any{"date": d.String(), "known_on": k.String(), "rows": res.Rows,
					"value": money.Format(res.Value), "duty": money.Format(res.Duty), "effective_rate": res.Rate().String(),
					"skipped_value": skipped, "bad_rows": append([]string{}, res.BadRows...), "partners": views(res.Partners), "sections": views(res.Sections), "chapters": views(res.Chapters)})
			}
			reading := "as collected"
			if k != date.None {
				reading = "as known on " + k.String()
			}
			fmt.Fprintf(app.Stdout, "entries of %s, %s: %d rows\n", d, reading, res.Rows)
			fmt.Fprintf(app.Stdout, "assessed imports %s, duty %s, effective tariff rate %s%%\n", money.Format(res.Value), money.Format(res.Duty), res.Rate())
			var reasons []string
			for r := range res.Skipped {
				reasons = append(reasons, r)
			}
			sort.Strings(reasons)
			for _, r := range reasons {
				fmt.Fprintf(app.Stdout, "not assessed (%s): %s\n", r, skipped[r])
			}
			if n := len(res.BadRows); n > 0 {
				fmt.Fprintf(app.Stdout, "%d rows could not be read, first: %s\n", n, res.BadRows[0])
			}
			for _, t := range []struct {
				title string
				rows  []groupView
			}{{"partners", views(res.Partners)}, {"HS sections", views(res.Sections)}} {
				fmt.Fprintf(app.Stdout, "\n%s\n", t.title)
				printGroups(app.Stdout, t.rows)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&on, "date", "", "entry date to assess every row on (YYYY-MM-DD)")
	cmd.Flags().StringVar(&knownOn, "known-on", "", "read the law as known on this date (default: as collected)")
	cmd.Flags().StringVar(&scenario, "scenario", "", "under a scenario instead of enacted law")
	cmd.Flags().IntVar(&top, "top", 15, "show the largest N groups (0: all)")
	cmd.Flags().StringVar(&metalShare, "metal-share", "", "take this share of value as the metal content of every line (e.g. 40%); default: full value, as CBP reads undeclared content")
	cmd.Flags().StringVar(&usmcaShare, "usmca-share", "", "take this share of Canadian and Mexican imports as claimed under USMCA (e.g. 80%); default: none")
	cmd.MarkFlagRequired("date")
	return cmd
}

func printGroups(w io.Writer, rows []groupView) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "KEY\tNAME\t%18s\t%16s\t%7s\n", "IMPORTS", "DUTY", "RATE")
	for _, g := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%18s\t%16s\t%6s%%\n", g.Key, g.Name, g.Value, g.Duty, g.Rate)
	}
	tw.Flush()
}

// shareFlag reads a share written "40%" or "0.4" as a fraction from 0 to 1.
func shareFlag(name, text string) (money.Decimal, error) {
	t := strings.TrimSpace(text)
	pct := strings.HasSuffix(t, "%")
	v, err := money.Parse(strings.TrimSuffix(t, "%"))
	if err == nil && pct {
		v, err = v.Quo(money.Hundred)
	}
	if err != nil || v.IsNeg() || money.One.Less(v) {
		return money.Zero, fmt.Errorf("%s %q: want a share from 0%% to 100%%", name, text)
	}
	return v, nil
}
