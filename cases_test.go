package levy_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/money"
)

var (
	fullOnce sync.Once
	fullLevy *levy.Levy
	fullErr  error
)

// loadFull loads levy's default data: the embedded schedule history (every
// revision, the entry date picking the one in force) and measure pack.
func loadFull(t testing.TB) *levy.Levy {
	t.Helper()
	fullOnce.Do(func() {
		fullLevy, fullErr = levy.Load(levy.Options{Measures: os.Getenv("LEVY_MEASURES")})
	})
	if fullErr != nil {
		t.Fatal(fullErr)
	}
	return fullLevy
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestWorkedCases runs the worked cases through levy batch, exactly as the
// cases tool does, and compares duty, fees and headings to the cent.
func TestWorkedCases(t *testing.T) {
	shared := testenv.SharedDir(t)
	runCasesFile(t, filepath.Join(shared, "cases", "us-2025-2026.csv"))
}

// runCasesFile runs one worked-cases file (the columns of the shared cases
// file) through levy batch and compares duty, fees and headings per case.
func runCasesFile(t *testing.T, path string) {
	t.Helper()
	lv := loadFull(t)
	snap, err := lv.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snap, bytes.NewReader(in), &out, batch.Options{KnownOn: date.None})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]string{}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		got[m["id"]] = m
	}
	cases := readCSV(t, path)
	if sum.Rows != len(cases) {
		t.Fatalf("batch read %d rows, the file has %d cases", sum.Rows, len(cases))
	}
	for _, c := range cases {
		t.Run(c["id"], func(t *testing.T) {
			g := got[c["id"]]
			if g == nil {
				t.Fatal("no output row")
			}
			if g["error"] != "" {
				t.Fatalf("error: %s", g["error"])
			}
			for _, col := range []string{"duty", "fees"} {
				want := c["expect_"+col]
				if want == "" {
					continue
				}
				if !money.MustParse(g[col]).Equal(money.MustParse(want)) {
					t.Errorf("%s = %s, want %s (%s)", col, g[col], want, c["note"])
				}
			}
			if !strings.Contains(c["note"], "heading not compared") {
				if a, b := sortedList(g["headings"]), sortedList(c["expect_headings"]); a != b {
					t.Errorf("headings = %q, want %q (%s)", a, b, c["note"])
				}
			}
		})
	}
}

func sortedList(s string) string {
	var xs []string
	for _, x := range strings.Split(s, ";") {
		if x != "" {
			xs = append(xs, x)
		}
	}
	sort.Strings(xs)
	return strings.Join(xs, ";")
}
