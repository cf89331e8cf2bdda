// Package program holds the special tariff treatment programs whose symbols
// appear in the special rate column of the HTSUS (general note 3(c)(i)),
// with their names, so that a claimed program can be checked and named.
//
// It is data and lookup only: it must not import any other levy package.
package program

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Source is where the symbols and names come from.
const Source = "HTSUS General Note 3(c)(i), 2026 Revision 9"

// Program is one special tariff treatment program symbol.
type Program struct {
	// Symbol is as printed in the special column ("KR", "A+", "S+").
	Symbol string
	// Name is the program's name in general note 3(c)(i).
	Name string
	// Short is the name the program is known by ("GSP", "KORUS", "USMCA").
	Short string
	// Legacy is set for symbols that general note 3(c)(i) no longer lists
	// but that older lines of the schedule still print (NAFTA's CA and MX,
	// the Andean Trade Preference Act's J, J* and J+).
	Legacy bool
}

const (
	gsp    = "Generalized System of Preferences"
	cbera  = "Caribbean Basin Economic Recovery Act"
	cafta  = "Dominican Republic-Central America-United States Free Trade Agreement Implementation Act"
	usmca  = "United States-Mexico-Canada Agreement"
	nafta  = "North American Free Trade Agreement"
	andean = "Andean Trade Preference Act"
)

// programs lists the symbols; "*" marks a program from which some
// countries are excluded for the provision, "+" a narrower group (the
// least-developed GSP beneficiaries; goods of a special rule of origin).
var programs = []Program{
	{"A", gsp, "GSP", false},
	{"A*", gsp, "GSP", false},
	{"A+", gsp, "GSP (least-developed beneficiaries)", false},
	{"AU", "United States-Australia Free Trade Agreement", "AUSFTA", false},
	{"B", "Automotive Products Trade Act", "APTA", false},
	{"BH", "United States-Bahrain Free Trade Agreement Implementation Act", "Bahrain FTA", false},
	{"C", "Agreement on Trade in Civil Aircraft", "Civil aircraft", false},
	{"CA", nafta + " (goods of Canada)", "NAFTA", true},
	{"CL", "United States-Chile Free Trade Agreement", "Chile FTA", false},
	{"CO", "United States-Colombia Trade Promotion Agreement Implementation Act", "Colombia TPA", false},
	{"D", "African Growth and Opportunity Act", "AGOA", false},
	{"E", cbera, "CBERA", false},
	{"E*", cbera, "CBERA", false},
	{"IL", "United States-Israel Free Trade Area", "Israel FTA", false},
	{"J", andean, "ATPA", true},
	{"J*", andean, "ATPA", true},
	{"J+", andean + " (Andean Trade Promotion and Drug Eradication Act)", "ATPDEA", true},
	{"JO", "United States-Jordan Free Trade Area Implementation Act", "Jordan FTA", false},
	{"JP", "Trade Agreement Between the United States and Japan", "USJTA", false},
	{"K", "Agreement on Trade in Pharmaceutical Products", "Pharmaceuticals", false},
	{"KR", "United States-Korea Free Trade Agreement Implementation Act", "KORUS", false},
	{"L", "Uruguay Round Concessions on Intermediate Chemicals for Dyes", "Dyes", false},
	{"MA", "United States-Morocco Free Trade Agreement Implementation Act", "Morocco FTA", false},
	{"MX", nafta + " (goods of Mexico)", "NAFTA", true},
	{"NP", "Nepal Preference Program", "Nepal", false},
	{"OM", "United States-Oman Free Trade Agreement Implementation Act", "Oman FTA", false},
	{"P", cafta, "CAFTA-DR", false},
	{"P+", cafta, "CAFTA-DR", false},
	{"PA", "United States-Panama Trade Promotion Agreement Implementation Act", "Panama TPA", false},
	{"PE", "United States-Peru Trade Promotion Agreement Implementation Act", "Peru TPA", false},
	{"R", "United States-Caribbean Basin Trade Partnership Act", "CBTPA", false},
	{"S", usmca, "USMCA", false},
	{"S+", usmca, "USMCA", false},
	{"SG", "United States-Singapore Free Trade Agreement", "Singapore FTA", false},
}

var bySymbol = func() map[string]Program {
	m := make(map[string]Program, len(programs))
	for _, p := range programs {
		m[p.Symbol] = p
	}
	return m
}()

// ErrUnknown is wrapped by the error of Lookup for a symbol not listed.
var ErrUnknown = errors.New("unknown special program symbol")

// Lookup returns the program of a symbol, case-insensitively and ignoring
// surrounding spaces. For a symbol not listed the error names every valid
// symbol.
func Lookup(sym string) (Program, error) {
	s := strings.ToUpper(strings.TrimSpace(sym))
	if p, ok := bySymbol[s]; ok {
		return p, nil
	}
	return Program{}, fmt.Errorf("%w %q: valid symbols are %s (%s)", ErrUnknown, sym, strings.Join(Symbols(), ", "), Source)
}

// Symbols returns every listed symbol, sorted.
func Symbols() []string {
	out := make([]string, len(programs))
	for i, p := range programs {
		out[i] = p.Symbol
	}
	sort.Strings(out)
	return out
}

// All returns every program, ordered by symbol.
func All() []Program {
	out := append([]Program(nil), programs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Symbol < out[j].Symbol })
	return out
}
