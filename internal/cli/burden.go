package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/render"
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

// burdenFlags are the flags of levy burden.
type burdenFlags struct {
	on, from, to, every, knownOn, scenario, metalShare, usmcaShare, weightsYear, out string
	origins                                                                          []string
	top                                                                              int
	csv                                                                              bool
}

func newBurdenCmd(app *App) *cobra.Command {
	var fl burdenFlags
	cmd := &cobra.Command{
		Use:   "burden [IMPORTS.csv[.gz]] (--date D | --from D --to D [--every day|week|month]) [--origin CC]",
		Short: "Trade-weighted effective tariff rate and duty by partner and HS section, on a date or over time",
		Long: `Assess a basket of imports (HTS-10 × country values) and total the duty: the
trade-weighted effective tariff rate overall, by partner and by HS section.

With --from and --to it gives a series, one point every day, week or month:
each period read as collected (every entry date as the law stood that day)
and as the law is known on --known-on (default: today), with the difference,
what is owed back to importers. Each point stands for the period up to the
next; the basket is read as a year of imports arriving evenly, so a month
holds its share of the year and the duties add up over the range. Only the
days on which a rule changes are assessed, in parallel.

The weights are the Census Bureau's imports for consumption by HTS-10 and
country embedded in levy (2024 and 2025): by default each entry date is
weighted by its own year's imports (2026 dates by 2025's); --weights-year
2024 weights every date by one fixed basket. A file replaces them: columns
hts (or hts10), origin (ISO code) or cty_name/country (name), value (or
con_val_usd), such as the Census files.

Rows levy cannot assess (a number not in force on the date, a specific rate with
no quantity, an unknown country) are counted apart with their value, per
point, never treated as duty-free.`,
		Example: `  levy burden --origin JP --from 2025-01-01 --to 2026-10-01 --every month
  levy burden --origin JP --from 2025-01-01 --to 2026-10-01 --every month --known-on 2026-11-29 --out japan.svg
  levy burden --origin CN,VN --from 2025-01-01 --to 2025-12-31 --every week --csv > asia.csv
  levy burden --from 2025-01-01 --to 2026-10-01 --weights-year 2024 --json
  levy burden --date 2025-10-01 --known-on 2026-11-29
  levy --schedule hts_2026_rev_10.json.gz burden imports_2025.csv.gz --date 2025-10-01 --metal-share 40% --usmca-share 80%`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBurden(app, cmd, &fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.on, "date", "", "one entry date to assess every row on (YYYY-MM-DD)")
	f.StringVar(&fl.from, "from", "", "first date of a series")
	f.StringVar(&fl.to, "to", "", "last date a point of the series may fall on")
	f.StringVar(&fl.every, "every", "month", "step of the series: day, week or month")
	f.StringVar(&fl.knownOn, "known-on", "", "read the law as known on this date (series default: today; --date default: as collected)")
	f.StringSliceVar(&fl.origins, "origin", nil, "only imports from these countries (ISO codes or names, comma-separated)")
	f.StringVar(&fl.weightsYear, "weights-year", burden.WeightsEntryYear, "embedded weights: entry (each date by its year's imports) or a year for a fixed basket (2024, 2025)")
	f.StringVar(&fl.scenario, "scenario", "", "under a scenario instead of enacted law")
	f.IntVar(&fl.top, "top", 15, "show the largest N partners and sections (0: all)")
	f.BoolVar(&fl.csv, "csv", false, "print the series as CSV: one row per period and group")
	f.StringVar(&fl.out, "out", "", "write an SVG chart of the series' rates to this file")
	f.StringVar(&fl.metalShare, "metal-share", "", "take this share of value as the metal content of every line (e.g. 40%); default: full value, as CBP reads undeclared content")
	f.StringVar(&fl.usmcaShare, "usmca-share", "", "take this share of Canadian and Mexican imports as claimed under USMCA (e.g. 80%); default: none")
	return cmd
}

func runBurden(app *App, cmd *cobra.Command, fl *burdenFlags, args []string) error {
	series := fl.from != "" || fl.to != ""
	switch {
	case series && fl.on != "":
		return withCode(ExitUsage, fmt.Errorf("give --date for one date or --from and --to for a series, not both"))
	case !series && fl.on == "":
		return withCode(ExitUsage, fmt.Errorf("give --date D, or --from D --to D for a series"))
	case !series && (fl.csv || fl.out != "" || cmd.Flags().Changed("every")):
		return withCode(ExitUsage, fmt.Errorf("--every, --csv and --out need a series (--from and --to)"))
	case len(args) == 1 && cmd.Flags().Changed("weights-year"):
		return withCode(ExitUsage, fmt.Errorf("--weights-year picks the embedded weights; %s replaces them", args[0]))
	}
	facts, err := burdenFacts(fl)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	origins, err := burden.ParseOrigins(fl.origins...)
	if err != nil {
		return withCode(ExitNotFound, fmt.Errorf("--origin: %w", err))
	}
	w, err := burdenWeights(app, fl, args)
	if err != nil {
		return err
	}
	label := w.String()
	w = w.Only(origins...)
	snap, err := app.Snapshot(fl.scenario)
	if err != nil {
		return err
	}
	if !series {
		return burdenOnDate(app, fl, w, label, facts)
	}
	opt := burden.SeriesOptions{Facts: facts}
	if opt.From, err = date.Parse(fl.from); err != nil {
		return withCode(ExitUsage, fmt.Errorf("--from: %w", err))
	}
	if opt.To, err = date.Parse(fl.to); err != nil {
		return withCode(ExitUsage, fmt.Errorf("--to: %w", err))
	}
	if opt.Every, err = burden.ParseEvery(fl.every); err != nil {
		return withCode(ExitUsage, fmt.Errorf("--every: %w", err))
	}
	// The CLI alone reads the clock: "known today" is an input to the library.
	opt.KnownOn = date.Of(time.Now())
	if fl.knownOn != "" {
		if opt.KnownOn, err = date.Parse(fl.knownOn); err != nil {
			return withCode(ExitUsage, fmt.Errorf("--known-on: %w", err))
		}
	}
	s, err := burden.RunSeries(app.Ctx, snap, w, opt)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	v := s.View(origins, label, fl.top)
	if fl.out != "" {
		if err := writeBurdenChart(fl.out, &v); err != nil {
			return err
		}
	}
	switch {
	case app.JSON:
		return writeJSON(app.Stdout, v)
	case fl.csv:
		return burdenCSV(app.Stdout, &v)
	}
	printSeries(app.Stdout, &v)
	if fl.out != "" {
		fmt.Fprintf(app.Stdout, "\nchart written to %s\n", fl.out)
	}
	return nil
}

func burdenFacts(fl *burdenFlags) (burden.Options, error) {
	var opt burden.Options
	var err error
	if fl.metalShare != "" {
		if opt.MetalShare, err = shareFlag("--metal-share", fl.metalShare); err != nil {
			return opt, err
		}
		opt.HasMetalShare = true
	}
	if fl.usmcaShare != "" {
		if opt.USMCAShare, err = shareFlag("--usmca-share", fl.usmcaShare); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// burdenWeights reads the user's file, or picks the embedded Census weights.
func burdenWeights(app *App, fl *burdenFlags, args []string) (*burden.Weights, error) {
	if len(args) == 0 {
		w, err := burden.CensusWeights(fl.weightsYear)
		if err != nil {
			return nil, withCode(ExitUsage, fmt.Errorf("--weights-year: %w", err))
		}
		return w, nil
	}
	fh, err := os.Open(args[0])
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	defer fh.Close()
	b, err := burden.Read(fh, args[0])
	if err != nil {
		return nil, batchRunError(app, err, args[0])
	}
	return burden.Fixed(b), nil
}

// burdenOnDate is levy burden --date: one entry date, one reading.
func burdenOnDate(app *App, fl *burdenFlags, w *burden.Weights, label string, opt burden.Options) error {
	d, err := date.Parse(fl.on)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("--date: %w", err))
	}
	k := date.None
	if fl.knownOn != "" {
		if k, err = date.Parse(fl.knownOn); err != nil {
			return withCode(ExitUsage, fmt.Errorf("--known-on: %w", err))
		}
	}
	snap, err := app.Snapshot(fl.scenario)
	if err != nil {
		return err
	}
	opt.Date, opt.KnownOn = d, k
	b, err := w.For(d)
	if err != nil {
		return withCode(ExitData, err)
	}
	res, err := b.Assess(app.Ctx, snap, opt)
	if err != nil {
		return withCode(ExitData, err)
	}
	views := func(m map[string]*burden.Group) []groupView {
		var out []groupView
		for _, g := range burden.Top(m, fl.top) {
			out = append(out, groupView{g.Key, g.Name, money.Format(g.Value), money.Format(g.Duty), g.Rate().String()})
		}
		return out
	}
	skipped := map[string]string{}
	for k, v := range res.Skipped {
		skipped[k] = money.Format(v)
	}
	if app.JSON {
		return writeJSON(app.Stdout, map[string]any{"date": d.String(), "known_on": k.String(), "weights": b.Source, "rows": res.Rows,
			"value": money.Format(res.Value), "duty": money.Format(res.Duty), "effective_rate": res.Rate().String(),
			"skipped_value": skipped, "bad_rows": append([]string{}, res.BadRows...), "partners": views(res.Partners), "sections": views(res.Sections), "chapters": views(res.Chapters)})
	}
	reading := "as collected"
	if k != date.None {
		reading = "as known on " + k.String()
	}
	fmt.Fprintf(app.Stdout, "entries of %s, %s: %d rows of %s\n", d, reading, res.Rows, b.Source)
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
}

func printGroups(w io.Writer, rows []groupView) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "KEY\tNAME\t%18s\t%16s\t%7s\n", "IMPORTS", "DUTY", "RATE")
	for _, g := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%18s\t%16s\t%6s%%\n", g.Key, g.Name, g.Value, g.Duty, g.Rate)
	}
	tw.Flush()
}

