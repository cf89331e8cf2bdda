package refund

import (
	"strings"

	"github.com/levy-tariff/levy/measure"
)

// Group is the duty family a reported HTS number is totalled under.
type Group string

// Groups, in report order.
const (
	Base    Group = "base"  // the chapter 1-97 number: column 1, special or column 2
	IEEPA   Group = "ieepa" // voided: refundable principal
	S122    Group = "s122"  // contested: only plaintiffs protected so far
	S232    Group = "s232"
	S301    Group = "s301"
	FL301   Group = "s301-forced-labor" // contested
	Other   Group = "other"             // other chapter 99 (201, 338, ...)
	Unknown Group = "unknown"           // a chapter 99 heading levy's rules do not name
)

// Groups lists every group in report order.
var Groups = []Group{Base, IEEPA, S122, S232, S301, FL301, Other, Unknown}

// Status says how a group stands for refunds.
func (g Group) Status() string {
	switch g {
	case IEEPA:
		return "refundable"
	case S122, FL301:
		return "contested"
	}
	return "owed"
}

// GroupOf maps a measure family of levy's rules to its group.
func GroupOf(family string) Group {
	switch {
	case family == "":
		return Base
	case strings.HasPrefix(family, "ieepa"):
		return IEEPA
	case family == "s122":
		return S122
	case family == "s301-forced-labor":
		return FL301
	case strings.HasPrefix(family, "s232"):
		return S232
	case strings.HasPrefix(family, "s301"):
		return S301
	}
	return Other
}

// Headings maps chapter 99 headings (8 digits, no dots) to the family of the
// measure that reports them, built once from a rule set.
type Headings map[string]string

// HeadingsOf collects every heading a rule set can report: each measure's
// heading, its at-or-above, in-transit, US-content and exemption headings.
// The first measure naming a heading gives its family.
func HeadingsOf(set *measure.Set) Headings {
	h := Headings{}
	add := func(heading, family string) {
		k := digits(heading)
		if len(k) == 8 && strings.HasPrefix(k, "99") {
			if _, ok := h[k]; !ok {
				h[k] = family
			}
		}
	}
	for _, m := range set.Measures {
		add(m.Heading, m.Family)
		add(m.Rate.AtOrAboveHeading, m.Family)
		if m.InTransit != nil {
			add(m.InTransit.Heading, m.Family)
		}
		if m.USContent != nil {
			add(m.USContent.Heading, m.Family)
		}
		for _, e := range m.Exemptions {
			add(e.Heading, m.Family)
		}
	}
	for _, s := range set.Stacking {
		for fam, heading := range s.Report {
			add(heading, fam)
		}
	}
	return h
}

// Family returns the family of a reported chapter 99 number, and whether
// levy's rules name it. Headings the rules do not name fall back on the
// subchapter: 9903.01/.02 are IEEPA and 9903.03 Section 122 (CBP's CAPE
// guidance and the fact sheets), anything else is unknown.
func (h Headings) Family(hts string) (string, bool) {
	k := digits(hts)
	if len(k) > 8 {
		k = k[:8]
	}
	if f, ok := h[k]; ok {
		return f, true
	}
	switch {
	case strings.HasPrefix(k, "990301"), strings.HasPrefix(k, "990302"):
		return "ieepa", false
	case strings.HasPrefix(k, "990303"):
		return "s122", false
	}
	return "", false
}

// GroupOfHTS returns the group of one reported HTS number.
func (h Headings) GroupOfHTS(hts string) Group {
	if !IsChapter99(hts) {
		return Base
	}
	f, ok := h.Family(hts)
	if !ok && f == "" {
		return Unknown
	}
	return GroupOf(f)
}

// IsChapter99 reports whether an HTS number is a chapter 99 heading.
func IsChapter99(hts string) bool { return strings.HasPrefix(digits(hts), "99") }

// Heading8 returns the 8-digit form of a chapter 99 number (ACE reports
// write 9903.01.25 as 9903012500).
func Heading8(hts string) string {
	k := digits(hts)
	if len(k) > 8 {
		return k[:8]
	}
	return k
}

// DottedHeading prints an 8-digit heading as 9903.01.25.
func DottedHeading(k string) string {
	if len(k) != 8 {
		return k
	}
	return k[:4] + "." + k[4:6] + "." + k[6:]
}

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
