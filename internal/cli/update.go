package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/levy-tariff/levy/hts"
	"github.com/spf13/cobra"
)

// usitcExport is where the USITC publishes each revision's JSON export.
const usitcExport = "https://www.usitc.gov/sites/default/files/tata/hts"

func newDataUpdateCmd(app *App) *cobra.Command {
	var year, rev int
	var baseURL, out string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "update --year Y --revision N [--out DIR]",
		Short: "Download a revision of the HTS from the USITC, check it, and save it for --schedule",
		Long: `update downloads the USITC's JSON export of one revision of the HTS
(hts_<year>_revision_<n>_json.json), reads it in full to check it, and saves
it gzipped under DIR (default: the user cache directory, levy/). Use the
saved file with --schedule or the LEVY_SCHEDULE environment variable. A
download that does not read as a schedule is not saved.`,
		Example: `  levy data update --year 2026 --revision 10
  export LEVY_SCHEDULE=$(levy data update --year 2026 --revision 10 --quiet)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if year < 2020 || rev < 0 {
				return withCode(ExitUsage, fmt.Errorf("--year and --revision are required (e.g. --year 2026 --revision 10; revision 0 is the basic edition)"))
			}
			name := fmt.Sprintf("hts_%d_revision_%d_json.json", year, rev)
			if rev == 0 {
				name = fmt.Sprintf("hts_%d_basic_edition_json.json", year)
			}
			url := baseURL + "/" + name
			body, err := download(app.Ctx, url)
			if err != nil {
				return withCode(ExitData, err)
			}
			s, err := hts.Read(bytes.NewReader(body), name)
			if err != nil {
				return withCode(ExitData, fmt.Errorf("%s does not read as an HTS export: %w", url, err))
			}
			if out == "" {
				dir, err := os.UserCacheDir()
				if err != nil {
					return withCode(ExitData, err)
				}
				out = filepath.Join(dir, "levy")
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return withCode(ExitData, err)
			}
			path := filepath.Join(out, fmt.Sprintf("hts_%d_rev_%d.json.gz", year, rev))
			if err := writeGzip(path, body); err != nil {
				return err
			}
			st := s.Stats()
			if app.JSON {
				return writeJSON(app.Stdout, map[string]any{"path": path, "url": url, "revision": s.Revision, "records": st.Records,
					"lines_10digit": st.Lines10, "rates_seen": st.RatesSeen, "rates_parsed": st.RatesParsed})
			}
			if !quiet {
				fmt.Fprintf(app.Stderr, "%s: %d records, %d 10-digit lines, %d of %d rate texts parsed\n", s.Revision, st.Records, st.Lines10, st.RatesParsed, st.RatesSeen)
			}
			fmt.Fprintln(app.Stdout, path)
			return nil
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "edition year")
	cmd.Flags().IntVar(&rev, "revision", -1, "revision number (0: basic edition)")
	cmd.Flags().StringVar(&baseURL, "base-url", usitcExport, "where the exports are published")
	cmd.Flags().StringVar(&out, "out", "", "directory to save the export in (default: the user cache directory)")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "print only the saved path")
	return cmd
}

func download(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "levy (US tariff engine)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 256<<20))
}

// writeGzip saves body gzipped at path (which ends in .gz), in place only
// once it is complete.
func writeGzip(path string, body []byte) error {
	f, err := createOut(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.abort()
		return withCode(ExitOutput, err)
	}
	return f.commit()
}
