package engine_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/testenv"
)

// TestS301Pack checks hand-verified assessments of the Section 301, 122, 338
// and 201 measure files against HTS 2026 Rev 10 base rates. Each want is
// worked out from the heading texts and notes (see data/measures/NOTES-301.md).
func TestS301Pack(t *testing.T) {
	l := full(t)
	s, err := l.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	in := func(hts, origin, date, program string) engine.Input {
		return engine.Input{HTS: hts, Origin: origin, EntryDate: date, Value: "10000", Program: program}
	}
	cases := []packCase{
		// Chinese sweater: MFN 16.5% + list 4A 7.5% + forced labor 12.5%.
		{"CN apparel", in("6110.20.20.20", "CN", "2026-08-01", ""), "3650.00", "9903.05.31", ""},
		{"CN apparel list 4A", in("6110.20.20.20", "CN", "2026-08-01", ""), "3650.00", "9903.88.15", ""},
		// Vietnamese toys: MFN free + 12.5%.
		{"VN toys", in("9503.00.00.90", "VN", "2026-08-01", ""), "1250.00", "9903.05.84", ""},
		// German good, MFN 4.8%: 10% inclusive (9903.05.39); MFN 16.5%: none (9903.05.38).
		{"DE MFN 4.8", in("9506.62.80.20", "DE", "2026-08-01", ""), "1000.00", "9903.05.39", ""},
		{"DE MFN 16.5", in("6110.20.20.20", "DE", "2026-08-01", ""), "1650.00", "9903.05.38", "9903.05.39"},
		// Korean sweater claiming KORUS (free): 12.5% inclusive of the special rate.
		{"KR claiming KR", in("6110.20.20.20", "KR", "2026-08-01", "KR"), "1250.00", "9903.05.71", ""},
		// Korean sweater without the claim: MFN 16.5% >= 12.5%, no 301.
		{"KR no claim", in("6110.20.20.20", "KR", "2026-08-01", ""), "1650.00", "9903.05.70", "9903.05.71"},
		// Brazilian good, MFN 4.8%: + 25% + 12.5%.
		{"BR", in("9506.62.80.20", "BR", "2026-08-01", ""), "4230.00", "9903.05.01", ""},
		{"BR forced labor", in("9506.62.80.20", "BR", "2026-08-01", ""), "4230.00", "9903.05.27", ""},
		// Computers are on note 52(b): no forced-labor duty.
		{"VN laptop 52(b)", in("8471.30.01.00", "VN", "2026-08-01", ""), "", "9903.05.86", "9903.05.84"},
		// Green coffee (0901.21.00) is on both note 52(b) and note 50(a)(ii): no 301 duty.
		{"BR coffee", in("0901.21.00.20", "BR", "2026-08-01", ""), "0.00", "9903.05.86", "9903.05.27"},
		{"BR coffee note 50", in("0901.21.00.20", "BR", "2026-08-01", ""), "0.00", "9903.05.03", "9903.05.01"},
		// Pulp 4703.19.00 (free) is on note 50(a)(ii) but not on 52(b): forced labor only.
		{"BR pulp", in("4703.19.00.00", "BR", "2026-08-01", ""), "1250.00", "9903.05.03", "9903.05.01"},
		// Acai (2008.99.21, 4.5%), note 50(a)(iii)(6): exempt from the 25% only when declared.
		{"BR acai claimed", engine.Input{HTS: "2008.99.21.40", Origin: "BR", EntryDate: "2026-08-01", Value: "10000", Claims: "annex-described-article"}, "450.00", "9903.05.04", "9903.05.01"},
		// Acai is also note 52(c)(10): the same declaration exempts it from the forced-labor duty (9903.05.87).
		{"BR acai claimed 52(c)", engine.Input{HTS: "2008.99.21.40", Origin: "BR", EntryDate: "2026-08-01", Value: "10000", Claims: "annex-described-article"}, "450.00", "9903.05.87", "9903.05.27"},
		{"BR acai not claimed", in("2008.99.21.40", "BR", "2026-08-01", ""), "4200.00", "9903.05.01", "9903.05.04"},
		// Canadian toy (note 51(b)(3)): 338 +50% and forced labor +10% (no USMCA claim possible: 9503 lists no special rate).
		{"CA toy", in("9503.00.00.90", "CA", "2026-09-01", ""), "6000.00", "9903.03.14", ""},
		// Canadian motorcycle claiming USMCA: 338 +50% still applies; forced labor exempt (9903.05.93).
		{"CA motorcycle S", in("8711.50.00.60", "CA", "2026-09-01", "S"), "5000.00", "9903.05.93", "9903.05.29"},
		// Before 2026-08-22 no 338 duty.
		{"CA toy 2026-08-01", in("9503.00.00.90", "CA", "2026-08-01", ""), "1000.00", "9903.05.29", "9903.03.14"},
		// 2024 review: medical gloves 100% in 2026 instead of the list rate, + 12.5%.
		{"CN gloves", in("4015.12.10.10", "CN", "2026-08-01", ""), "", "9903.91.08", "9903.88.03"},
		// Section 122 ended 2026-07-24: forced-labor duty only.
		{"JP toys 2026-08-01", in("9503.00.00.90", "JP", "2026-08-01", ""), "1250.00", "9903.05.49", "9903.03.01"},
		// Section 122 period: CAFTA-DR textiles claimed under P.
		{"s122 still 10% for toys", in("9503.00.00.90", "VN", "2026-05-01", ""), "1000.00", "9903.03.01", ""},
		// Nicaragua 2026: 0% 301 plus forced labor 12.5%.
		{"NI toys", in("9503.00.00.90", "NI", "2026-08-01", ""), "1250.00", "9903.05.58", ""},
		// Quartz from China, in quota: MFN + 25% + 12.5% (MFN of 6810.99.00 is free).
		{"CN quartz", in("6810.99.00.20", "CN", "2026-09-01", ""), "", "9903.45.30", ""},
		// Note 52(j)(1): UK ultrasound scanner (free) is on the UK list: no forced-labor duty.
		{"GB 9018.12 52(j)(1)", in("9018.12.00.00", "GB", "2026-08-01", ""), "0.00", "9903.05.96", "9903.05.81"},
		// The same good from Germany is not on the EU list (52(j)(2)): 10% inclusive of the free MFN rate.
		{"DE 9018.12 not on EU list", in("9018.12.00.00", "DE", "2026-08-01", ""), "1000.00", "9903.05.39", "9903.05.97"},
		// Natural cork from Portugal is on the EU list.
		{"PT cork 52(j)(2)", in("4503.10.20.00", "PT", "2026-08-01", ""), "0.00", "9903.05.97", "9903.05.39"},
		// Note 52(e): a ch. 29 intermediate (MFN 6.5%) exempt only when declared for pharmaceutical use.
		{"VN 2924.29.71 pharma use", engine.Input{HTS: "2924.29.71.00", Origin: "VN", EntryDate: "2026-08-01", Value: "10000", Claims: "pharmaceutical-use"}, "650.00", "9903.05.89", "9903.05.84"},
		{"VN 2924.29.71 not declared", in("2924.29.71.00", "VN", "2026-08-01", ""), "1900.00", "9903.05.84", "9903.05.89"},
		// Note 52(j)(13)(i): Jordanian handbags (MFN 10%) are on Jordan's list.
		{"JO handbag 52(j)(13)", in("4202.21.60.00", "JO", "2026-08-01", ""), "1000.00", "9903.06.20", "9903.05.50"},
		// Note 52(j)(4)(ii): aloe etc. of 1302.19.91 is not a Malaysian particular article; Cambodia's is (52(j)(5)(ii)(C)).
		{"KH 1302.19.91 claimed", engine.Input{HTS: "1302.19.91.40", Origin: "KH", EntryDate: "2026-08-01", Value: "10000", Claims: "annex-described-article"}, "0.00", "9903.06.03", "9903.05.28"},
		{"KH 1302.19.91 not claimed", in("1302.19.91.40", "KH", "2026-08-01", ""), "1000.00", "9903.05.28", "9903.06.03"},
		{"MY 1302.19.91 claimed", engine.Input{HTS: "1302.19.91.40", Origin: "MY", EntryDate: "2026-08-01", Value: "10000", Claims: "annex-described-article"}, "1000.00", "9903.05.54", "9903.06.01"},
	}
	runPackCases(t, s, cases)
}

