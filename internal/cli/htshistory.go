package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
)

func newHTSHistoryCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "history CODE",
		Short: "Show every version of an HTS line: when each is in force, which revisions print it, and why it starts when it does",
		Long: `history lists each version of the line with the given HTS number, oldest
first: the dates it is in force, what changed from the version before, the
revisions that print it, when it was published, and where its start date
comes from: the effective date the revision's change record gives the
change (or its parent line's), or the revision's own date when the change
record lists no such change.`,
		Example: `  levy hts history 0901.11.00.45
  levy hts history 2404.12.05.90 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			vs, err := s.History(args[0])
			if err != nil {
				return lookupErr(err)
			}
			if app.JSON {
				return writeHTSJSON(app.Stdout, map[string]any{"code": vs[0].Code, "dotted": vs[0].Dotted, "versions": vs})
			}
			return writeHistory(app.Stdout, vs)
		},
	}
}

func writeHistory(w io.Writer, vs []hts.Version) error {
	fmt.Fprintf(w, "%s: %d version(s)\n", vs[0].Dotted, len(vs))
	for i, v := range vs {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, windowText(v))
		switch {
		case v.Discontinued:
			fmt.Fprintf(w, "   discontinued: no longer printed from %s\n", v.FirstRevision)
		default:
			if v.FirstRevision == v.LastRevision {
				fmt.Fprintf(w, "   printed in %s", v.FirstRevision)
			} else {
				fmt.Fprintf(w, "   printed in %s to %s", v.FirstRevision, v.LastRevision)
			}
			if v.Known != date.None && v.Known != 0 {
				fmt.Fprintf(w, " (published %s)", v.Known)
			}
			fmt.Fprintln(w)
			fmt.Fprintf(w, "   %s\n", v.Description)
			fmt.Fprintf(w, "   general %s · special %s · column 2 %s · units %s\n", htsDash(v.General), htsDash(v.Special), htsDash(v.Other), htsDash(strings.Join(v.Units, ", ")))
			for _, f := range v.Footnotes {
				fmt.Fprintf(w, "   footnote: %s\n", f.Text)
			}
			if len(v.Changed) > 0 {
				fmt.Fprintf(w, "   changed: %s\n", strings.Join(v.Changed, ", "))
			}
		}
		fmt.Fprintf(w, "   starts: %s\n", basisText(v))
	}
	return nil
}

func windowText(v hts.Version) string {
	switch {
	case v.From == v.To:
		return "never in force: a later version applies from " + v.From.String() + " (retroactively)"
	case v.Discontinued && v.To == date.None:
		return "not in force from " + v.From.String()
	case v.Discontinued:
		return "not in force from " + v.From.String() + " until " + v.To.AddDays(-1).String()
	}
	return "in force " + inForceText(v.From, v.To)
}

func basisText(v hts.Version) string {
	switch v.Basis {
	case hts.BasisFirst.String():
		return "the first revision levy holds; read as in force before it too"
	case hts.BasisChange.String(), hts.BasisParent.String():
		c := v.Change
		whose := "the change record"
		if v.Basis == hts.BasisParent.String() {
			whose = "the change record, for " + c.Item
		}
		return fmt.Sprintf("%s: %s, effective %s (%s)", whose, c.Nature, c.Printed, c.Source)
	case hts.BasisCarried.String():
		return "with the version before it (the revision's date is earlier than that version's own start)"
	}
	if v.Change != nil {
		return fmt.Sprintf("the revision's date: the change record's date %q is not one levy accepts", v.Change.Printed)
	}
	return "the revision's date (its change record lists no date for this change)"
}

func newHTSDiffCmd(app *App) *cobra.Command {
	var goods bool
	cmd := &cobra.Command{
		Use:   "diff FROM TO",
		Short: "List the lines established, discontinued and changed between two revisions or two dates",
		Long: `diff compares two points of the schedule: a revision as it is printed
