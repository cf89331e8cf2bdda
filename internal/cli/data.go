package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/hts"
)

func init() { register(newDataCmd) }

func newDataCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Check and import the data levy reads (USITC HTS exports)",
		Example: `  levy data import hts_2026_rev_10.json.gz
  levy data import hts_2026_revision_10.csv --json
  levy data update --year 2026 --revision 10`,
	}
	cmd.AddCommand(newDataImportCmd(app))
	cmd.AddCommand(newDataUpdateCmd(app))
	cmd.AddCommand(newDataBuildCmd(app))
	return cmd
}

// importReport is what `data import --json` prints; its fields are a contract.
type importReport struct {
	File          string             `json:"file"`
	Revision      string             `json:"revision"`
	Records       int                `json:"records"`
	Lines10       int                `json:"lines_10digit"`
	RatesSeen     int                `json:"rates_seen"`
	RatesParsed   int                `json:"rates_parsed"`
	RatesUnparsed int                `json:"rates_unparsed"`
	Unparsed      []hts.UnparsedRate `json:"unparsed,omitempty"`
}

func newDataImportCmd(app *App) *cobra.Command {
	var listUnparsed bool
	var revision string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Read a USITC HTS export and report its records and how many rate texts levy reads",
		Long: `import reads a USITC HTS export (JSON or CSV, gzipped or not), builds the
tree and parses every rate text. It reports the records, the 10-digit lines
and the general, special and column 2 rate texts of chapters 1-97: seen,
parsed and not parsed. A text levy cannot parse does not stop the import; it
is kept as text and never read as a zero rate.`,
		Example: `  levy data import hts_2026_rev_10.json.gz
  levy data import hts_2026_rev_10.json.gz --json
  levy data import export.csv --revision "HTS 2026 Revision 10" --unparsed`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := hts.Load(args[0])
			if err != nil {
				return withCode(ExitData, err)
			}
			if revision != "" {
				s.Revision = revision
			}
			st := s.Stats()
			rep := importReport{File: args[0], Revision: s.Revision, Records: st.Records, Lines10: st.Lines10,
				RatesSeen: st.RatesSeen, RatesParsed: st.RatesParsed, RatesUnparsed: st.RatesUnparsed}
			if listUnparsed {
				rep.Unparsed = st.Unparsed
			}
			if app.JSON {
				return writeHTSJSON(app.Stdout, rep)
			}
			rev := rep.Revision
			if rev == "" {
				rev = "revision unknown (name the file hts_YYYY_rev_N or use --revision)"
			}
			tw := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintf(app.Stdout, "%s: %s\n", rep.File, rev)
			fmt.Fprintf(tw, "records\t%d\t\n", rep.Records)
			fmt.Fprintf(tw, "10-digit lines\t%d\t\n", rep.Lines10)
			fmt.Fprintf(tw, "rate texts, chapters 1-97\t%d\t\n", rep.RatesSeen)
			fmt.Fprintf(tw, "parsed\t%d\t\n", rep.RatesParsed)
			fmt.Fprintf(tw, "not parsed\t%d\t\n", rep.RatesUnparsed)
			if err := tw.Flush(); err != nil {
				return err
			}
			if listUnparsed && len(rep.Unparsed) > 0 {
				tw = tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "\nHTS\tCOLUMN\tTEXT\tPROBLEM")
				for _, u := range rep.Unparsed {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Code, u.Column, u.Text, u.Err)
				}
				return tw.Flush()
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&listUnparsed, "unparsed", false, "list every rate text levy could not parse, with its HTS number and column")
	cmd.Flags().StringVar(&revision, "revision", "", `name the edition ("HTS 2026 Revision 10") when the file name does not`)
	return cmd
}
