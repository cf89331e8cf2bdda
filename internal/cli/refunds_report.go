package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// reportFlags choose how entries are read.
type reportFlags struct {
	importer, entry, phase string
	nonCorporate, large    bool
	depositLag             int
}

func (f *reportFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.importer, "importer", "", "only this importer of record")
	cmd.Flags().BoolVar(&f.nonCorporate, "non-corporate", false, "interest at the non-corporate overpayment rate (default: corporate, one point lower)")
	cmd.Flags().BoolVar(&f.large, "large-corporate", false, "corporate refunds above $10,000: the rate of 26 USC 6621(a)(1) on the excess (whether CBP applies it is not known)")
	cmd.Flags().IntVar(&f.depositLag, "deposit-lag", 0, "days from entry to deposit assumed when the report gives no deposit date")
}

// setup returns the as-of date and the refund options of a command.
func (f *reportFlags) setup(app *App, rf *refundsFlags) (date.Date, refund.Options, error) {
	asOf, err := rf.asOfDate()
	if err != nil {
		return asOf, refund.Options{}, err
	}
	opt, err := f.options(app)
	return asOf, opt, err
}

func (f *reportFlags) options(app *App) (refund.Options, error) {
	lv, err := app.LoadLevy()
	if err != nil {
		return refund.Options{}, err
	}
	o, err := lv.RefundOptions()
	if err != nil {
		return o, withCode(ExitData, err)
	}
	o.Interest = refund.InterestOptions{Corporate: !f.nonCorporate, LargeCorporate: f.large}
	o.DepositLag = f.depositLag
	return o, nil
}