(2025HTSRev16, "2025 rev 16", "2026 basic") or the lines in force on a date
(YYYY-MM-DD). It lists the HTS numbers established and discontinued, and
those whose description, units, rates or footnotes changed, with the old
and new texts. --goods keeps to chapters 1 to 97.`,
		Example: `  levy hts diff 2025HTSRev15 2025HTSRev16 --goods
  levy hts diff 2025-06-30 2025-07-01
  levy hts diff "2025 basic" "2026 basic" --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			a, err := s.ParsePoint(args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			b, err := s.ParsePoint(args[1])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			d := s.Diff(a, b, goods)
			if app.JSON {
				return writeHTSJSON(app.Stdout, d)
			}
			return writeDiff(app.Stdout, d)
		},
	}
	cmd.Flags().BoolVar(&goods, "goods", false, "compare chapters 1 to 97 only")
	return cmd
}

func writeDiff(w io.Writer, d hts.Diff) error {
	fmt.Fprintf(w, "%s → %s: %d established, %d discontinued, %d changed\n", d.From, d.To, len(d.Established), len(d.Discontinued), len(d.Changed))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	section := func(title string, cs []hts.LineChange, text func(hts.LineChange) string) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(tw, "\n%s\n", title)
		for _, c := range cs {
			fmt.Fprintf(tw, "  %s\t%s\n", c.Dotted, text(c))
		}
	}
	section("Established", d.Established, func(c hts.LineChange) string { return htsShorten(c.After.Description, 90) })
	section("Discontinued", d.Discontinued, func(c hts.LineChange) string { return htsShorten(c.Before.Description, 90) })
	section("Changed", d.Changed, func(c hts.LineChange) string {
		var parts []string
		for _, f := range c.Fields {
			parts = append(parts, fieldChange(f, c.Before, c.After))
		}
		return strings.Join(parts, "; ")
	})
	return tw.Flush()
}

func fieldChange(f string, a, b *hts.LineText) string {
	pick := func(t *hts.LineText) string {
		switch f {
		case "description":
			return htsShorten(t.Description, 40)
		case "units":
			return strings.Join(t.Units, ", ")
		case "general":
			return t.General
		case "special":
			return htsShorten(t.Special, 40)
		case "other":
			return t.Other
		case "footnotes":
			return htsShorten(strings.Join(t.Footnotes, " | "), 60)
		}
		return ""
	}
	if f == "indent" || f == "quota_quantity" || f == "additional_duties" {
		return f
	}
	return fmt.Sprintf("%s: %q → %q", f, pick(a), pick(b))
}

func newHTSRevisionsCmd(app *App) *cobra.Command {
	var rates bool
	cmd := &cobra.Command{
		Use:   "revisions",
		Short: "List the HTS revisions levy holds, with their dates, checksums and (with --rates) how many rate texts it reads",
		Example: `  levy hts revisions
  levy hts revisions --rates --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			type row struct {
				hts.Revision
				Changes int        `json:"change_record_entries"`
				Rates   *hts.Stats `json:"rates,omitempty"`
			}
			rows := make([]row, 0, len(s.Revisions))
			for i, r := range s.Revisions {
				rw := row{Revision: r, Changes: len(r.Changes)}
				if rates {
					st := s.RevisionStats(i)
					rw.Rates = &st
				}
				rows = append(rows, rw)
			}
			if app.JSON {
				return writeHTSJSON(app.Stdout, map[string]any{"schedule": s.Revision, "source": s.Source, "revisions": rows})
			}
			fmt.Fprintf(app.Stdout, "%s (%s)\n", s.Revision, s.Source)
			tw := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
			head := "REVISION\tIN FORCE FROM\tPUBLISHED\tRECORDS\t10-DIGIT\tCHANGES\tSHA256"
			if rates {
				head += "\tRATES PARSED"
			}
			fmt.Fprintln(tw, head)
			for _, r := range rows {
				line := fmt.Sprintf("%s\t%s\t%s\t%d\t%d\t%d\t%.12s", r.Title, htsDash(r.Effective.String()), htsDash(r.Published.String()), r.Records, r.Lines10, r.Changes, r.SHA256)
				if r.Rates != nil {
					line += fmt.Sprintf("\t%d of %d (%.3f%%)", r.Rates.RatesParsed, r.Rates.RatesSeen, 100*float64(r.Rates.RatesParsed)/float64(max(1, r.Rates.RatesSeen)))
				}
				fmt.Fprintln(tw, line)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&rates, "rates", false, "count the rate texts of chapters 1-97 each revision prints and how many levy parses")
	return cmd
}
