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

	"github.com/levy-tariff/levy/date"
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

// Line is one version of a record of the schedule, over the entry dates on
// which it is in force.
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
	// Parent is the index in Schedule.Lines of the record's parent in force
	// with it (the nearest earlier record with a smaller indent), or -1.
	Parent int
	// Index is the record's own position in Schedule.Lines.
	Index int
	// AdditionalDuties is the export's additionalDuties text (set on some
	// 9904 lines), trimmed.
	AdditionalDuties string
	// QuotaQuantity is the export's quotaQuantity text, trimmed.
	QuotaQuantity string
	// From and To bound the entry dates on which this version is in force,
	// From <= d < To. A schedule read from one export has every line in
	// force on every date (date.Always to date.None).
	From, To date.Date
	// Rev and LastRev are the first and last revisions (indexes into
	// Schedule.Revisions) that print this version.
	Rev, LastRev int

	slot, ver int32 // the record's slot and version in the history
}

// Dotted returns the line's HTS number in the printed dotted form.
func (l *Line) Dotted() string { return Dotted(l.Code) }

// IsHeader reports whether the line is a text-only header row with no number.
func (l *Line) IsHeader() bool { return l.Code == "" }

// Schedule is the HTS through time: every version of every record of the
// revisions it holds, each in force over its own dates, so that the entry
// date picks the line in force as it picks the measures. A schedule read
// from one export holds one revision, in force on every date. It is not
// modified once built and is safe for concurrent use.
type Schedule struct {
	// Revision names what the schedule holds: one edition ("HTS 2026
	// Revision 10") or the range of a history.
	Revision string
	// Source is where the schedule was read from (a path or "embedded").
	Source string
	// Lines are every version of every record, in schedule order (each
	// record's versions oldest first); the Parent links are the tree.
	Lines []Line
	// Revisions are the revisions held, oldest first.
	Revisions []Revision
	// Start is the first date levy holds a revision for: an entry before it
	// is read against the first revision (an assessment warns). date.Always
	// for an export read alone, which is used for every date.
	Start date.Date

	hist   *history
	byCode map[string]codeSpan // code without dots → its lines in byDate
	byDate []int32             // line indexes grouped by code, each group by From
	sorted []string            // every code, ascending, for nearest-code hints
	titles []string            // by revision index

	statsMu sync.Mutex
	stats   map[int]*Stats

	changeOnce sync.Once
	changes    []date.Date

	searchOnce sync.Once
	words      [][]token // per line: the words of its own description
	heading    []int32   // per line: its heading (topmost numbered ancestor or itself), or -1
	breadth    []int32   // per line: the 10-digit lines at or under it
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

// Stats returns the counts of the newest revision held.
func (s *Schedule) Stats() Stats { return s.RevisionStats(len(s.Revisions) - 1) }

// RevisionStats returns the counts of revision r as it prints its records:
// records, 10-digit lines and how many rate texts of chapters 1–97 parse.
func (s *Schedule) RevisionStats(r int) Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if st, ok := s.stats[r]; ok {
		return *st
	}
	st := &Stats{}
	if r >= 0 && r < len(s.Revisions) {
		for _, l := range s.Printed(r) {
			st.count(&l)
		}
	}
	if s.stats == nil {
		s.stats = map[int]*Stats{}
	}
	s.stats[r] = st
	return *st
}

// NotFoundError is returned by Lookup for a well-formed code the schedule
// does not hold on any date.
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
// dots and spaces allowed) in force on d; date.None asks for the line as in
// force from the newest change on. A code the schedule never held gives a
// *NotFoundError naming the nearest codes in force on d; a code not in
// force on d, a *NotInForceError saying when it is and naming the lines in
// force under the same parent. A hit given as digits or dotted digits does
// not allocate.
func (s *Schedule) Lookup(code string, d date.Date) (*Line, error) {
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
		if sp, ok := s.byCode[string(buf[:n])]; ok {
			for _, i := range s.byDate[sp.off : sp.off+sp.n] {
				if l := &s.Lines[i]; l.inForce(d) {
					return l, nil
				}
			}
		}
	}
	norm, err := Normalize(code)
	if err != nil {
		return nil, err
	}
	if l := s.at(norm, d); l != nil {
		return l, nil
	}
	if _, ok := s.byCode[norm]; ok {
		return nil, s.notInForce(norm, d)
	}
	return nil, &NotFoundError{Code: norm, Nearest: s.nearest(norm, 6, d)}
}

// nearest returns up to n dotted codes in force on d that share the longest
// prefix with code, preferring codes of the same length close to it in order.
func (s *Schedule) nearest(code string, n int, d date.Date) []string {
	// Try the parent levels in turn: 8, 6, 4 and 2 digits.
	for k := (len(code) - 1) &^ 1; k >= 2; k -= 2 {
		p := code[:k]
		lo := sort.SearchStrings(s.sorted, p)
		hi := lo
		for hi < len(s.sorted) && strings.HasPrefix(s.sorted[hi], p) {
			hi++
		}
		var live []string
		for _, c := range s.sorted[lo:hi] {
			if s.at(c, d) != nil {
				live = append(live, c)
			}
		}
		if len(live) == 0 {
			continue
		}
		var same, other []string
		for _, c := range live {
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
			pick = live
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