// whom names the partners of a series for titles.
func whom(origins []string) string {
	if len(origins) == 0 {
		return "all partners"
	}
	var names []string
	for _, o := range origins {
		if c, err := country.Lookup(o); err == nil {
			names = append(names, c.Name+" ("+o+")")
		} else {
			names = append(names, o)
		}
	}
	return strings.Join(names, ", ")
}

func printSeries(w io.Writer, v *burden.SeriesView) {
	fmt.Fprintf(w, "Imports from %s, %s to %s, every %s\n", whom(v.Origins), v.From, v.Last, v.Every)
	fmt.Fprintf(w, "as collected: each entry read as the law stood on its date; as known: as the law is known on %s\n", v.KnownOn)
	fmt.Fprintf(w, "weights: %s; a year of imports spread evenly over its days\n\n", v.Weights)
	rows := [][]string{{"PERIOD", "IMPORTS", "RATE COLLECTED", "DUTY COLLECTED", "RATE KNOWN", "DUTY KNOWN", "OWED BACK", "NOT ASSESSED"}}
	row := func(label string, p *burden.PointView) {
		rows = append(rows, []string{label, dollars(p.Collected.Imports), p.Collected.Rate + "%", dollars(p.Collected.Duty),
			p.Known.Rate + "%", dollars(p.Known.Duty), dollars(p.OwedBack), dollars(notAssessed(p.Collected.NotAssessed))})
	}
	for i := range v.Points {
		row(v.Points[i].From, &v.Points[i])
	}
	row("total", &v.Total)
	printTable(w, rows, 1)
	if len(v.Total.Collected.NotAssessed) > 0 {
		fmt.Fprintf(w, "\nnot assessed over the whole range (as collected), left out of imports and duty:\n")
		for _, s := range v.Total.Collected.NotAssessed {
			fmt.Fprintf(w, "  %s: %s, %s\n", s.Reason, plural(s.Lines, "line"), dollars(s.Value))
		}
	}
	if n := len(v.BadRows); n > 0 {
		fmt.Fprintf(w, "\n%s of the weights could not be read (their value is unknown), first: %s\n", plural(n, "row"), v.BadRows[0])
	}
	if v.Last > v.Horizon {
		fmt.Fprintf(w, "\nentries after %s, the data horizon, are read with the rules known up to it\n", v.Horizon)
	}
	for _, t := range []struct {
		title string
		rows  []burden.GroupView
	}{{"partners", v.Total.Partners}, {"HS sections", v.Total.Sections}} {
		fmt.Fprintf(w, "\n%s, %s to %s\n", t.title, v.From, v.Last)
		rows := [][]string{{"KEY", "NAME", "IMPORTS", "RATE COLLECTED", "DUTY COLLECTED", "RATE KNOWN", "DUTY KNOWN", "OWED BACK"}}
		for _, g := range t.rows {
			rows = append(rows, []string{g.Key, g.Name, dollars(g.Collected.Imports), g.Collected.Rate + "%",
				dollars(g.Collected.Duty), g.Known.Rate + "%", dollars(g.Known.Duty), dollars(g.OwedBack)})
		}
		printTable(w, rows, 2)
	}
}

