package server

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/program"
)

// This file words what levy computes for the page's readers, importers:
// money as money, dates spelt out, countries and programs by name, each
// layer by what it is, and citations as links to the primary text.

// usd formats an amount as dollars with thousands separators and two
// decimals; a negative amount reads "−$400.00" (a minus sign, never "$-").
func usd(d money.Decimal) string { return dollars(d, money.One, 2, "") }

// usdText formats a decimal written as text (as the engine's views hold
// money); text that is not a number is returned as it is.
func usdText(s string) string {
	d, err := money.Parse(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return usd(d)
}

// pct formats a percentage with at most two decimals: "15%", "14.8%".
func pct(d money.Decimal) string {
	return d.Round(2).Trim(0).String() + "%"
}

// months are the month names of long dates.
var months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// longDate spells a date out: "20 September 2025". Day, month name and
// four-digit year leave no doubt which day is meant, in any country.
func longDate(d date.Date) string {
	if d.IsNone() {
		return ""
	}
	t := d.Time()
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// shortDate is longDate with the month's first three letters: "20 Sep 2025".
func shortDate(d date.Date) string {
	if d.IsNone() {
		return ""
	}
	t := d.Time()
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1][:3] + " " + strconv.Itoa(t.Year())
}

// countryName is the English name of a country code, or the code itself.
func countryName(code string) string {
	if c, err := country.Lookup(code); err == nil {
		return c.Name
	}
	return code
}

// programName names a special program: "KORUS (KR)".
func programName(sym string) string {
	if p, err := program.Lookup(sym); err == nil {
		return p.Short + " (" + p.Symbol + ")"
	}
	return sym
}

// statute names the law behind a family of measures from the family's id:
// "s232-autos" is Section 232, "ieepa-reciprocal" IEEPA. The family ids
// follow the statute, so no table per heading is needed.
func statute(family string) string {
	head, _, _ := strings.Cut(family, "-")
	if len(head) > 1 && head[0] == 's' && strings.Trim(head[1:], "0123456789") == "" {
		return "Section " + head[1:]
	}
	if head == "fee" {
		return ""
	}
	return strings.ToUpper(head)
}

// measureName names a measure for readers from its data: its title, led
// by the statute when the title does not say it ("IEEPA reciprocal tariff
// on Japan, +15%", "IEEPA fentanyl: China and Hong Kong, +20%").
func measureName(family, title string) string {
	title = strings.TrimSpace(strings.Trim(title, `"`))
	law := statute(family)
	if law == "" || strings.Contains(strings.ToLower(title), strings.ToLower(law)) {
		return title
	}
	words := strings.Split(family, "-")[1:]
	// The title leads with the family's own word ("Reciprocal tariff on
	// ...") when its first word runs on into the title; a first word set
	// off by a comma names a country ("Brazil, +40%").
	first := ""
	if w, rest, ok := strings.Cut(title, " "); ok && !strings.HasSuffix(w, ",") && rest != "" {
		first = strings.ToLower(w)
	}
	for _, w := range words {
		if w == first {
			return law + " " + lowerFirst(title)
		}
	}
	for _, w := range words {
		if len(w) > 4 && !strings.Contains(strings.ToLower(title), w) {
			return law + " " + w + ": " + title
		}
	}
	return law + ": " + title
}

// lowerFirst lowers the first letter of s, unless its first word is an
// acronym or a name in capitals ("USMCA originating parts").
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if len([]rune(word)) > 1 && strings.ToUpper(word) == word {
		return s
	}
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+len(string(r)):]
	}
	return s
}

func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// citeLink is one part of a citation: its text and, where levy knows it,
// the address of the primary text.
type citeLink struct {
	Text string
	URL  string
}

var (
	frCite  = regexp.MustCompile(`^(\d{1,3}) FR (\d[\d,]*)\b`)
	cfrCite = regexp.MustCompile(`^(\d{1,2}) CFR (\d+)\.(\d+)$`)
	csmsNum = regexp.MustCompile(`^\d{8,9}$`)
)

