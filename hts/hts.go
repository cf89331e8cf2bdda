// Package hts holds the Harmonized Tariff Schedule of the United States as
// levy reads it from the official USITC export: the tree of headings,
// subheadings and statistical lines, their descriptions, units, footnotes and
// parsed rates, with lookup by code and ranked search by words.
//
// It imports rate (to parse each rate text once at import) and money; it must
// not import measure, engine or anything that renders output.
package hts

import (
	"fmt"
	"sort"
	"strings"
	"sync"

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
	// Type is "endnote" or "footnote" as the export labels it.
	Type string
	// Marker is the footnote's printed marker ("1"), empty for endnotes.
	Marker string
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
	// AdditionalDuties is the export's additionalDuties text (set on some
	// 9904 lines), trimmed.
	AdditionalDuties string
	// QuotaQuantity is the export's quotaQuantity text, trimmed.
	QuotaQuantity string
}

// Dotted returns the line's HTS number in the printed dotted form.
func (l *Line) Dotted() string { return Dotted(l.Code) }

// IsHeader reports whether the line is a text-only header row with no number.
func (l *Line) IsHeader() bool { return l.Code == "" }

// Schedule is one edition of the HTS, read from an export. It is not modified
// after Read returns and is safe for concurrent use.
type Schedule struct {
	// Revision names the edition ("HTS 2026 Revision 10"), from the file name
	// unless set by the caller.
	Revision string
	// Source is where the schedule was read from (a path or "embedded").
	Source string
	// Lines are every record in schedule order; the order is the tree.
	Lines []Line

	byCode map[string]int // code without dots → index in Lines
	sorted []string       // every code, ascending, for nearest-code hints
	stats  Stats

	searchOnce sync.Once
	words      [][]string // per line: lowercased words of its own description
}

// Stats counts what an import found.
type Stats struct {
	// Records is the number of records, header rows included.
	Records int
	// Lines10 is the number of 10-digit statistical lines.
	Lines10 int
	// RatesSeen counts the non-empty general, special and column 2 texts of
	// chapters 1–97; RatesParsed of them parsed, RatesUnparsed did not.
	RatesSeen, RatesParsed, RatesUnparsed int
	// Unparsed lists every text counted in RatesUnparsed.
	Unparsed []UnparsedRate
}

// UnparsedRate is a rate text of chapters 1–97 that rate could not read.
type UnparsedRate struct {
	// Code is the dotted HTS number of the record.
	Code string `json:"hts"`
	// Column is "general", "special" or "other".
	Column string `json:"column"`
	// Text is the rate text as printed.
	Text string `json:"text"`
	// Err says what was not understood.
	Err string `json:"error"`
}

// Stats returns the counts made when the schedule was read.
func (s *Schedule) Stats() Stats { return s.stats }

// NotFoundError is returned by Lookup for a well-formed code the schedule
// does not hold.
type NotFoundError struct {
	// Code is the code asked for, without dots.
	Code string
	// Nearest are existing dotted codes close to it: siblings or the longest
	// existing prefix's children.
	Nearest []string
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("HTS %s is not in the schedule", Dotted(e.Code))
	if len(e.Nearest) > 0 {
		msg += "; nearest: " + strings.Join(e.Nearest, ", ")
	}
	return msg
}

// Lookup returns the line with the given HTS number (4, 6, 8 or 10 digits,
// dots and spaces allowed). An unknown code gives a *NotFoundError naming the
// nearest existing codes. A hit given as digits or dotted digits does not
// allocate.
func (s *Schedule) Lookup(code string) (*Line, error) {
	var buf [10]byte
	n := 0
	fast := true
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				fast = false
				break
			}
			buf[n] = c
			n++
		case c == '.':
		default:
			fast = false
		}
	}
	if fast && (n == 4 || n == 6 || n == 8 || n == 10) {
		if i, ok := s.byCode[string(buf[:n])]; ok {
			return &s.Lines[i], nil
		}
	}
	norm, err := Normalize(code)
	if err != nil {
		return nil, err
	}
	if i, ok := s.byCode[norm]; ok {
		return &s.Lines[i], nil
	}
	return nil, &NotFoundError{Code: norm, Nearest: s.nearest(norm, 6)}
}

