package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
)

func init() { register(newHTSCmd) }

func newHTSCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hts",
		Short: "Show, search and compare lines of the Harmonized Tariff Schedule through time",
		Example: `  levy hts show 8703.23.01.30
  levy hts show 6109.10.00.12 --date 2025-03-01
  levy hts history 0901.11.00.45
  levy hts diff 2025HTSRev15 2025HTSRev16 --goods
  levy hts search "t-shirts" --limit 5
  levy hts revisions`,
	}
	cmd.AddCommand(newHTSShowCmd(app), newHTSSearchCmd(app), newHTSHistoryCmd(app), newHTSDiffCmd(app), newHTSRevisionsCmd(app))
	return cmd
}

// dateFlag reads a --date value: "" is today.
func (app *App) dateFlag(name, v string) (date.Date, error) {
	if v == "" {
		return app.Today(), nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return 0, withCode(ExitUsage, fmt.Errorf("--%s: %w", name, err))
	}
	return d, nil
}

// lookupErr gives a schedule lookup error its exit code.
func lookupErr(err error) error {
	var nf *hts.NotFoundError
	var ni *hts.NotInForceError
	if errors.As(err, &nf) || errors.As(err, &ni) {
		return withCode(ExitNotFound, err)
	}
	return withCode(ExitUsage, err)
}

func newHTSShowCmd(app *App) *cobra.Command {
	var on string
	cmd := &cobra.Command{
		Use:   "show CODE [--date D]",
		Short: "Show an HTS line as in force on a date: its path, rates (and where they come from), units and footnotes",
		Long: `show prints the line with the given HTS number as in force on --date
(default: today): the version of the line that date picks, the revision that
prints it, its path from the heading down, the rates it uses and the line
they are printed on, its units and its footnotes. A number not in force on
the date is refused with the dates on which it is, and the lines in force
then under the same parent.`,
		Example: `  levy hts show 8703.23.01.30
  levy hts show 6109.10.00.12 --date 2025-03-01
  levy hts show 8703230130 --json
  levy --schedule hts_2026_rev_10.json.gz hts show 9903.94.01`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			d, err := app.dateFlag("date", on)
			if err != nil {
				return err
			}
			l, err := s.Lookup(args[0], d)
			if err != nil {
				return lookupErr(err)
			}
			v := newLineView(s, l, d)
			if app.JSON {
				return writeHTSJSON(app.Stdout, v)
			}
			return v.write(app.Stdout)
		},
	}
	cmd.Flags().StringVar(&on, "date", "", "the date to show the line as in force on (YYYY-MM-DD; default today)")
	return cmd
}

// lineView is what `hts show` prints; its JSON form is a contract.
type lineView struct{ hts.View }

func newLineView(s *hts.Schedule, l *hts.Line, d date.Date) lineView { return lineView{s.View(l, d)} }

func (v lineView) write(w io.Writer) error {
	var rows [][2]string
	row := func(k, val string) { rows = append(rows, [2]string{k, val}) }
	row(v.Dotted, v.Description)
	row("Schedule", v.Revision)
	row("In force", v.InForce)
	row("Path", "")
	for _, p := range v.Path {
		row("  "+p.Dotted, strings.Repeat("  ", p.Indent)+p.Description)
	}
	row("  "+v.Dotted, strings.Repeat("  ", v.Indent)+v.Description)
	switch {
	case v.Rates == nil:
		row("Rates", "(no line above prints a rate)")
	case v.Rates.From != v.Dotted:
		row("Rates", "inherited from "+v.Rates.From)
	default:
		row("Rates", "")
	}
	rates := hts.RatesView{}
	if v.Rates != nil {
		rates = *v.Rates
	}
	for _, r := range []struct {
		name string
		v    hts.RateView
	}{{"General", rates.General}, {"Special", rates.Special}, {"Column 2", rates.Other}} {
		text := r.v.Text
		switch {
		case text == "":
			text = "-"
		case !r.v.Parsed:
			text += "  (levy cannot read this rate)"
		}
		row("  "+r.name, text)
	}
	row("Units", htsDash(strings.Join(v.Units, ", ")))
	if len(v.Footnotes) == 0 {
		row("Footnotes", "-")
	} else {
		row("Footnotes", "")
	}
	for _, f := range v.Footnotes {
		row("  "+f.On, f.Text+" ["+strings.Join(f.Columns, ",")+"]")
	}
	return writeHTSAligned(w, rows)
}

