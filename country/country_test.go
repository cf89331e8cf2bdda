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

// censusToISO maps the Census Schedule C names that do not match an ISO
// name after normalisation. The empty code marks areas with no ISO 3166-1
// alpha-2 code of their own (Kosovo's XK is user-assigned).
var censusToISO = map[string]string{
	"Denmark, except Greenland":         "DK",
	"United Kingdom":                    "GB",
	"Czech Republic":                    "CZ",
	"Russia":                            "RU",
	"Kosovo":                            "",
	"Holy See (Vatican City)":           "VA",
	"Turkey":                            "TR",
	"Gaza Strip administered by Israel": "PS",
	"West Bank administered by Israel":  "PS",
	"Burma (Myanmar)":                   "MM",
	"Vietnam":                           "VN",
	"Brunei":                            "BN",
	"North Korea (Democratic People's Republic of Korea)":  "KP",
	"South Korea (Republic of Korea)":                      "KR",
	"Christmas Island (in the Indian Ocean)":               "CX",
	"Pitcairn Islands":                                     "PN",
	"Micronesia, Federated States of":                      "FM",
	"Congo, Republic of the Congo":                         "CG",
	"Congo, Democratic Republic of the Congo (formerly Za": "CD",
	"Saint Helena":                           "SH",
	"French Southern and Antarctic Lands":    "TF",
	"Virgin Islands of the United States":    "VI",
	"British Virgin Islands":                 "VG",
	"Sint Maarten":                           "SX",
	"Falkland Islands (Islas Malvinas)":      "FK",
	"Moldova (Republic of Moldova)":          "MD",
	"Tanzania (United Republic of Tanzania)": "TZ",
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
	byName := map[string]string{}
	for _, c := range iso3166 {
		for _, n := range nameForms(c.Name) {
			byName[n] = c.Code
		}
	}
	seen := map[string]string{}
	matched := 0
	for _, row := range rows[1:] {
		name := row[1]
		code, ok := censusToISO[name]
		if !ok {
			for _, n := range nameForms(name) {
				if c, found := byName[n]; found {
					code, ok = c, true
					break
				}
			}
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

// nameForms returns a name normalised, with and without its parenthesised
// part, and the parenthesised part alone.
func nameForms(name string) []string {
	n := strings.NewReplacer("é", "e", "ô", "o", "ç", "c", "Å", "a", "ü", "u", "the ", "", ".", "", "'", "").Replace(strings.ToLower(name))
	forms := []string{strings.TrimSpace(n)}
	if i := strings.Index(n, "("); i > 0 {
		forms = append(forms, strings.TrimSpace(n[:i]), strings.Trim(n[i:], "() "))
	}
	return forms
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
