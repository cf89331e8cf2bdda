package hts

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/levy-tariff/levy/date"
)

// Match is one result of Search.
type Match struct {
	// Line is the matching line.
	Line *Line
	// Score ranks matches: higher is better. Words found in the line's own
	// description count more than words found only in its ancestors'.
	Score float64
}

// SearchOptions shape a search.
type SearchOptions struct {
	// Date picks the lines in force on it; date.None (or zero) the newest
	// revision's.
	Date date.Date
	// Limit is the most results returned; <= 0 means 20.
	Limit int
	// Special includes chapters 98 and 99 (special provisions and the
	// chapter 99 measure headings), which a search for goods leaves out; a
	// code query starting with 98 or 99 includes them anyway.
	Special bool
}

// Search returns lines in force on opt.Date ranked by how well their
// descriptions, read with their ancestors' descriptions, match query. Words
// match as written, by their stem (plurals and common endings:
// "batteries" finds "battery") or as a prefix; a hyphenated word matches
// as one ("t-shirts", "tshirts"). Lines holding every word of the query
// (in the line or one of its ancestors) come first, then lines holding at
// least half. A query of digits, dots and spaces lists the lines whose code
// starts with those digits, in schedule order.
func (s *Schedule) Search(query string, opt SearchOptions) []Match {
	if opt.Limit <= 0 {
		opt.Limit = 20
	}
	if opt.Date == 0 {
		opt.Date = date.None
	}
	if prefix, ok := codePrefix(query); ok {
		return s.searchCode(prefix, opt)
	}
	terms := tokens(query, false)
	if len(terms) == 0 {
		return nil
	}
	s.searchOnce.Do(s.indexWords)
	var out []Match
	for i := range s.Lines {
		l := &s.Lines[i]
		if len(l.Code) < 6 || !l.inForce(opt.Date) || !opt.Special && l.Code >= "98" {
			continue
		}
		if score, ok := s.score(l, terms); ok {
			out = append(out, Match{Line: l, Score: score})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	if len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	return out
}

// score rates l against terms: 3 for a word of l's own description, 1 for a
// word of an ancestor's, times 1.5 for the word as written, 1.25 for its
// stem and 1 for a prefix; a word that opens l's own description adds 0.5,
// and a word of the line's heading (its topmost numbered ancestor, or
// itself) 1.5 more, since the heading says what the goods are. Each query word found adds 10, so
// lines with every word come first; a line must hold at least half of the
// words. Broader lines (more statistical lines under them) rank a little
// higher, 10-digit lines, which are what users declare, get a small bonus,
// and shorter descriptions rank higher.
func (s *Schedule) score(l *Line, terms []token) (float64, bool) {
	total := 0.0
	found := 0
	own := s.words[l.Index]
	head := s.heading[l.Index]
	for _, t := range terms {
		best := 0.0
		if w, first := hit(own, t); w > 0 {
			best = 3 * w
			if first {
				best += 0.5
			}
		} else {
			for p := l.Parent; p >= 0; p = s.Lines[p].Parent {
				if w, _ := hit(s.words[p], t); w > 0 {
					best = w
					break
				}
			}
		}
		if best > 0 {
			found++
			total += 10 + best
			if head >= 0 {
				if w, _ := hit(s.words[head], t); w > 0 {
					total += 1.5
				}
			}
		}
	}
	if found == 0 || 2*found < len(terms) {
		return 0, false
	}
	if len(l.Code) == 10 {
		total += 0.25
	}
	total += 0.5 * math.Log1p(float64(s.breadth[l.Index]))
	total -= float64(len(own)) * 0.01
	return total, true
}

// hit returns how well t matches a word of ws (1.5 as written, 1.25 by
// stem, 1 as a prefix of at least three letters, else 0) and whether the
// best word opens ws.
func hit(ws []token, t token) (float64, bool) {
	best, first := 0.0, false
	for i, w := range ws {
		v := 0.0
		switch {
		case w.word == t.word:
			v = 1.5
		case w.stem == t.stem:
			v = 1.25
		case len(t.word) >= 3 && strings.HasPrefix(w.word, t.word):
			v = 1
		}
		if v > best {
			best, first = v, i == 0
		}
	}
	return best, first
}

// indexWords prepares the search: each line's words, its heading and how
// many 10-digit lines it holds.
func (s *Schedule) indexWords() {
	s.words = make([][]token, len(s.Lines))
	s.heading = make([]int32, len(s.Lines))
	s.breadth = make([]int32, len(s.Lines))
	for i := range s.Lines {
		l := &s.Lines[i]
		s.words[i] = tokens(l.Description, true)
		s.heading[i] = -1
		for at := i; at >= 0; at = s.Lines[at].Parent {
			if s.Lines[at].Code != "" {
				s.heading[i] = int32(at)
			}
		}
		if len(l.Code) == 10 {
			for at := i; at >= 0; at = s.Lines[at].Parent {
				s.breadth[at]++
			}
		}
	}
}

// token is a word of a description or a query, lowercased, with its stem.
type token struct{ word, stem string }

// tokens splits text into lowercase words of letters and digits, dropping
// common words that carry no meaning in a description. A hyphenated word
// ("T-shirts", "lithium-ion") is one word with its hyphens removed; for a
// description (index true) its parts are words too.
func tokens(text string, index bool) []token {
	var out []token
	add := func(w string) {
		if w != "" && !stopWords[w] {
			out = append(out, token{w, stem(w)})
		}
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		parts := strings.FieldsFunc(f, func(r rune) bool { return r == '-' })
		if len(parts) > 1 {
			add(strings.Join(parts, ""))
			if !index {
				continue
			}
		}
		for _, p := range parts {
			add(p)
		}
	}
	return out
}

// stem strips the endings English plurals and verb forms add, enough for
// "batteries" to meet "battery", "boxes" "box" and "screws" "screw".
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		return w[:n-2]
	}
	return w
}

var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "of": true, "or": true,
	"for": true, "in": true, "with": true, "to": true, "other": true, "not": true,
	"but": true, "by": true, "on": true, "its": true, "than": true,
}

// codePrefix reports whether query is an HTS code or code prefix (digits with
// optional dots and spaces, at least two digits) and returns its digits.
func codePrefix(query string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(query) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() >= 2
}

func (s *Schedule) searchCode(prefix string, opt SearchOptions) []Match {
	var out []Match
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Code != "" && strings.HasPrefix(l.Code, prefix) && l.inForce(opt.Date) {
			out = append(out, Match{Line: l, Score: float64(len(prefix)) / float64(len(l.Code))})
			if len(out) == opt.Limit {
				break
			}
		}
	}
	return out
}
