package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsGolden runs each command on the embedded data and compares
// its human and JSON output with testdata/*.golden (go test -update rewrites).
func TestCommandsGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
		code   int
	}{
		{"assess_car.golden", []string{"assess", "--hts", "8703.23.01.30", "--origin", "JP", "--entry-date", "2025-09-20", "--value", "40000"}, 0},
		{"assess_car_json.golden", []string{"assess", "--hts", "8703.23.01.30", "--origin", "JP", "--entry-date", "2025-09-20", "--value", "40000", "--json"}, 0},
		{"assess_wine_ocean.golden", []string{"assess", "--hts", "2204.21.50.40", "--origin", "FR", "--entry-date", "2025-09-01", "--value", "10000", "--quantity", "1000", "--unit", "liters", "--mode", "ocean"}, 0},
		{"assess_refund_view.golden", []string{"assess", "--hts", "9506.62.80.20", "--origin", "JP", "--entry-date", "2025-08-20", "--value", "10000", "--known-on", "2026-03-01"}, 0},
		{"assess_explain.golden", []string{"assess", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-08-15", "--export-date", "2025-08-01", "--mode", "ocean", "--value", "10000", "--explain"}, 0},
		{"assess_mexico_question.golden", []string{"assess", "--hts", "9503.00.00.90", "--origin", "MX", "--entry-date", "2025-06-01", "--value", "10000"}, 0},
		{"timeline_japan.golden", []string{"timeline", "--hts", "9506.62.80.20", "--origin", "JP", "--from", "2025-01-01", "--to", "2026-10-31", "--known-on", "2026-11-29"}, 0},
		{"timeline_car_json.golden", []string{"timeline", "--hts", "8703.23.01.30", "--origin", "JP", "--from", "2025-01-01", "--to", "2026-10-31", "--value", "40000", "--json"}, 0},
		{"compare_japan.golden", []string{"compare", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-08-15", "--value", "10000", "--scenario", "letters-2025-07-07,japan-35"}, 0},
		{"batch_out.golden", []string{"batch", "testdata/batch_in.csv", "--no-progress"}, 1},
		{"batch_bulk.golden", []string{"batch", "testdata/bulk_in.csv", "--no-progress", "--known-on", "2026-11-29"}, 0},
		{"batch_jsonl.golden", []string{"batch", "testdata/bulk_in.csv", "--no-progress", "--out-format", "jsonl"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, errOut, code := runLevy(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			checkGolden(t, tt.golden, out)
		})
	}
}

// TestErrorsNameTheProblem checks that bad input gets an error that says
// what and where, with the right exit code, and never a panic.
func TestErrorsNameTheProblem(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown hts", []string{"assess", "--hts", "9503.00.00.99", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1"}, ExitNotFound, []string{"hts:", "9503.00.00.90"}},
		{"unknown country", []string{"assess", "--hts", "9503.00.00.90", "--origin", "JX", "--entry-date", "2025-06-01", "--value", "1"}, ExitNotFound, []string{"origin:", "JP (Japan)"}},
		{"bad date", []string{"assess", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "06/01/2025", "--value", "1"}, ExitUsage, []string{"entry_date:", "YYYY-MM-DD"}},
		{"unknown scenario", []string{"compare", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1", "--scenario", "nope"}, ExitNotFound, []string{"unknown scenario \"nope\"", "japan-35"}},
		{"program not on line", []string{"assess", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1", "--program", "KR"}, ExitUsage, []string{"program:", "KR", "KR only, not JP"}},
		{"missing quantity", []string{"assess", "--hts", "2204.21.50.40", "--origin", "FR", "--entry-date", "2025-09-01", "--value", "100"}, ExitFailure, []string{"quantity"}},
		{"bad rule files", []string{"measures", "check", "testdata/badrules"}, ExitData, []string{
			"bad.yaml:3:9: measure id \"Bad ID\"", "bad.yaml:10:12: unknown field \"additonal\"", "bad.yaml:11:5: unknown field \"colour\"",
			"bad.yaml:9:23: \"2025-13-01\" is not a date"}},
		{"missing schedule", []string{"--schedule", "no/such/file.json", "assess", "--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1"}, ExitData, []string{"no/such/file.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runLevy(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestTimelineWritesSVG(t *testing.T) {
	out := filepath.Join(t.TempDir(), "japan.svg")
	if _, errOut, code := runLevy(t, "timeline", "--hts", "9506.62.80.20", "--origin", "JP", "--from", "2025-01-01", "--to", "2026-10-31", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"<svg", "<polyline", "as collected", "</svg>"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
}

func TestHelpHasExamples(t *testing.T) {
	root := NewRoot(&App{})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Example == "" {
			t.Errorf("levy %s has no examples in its help", c.Name())
		}
	}
}

// levy measures coverage states the coverage start, the horizon and what it
// rests on, and the duties levy does not model.
func TestMeasuresCoverageStatesTheCoverage(t *testing.T) {
	out, errOut, code := runLevy(t, "measures", "coverage")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"coverage start: 2024-01-01", "data horizon: 2026-10-10", "rests on: the HTSUS 2026 Revision 21",
		"not modelled: Antidumping and countervailing duties"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	out, _, code = runLevy(t, "measures", "coverage", "--json")
	if code != 0 || !strings.Contains(out, `"coverage_from": "2024-01-01"`) || !strings.Contains(out, `"not_modelled": [`) {
		t.Errorf("JSON output lacks coverage_from or not_modelled (exit %d)", code)
	}
}
