package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"sort"

	"github.com/spf13/cobra"

	"github.com/levy-tariff/levy/data"
)

func init() { register(newVersionCmd) }

// Version is levy's version. Release builds set it with
// -ldflags "-X github.com/levy-tariff/levy/internal/cli.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

// versionView is what `levy version --json` prints; its fields are a contract.
type versionView struct {
	Levy struct {
		Version  string `json:"version"`
		Commit   string `json:"commit,omitempty"`
		Time     string `json:"commit_time,omitempty"`
		Modified bool   `json:"modified,omitempty"`
		Go       string `json:"go"`
		Platform string `json:"platform"`
	} `json:"levy"`
	Schedule struct {
		Revision string `json:"revision"`
		Source   string `json:"source"`
		Lines    int    `json:"lines"`
	} `json:"schedule"`
	Measures struct {
		Source    string `json:"source"`
		Files     int    `json:"files"`
		Measures  int    `json:"measures"`
		Lists     int    `json:"lists"`
		Scenarios int    `json:"scenarios"`
		Horizon   string `json:"horizon"`
		SHA256    string `json:"sha256"`
	} `json:"measures"`
}

func newVersionCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print levy's version and the revisions of the schedule and the measure pack in use",
		Long: `Print levy's version (and the commit it was built from), the HTS revision of
the schedule in use and the measure pack in use: its files, measures,
scenarios, data horizon and a SHA-256 digest of its rule files, so that two
results can be traced to the same data.`,
		Example: "  levy version\n  levy --schedule hts_2026_rev_10.json.gz version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var v versionView
			buildInfo(&v)
			lv, err := app.LoadLevy()
			if err != nil {
				if !app.JSON {
					fmt.Fprintf(app.Stdout, "levy %s\n", v.Levy.Version)
				}
				return err
			}
			snap, err := lv.Snapshot("")
			if err != nil {
				return withCode(ExitData, err)
			}
			v.Schedule.Revision, v.Schedule.Source, v.Schedule.Lines = lv.Schedule.Revision, lv.Schedule.Source, len(lv.Schedule.Lines)
			m := &v.Measures
			m.Source = app.Measures
			if m.Source == "" {
				m.Source = "embedded"
			}
			m.Files, m.Measures, m.Lists, m.Scenarios = len(lv.Rules.Files), len(lv.Rules.Measures), len(lv.Rules.Lists), len(lv.Rules.Scenarios)
			m.Horizon = snap.Horizon.String()
			if m.SHA256, err = rulesDigest(app.Measures); err != nil {
				return withCode(ExitData, err)
			}
			if app.JSON {
				return writeJSON(app.Stdout, v)
			}
			l := v.Levy
			fmt.Fprintf(app.Stdout, "levy %s", l.Version)
			if l.Commit != "" {
				fmt.Fprintf(app.Stdout, " (commit %.12s %s", l.Commit, l.Time)
				if l.Modified {
					fmt.Fprint(app.Stdout, ", modified")
				}
				fmt.Fprint(app.Stdout, ")")
			}
			fmt.Fprintf(app.Stdout, ", %s %s\n", l.Go, l.Platform)
			fmt.Fprintf(app.Stdout, "schedule  %s (%s, %d records)\n", v.Schedule.Revision, v.Schedule.Source, v.Schedule.Lines)
			fmt.Fprintf(app.Stdout, "measures  %s: %d files, %d measures, %d lists, %d scenarios, data horizon %s, sha256 %.16s\n",
				m.Source, m.Files, m.Measures, m.Lists, m.Scenarios, m.Horizon, m.SHA256)
			return nil
		},
	}
}

func buildInfo(v *versionView) {
	l := &v.Levy
	l.Version, l.Go, l.Platform = Version, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
	bi, ok := debug.ReadBuildInfo()
	if ok && l.Version == "" {
		l.Version = bi.Main.Version
	}
	if l.Version == "" || l.Version == "(devel)" {
		l.Version = "devel"
	}
	if !ok {
		return
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			l.Commit = s.Value
		case "vcs.time":
			l.Time = s.Value
		case "vcs.modified":
			l.Modified = s.Value == "true"
		}
	}
}

// rulesDigest is the SHA-256 of the rule files (name and content, in name
// order) of a measures directory, or of the embedded pack when dir is "".
func rulesDigest(dir string) (string, error) {
	var fsys fs.FS = data.FS
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := path.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