func newRefundsReportCmd(app *App, rf *refundsFlags) *cobra.Command {
	var f reportFlags
	var asCSV, all bool
	var outPath string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Every entry: paid, owed as collected and today, route, deadlines, interest; totals",
		Long: `Read every entry in the ledger as of --as-of (default today): paid by duty
family, owed as collected and as known today, the IEEPA refund, the contested
Section 122 and forced-labour 301 duties (apart, never added), the CAPE route
with its reason, the deadlines and the interest. Entries whose next deadline
falls in the next 30 days come first. Totals by route, by month of entry and
by family follow. --entry shows one entry's lines, paid against owed.`,
		Example: `  levy refunds report
  levy refunds report --as-of 2026-09-30 --importer 12-3456789AB
  levy refunds report --entry ABC12345678
  levy refunds report --csv -o entries.csv
  levy refunds report --json > ledger.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			asOf, opt, err := f.setup(app, rf)
			if err != nil {
				return err
			}
			if f.phase != "" && !validPhase(f.phase) {
				return withCode(ExitUsage, fmt.Errorf("--phase %q: use one of %v", f.phase, refund.Phases))
			}
			l, err := rf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer l.Close()
			out := app.Stdout
			if outPath != "" && outPath != "-" {
				fh, err := os.Create(outPath)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				defer fh.Close()
				out = fh
			}
			if f.entry != "" {
				n, err := refund.ParseEntryNumber(f.entry)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				e, err := l.Entry(cmd.Context(), n)
				if err != nil {
					return withCode(ExitNotFound, err)
				}
				opt.KeepLines = true
				r := refund.NewAssess(opt).Entry(e, asOf)
				if app.JSON {
					return writeJSON(out, refund.ViewOf(r))
				}
				printEntry(out, r)
				return nil
			}
			keep := func(r *refund.Result) bool { return f.phase == "" || string(r.Route.Phase) == f.phase }
			src := func(fn func(*refund.Entry) error) error {
				return l.Entries(cmd.Context(), ledger.Filter{Importer: f.importer}, fn)
			}
			sum, rs, err := refund.Run(src, asOf, opt, keep)
			if err != nil {
				return withCode(ExitData, err)
			}
			switch {
			case app.JSON:
				views := make([]refund.View, len(rs))
				for i, r := range rs {
					views[i] = refund.ViewOf(r)
				}
				return writeJSON(out, map[string]any{"summary": sum, "entries": views})
			case asCSV:
				return writeResultsCSV(out, rs)
			}
			printReport(out, sum, rs, all)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&f.entry, "entry", "", "one entry: its lines, paid against owed")
	cmd.Flags().StringVar(&f.phase, "phase", "", "only entries on this route (cape-1, cape-2, protest, finally-liquidated, outside, unrouted, no-ieepa)")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "one CSV row per entry")
	cmd.Flags().BoolVar(&all, "all", false, "list every entry in the table (default: the first 50)")
	cmd.Flags().StringVarP(&outPath, "output", "o", "", "write to this file")
	return cmd
}

func validPhase(p string) bool {
	for _, x := range refund.Phases {
		if string(x) == p {
			return true
		}
	}
	return false
}

func fm(d money.Decimal) string { return money.Format(d) }

func printReport(w io.Writer, sum *refund.Summary, rs []*refund.Result, all bool) {
	t := sum.Total
	fmt.Fprintf(w, "Refunds as of %s: %d entries\n", sum.AsOf, t.Entries)
	fmt.Fprintf(w, "  IEEPA refundable principal %s, interest %s (estimate)\n", fm(t.Refundable), fm(t.Interest))
	fmt.Fprintf(w, "  contested, not added: Section 122 %s, forced-labour 301 %s\n", fm(t.S122), fm(t.FL301))
	if !t.Received.IsZero() {
		fmt.Fprintf(w, "  received (ES-022) %s\n", fm(t.Received))
	}
	if sum.Flagged > 0 || sum.Partial > 0 {
		fmt.Fprintf(w, "  %d entries with lines that disagree with levy; %d levy could not fully assess (see --entry)\n", sum.Flagged, sum.Partial)
	}
	if len(sum.Due) > 0 {
		fmt.Fprintf(w, "\nDue in the next %d days (%d)\n", refund.DueSoon, len(sum.Due))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "entry\troute\tdeadline\tdate\tdays left\trefundable\t")
		for i, d := range sum.Due {
			if i == 20 && !all {
				fmt.Fprintf(tw, "… %d more\t\t\t\t\t\t\n", len(sum.Due)-20)
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t\n", refund.FormatEntryNumber(d.Entry), d.Phase, d.Deadline, d.Date, d.DaysLeft, d.Amount)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nBy route")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\tentries\trefundable\tinterest\ts122\tfl301\t")
	for _, b := range append(sum.ByPhase, sum.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", b.Key, b.Entries, fm(b.Refundable), fm(b.Interest), fm(b.S122), fm(b.FL301))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nBy month of entry")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tentries\tpaid\tIEEPA\towed then\towed today\t")
	for _, b := range sum.ByMonth {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", b.Key, b.Entries, fm(b.Paid.Total()), fm(b.Paid.Get(refund.IEEPA)), fm(b.OwedThen.Total()), fm(b.OwedNow.Total()))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nBy family")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tstatus\tpaid\towed then\towed today\t")
	for _, g := range refund.Groups {
		p, o, n := t.Paid.Get(g), t.OwedThen.Get(g), t.OwedNow.Get(g)
		if p.IsZero() && o.IsZero() && n.IsZero() {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", g, g.Status(), fm(p), fm(o), fm(n))
	}
	fmt.Fprintf(tw, "total\t\t%s\t%s\t%s\t\n", fm(t.Paid.Total()), fm(t.OwedThen.Total()), fm(t.OwedNow.Total()))
	tw.Flush()
	fmt.Fprintln(w, "\nEntries (due soon first)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "entry\timporter\tentered\troute\tnext deadline\trefundable\tinterest\tflags\tstatus")
	for i, r := range rs {
		if i == 50 && !all {
			fmt.Fprintf(tw, "… %d more (--all, --csv or --json for every entry)\n", len(rs)-50)
			break
		}
		next := "-"
		if r.Route.Next != nil {
			next = fmt.Sprintf("%s %s (%dd)", r.Route.Next.Name, r.Route.Next.Date, r.Route.Next.DaysLeft)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", refund.FormatEntryNumber(r.Entry.Number), r.Entry.Importer, r.Entry.Date,
			r.Route.Phase, next, fm(r.Refundable), fm(r.Interest.Amount), r.Flagged, r.Status)
	}
	tw.Flush()
}

func printEntry(w io.Writer, r *refund.Result) {
	e := r.Entry
	fmt.Fprintf(w, "Entry %s, importer %s, type %s, entered %s", refund.FormatEntryNumber(e.Number), e.Importer, orDash(e.Type), e.Date)
	if e.LiqStatus != "" {
		fmt.Fprintf(w, ", %s", e.LiqStatus)
		if e.LiqDate != date.None {
			fmt.Fprintf(w, " %s", e.LiqDate)
		}
	}
	fmt.Fprintf(w, "\nRoute: %s — %s\n", r.Route.Phase, r.Route.Reason)
	for _, d := range r.Route.Deadlines {
		fmt.Fprintf(w, "  %-8s %s (%d days left) %s\n", d.Name, d.Date, d.DaysLeft, d.Note)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nline\tHTS\tfamily\tpaid\towed then\towed today\tflag")
	for _, ln := range r.Lines {
		if ln.Error != "" {
			fmt.Fprintf(tw, "%d\t%s\t\t\t\t\tcannot assess: %s\n", ln.Line, ln.HTS, ln.Error)
		}
		for _, row := range ln.Rows {
			h := row.HTS
			if refund.IsChapter99(h) {
				h = refund.DottedHeading(refund.Heading8(h))
			}
			paid := fm(row.Paid)
			if !row.Reported {
				paid = "(not reported)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", ln.Line, h, row.Group, paid, fm(row.OwedThen), fm(row.OwedNow), row.Flag)
		}
	}
	fmt.Fprintf(tw, "total\t\t\t%s\t%s\t%s\t%d flagged\n", fm(r.Paid.Total()), fm(r.OwedThen.Total()), fm(r.OwedNow.Total()), r.Flagged)
	tw.Flush()
	fmt.Fprintf(w, "\nIEEPA refundable principal %s\n", fm(r.Refundable))
	fmt.Fprintf(w, "Contested, not added: Section 122 %s, forced-labour 301 %s\n", fm(r.ContestedS122), fm(r.ContestedFL301))
	if r.Overpaid.IsPos() || r.Underpaid.IsPos() {
		fmt.Fprintf(w, "Other headings: overpaid %s (PSC or protest), underpaid %s (a risk)\n", fm(r.Overpaid), fm(r.Underpaid))
	}
	in := r.Interest
	if r.Refundable.IsPos() {
		fmt.Fprintf(w, "Interest %s: %d days from %s to %s, compounded daily\n", fm(in.Amount), in.Days, in.From, in.To)
		for _, p := range in.Periods {
			fmt.Fprintf(w, "  %s %s..%s %3d days at %s%%  (%s)\n", p.Quarter, p.From, p.To-1, p.Days, p.Rate, p.Source)
		}
		if in.Warning != "" {
			fmt.Fprintf(w, "  warning: %s\n", in.Warning)
		}
	}
	if len(e.Refunds) > 0 {
		fmt.Fprintf(w, "Received: principal %s, interest %s; difference from levy: principal %s, interest %s\n",
			fm(r.ReceivedPrincipal), fm(r.ReceivedInterest), fm(r.PrincipalDiff), fm(r.InterestDiff))
	}
	for _, a := range r.Assumptions {
		fmt.Fprintf(w, "Assumed: %s\n", a)
	}
	fmt.Fprintf(w, "Status: %s\n", r.Status)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeResultsCSV(w io.Writer, rs []*refund.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(refund.CSVColumns)
	for _, r := range rs {
		cw.Write(r.CSVRecord())
	}
	cw.Flush()
	return cw.Error()
}
