package program

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

func TestLookup(t *testing.T) {
	tests := map[string]string{"KR": "KORUS", " s+ ": "USMCA", "S": "USMCA", "a*": "GSP", "JP": "USJTA"}
	for in, want := range tests {
		p, err := Lookup(in)
		if err != nil || p.Short != want {
			t.Errorf("Lookup(%q) = %+v, %v; want %s", in, p, err, want)
		}
	}
	_, err := Lookup("XX")
	if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "A, A*, A+, AU") || !strings.Contains(err.Error(), Source) {
		t.Errorf("Lookup(XX) error = %v", err)
	}
	if p, _ := Lookup("CA"); !p.Legacy {
		t.Error("CA not marked legacy")
	}
}

// TestSharedSymbols checks every symbol and name against the general note 3
// table for 2026 Revision 9 in ../shared/data, and that the symbols it lacks
// are exactly the legacy ones.
func TestSharedSymbols(t *testing.T) {
	f, err := os.Open(testenv.DataFile(t, "gn3_program_symbols_2026_rev_9.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	inCSV := map[string]bool{}
	for _, row := range rows[1:] {
		sym, name := row[0], row[1]
		inCSV[sym] = true
		p, err := Lookup(sym)
		if err != nil {
			t.Errorf("CSV symbol %s: %v", sym, err)
			continue
		}
		if p.Name != name || p.Legacy {
			t.Errorf("%s: name %q legacy %v, CSV says %q", sym, p.Name, p.Legacy, name)
		}
	}
	for _, p := range programs {
		if !inCSV[p.Symbol] && !p.Legacy {
			t.Errorf("%s is not in the 2026 rev 9 table and not marked legacy", p.Symbol)
		}
	}
	t.Logf("%d symbols in the CSV, %d in the table", len(inCSV), len(programs))
}
