package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/usitc"
)

func newDataUpdateCmd(app *App) *cobra.Command {
	var f usitc.Fetcher
	var dry bool
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Fetch every HTS revision newer than levy's schedule from the USITC and use them from then on",
		Long: `update reads the USITC's release list and downloads the JSON export of
every revision newer than the newest levy holds, reads each in full to
check it, and adds them to levy's schedule history, saved with the exports
in the data directory (--data-dir). levy uses that history from then on
(levy info says so). Revisions fetched this way have no change record, so
their changes apply from the release date the USITC lists.

Nothing is changed unless every new revision reads: offline, or when the
USITC cannot be reached, it stops within 10 seconds and says so.`,
		Example: `  levy data update
  levy data update --dry-run
  levy info`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			base, err := app.LoadSchedule()
			if err != nil {
				return err
			}
			if app.Schedule != "" {
				return withCode(ExitUsage, fmt.Errorf("update adds revisions to levy's schedule history; drop --schedule (%s)", app.Schedule))
			}
			rels, err := f.Releases(app.Ctx)
			if err != nil {
				return withCode(ExitData, fmt.Errorf("%w; nothing was changed: levy keeps using %s", err, base.Revision))
			}
			newer := usitc.After(rels, base)
			if len(newer) == 0 {
				fmt.Fprintf(app.Stdout, "levy's schedule is up to date: %s; the USITC lists %s as its newest release\n",
					base.Revision, rels[len(rels)-1].Name)
				return nil
			}
			var got []*usitc.Fetched
			prev := base.Revisions[len(base.Revisions)-1]
			for _, rel := range newer {
				fmt.Fprintf(app.Stderr, "fetching %s (%s, from %s)\n", rel.Name, usitc.Title(rel.Name), rel.Start)
				fx, err := f.Fetch(app.Ctx, rel, prev)
				if err != nil {
					return withCode(ExitData, fmt.Errorf("%w; nothing was changed", err))
				}
				got = append(got, fx)
				prev = fx.Revision
			}
			if dry {
				for _, fx := range got {
					st := fx.Schedule.Stats()
					fmt.Fprintf(app.Stdout, "would add %s: %d records, %d 10-digit lines (%s)\n", fx.Revision.Title, st.Records, st.Lines10, fx.URL)
				}
				return nil
			}
			s, err := saveUpdate(app.DataDir, base, got)
			if err != nil {
				return withCode(ExitData, fmt.Errorf("saving the new revisions: %w; nothing was changed", err))
			}
			for _, fx := range got {
				st := fx.Schedule.Stats()
				fmt.Fprintf(app.Stdout, "added %s: %d records, %d 10-digit lines, in force from %s\n", fx.Revision.Title, st.Records, st.Lines10, fx.Revision.Effective)
			}
			fmt.Fprintf(app.Stdout, "levy now uses %s (%s)\n", s.Revision, filepath.Join(app.DataDir, levy.HistoryFile))
			return nil
		},
	}
	cmd.Flags().StringVar(&f.ReleaseList, "release-list", usitc.DefaultReleaseList, "the USITC release list's address")
	cmd.Flags().StringVar(&f.ExportBase, "export-base", usitc.DefaultExportBase, "the address the exports are published under")
	cmd.Flags().BoolVar(&dry, "dry-run", false, "fetch and check the new revisions but save nothing")
	return cmd
}

// saveUpdate adds the fetched revisions to base's history and saves the
// exports and the new history in dir. The history is written last, through
// a temporary file, so a failure leaves the schedule in use unchanged.
func saveUpdate(dir string, base *hts.Schedule, got []*usitc.Fetched) (*hts.Schedule, error) {
	if dir == "" {
		return nil, fmt.Errorf("no data directory: set --data-dir or LEVY_DATA_DIR")
	}
	if err := os.MkdirAll(filepath.Join(dir, "hts"), 0o755); err != nil {
		return nil, err
	}
	b := base.Builder()
	for _, fx := range got {
		if err := b.Add(fx.Revision, fx.Schedule); err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "hts", fx.Revision.File+".gz")
		if err := writeFileAtomic(path, func(w io.Writer) error {
			_, err := w.Write(fx.Body)
			return err
		}); err != nil {
			return nil, err
		}
	}
	s := b.Schedule()
	var buf bytes.Buffer
	if err := s.WritePack(&buf); err != nil {
		return nil, err
	}
	// Read back what will be used before putting it in place.
	check, err := hts.ReadPack(bytes.NewReader(buf.Bytes()), "new history")
	if err != nil || !check.Extends(base) {
		return nil, fmt.Errorf("the new history does not read back as an extension of %s: %v", base.Revision, err)
	}
	if err := writeFileAtomic(filepath.Join(dir, levy.HistoryFile), func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}); err != nil {
		return nil, err
	}
	return check, nil
}
