// Package hts holds the Harmonized Tariff Schedule of the United States as
// levy reads it from the official USITC export: the tree of headings,
// subheadings and statistical lines, their descriptions, units, footnotes and
// parsed rates, with lookup by code and ranked search by words.
//
// It imports rate (to parse each rate text once at import) and money; it must
// not import measure, engine or anything that renders output.
package hts

import (
	"github.com/levy-tariff/levy/rate"
)

// Footnote is a footnote of a schedule record.
type Footnote struct {
	// Columns are the columns it is attached to ("general", "special", "other").
	Columns []string
	// Text is the footnote as written, whitespace trimmed.
	Text string
	// Headings are the chapter 99 numbers it cites ("See 9903.88.15." gives
	// "9903.88.15"), dotted.
	Headings []string
}

// Line is one record of the schedule.
type Line struct {
	// Code is the HTS number without dots (4, 6, 8 or 10 digits); empty for a
	// text-only header row.
	Code string
	// Indent is the record's depth in the printed schedule.
	Indent int
	// Description is the record's own description.
	Description string
	// Units are the reporting units ("No.", "kg").
	Units []string
	// General, SpecialText and Other are the rate texts as printed on this
	// record (usually only on 8-digit lines); empty when inherited.
	General, SpecialText, Other string
	// GeneralRate, SpecialRate and OtherRate are the parsed texts (zero Expr
	// when the text is empty).
	GeneralRate rate.Expr
	SpecialRate rate.Special
	OtherRate   rate.Expr
	// Footnotes of the record.
	Footnotes []Footnote
	// Parent is the index in Schedule.Lines of the nearest earlier record with
	// a smaller indent, or -1.
	Parent int
	// Index is the record's own position in Schedule.Lines.
	Index int
}
