package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/refund"
)

func newRefundsCapeCmd(app *App, rf *refundsFlags) *cobra.Command {
	var f reportFlags
	var outDir, filer, check, accepted, rejected string
	var dryRun, list bool
	cmd := &cobra.Command{
		Use:   "cape [--importer IOR] [--out DIR]",
		Short: "Write CAPE declaration files for the entries CAPE takes, and record them",
		Long: `Write the CAPE declaration files to upload in ACE (CAPE tab, File Uploads),
exactly as CBP's template ACEP_CapeEntryNumberUploadTemplate asks: a CSV with
one column, the header "Entry Number", one 11-character entry number per row,
at most 9,999 rows, one importer of record per file. The entries are those
routed to CAPE phase 1 or 2 as of --as-of with IEEPA duty paid, no refund
received and not already on an accepted or prepared declaration. Each file
is recorded in the ledger as a prepared declaration; record what CBP did
with --accepted ID or --rejected ID (a rejected declaration frees its
entries). --check FILE checks any file against the template.`,
		Example: `  levy refunds cape --importer 12-3456789AB --out declarations/
  levy refunds cape --dry-run
  levy refunds cape --check my-declaration.csv
  levy refunds cape --accepted LEVY-123456789AB-20261201-1
  levy refunds cape --list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := rf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer l.Close()
			ctx := cmd.Context()
			switch {
			case check != "":
				return capeCheck(app, l, check)
			case accepted != "" || rejected != "":
				id, st := accepted, refund.DeclAccepted
				if rejected != "" {
					id, st = rejected, refund.DeclRejected
				}
				if err := l.SetDeclarationStatus(ctx, id, st); err != nil {
					if errors.Is(err, ledger.ErrNotFound) {
						return withCode(ExitNotFound, err)
					}
					return withCode(ExitUsage, err)
				}
				fmt.Fprintf(app.Stdout, "declaration %s: %s\n", id, st)
				return nil
			case list:
				ds, err := l.Declarations(ctx)
				if err != nil {
					return withCode(ExitData, err)
				}
				if app.JSON {
					return writeJSON(app.Stdout, ds)
				}
				tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "declaration\timporter\tstatus\tcreated\tentries\tfile")
				for _, d := range ds {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", d.ID, d.Importer, d.Status, d.CreatedOn, d.Entries, d.FileName)
				}
				return tw.Flush()
			}
			asOf, opt, err := f.setup(app, rf)
			if err != nil {
				return err
			}
			var cands []refund.Candidate
			src := func(fn func(*refund.Entry) error) error {
				return l.Entries(ctx, ledger.Filter{Importer: f.importer}, fn)
			}
			_, rs, err := refund.Run(src, asOf, opt, func(r *refund.Result) bool {
				return refund.Eligible(r) && (filer == "" || r.Entry.Filer == filer)
			})
			if err != nil {
				return withCode(ExitData, err)
			}
			for _, r := range rs {
				cands = append(cands, refund.Candidate{Entry: r.Entry.Number, Importer: r.Entry.Importer})
			}
			decls, err := refund.Declarations(cands)
			if err != nil {
				return withCode(ExitData, err)
			}
			if len(decls) == 0 {
				fmt.Fprintln(app.Stdout, "no entries to declare: none routed to CAPE with IEEPA duty, no refund and no declaration")
				return nil
			}
			var written []map[string]any
			for _, d := range decls {
				if dryRun {
					fmt.Fprintf(app.Stdout, "would write a declaration of %d entries for importer %s\n", len(d.Entries), d.Importer)
					continue
				}
				path := ""
				id, err := l.RecordDeclaration(ctx, d.Importer, d.Entries, asOf, func(id string) string {
					path = filepath.Join(outDir, id+".csv")
					return path
				})
				if err != nil {
					var ce *ledger.ConflictError
					if errors.As(err, &ce) {
						return withCode(ExitFailure, err)
					}
					return withCode(ExitData, err)
				}
				if err := os.MkdirAll(outDir, 0o755); err == nil {
					err = os.WriteFile(path, d.Bytes(), 0o644)
				}
				if err != nil {
					_ = l.SetDeclarationStatus(ctx, id, refund.DeclRejected)
					return withCode(ExitData, fmt.Errorf("writing %s: %w (declaration %s marked rejected)", path, err, id))
				}
				written = append(written, map[string]any{"declaration": id, "importer": d.Importer, "entries": len(d.Entries), "file": path})
				if !app.JSON {
					fmt.Fprintf(app.Stdout, "%s: %d entries of importer %s (declaration %s, prepared)\n", path, len(d.Entries), d.Importer, id)
				}
			}
			if app.JSON && !dryRun {
				return writeJSON(app.Stdout, written)
			}
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&outDir, "out", ".", "directory to write the declaration files to")
	cmd.Flags().StringVar(&filer, "filer", "", "only entries filed under this filer code (the broker that filed may submit)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be written; write and record nothing")
	cmd.Flags().StringVar(&check, "check", "", "check a declaration file against CBP's template and the ledger")
	cmd.Flags().StringVar(&accepted, "accepted", "", "record that CBP accepted this declaration")
	cmd.Flags().StringVar(&rejected, "rejected", "", "record that CBP rejected this declaration")
	cmd.Flags().BoolVar(&list, "list", false, "list the declarations recorded")
	return cmd
}

func capeCheck(app *App, l *ledger.DB, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	acc, err := l.AcceptedEntries(app.Ctx)
	if err != nil {
		return withCode(ExitData, err)
	}
	errs := refund.CheckCAPEFile(b, func(e string) bool { _, ok := acc[e]; return ok })
	if len(errs) == 0 {
		fmt.Fprintf(app.Stdout, "%s: passes every rule of the CAPE template\n", path)
		return nil
	}
	for _, e := range errs {
		fmt.Fprintf(app.Stdout, "%s: %v\n", path, e)
	}
	return &codeError{code: ExitFailure}
}

func newRefundsReceivedCmd(app *App, rf *refundsFlags) *cobra.Command {
	var entry, refundNo, principal, interest, when, status, decl string
	var maps []string
	cmd := &cobra.Command{
		Use:   "received [FILE...]",
		Short: "Record refunds received: ES-022 and REV-603 reports, or one refund by hand",
		Long: `Record what CBP refunded. An ES-022 CAPE Entry Summary Report gives each
entry's refund number with principal and interest (and puts the entry on
CBP's accepted declaration); a REV-603 Trade Refund Report gives each refund's
status after Treasury received it (Sent to Treasury, Treasury Issued, Funds
Diverted, Check/ACH Returned). Without a file, the flags record one refund.
The report then shows the difference between what arrived and levy's
principal and interest.`,
		Example: `  levy refunds received es022.csv rev603.csv
  levy refunds received --entry ABC12345678 --refund R1 --principal 2500 --interest 120.31 --date 2026-06-15`,
		RunE: func(cmd *cobra.Command, args []string) error {
			asOf, err := rf.asOfDate()
			if err != nil {
				return err
			}
			l, err := rf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer l.Close()
			if len(args) == 0 {
				return receivedByHand(app, rf, l, entry, refundNo, principal, interest, when, status, decl, asOf)
			}
			m, err := ace.ParseMap(maps)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			failed := false
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				r, err := ace.NewReader(f, ace.Options{Map: m, AsOf: asOf})
				if err == nil && r.Kind != ace.ES022 && r.Kind != ace.REV603 {
					err = fmt.Errorf("this is an %s report; use levy refunds import for entries", r.Kind)
				}
				if err != nil {
					f.Close()
					return withCode(ExitUsage, fmt.Errorf("%s: %w", path, err))
				}
				stats, err := l.ImportRefunds(cmd.Context(), string(r.Kind), path, rf.stamp(), r.NextRefund)
				f.Close()
				if err != nil {
					var ie *ledger.ImportError
					if !errors.As(err, &ie) {
						return withCode(ExitData, err)
					}
					fmt.Fprintln(app.Stderr, "levy:", err)
					failed = true
					continue
				}
				fmt.Fprintf(app.Stdout, "%s: %s, %d refunds of %d entries recorded\n", path, r.Kind, stats.Rows, stats.Entries)
			}
			if failed {
				return &codeError{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&entry, "entry", "", "entry number of a refund recorded by hand")
	cmd.Flags().StringVar(&refundNo, "refund", "", "refund number (from ES-022 or the ACH remittance)")
	cmd.Flags().StringVar(&principal, "principal", "", "principal refunded")
	cmd.Flags().StringVar(&interest, "interest", "0", "interest refunded")
	cmd.Flags().StringVar(&when, "date", "", "date received")
	cmd.Flags().StringVar(&status, "status", "", "status (e.g. Treasury Issued)")
	cmd.Flags().StringVar(&decl, "declaration", "", "CBP's declaration number")
	cmd.Flags().StringArrayVar(&maps, "map", nil, "field=Header Name for a column of another layout")
	return cmd
}

func receivedByHand(app *App, rf *refundsFlags, l *ledger.DB, entry, refundNo, principal, interest, when, status, decl string, asOf date.Date) error {
	if entry == "" || refundNo == "" || principal == "" {
		return withCode(ExitUsage, errors.New("give a file, or --entry, --refund and --principal"))
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Entry Number", "Refund Number", "Principal", "Interest", "Refund Date", "Status", "Declaration Number"})
	w.Write([]string{entry, refundNo, principal, interest, when, status, decl})
	w.Flush()
	r, err := ace.NewReader(strings.NewReader(b.String()), ace.Options{AsOf: asOf})
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if _, err := l.ImportRefunds(app.Ctx, "manual", "command line", rf.stamp(), r.NextRefund); err != nil {
		var ie *ledger.ImportError
		if errors.As(err, &ie) {
			return withCode(ExitUsage, ie.Errors[0])
		}
		return withCode(ExitData, err)
	}
	fmt.Fprintf(app.Stdout, "refund %s of entry %s recorded\n", refundNo, entry)
	return nil
}
