package levy_test

import (
	"path/filepath"
	"testing"
)

// TestMoreWorkedCases runs levy's own conformance corpus,
// testdata/cases/us-2025-2026-more.csv: cases worked by hand from the shared
// fact sheets, chapter 99 heading texts and base rates, not from levy output.
// Cases where levy is known to disagree are kept apart in
// testdata/cases/disagreements.csv, which no test runs.
func TestMoreWorkedCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "us-2025-2026-more.csv"))
}
