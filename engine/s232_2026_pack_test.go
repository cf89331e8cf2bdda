package engine_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/testenv"
)

// TestS232Pack2026 checks hand-verified assessments of the 2026 measure
// families: Section 232 pharmaceuticals (note 40), Section 232 UAS (note 43)
// and the Canada Section 338 lists (note 51). Each want is worked out from
// the heading texts: base rate from the schedule, the chapter 99 rate, the
// other measures in force (China 301 list 1 25%, forced-labor 301), and the
// stacking notes 50(a)(vi)(8), 52(f)(8).
func TestS232Pack2026(t *testing.T) {
	l := full(t)
	s, err := l.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	cases := []packCase{
		// Pharma. Japanese patented medicine, MFN free: 15% inclusive (9903.04.62);
		// forced-labor 301 excluded (52(b) lists it too).
		{"JP medicine 2026-10-01", engine.Input{HTS: "3004.90.92.16", Origin: "JP", EntryDate: "2026-10-01", Value: "10000"}, "1500.00", "9903.04.62", "9903.04.60"},
		// Same line declared generic: no 232 duty (9903.04.67).
		{"JP generic 2026-10-01", engine.Input{HTS: "3004.90.92.16", Origin: "JP", EntryDate: "2026-10-01", Value: "10000", Claims: "pharma-generic"}, "0.00", "9903.04.67", "9903.04.62"},
		// Indian API, 6.5% MFN: total 100% (9903.04.60 pays 93.5%); the 10%
		// forced-labor duty is displaced (52(f)(8), 9903.05.90).
		{"IN API 2026-08-15", engine.Input{HTS: "2933.59.53.00", Origin: "IN", EntryDate: "2026-08-15", Value: "10000"}, "10000.00", "9903.05.90", "9903.05.44"},
		// Onshoring plan: 6.5% + 20% (9903.04.64), still outside the 301 duty.
		{"IN API onshoring 2026-08-15", engine.Input{HTS: "2933.59.53.00", Origin: "IN", EntryDate: "2026-08-15", Value: "10000", Claims: "pharma-onshoring-plan"}, "2650.00", "9903.04.64", "9903.04.60"},
		// UK: +10% as first published; cut to +0% from 2026-07-31 by the notice
		// of 2026-08-04 (known-on date decides).
		{"GB API known 2026-08-02", engine.Input{HTS: "2933.59.53.00", Origin: "GB", EntryDate: "2026-08-01", KnownOn: "2026-08-02", Value: "10000"}, "1650.00", "9903.04.63", ""},
		{"GB API known 2026-08-10", engine.Input{HTS: "2933.59.53.00", Origin: "GB", EntryDate: "2026-08-01", KnownOn: "2026-08-10", Value: "10000"}, "650.00", "9903.04.63", "9903.05.81"},
		// Brazil: patented, 100% total and no Brazil or forced-labor 301 duty;
		// generic, 6.5% + 25% Brazil 301 + 12.5% forced labor.
		{"BR API 2026-10-15", engine.Input{HTS: "2933.59.53.00", Origin: "BR", EntryDate: "2026-10-15", Value: "10000"}, "10000.00", "9903.05.07", "9903.05.01"},
		{"BR generic API 2026-10-15", engine.Input{HTS: "2933.59.53.00", Origin: "BR", EntryDate: "2026-10-15", Value: "10000", Claims: "pharma-generic"}, "4400.00", "9903.04.67", "9903.04.60"},
		// Insulin line of the Rev. 10 schedule after 2026-09-29, when note 40(c)
		// lists only its new subdivisions .10/.90 (bridge list): 100% total.
		{"IN insulin 2026-10-01", engine.Input{HTS: "3004.31.00.00", Origin: "IN", EntryDate: "2026-10-01", Value: "10000"}, "10000.00", "9903.04.60", ""},
		// Before the pharma measures: nothing.
		{"IN API 2026-07-30", engine.Input{HTS: "2933.59.53.00", Origin: "IN", EntryDate: "2026-07-30", Value: "10000"}, "1650.00", "9903.05.44", "9903.04.60"},

		// UAS. Chinese drone of 250 g-7 kg, MFN free: 25% (9903.08.22) + China 301
		// list 1 25% + forced labor 12.5%.
		{"CN drone 2026-10-01", engine.Input{HTS: "8806.22.00.00", Origin: "CN", EntryDate: "2026-10-01", Value: "10000"}, "6250.00", "9903.08.22", "9903.08.21"},
		{"CN thermal drone 2026-10-01", engine.Input{HTS: "8806.22.00.00", Origin: "CN", EntryDate: "2026-10-01", Value: "10000", Claims: "uas-thermal"}, "13750.00", "9903.08.21", "9903.08.22"},
		{"CN drone 2026-09-02", engine.Input{HTS: "8806.22.00.00", Origin: "CN", EntryDate: "2026-09-02", Value: "10000"}, "3750.00", "9903.88.01", "9903.08.22"},
		// Japanese drone with allied components: 15% inclusive + 12.5% inclusive forced labor.
		{"JP drone allied 2026-10-01", engine.Input{HTS: "8806.22.00.00", Origin: "JP", EntryDate: "2026-10-01", Value: "10000", Claims: "uas-allied-components"}, "2750.00", "9903.08.24", "9903.08.22"},
		// German UAS over 25 kg: +100% + EU 10% inclusive forced labor.
		{"DE large UAS 2026-10-01", engine.Input{HTS: "8806.24.00.00", Origin: "DE", EntryDate: "2026-10-01", Value: "10000"}, "11000.00", "9903.08.21", ""},
		// Aircraft part 8807.30: not for a UAS over 25 kg by default (9903.08.20).
		{"CN 8807 part 2026-10-01", engine.Input{HTS: "8807.30.00", Origin: "CN", EntryDate: "2026-10-01", Value: "10000"}, "3750.00", "9903.08.20", "9903.08.21"},
		{"CN 8807 UAS part 2026-10-01", engine.Input{HTS: "8807.30.00", Origin: "CN", EntryDate: "2026-10-01", Value: "10000", Claims: "uas-over-25kg"}, "13750.00", "9903.08.21", "9903.08.20"},

		// Canada 338. Toy, MFN free: 50% (9903.03.14) + 10% forced labor.
		{"CA toy 2026-09-01", engine.Input{HTS: "9503.00.00.90", Origin: "CA", EntryDate: "2026-09-01", Value: "10000"}, "6000.00", "9903.03.14", ""},
		// Salt was removed from 51(b)(3) on 2026-09-15.
		{"CA salt 2026-09-01", engine.Input{HTS: "2501.00.00.00", Origin: "CA", EntryDate: "2026-09-01", Value: "10000"}, "", "9903.03.14", ""},
		{"CA salt 2026-09-20", engine.Input{HTS: "2501.00.00.00", Origin: "CA", EntryDate: "2026-09-20", Value: "10000"}, "", "", "9903.03.14"},
		// Cheese 0406.90.99 joined 51(b)(3) on 2026-09-15.
		{"CA cheese 2026-09-01", engine.Input{HTS: "0406.90.99.00", Origin: "CA", EntryDate: "2026-09-01", Value: "10000"}, "", "", "9903.03.14"},
		{"CA cheese 2026-09-20", engine.Input{HTS: "0406.90.99.00", Origin: "CA", EntryDate: "2026-09-20", Value: "10000"}, "", "9903.03.14", ""},
		// Dairy basket: milk powder 0402.10.50 (51(b)(2)).
		{"CA milk powder 2026-09-01", engine.Input{HTS: "0402.10.50.00", Origin: "CA", EntryDate: "2026-09-01", Value: "10000", Quantity: "1000", Unit: "kg"}, "", "9903.03.13", ""},
	}
	runPackCases(t, s, cases)
}

