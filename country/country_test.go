package country

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

func TestTable(t *testing.T) {
	if len(iso3166) != 249 {
		t.Errorf("%d countries, want the 249 ISO 3166-1 assigns", len(iso3166))
	}
	for i, c := range iso3166 {
		if len(c.Code) != 2 || strings.ToUpper(c.Code) != c.Code || c.Name == "" {
			t.Errorf("bad entry %+v", c)
		}
		if i > 0 && iso3166[i-1].Code >= c.Code {
			t.Errorf("%s not after %s", c.Code, iso3166[i-1].Code)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := map[string]string{"JP": "Japan", "jp": "Japan", " de ": "Germany", "UK": "United Kingdom of Great Britain and Northern Ireland",
		"el": "Greece", "GB": "United Kingdom of Great Britain and Northern Ireland", "KP": "Korea (Democratic People's Republic of)"}
	for in, want := range tests {
		c, err := Lookup(in)
		if err != nil || c.Name != want {
			t.Errorf("Lookup(%q) = %+v, %v; want %s", in, c, err, want)
		}
	}
	for _, in := range []string{"", "JX", "JPN", "Japan", "XK", "J"} {
		if _, err := Lookup(in); !errors.Is(err, ErrUnknown) {
			t.Errorf("Lookup(%q) error %v, want ErrUnknown", in, err)
		}
	}
}

func TestLookupError(t *testing.T) {
	_, err := Lookup("JX")
	want := `unknown country "JX": did you mean JE (Jersey), JM (Jamaica), JO (Jordan), JP (Japan), AX (Åland Islands)?`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
	_, err = Lookup("QQ")
	if err == nil || err.Error() != `unknown country "QQ": did you mean QA (Qatar), AQ (Antarctica), BQ (Bonaire, Sint Eustatius and Saba), GQ (Equatorial Guinea), IQ (Iraq)?` {
		t.Errorf("error = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	tests := map[string]string{"Japan": "JP", "jap": "JP", "korea": "KP,KR", "germ": "DE", "united": "AE,GB,UM,US,TZ", "zz": "ZA,ZM,ZW,AZ,BZ", "": ""}
	for in, want := range tests {
		if got := strings.Join(Suggest(in), ","); got != want {
			t.Errorf("Suggest(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestGroups(t *testing.T) {
	if n := len(EU27.Codes()); n != 27 {
		t.Errorf("EU-27 has %d members", n)
	}
	for _, c := range append(EU27.Codes(), Column2.Codes()...) {
		if _, err := Lookup(c); err != nil {
			t.Errorf("group member %s: %v", c, err)
		}
	}
	for _, c := range []string{"de", "EL", "GR", "HR"} {
		if !EU27.Contains(c) {
			t.Errorf("EU27 lacks %s", c)
		}
	}
	for _, c := range []string{"GB", "UK", "CH", "NO", "TR"} {
		if EU27.Contains(c) {
			t.Errorf("EU27 holds %s", c)
		}
	}
	for _, c := range []string{"CU", "KP", "RU", "BY"} {
		if !Column2.Contains(c) {
			t.Errorf("Column2 lacks %s", c)
		}
	}
	if Column2.Contains("CN") || len(Column2.Codes()) != 4 {
		t.Errorf("Column2 = %v", Column2.Codes())
	}
}

// TestCensusCodes checks that every country of the Census Schedule C list
// in ../shared/data maps to exactly one ISO 3166-1 code of this package.
func TestCensusCodes(t *testing.T) {
	f, err := os.Open(testenv.DataFile(t, "census_country_codes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	matched := 0
	for _, row := range rows[1:] {
		name := row[1]
		c, ok := ByName(name)
		code := c.Code
		if !ok && name == "Kosovo" {
			continue // no ISO 3166-1 code of its own (XK is user-assigned)
		}
		if !ok {
			t.Errorf("Census %s %q matches no ISO name", row[0], name)
			continue
		}
		if code == "" {
			continue
		}
		if _, err := Lookup(code); err != nil {
			t.Errorf("Census %q: %v", name, err)
		}
		if prev, dup := seen[code]; dup && code != "PS" {
			t.Errorf("Census %q and %q both map to %s", prev, name, code)
		}
		seen[code] = name
		matched++
	}
	if matched < len(rows)-2 {
		t.Errorf("only %d of %d Census countries mapped", matched, len(rows)-1)
	}
	t.Logf("%d of %d Census countries map to ISO 3166-1 codes; %d ISO codes have no Census row", matched, len(rows)-1, len(iso3166)-len(seen))
}

func TestByName(t *testing.T) {
	for name, want := range map[string]string{"JAPAN": "JP", "KOREA, SOUTH": "KR", "Viet Nam": "VN", "VIETNAM": "VN",
		"COTE D'IVOIRE": "CI", "Türkiye": "TR", "TURKEY": "TR", "ST KITTS AND NEVIS": "KN", "CZECH REPUBLIC": "CZ"} {
		c, ok := ByName(name)
		if !ok || c.Code != want {
			t.Errorf("ByName(%q) = %v, %v; want %s", name, c, ok, want)
		}
	}
	if _, ok := ByName("Atlantis"); ok {
		t.Error("ByName(Atlantis) found a country")
	}
}
