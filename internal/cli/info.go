package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy"
)

func init() { register(newInfoCmd) }

// infoReport is what `levy info --json` prints; its fields are a contract.
type infoReport struct {
	Schedule       string `json:"schedule"`
	ScheduleSource string `json:"schedule_source"`
	Revisions      int    `json:"revisions"`
	Newest         string `json:"newest_revision"`
	NewestFrom     string `json:"newest_in_force_from"`
	Start          string `json:"schedule_start"`
	DataDir        string `json:"data_dir"`
	DataDirNote    string `json:"data_dir_note,omitempty"`
	Measures       int    `json:"measures"`
	Scenarios      int    `json:"scenarios"`
	Horizon        string `json:"horizon"`
}

func newInfoCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Say which data levy uses: the HTS revisions held and where from, and the measure pack",
		Example: `  levy info
  levy info --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lv, err := app.LoadLevy()
			if err != nil {
				return err
			}
			snap, err := lv.Snapshot("")
			if err != nil {
				return withCode(ExitData, err)
			}
			s := lv.Schedule
			rep := infoReport{Schedule: s.Revision, ScheduleSource: s.Source, Revisions: len(s.Revisions),
				Start: s.Start.String(), DataDir: app.DataDir, Measures: len(lv.Rules.Measures),
				Scenarios: len(lv.Rules.Scenarios), Horizon: snap.Horizon.String()}
			if n := len(s.Revisions); n > 0 {
				rep.Newest, rep.NewestFrom = s.Revisions[n-1].Title, s.Revisions[n-1].Effective.String()
			}
			if app.Schedule == "" {
				_, rep.DataDirNote, _ = levy.DefaultSchedule(app.DataDir)
				if s.Source != "embedded" {
					rep.ScheduleSource = "data directory: " + filepath.Join(app.DataDir, levy.HistoryFile) + " (revisions added by levy data update)"
				}
			}
			if app.JSON {
				return writeHTSJSON(app.Stdout, rep)
			}
			tw := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "Schedule\t%s\n", rep.Schedule)
			fmt.Fprintf(tw, "  from\t%s\n", rep.ScheduleSource)
			fmt.Fprintf(tw, "  newest revision\t%s, in force from %s\n", rep.Newest, htsDash(rep.NewestFrom))
			if rep.Start != "" {
				fmt.Fprintf(tw, "  earliest\t%s: entries before it are read against the first revision, with a warning\n", rep.Start)
			}
			fmt.Fprintf(tw, "  data directory\t%s\n", htsDash(rep.DataDir))
			if rep.DataDirNote != "" {
				fmt.Fprintf(tw, "  note\t%s\n", rep.DataDirNote)
			}
			fmt.Fprintf(tw, "Measures\t%d measures, %d scenarios\n", rep.Measures, rep.Scenarios)
			fmt.Fprintf(tw, "  known to\t%s (the data horizon: entries after it warn)\n", rep.Horizon)
			return tw.Flush()
		},
	}
}