// TestS232PharmaQuestions checks that a patented-pharma line asks for the
// facts of headings 9903.04.61-.70 instead of guessing them.
func TestS232PharmaQuestions(t *testing.T) {
	l := full(t)
	s, err := l.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	in := engine.Input{HTS: "2933.59.53.00", Origin: "IN", EntryDate: "2026-08-15", Value: "10000"}
	q, err := in.Parse()
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Assess(&q)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, qu := range a.Questions {
		got[qu.Fact] = true
	}
	for _, f := range []string{"pharma-identified-company", "pharma-onshoring-plan", "pharma-onshoring-mfn-pricing", "pharma-generic", "pharma-us-api", "not-pharma-article"} {
		if !got[f] {
			t.Errorf("no question %s (got %v)", f, got)
		}
	}
}

// TestS232PharmaCrossCheck compares the note 40(c) list of 2026-07-31 with
// the tracker's s232_pharma_products.csv (read, never copied).
func TestS232PharmaCrossCheck(t *testing.T) {
	p := filepath.Join(testenv.SharedDir(t), "data", "yale", "inputs_upstream_73abc0a", "s232_pharma_products.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	theirs := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v := strings.TrimSpace(strings.Split(sc.Text(), ",")[0])
		if v != "" && v[0] >= '0' && v[0] <= '9' {
			theirs[v] = true
		}
	}
	ours := map[string]bool{}
	for _, it := range listItems(t, "s232-pharma.yaml", "usn40-c-2026-07") {
		ours[strings.ReplaceAll(it, ".", "")] = true
	}
	var onlyOurs, onlyTheirs []string
	for k := range ours {
		if !theirs[k] {
			onlyOurs = append(onlyOurs, k)
		}
	}
	for k := range theirs {
		if !ours[k] {
			onlyTheirs = append(onlyTheirs, k)
		}
	}
	sort.Strings(onlyOurs)
	sort.Strings(onlyTheirs)
	t.Logf("note 40(c) 2026-07-31: levy %d, tracker %d; only levy %v; only tracker %v", len(ours), len(theirs), onlyOurs, onlyTheirs)
	if len(ours) != 131 || len(onlyOurs)+len(onlyTheirs) > 0 {
		t.Errorf("lists differ")
	}
	if n := len(listItems(t, "s232-pharma.yaml", "usn40-c-2026-09")); n != 149 {
		t.Errorf("note 40(c) 2026-09-29: %d provisions, want 149", n)
	}
}

