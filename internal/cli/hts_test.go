package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

// The -update flag rewrites golden files. Another test file of the package
// may register it first, so look it up rather than defining it twice.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runLevy runs levy in process and returns stdout, stderr and the exit code.
func runLevy(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestHTSShowGolden(t *testing.T) {
	t.Setenv("LEVY_TODAY", "2026-11-29")
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"hts_show_8703230130.golden", []string{"hts", "show", "8703.23.01.30"}},
		{"hts_show_8703230130_json.golden", []string{"hts", "show", "8703230130", "--json"}},
		{"hts_show_9503000090.golden", []string{"hts", "show", "9503.00.00.90"}},
		{"hts_show_99030273.golden", []string{"hts", "show", "9903.02.73"}},
		{"hts_search_toys.golden", []string{"hts", "search", "toys", "--limit", "5"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			out, errOut, code := runLevy(t, tc.args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, tc.golden, out)
		})
	}
}

func TestHTSShowJSONShape(t *testing.T) {
	out, _, code := runLevy(t, "hts", "show", "8703.23.01.30", "--json")
	if code != ExitOK {
		t.Fatal(code)
	}
	var v struct {
		Code  string
		Rates struct {
			From    string
			General struct{ Text string }
		}
		Path []struct{ Dotted string }
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Code != "8703230130" || v.Rates.From != "8703.23.01" || v.Rates.General.Text != "2.5%" || v.Path[0].Dotted != "8703" {
		t.Errorf("%+v", v)
	}
}

func TestHTSShowNotFound(t *testing.T) {
	_, errOut, code := runLevy(t, "hts", "show", "8703.23.01.99")
	if code != ExitNotFound {
		t.Errorf("exit %d, want %d", code, ExitNotFound)
	}
	if !strings.Contains(errOut, "8703.23.01.30") {
		t.Errorf("error does not name the nearest codes: %s", errOut)
	}
	_, errOut, code = runLevy(t, "hts", "show", "87x3")
	if code != ExitUsage || !strings.Contains(errOut, "unexpected") {
		t.Errorf("malformed code: exit %d %s", code, errOut)
	}
}

func TestHTSSearchJSON(t *testing.T) {
	out, _, code := runLevy(t, "hts", "search", "motor", "cars", "--limit", "3", "--json")
	if code != ExitOK {
		t.Fatal(code)
	}
	var rows []searchRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !strings.HasPrefix(rows[0].Code, "8703") {
		t.Errorf("%+v", rows)
	}
}

func TestDataImport(t *testing.T) {
	path := testenv.DataFile(t, "hts_2026_rev_10.json.gz")
	out, errOut, code := runLevy(t, "data", "import", path, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep["records"] != 35509.0 || rep["lines_10digit"] != 19856.0 || rep["revision"] != "HTS 2026 Revision 10" {
		t.Errorf("%v", rep)
	}
	seen, parsed, unparsed := rep["rates_seen"].(float64), rep["rates_parsed"].(float64), rep["rates_unparsed"].(float64)
	if seen == 0 || seen != parsed+unparsed {
		t.Errorf("%v", rep)
	}
	out, _, code = runLevy(t, "data", "import", path, "--unparsed")
	if code != ExitOK || !strings.Contains(out, "records") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestDataImportBadFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`[{"htsno":"0101","indent":"0"},{"htsno":"01","indent":"x"}]`), 0o644)
	_, errOut, code := runLevy(t, "data", "import", bad)
	if code != ExitData || !strings.Contains(errOut, "bad.json: record 2") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