// printTable prints rows in columns two spaces apart: the first left
// columns aligned left, the others (numbers) right.
func printTable(w io.Writer, rows [][]string, left int) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < left {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func notAssessed(ss []burden.SkipView) string {
	sum := money.Zero
	for _, s := range ss {
		v, _ := money.Parse(s.Value)
		sum, _ = sum.Add(v)
	}
	return sum.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// dollars prints an amount as whole dollars with thousands separators.
func dollars(s string) string {
	d, err := money.Parse(s)
	if err != nil {
		return s
	}
	t := d.Round(0).String()
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	var b strings.Builder
	for i, c := range t {
		if i > 0 && (len(t)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg && t != "0" {
		return "-" + b.String()
	}
	return b.String()
}

func burdenCSV(w io.Writer, v *burden.SeriesView) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"from", "last", "group", "key", "name", "imports", "rate_collected", "duty_collected", "rate_known", "duty_known", "owed_back", "not_assessed_value", "weights"})
	for _, p := range v.Points {
		weights := strings.Join(p.Weights, "; ")
		cw.Write([]string{p.From, p.Last, "all", "", whom(v.Origins), p.Collected.Imports, p.Collected.Rate, p.Collected.Duty,
			p.Known.Rate, p.Known.Duty, p.OwedBack, notAssessedCents(p.Collected.NotAssessed), weights})
		for _, g := range []struct {
			kind string
			rows []burden.GroupView
		}{{"partner", p.Partners}, {"section", p.Sections}} {
			for _, r := range g.rows {
				cw.Write([]string{p.From, p.Last, g.kind, r.Key, r.Name, r.Collected.Imports, r.Collected.Rate, r.Collected.Duty,
					r.Known.Rate, r.Known.Duty, r.OwedBack, "", weights})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func notAssessedCents(ss []burden.SkipView) string {
	d, _ := money.Parse(notAssessed(ss))
	return money.Format(d)
}

func writeBurdenChart(path string, v *burden.SeriesView) error {
	series := []render.Series{{Name: "as collected"}, {Name: "as known on " + v.KnownOn}}
	for _, p := range v.Points {
		from, _ := date.Parse(p.From)
		to := from.AddDays(p.Days)
		for i, r := range []string{p.Collected.Rate, p.Known.Rate} {
			x, _ := strconv.ParseFloat(r, 64)
			series[i].Steps = append(series[i].Steps, render.Step{From: from.Time(), To: to.Time(), Value: x})
		}
	}
	fh, err := os.Create(path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	title := fmt.Sprintf("Imports from %s: trade-weighted effective tariff rate, %%", whom(v.Origins))
	if err := render.StepChartSVG(fh, title, series); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
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
