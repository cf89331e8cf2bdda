package burden

import (
	"strings"
	"testing"

	"github.com/levy-tariff/levy/country"
)

func TestReadGroupsRows(t *testing.T) {
	b, err := Read(strings.NewReader("HTS10,Country,CON_VAL_USD\n"+
		"9503000090,JAPAN,100\n"+
		"9503000090,Japan,50.5\n"+
		"9503000090,ATLANTIS,7\n"+
		"9503000090,JAPAN,-3\n"+
		"8703230130,\"KOREA, SOUTH\",1\n"+
		"9503000090,JAPAN,lots\n"), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	if b.Rows != 6 || len(b.Lines) != 2 || b.Lines[0].Origin != "JP" || b.Lines[0].Value.String() != "150.5" || b.Lines[1].Origin != "KR" {
		t.Errorf("rows %d, lines %+v", b.Rows, b.Lines)
	}
	if b.Unmatched["ATLANTIS"].String() != "7" || len(b.BadRows) != 1 || !strings.HasPrefix(b.BadRows[0], "line 7: value") {
		t.Errorf("unmatched %v, bad rows %q", b.Unmatched, b.BadRows)
	}
	for _, in := range []string{"", "a,b,c\n", "hts,origin\n1,JP\n"} {
		if _, err := Read(strings.NewReader(in), "x"); err == nil {
			t.Errorf("%q read as a basket", in)
		}
	}
}

// FuzzRead checks that no input makes Read panic, and that every line it
// keeps has a positive value and an ISO country.
func FuzzRead(f *testing.F) {
	f.Add("hts10,origin,value\n9506628020,JP,365000\n")
	f.Add("hts10,cty_name,con_val_usd\n9503000090,\"KOREA, SOUTH\",10\n9503000090,ATLANTIS,1\n")
	f.Add("hts,origin,value\n\"x,\"y\n")
	f.Add("\x1f\x8b\x08\x00")
	f.Fuzz(func(t *testing.T, in string) {
		b, err := Read(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		for _, l := range b.Lines {
			if !l.Value.IsPos() {
				t.Fatalf("line %+v kept with a value that is not positive", l)
			}
			if _, err := country.Lookup(l.Origin); err != nil {
				t.Fatalf("line %+v kept with an unknown country", l)
			}
		}
	})
}