// nearest returns up to n existing dotted codes that share the longest
// prefix with code, preferring codes of the same length close to it in order.
func (s *Schedule) nearest(code string, n int) []string {
	// Try the parent levels in turn: 8, 6, 4 and 2 digits.
	for k := (len(code) - 1) &^ 1; k >= 2; k -= 2 {
		p := code[:k]
		lo := sort.SearchStrings(s.sorted, p)
		hi := lo
		for hi < len(s.sorted) && strings.HasPrefix(s.sorted[hi], p) {
			hi++
		}
		if lo == hi {
			continue
		}
		var same, other []string
		for _, c := range s.sorted[lo:hi] {
			if len(c) == len(code) {
				same = append(same, c)
			} else if len(c) == len(code)+2 || (len(c) == k+2 && len(c) < len(code)) {
				other = append(other, c)
			}
		}
		pick := same
		if len(pick) < 3 {
			pick = append(pick, other...)
			sort.Strings(pick)
		}
		if len(pick) == 0 {
			pick = s.sorted[lo:hi]
		}
		// Centre the window on where code would sort.
		at := sort.SearchStrings(pick, code)
		start := max(0, at-n/2)
		end := start + n
		if end > len(pick) {
			end = len(pick)
			start = max(0, end-n)
		}
		out := make([]string, 0, end-start)
		for _, c := range pick[start:end] {
			out = append(out, Dotted(c))
		}
		return out
	}
	return nil
}

// Ancestors returns l's ancestors, nearest first (parent, grandparent, …),
// header rows included.
func (s *Schedule) Ancestors(l *Line) []*Line {
	var out []*Line
	for p := l.Parent; p >= 0; p = s.Lines[p].Parent {
		out = append(out, &s.Lines[p])
	}
	return out
}

// RateLine returns the nearest of l and its ancestors that prints a general
// rate text: the line whose rates l inherits. It returns nil when none does.
func (s *Schedule) RateLine(l *Line) *Line {
	for {
		if l.General != "" {
			return l
		}
		if l.Parent < 0 {
			return nil
		}
		l = &s.Lines[l.Parent]
	}
}

// Normalize returns code as bare digits (4, 6, 8 or 10 of them), accepting
// dots and spaces between digits. The error says what is wrong with code.
func Normalize(code string) (string, error) {
	t := strings.TrimSpace(code)
	if t == "" {
		return "", fmt.Errorf("HTS number is empty")
	}
	var b strings.Builder
	b.Grow(10)
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ':
		default:
			return "", fmt.Errorf("HTS number %q: unexpected %q at position %d (want digits, dots or spaces)", code, r, i+1)
		}
	}
	d := b.String()
	switch len(d) {
	case 4, 6, 8, 10:
		return d, nil
	case 0:
		return "", fmt.Errorf("HTS number %q has no digits", code)
	}
	return "", fmt.Errorf("HTS number %q has %d digits; want 4, 6, 8 or 10", code, len(d))
}

// Dotted prints a code of bare digits in the schedule's dotted form:
// "8703230130" gives "8703.23.01.30". Dots and spaces in code are ignored; a
// code of another length is returned with its digits grouped the same way.
func Dotted(code string) string {
	var digits [16]byte
	n := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c == '.' || c == ' ' {
			continue
		}
		if n == len(digits) {
			return code
		}
		digits[n] = c
		n++
	}
	if n <= 4 {
		return string(digits[:n])
	}
	out := make([]byte, 0, n+3)
	out = append(out, digits[:4]...)
	for i := 4; i < n; i += 2 {
		out = append(out, '.')
		end := i + 2
		if end > n {
			end = n
		}
		out = append(out, digits[i:end]...)
	}
	return string(out)
}