// TestS338ListCounts checks the note 51(b) list sizes against the counts of
// the proclamations (63/52/439, then 101/513 from 2026-09-15).
func TestS338ListCounts(t *testing.T) {
	for id, n := range map[string]int{"usn51-b1-2026-08": 63, "usn51-b1-2026-09": 101, "usn51-b2": 52, "usn51-b3-2026-08": 439, "usn51-b3-2026-09": 513} {
		if got := len(listItems(t, "s338-canada.yaml", id)); got != n {
			t.Errorf("%s: %d provisions, want %d", id, got, n)
		}
	}
}

// TestS2026ListLinesInSchedule logs list provisions that match no line of
// the HTS 2026 Rev. 10 schedule (statistical numbers created later).
func TestS2026ListLinesInSchedule(t *testing.T) {
	l := full(t)
	codes := make([]string, 0, len(l.Schedule.Lines))
	for _, ln := range l.Schedule.Lines {
		codes = append(codes, strings.ReplaceAll(ln.Code, ".", ""))
	}
	for _, c := range []struct{ file, id string }{
		{"s232-pharma.yaml", "usn40-c-2026-07"}, {"s232-pharma.yaml", "usn40-c-2026-09"},
		{"s232-uas.yaml", "usn43-c1-uas"}, {"s232-uas.yaml", "usn43-c1-docking"}, {"s232-uas.yaml", "usn43-c2"}, {"s232-uas.yaml", "usn43-c3-c4"},
		{"s338-canada.yaml", "usn51-b1-2026-08"}, {"s338-canada.yaml", "usn51-b1-2026-09"}, {"s338-canada.yaml", "usn51-b2"},
		{"s338-canada.yaml", "usn51-b3-2026-08"}, {"s338-canada.yaml", "usn51-b3-2026-09"},
	} {
		var missing []string
		for _, it := range listItems(t, c.file, c.id) {
			p := strings.ReplaceAll(it, ".", "")
			found := false
			for _, code := range codes {
				if strings.HasPrefix(code, p) {
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, it)
			}
		}
		if len(missing) > 0 {
			t.Logf("%s: %d provisions not in the Rev. 10 schedule: %v", c.id, len(missing), missing)
		}
	}
}
