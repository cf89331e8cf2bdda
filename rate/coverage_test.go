package rate

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

// exports are the USITC HTS JSON exports in ../shared/data.
var exports = []string{"hts_2025_basic.json.gz", "hts_2025_rev_32.json.gz", "hts_2026_rev_10.json.gz"}

type htsRecord struct {
	HTSNo   string `json:"htsno"`
	General string `json:"general"`
	Special string `json:"special"`
	Other   string `json:"other"`
}

func readExport(t testing.TB, name string) []htsRecord {
	t.Helper()
	f, err := os.Open(testenv.DataFile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var recs []htsRecord
	if err := json.NewDecoder(zr).Decode(&recs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// inChapters1to97 reports whether an HTS number lies in chapters 01–97.
func inChapters1to97(htsno string) bool {
	if len(htsno) < 2 {
		return false
	}
	ch, err := strconv.Atoi(htsno[:2])
	return err == nil && ch >= 1 && ch <= 97
}

// minShare is the share of non-empty rate texts of chapters 1–97 that must
// parse into typed expressions, per export and column.
const minShare = 0.999

// TestExportCoverage parses every general, special and column 2 text of
// chapters 1–97 in each shared export and asserts that at least 99.9% of
// the non-empty texts of each column give typed expressions, each of which
// parses back from its canonical form. It logs the
// figures and every text left Unparsed with its HTS number.
func TestExportCoverage(t *testing.T) {
	for _, name := range exports {
		t.Run(strings.TrimSuffix(name, ".json.gz"), func(t *testing.T) {
			recs := readExport(t, name)
			var total, ok [3]int
			cols := [3]string{"general", "special", "other"}
			for _, r := range recs {
				if !inChapters1to97(r.HTSNo) {
					continue
				}
				for c, text := range [3]string{r.General, r.Special, r.Other} {
					if strings.TrimSpace(text) == "" {
						continue
					}
					total[c]++
					var err error
					if c == 1 {
						var s Special
						if s, err = ParseSpecial(text); err == nil {
							if back, err2 := ParseSpecial(s.Canonical()); err2 != nil || !back.Equal(s) {
								t.Errorf("%s %s %q: canonical %q does not parse back: %v", r.HTSNo, cols[c], text, s.Canonical(), err2)
							}
						}
					} else {
						var e Expr
						if e, err = Parse(text); err == nil {
							if back, err2 := Parse(e.Canonical()); err2 != nil || !back.Equal(e) {
								t.Errorf("%s %s %q: canonical %q does not parse back: %v", r.HTSNo, cols[c], text, e.Canonical(), err2)
							}
						}
					}
					if err != nil {
						t.Logf("unparsed %s %s: %v", r.HTSNo, cols[c], err)
						continue
					}
					ok[c]++
				}
			}
			for c := range cols {
				share := float64(ok[c]) / float64(total[c])
				t.Logf("%s %s: %d of %d typed (%.4f%%)", name, cols[c], ok[c], total[c], 100*share)
				if total[c] == 0 || share < minShare {
					t.Errorf("%s %s: %d of %d typed, want at least %.1f%%", name, cols[c], ok[c], total[c], 100*minShare)
				}
			}
		})
	}
}
