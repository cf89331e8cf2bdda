package program

import (
	"fmt"
	"strings"
)

// partners are the countries whose goods may be claimed under a bilateral or
// regional agreement, from the agreements' implementing acts as listed in
// general note 3(c)(i). Programs open to any country (C, K, L) and the
// preference programs whose beneficiary lists change by proclamation (A, D,
// E, J, R) are not restricted here.
var partners = map[string][]string{
	"AU": {"AU"}, "BH": {"BH"}, "CL": {"CL"}, "CO": {"CO"}, "IL": {"IL"}, "JO": {"JO"},
	"JP": {"JP"}, "KR": {"KR"}, "MA": {"MA"}, "NP": {"NP"}, "OM": {"OM"}, "PA": {"PA"},
	"PE": {"PE"}, "SG": {"SG"}, "B": {"CA"}, "CA": {"CA"}, "MX": {"MX"},
	"S": {"CA", "MX"}, "S+": {"CA", "MX"},
	"P": {"CR", "DO", "SV", "GT", "HN", "NI"}, "P+": {"CR", "DO", "SV", "GT", "HN", "NI"},
}

// Eligible reports whether goods of country (ISO alpha-2) may be claimed
// under the program symbol: an error says why not. Programs whose
// beneficiaries levy does not track are accepted.
func Eligible(sym, country string) error {
	p, err := Lookup(sym)
	if err != nil {
		return err
	}
	cs, ok := partners[p.Symbol]
	if !ok {
		return nil
	}
	for _, c := range cs {
		if c == country {
			return nil
		}
	}
	return fmt.Errorf("program %s (%s) covers goods of %s only, not %s", p.Symbol, p.Short, strings.Join(cs, ", "), country)
}
