package hts

import (
	"html"
	"regexp"
	"strings"
)

// markupRE matches the HTML tags some USITC exports carry in descriptions,
// rates and units (<i>, <sup>, <il>, <sup style="…">); a "<" not followed by
// a letter or "/" is text and is kept.
var markupRE = regexp.MustCompile(`</?[A-Za-z][^<>]*>`)

// breakTags are the tags that stand for a line break: they become a space.
var breakTags = map[string]bool{"br": true, "newline": true, "nl": true}

// clean normalises a text field of an export the same way for every
// revision, so that a record reprinted with or without markup is the same
// record: tags are removed (line-break tags become a space), entities are
// decoded, runs of white space (non-breaking spaces included) become one
// space and the ends are trimmed.
func clean(s string) string {
	if plain(s) {
		return s
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = markupRE.ReplaceAllStringFunc(s, func(tag string) string {
			name := strings.ToLower(strings.Trim(tag, "</> "))
			if i := strings.IndexAny(name, " /\t"); i >= 0 {
				name = name[:i]
			}
			if breakTags[name] {
				return " "
			}
			return ""
		})
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// plain reports whether s needs no change: no markup, no entity, no
// leading, trailing or doubled white space and no unusual space character.
func plain(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '<' || c == '&' || c >= 0x80 && !isPlainHigh(s, i):
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c < ' ':
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// isPlainHigh reports whether the multi-byte character starting at s[i] is
// not a space character (the cent sign and accented letters are common).
func isPlainHigh(s string, i int) bool {
	for _, r := range s[i:] {
		return !isSpace(r)
	}
	return true
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2002', '\u2003', '\u2009', '\u200b', '\u202f', '\u3000', '\ufeff':
		return true
	}
	return false
}
