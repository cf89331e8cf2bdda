package levy_test

import (
	"path/filepath"
	"testing"
)

// TestCaseCorpora runs every file of levy's own conformance corpus,
// testdata/cases/*.csv, through levy batch as TestWorkedCases runs the shared
// file. Each case is worked by hand from the fact sheets, the chapter 99
// heading texts, the schedule's base rates and the legal lists, never from
// levy's output, and its note gives the reasoning and the source:
//
//   - us-2025-2026-more.csv: countries and families across 2025-2026;
//   - us-2026-edges.csv: date boundaries, in-transit windows, known-on
//     readings around retroactive instruments, inclusive floors, fee years;
//   - japan-top-goods.csv: Japan's largest HTS-10 lines on several dates;
//   - partners-top-goods.csv: the largest lines of Mexico, Canada, China,
//     Germany, Korea and Vietnam, with and without USMCA and KORUS claims;
//   - more-partners.csv: the United Kingdom, India, Switzerland, Brazil,
//     Taiwan, Thailand, Indonesia, Singapore and Australia;
//   - china-2025-2026.csv: China, Hong Kong and Macau;
//   - claims.csv: cases whose answer depends on a declared claim;
//   - law-2024.csv: the regime of 2024 to early 2025 (Section 232 steel and
//     aluminum with quotas and exemptions, the Section 201 solar safeguard,
//     Russia's note 30 rates, Section 301 China by statistical line and
//     four-year review) and the end of the 301 exclusions in 2026.
//
// A new file in testdata/cases is run without changing this test.
func TestCaseCorpora(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files in testdata/cases")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runCasesFile(t, f) })
	}
}