// frURL is the Government Publishing Office's link to the Federal
// Register page a citation names ("90 FR 43535"): the official PDF of the
// document printed there.
func frURL(vol, page string) string {
	return "https://www.govinfo.gov/link/fr/" + vol + "/" + strings.ReplaceAll(page, ",", "") + "?link-type=pdf"
}

// csmsURL is the address of a CBP CSMS message: since July 2019 CBP
// publishes each message as a GovDelivery bulletin whose id is the
// message number in hexadecimal (CSMS #65936570 is bulletin 3ee1cba).
func csmsURL(num string) string {
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return ""
	}
	return "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/" + strconv.FormatUint(n, 16)
}

// cfrURL is the eCFR address of a section of the Code of Federal Regulations.
func cfrURL(title, part, section string) string {
	return "https://www.ecfr.gov/current/title-" + title + "/section-" + part + "." + section
}

// citeLinks turns an authority into linked parts: the instrument (linked
// to its URL when the rule file gives one; a CFR section to the eCFR), each
// Federal Register citation to its page, and the CSMS message to CBP's
// bulletin. Addresses are only ever derived from what the data says.
func citeLinks(a measure.Authority) []citeLink {
	var out []citeLink
	if a.Instrument != "" {
		l := citeLink{Text: a.Instrument, URL: a.URL}
		if m := cfrCite.FindStringSubmatch(a.Instrument); m != nil && l.URL == "" {
			l.URL = cfrURL(m[1], m[2], m[3])
		}
		out = append(out, l)
	}
	for _, c := range strings.Split(a.Citation, ";") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		l := citeLink{Text: c}
		if m := frCite.FindStringSubmatch(c); m != nil {
			l.URL = frURL(m[1], m[2])
		}
		out = append(out, l)
	}
	if a.CSMS != "" {
		l := citeLink{Text: "CBP CSMS #" + a.CSMS}
		if csmsNum.MatchString(a.CSMS) {
			l.URL = csmsURL(a.CSMS)
		}
		out = append(out, l)
	}
	return out
}

// revisionRE reads the edition and revision of a schedule's name, e.g.
// "HTS 2026 Revision 10" or "HTS 2025 Basic Edition".
var revisionRE = regexp.MustCompile(`^HTS (\d{4}) (?:Revision (\d+)|Basic Edition)`)

// revisionLink cites the schedule revision a base rate comes from, linked
// to the USITC's published chapter of that revision when the name gives
// the revision (the USITC serves archived releases by name).
func revisionLink(revision, code string) citeLink {
	name := revision
	if i := strings.Index(name, " ("); i > 0 {
		name = name[:i]
	}
	l := citeLink{Text: name}
	m := revisionRE.FindStringSubmatch(revision)
	digits := strings.ReplaceAll(code, ".", "")
	if m == nil || len(digits) < 2 {
		return l
	}
	ch := strings.TrimLeft(digits[:2], "0")
	l.Text = fmt.Sprintf("%s, chapter %s", name, ch)
	release := m[1] + "HTSBasic"
	if m[2] != "" {
		release = m[1] + "HTSRev" + m[2]
	}
	l.URL = "https://hts.usitc.gov/reststop/file?release=" + release + "&filename=Chapter%20" + ch
	return l
}

// rateWords words a measure's rate as its layer prints it: "+15%" is
// "15% on top of the base rate", "15% inclusive" is "15% in all,
// including the base rate".
func rateWords(rate string) string {
	switch {
	case strings.HasPrefix(rate, "+"):
		return strings.TrimPrefix(rate, "+") + " on top of the base rate"
	case strings.HasSuffix(rate, " inclusive"):
		return strings.TrimSuffix(rate, " inclusive") + " in all, including the base rate"
	}
	return rate
}