// writeHTSAligned prints two columns, the first padded to its widest cell,
// with no trailing spaces.
func writeHTSAligned(w io.Writer, rows [][2]string) error {
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r[0])
		if r[1] != "" {
			b.WriteString(strings.Repeat(" ", width-utf8.RuneCountInString(r[0])+2))
			b.WriteString(r[1])
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHTSJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// inForceText says when a version applies; to is exclusive.
func inForceText(from, to date.Date) string {
	f := "from " + from.String()
	if from == date.Always {
		f = "since the first revision levy holds"
	}
	if to == date.None {
		return f + " on"
	}
	return f + " until " + to.AddDays(-1).String()
}

func newHTSSearchCmd(app *App) *cobra.Command {
	limit := 20
	var on string
	var special bool
	cmd := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find HTS lines by words of their descriptions (and their ancestors') or by code prefix",
		Long: `search ranks the lines in force on --date (default today) by the words of
their descriptions, read with their ancestors': words match as written, by
their stem ("batteries" finds "battery") or as a prefix, and a hyphenated
word as one ("t-shirts"). Digits (with or without dots) list the lines whose
number starts with them. Chapters 98 and 99 (special provisions and the
chapter 99 measure headings) are left out unless --special is given or the
digits start with 98 or 99.`,
		Example: `  levy hts search "passenger motor vehicles"
  levy hts search t-shirts --limit 5 --json
  levy hts search "lithium-ion batteries" --date 2025-06-01
  levy hts search 8703.23
  levy hts search "reciprocal" --special`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			d, err := app.dateFlag("date", on)
			if err != nil {
				return err
			}
			ms := s.Search(strings.Join(args, " "), hts.SearchOptions{Date: d, Limit: limit, Special: special})
			rows := make([]searchRow, 0, len(ms))
			for _, m := range ms {
				rows = append(rows, newSearchRow(s, m))
			}
			if app.JSON {
				return writeHTSJSON(app.Stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintf(app.Stdout, "no line in force on %s matches %q\n", d, strings.Join(args, " "))
				return nil
			}
			tw := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tGENERAL\tDESCRIPTION")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Dotted, htsDash(r.General), htsShorten(r.Context, 110))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().IntVar(&limit, "limit", limit, "most lines to list")
	cmd.Flags().StringVar(&on, "date", "", "search the lines in force on this date (YYYY-MM-DD; default today)")
	cmd.Flags().BoolVar(&special, "special", false, "include chapters 98 and 99")
	return cmd
}

// searchRow is one line of `hts search`; its JSON form is a contract.
type searchRow struct {
	Code        string  `json:"code"`
	Dotted      string  `json:"dotted"`
	Description string  `json:"description"`
	Context     string  `json:"context"`
	General     string  `json:"general"`
	Score       float64 `json:"score"`
}

func newSearchRow(s *hts.Schedule, m hts.Match) searchRow {
	r := searchRow{Code: m.Line.Code, Dotted: m.Line.Dotted(), Description: m.Line.Description, Score: m.Score}
	if rl := s.RateLine(m.Line); rl != nil {
		r.General = rl.General
	}
	// Context reads the path from the heading down, so that "Other" says
	// what it is other than.
	anc := s.Ancestors(m.Line)
	parts := make([]string, 0, len(anc)+1)
	for i := len(anc) - 1; i >= 0; i-- {
		parts = append(parts, strings.TrimSuffix(anc[i].Description, ":"))
	}
	parts = append(parts, m.Line.Description)
	r.Context = strings.Join(parts, " › ")
	return r
}

func htsDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// htsShorten keeps the end of a long context, which is the most specific part.
func htsShorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}