// TestS301Note52b checks the note 52(b) list against the audit facts.
func TestS301Note52b(t *testing.T) {
	items := listItems(t, "s301-forced-labor.yaml", "usn52-b")
	if len(items) != 863 {
		t.Errorf("note 52(b) has %d provisions, want 863", len(items))
	}
	has := func(p string) bool {
		for _, it := range items {
			if strings.HasPrefix(strings.ReplaceAll(it, ".", ""), p) {
				return true
			}
		}
		return false
	}
	if !has("09012100") || !has("847130") {
		t.Error("0901.21.00 and 8471 lines must be on note 52(b)")
	}
	for _, p := range []string{"9503", "9506", "6110", "8703"} {
		if has(p) {
			t.Errorf("note 52(b) must not list %s", p)
		}
	}
}

// TestS301Note50 checks the note 50(a)(ii) and (iii) lists: counts, and
// the provisions named in NOTES-301.md as on note 50 but not on note 52(b)
// (fish, pulp, wood) and the reverse (cereals, seeds).
func TestS301Note50(t *testing.T) {
	items := listItems(t, "s301-brazil.yaml", "usn50-a-ii")
	if len(items) != 864 {
		t.Errorf("note 50(a)(ii) has %d provisions, want 864", len(items))
	}
	if n := len(listItems(t, "s301-brazil.yaml", "usn50-a-iii")); n != 11 {
		t.Errorf("note 50(a)(iii) has %d articles, want 11", n)
	}
	set := map[string]bool{}
	for _, it := range items {
		if set[it] {
			t.Errorf("note 50(a)(ii): %s listed twice", it)
		}
		set[it] = true
	}
	for _, it := range []string{"0901.21.00", "0302.32.00", "4703.19.00", "4412.31.06", "8422.40.91.81", "9706.90.00"} {
		if !set[it] {
			t.Errorf("note 50(a)(ii) must list %s", it)
		}
	}
	for _, it := range []string{"1001.11.00", "1209.10.00", "9503.00.00"} {
		if set[it] {
			t.Errorf("note 50(a)(ii) must not list %s", it)
		}
	}
}

