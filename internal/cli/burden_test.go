package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/burden"
)

var burdenSeriesArgs = []string{"burden", "testdata/burden_in.csv", "--from", "2025-07-01", "--to", "2025-10-01", "--every", "month", "--known-on", "2026-03-01"}

func TestBurdenGolden(t *testing.T) {
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"burden_series.golden", burdenSeriesArgs},
		{"burden_series_json.golden", append(append([]string{}, burdenSeriesArgs...), "--json")},
		{"burden_series_csv.golden", append(append([]string{}, burdenSeriesArgs...), "--csv")},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			out, errOut, code := runLevy(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, tt.golden, out)
		})
	}
}

// TestBurdenEmbeddedJapan runs the command on the embedded schedule
// and weights only, as on a fresh machine: every month has imports, a rate
// under both readings and its lines not assessed counted.
func TestBurdenEmbeddedJapan(t *testing.T) {
	out, errOut, code := runLevy(t, "burden", "--origin", "JP", "--from", "2025-01-01", "--to", "2026-10-01", "--every", "month", "--known-on", "2026-12-04", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v burden.SeriesView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Points) != 22 || v.Last != "2026-10-31" || len(v.Origins) != 1 || v.Origins[0] != "JP" {
		t.Fatalf("%d points to %s for %v", len(v.Points), v.Last, v.Origins)
	}
	for _, p := range v.Points {
		if p.Collected.Imports == "0.00" || p.Collected.Rate == "0.00" || len(p.Partners) != 1 || p.Partners[0].Key != "JP" {
			t.Errorf("%s: %+v", p.From, p.Collected)
		}
		// Census gives no quantities, so Japan's lines with specific rates
		// (and, on a partial schedule, codes it lacks) are counted apart.
		if len(p.Collected.NotAssessed) == 0 {
			t.Errorf("%s: nothing counted as not assessed", p.From)
		}
		if !strings.Contains(strings.Join(p.Weights, ";"), "Census imports for consumption 2025") {
			t.Errorf("%s: weights %v", p.From, p.Weights)
		}
	}
	// Before the IEEPA ruling is known nothing differs; after the Supreme
	// Court's ruling is known, the reciprocal duties of 2025 are owed back.
	if v.Points[0].OwedBack != "0.00" || v.Points[6].OwedBack == "0.00" || strings.HasPrefix(v.Total.OwedBack, "-") {
		t.Errorf("owed back: January %s, July %s, total %s", v.Points[0].OwedBack, v.Points[6].OwedBack, v.Total.OwedBack)
	}
}

func TestBurdenWritesSVG(t *testing.T) {
	out := filepath.Join(t.TempDir(), "burden.svg")
	args := append(append([]string{}, burdenSeriesArgs...), "--out", out)
	if stdout, errOut, code := runLevy(t, args...); code != 0 || !strings.Contains(stdout, "chart written to") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(b)
	for _, w := range []string{"<svg", "effective tariff rate", "as collected", "as known on 2026-03-01", "</svg>"} {
		if !strings.Contains(svg, w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
	if n := strings.Count(svg, "<polyline"); n != 2 {
		t.Errorf("%d lines drawn, want 2", n)
	}
}

func TestBurdenErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no date", []string{"burden"}, ExitUsage, "give --date D, or --from D --to D"},
		{"both", []string{"burden", "--date", "2025-01-01", "--from", "2025-01-01", "--to", "2025-02-01"}, ExitUsage, "not both"},
		{"bad step", []string{"burden", "--from", "2025-01-01", "--to", "2025-02-01", "--every", "year"}, ExitUsage, "--every: \"year\": want day, week or month"},
		{"backwards", []string{"burden", "--from", "2025-02-01", "--to", "2025-01-01"}, ExitUsage, "before the first"},
		{"unknown country", []string{"burden", "--origin", "JX", "--from", "2025-01-01", "--to", "2025-02-01"}, ExitNotFound, "JP (Japan)"},
		{"weights year and a file", []string{"burden", "testdata/burden_in.csv", "--weights-year", "2024", "--date", "2025-01-01"}, ExitUsage, "replaces them"},
		{"weights year unknown", []string{"burden", "--weights-year", "2019", "--date", "2025-01-01"}, ExitUsage, "entry or one of 2024, 2025"},
		{"csv without series", []string{"burden", "--date", "2025-01-01", "--csv"}, ExitUsage, "need a series"},
		{"bad from", []string{"burden", "--from", "1/1/2025", "--to", "2025-02-01"}, ExitUsage, "--from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runLevy(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

// TestBurdenOnDateEmbedded is the one-date form on the embedded weights of
// the date's year, for one partner.
func TestBurdenOnDateEmbedded(t *testing.T) {
	out, errOut, code := runLevy(t, "burden", "--date", "2025-10-01", "--origin", "Japan", "--known-on", "2026-11-29")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"as known on 2026-11-29", "Census imports for consumption 2025", "not assessed (HTS number not in force on the date)", "JP   Japan"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
