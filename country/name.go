package country

import (
	"strings"
	"unicode"
)

// commonNames maps names that trade statistics (the US Census Bureau's
// schedule C country names) and everyday usage give to countries whose ISO
// 3166-1 short name is spelt otherwise.
var commonNames = map[string]string{
	"south korea": "KR", "korea south": "KR", "korea": "KR", "north korea": "KP", "korea north": "KP",
	"burma": "MM", "macedonia": "MK", "czech republic": "CZ", "turkey": "TR", "russia": "RU",
	"laos": "LA", "vietnam": "VN", "iran": "IR", "syria": "SY", "moldova": "MD", "tanzania": "TZ",
	"bolivia": "BO", "venezuela": "VE", "brunei": "BN", "macau": "MO", "micronesia": "FM",
	"cote divoire": "CI", "ivory coast": "CI", "democratic republic of the congo": "CD",
	"congo kinshasa": "CD", "congo brazzaville": "CG", "republic of the congo": "CG",
	"falkland islands islas malvinas": "FK", "falkland islands": "FK", "vatican city": "VA",
	"holy see": "VA", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
	"united states": "US", "usa": "US", "pitcairn islands": "PN",
	"british indian ocean territories": "IO", "british virgin islands": "VG",
	"gaza strip administered by israel": "PS", "west bank administered by israel": "PS",
	"st helena": "SH", "st kitts and nevis": "KN", "st lucia": "LC", "st pierre and miquelon": "PM",
	"st vincent and the grenadines": "VC", "reunion": "RE", "curacao": "CW", "sint maarten": "SX",
	"svalbard jan mayen island": "SJ", "svalbard and jan mayen": "SJ", "taiwan": "TW",
	"hong kong": "HK", "palestine": "PS", "eswatini": "SZ", "swaziland": "SZ",
	"heard and mcdonald islands": "HM", "french southern and antarctic lands": "TF",
	"bonaire sint eustatius and saba": "BQ", "east timor": "TL", "timor leste": "TL",
	// Census Schedule C spellings.
	"denmark except greenland": "DK", "holy see vatican city": "VA", "christmas island in the indian ocean": "CX",
	"congo republic of the congo": "CG", "congo democratic republic of the congo formerly za": "CD",
	"virgin islands of the united states": "VI", "saint helena": "SH",
}

func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == 'ô':
			r = 'o'
		case r == 'é':
			r = 'e'
		case r == 'ç':
			r = 'c'
		case r == 'ü':
			r = 'u'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else if r != '\'' && r != '’' {
			space = true
		}
	}
	return b.String()
}

var byName = func() map[string]string {
	m := map[string]string{}
	for _, c := range iso3166 {
		m[normName(c.Name)] = c.Code
	}
	for k, v := range commonNames {
		m[normName(k)] = v
	}
	return m
}()

// ByName finds a country by its ISO short name or a common name ("Japan",
// "KOREA, SOUTH", "Vietnam", "Burma (Myanmar)"), ignoring case and
// punctuation; a name with a part in parentheses is also tried as each part.
func ByName(name string) (Country, bool) {
	forms := []string{name}
	if i := strings.Index(name, "("); i > 0 {
		forms = append(forms, name[:i], strings.Trim(name[i:], "() "))
	}
	for _, f := range forms {
		if code, ok := byName[normName(f)]; ok {
			return byCode[code], true
		}
	}
	return Country{}, false
}