// TestS122CrossCheck compares the Section 122 Annex list levy uses with the
// Yale tracker's s122_exempt_products.csv (an independent secondary parse of
// note 2(aa)(ii)-(iii)) and logs the differences; it fails only if a levy
// item matches nothing there.
func TestS122CrossCheck(t *testing.T) {
	dir := testenv.SharedDir(t)
	f, err := os.Open(filepath.Join(dir, "data", "yale", "inputs_upstream_73abc0a", "s122_exempt_products.csv"))
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var yale []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v := strings.Trim(sc.Text(), "\" ")
		if v != "" && v != "hts8" {
			yale = append(yale, v)
		}
	}
	ours := append(append(listItems(t, "s122.yaml", "s122-annex"), listItems(t, "s122.yaml", "s122-annex-articles")...), listItems(t, "s122.yaml", "s122-civil-aircraft")...)
	covered := 0
	for _, y := range yale {
		for _, o := range ours {
			if strings.HasPrefix(y, strings.ReplaceAll(o, ".", "")) {
				covered++
				break
			}
		}
	}
	for _, o := range ours {
		p := strings.ReplaceAll(o, ".", "")
		ok := false
		for _, y := range yale {
			ok = ok || strings.HasPrefix(y, p) || strings.HasPrefix(p, y)
		}
		if !ok {
			t.Errorf("levy item %s is not in the Yale Section 122 list", o)
		}
	}
	// s122-annex is complete: every Yale provision must be on it (or on the
	// particular articles of note 2(aa)(iii)).
	// Differences explained in data/measures/NOTES.md: the text lists the
	// statistical line 8505.11.0070 where Yale has 8505.11.00; Yale lists
	// 9031.49.70, which the revision 6 text of note 2(aa) does not print.
	known := map[string]bool{"85051100": true, "90314970": true}
	for _, y := range yale {
		if known[y] {
			t.Logf("known difference: Yale provision %s (see NOTES.md)", y)
			continue
		}
		ok := false
		for _, o := range ours {
			ok = ok || strings.HasPrefix(y, strings.ReplaceAll(o, ".", ""))
		}
		if !ok {
			t.Errorf("Yale Section 122 provision %s is not on levy's s122-annex", y)
		}
	}
	t.Logf("Section 122 Annex: Yale lists %d 8-digit provisions; levy's list covers %d of them", len(yale), covered)
}

// TestS301Note52Lists checks the counts of the note 52(c), (e) and (j) lists
// as transcribed from the HTS 2026 Rev 13 change record (UK 49, EU 43 and
// Switzerland 134 are the counts the heading facts give).
func TestS301Note52Lists(t *testing.T) {
	want := map[string]int{
		"usn52-c": 16, "usn52-e": 700,
		"usn52-j-gb": 49, "usn52-j-eu": 43, "usn52-j-ch": 134,
		"usn52-j-my": 101, "usn52-j-my-ii": 3, "usn52-j-kh": 154, "usn52-j-kh-ii": 3,
		"usn52-j-gt": 109, "usn52-j-gt-ii": 3, "usn52-j-gt-iii": 1737,
		"usn52-j-sv": 98, "usn52-j-sv-ii": 1, "usn52-j-sv-iii": 1707,
		"usn52-j-ar": 90, "usn52-j-ar-ii": 3, "usn52-j-bd": 85, "usn52-j-bd-ii": 2,
		"usn52-j-tw": 114, "usn52-j-tw-ii": 4, "usn52-j-id": 147, "usn52-j-id-ii": 1,
		"usn52-j-ec": 150, "usn52-j-ec-ii": 1, "usn52-j-jo": 1887, "usn52-j-jo-ii": 2,
	}
	for id, n := range want {
		items := listItems(t, "s301-forced-labor.yaml", id)
		seen := map[string]bool{}
		for _, it := range items {
			if seen[it] {
				t.Errorf("%s: duplicate %s", id, it)
			}
			seen[it] = true
		}
		if len(items) != n {
			t.Errorf("%s has %d provisions, want %d", id, len(items), n)
		}
	}
}
