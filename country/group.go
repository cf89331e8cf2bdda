package country

import (
	"slices"
	"strings"
)

// Group is a named set of countries that measures refer to.
type Group struct {
	// Name is the group's short name ("EU-27").
	Name string
	// Source cites where the membership comes from.
	Source string
	codes  []string
}

// Codes returns the members' alpha-2 codes, sorted.
func (g Group) Codes() []string { return slices.Clone(g.codes) }

// Contains reports whether the group holds a code (case-insensitive;
// aliases such as "EL" for Greece are accepted).
func (g Group) Contains(code string) bool {
	c := strings.ToUpper(strings.TrimSpace(code))
	if a, ok := aliases[c]; ok {
		c = a
	}
	_, found := slices.BinarySearch(g.codes, c)
	return found
}

// EU27 is the European Union's 27 member states as of 2025 (the United
// Kingdom left on 2020-01-31; Croatia, the latest to join, on 2013-07-01).
var EU27 = Group{
	Name:   "EU-27",
	Source: "Treaty on European Union, art. 52(1), as amended by the accession treaties; europa.eu, EU countries (2025)",
	codes: []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
		"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"},
}

// Column2 is the countries whose products pay the column 2 rates: HTSUS
// General Note 3(b) lists Cuba and North Korea, to which the Suspending
// Normal Trade Relations with Russia and Belarus Act (Pub. L. 117-110,
// 2022-04-08) added Russia and Belarus.
var Column2 = Group{
	Name:   "Column 2",
	Source: "HTSUS General Note 3(b); Pub. L. 117-110 (2022)",
	codes:  []string{"BY", "CU", "KP", "RU"},
}
