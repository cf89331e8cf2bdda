package hts

import (
	"sort"
	"strings"
	"unicode"
)

// Match is one result of Search.
type Match struct {
	// Line is the matching line.
	Line *Line
	// Score ranks matches: higher is better. Words found in the line's own
	// description count more than words found only in its ancestors'.
	Score float64
}

// Search returns up to limit lines (limit <= 0 means 20) ranked by how well
// their descriptions, read with their ancestors' descriptions, match query.
// Lines holding every word of the query (as a word or a word prefix, in the
// line or one of its ancestors) come first, then lines holding at least half. A query of digits and dots lists the lines
// whose code starts with those digits, in schedule order.
func (s *Schedule) Search(query string, limit int) []Match {
	if limit <= 0 {
		limit = 20
	}
	if prefix, ok := codePrefix(query); ok {
		return s.searchCode(prefix, limit)
	}
	terms := words(query)
	if len(terms) == 0 {
		return nil
	}
	s.searchOnce.Do(s.indexWords)
	var out []Match
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Code == "" {
			continue
		}
		score, ok := s.score(l, terms)
		if ok {
			out = append(out, Match{Line: l, Score: score})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// score rates l against terms: 3 for a word of l's own description, 1 for a
// word of an ancestor's, +0.5 for a whole-word (not prefix) hit, and a small
// bonus for 10-digit lines, which are what users declare. Each query word
// found adds 10, so lines with every word come first; a line must hold at
// least half of the words.
func (s *Schedule) score(l *Line, terms []string) (float64, bool) {
	total := 0.0
	found := 0
	for _, t := range terms {
		best := 0.0
		if w := hit(s.words[l.Index], t); w > 0 {
			best = 3 * w
		} else {
			for p := l.Parent; p >= 0; p = s.Lines[p].Parent {
				if w := hit(s.words[p], t); w > 0 {
					best = w
					break
				}
			}
		}
		if best > 0 {
			found++
			total += 10 + best
		}
	}
	if found == 0 || 2*found < len(terms) {
		return 0, false
	}
	if len(l.Code) == 10 {
		total += 0.25
	}
	// Shorter descriptions that match are more specific.
	total -= float64(len(s.words[l.Index])) * 0.01
	return total, true
}

// hit returns 1.5 when t is one of ws, 1 when it is a prefix of one, else 0.
func hit(ws []string, t string) float64 {
	best := 0.0
	for _, w := range ws {
		if w == t {
			return 1.5
		}
		if strings.HasPrefix(w, t) {
			best = 1
		}
	}
	return best
}

func (s *Schedule) indexWords() {
	s.words = make([][]string, len(s.Lines))
	for i := range s.Lines {
		s.words[i] = words(s.Lines[i].Description)
	}
}

// words splits text into lowercase words of letters and digits, dropping
// common words that carry no meaning in a description.
func words(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := f[:0]
	for _, w := range f {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
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

func (s *Schedule) searchCode(prefix string, limit int) []Match {
	var out []Match
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Code != "" && strings.HasPrefix(l.Code, prefix) {
			out = append(out, Match{Line: l, Score: float64(len(prefix)) / float64(len(l.Code))})
			if len(out) == limit {
				break
			}
		}
	}
	return out
}
