// Package country holds the ISO 3166-1 alpha-2 country codes with their
// English names, and the country groups that tariff measures name (EU-27,
// the column 2 countries of general note 3(b)), each defined once.
//
// It is data and lookup only: it must not import any other levy package.
package country

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Country is one ISO 3166-1 entry.
type Country struct {
	// Code is the alpha-2 code ("JP").
	Code string
	// Name is the English short name ("Japan").
	Name string
}

// ErrUnknown is wrapped by the error Lookup returns for a code that is not
// an ISO 3166-1 alpha-2 code.
var ErrUnknown = errors.New("unknown country")

// UnknownError is the error of Lookup for an unknown code, with suggestions.
type UnknownError struct {
	// Code is the code as given.
	Code string
	// Suggestions are close codes, best first (see Suggest).
	Suggestions []string
}

// Error reads `unknown country "JX": did you mean JP (Japan), JM (Jamaica)?`.
func (e *UnknownError) Error() string {
	if len(e.Suggestions) == 0 {
		return fmt.Sprintf("unknown country %q", e.Code)
	}
	parts := make([]string, len(e.Suggestions))
	for i, s := range e.Suggestions {
		parts[i] = s + " (" + byCode[s].Name + ")"
	}
	return fmt.Sprintf("unknown country %q: did you mean %s?", e.Code, strings.Join(parts, ", "))
}

// Unwrap makes errors.Is(err, ErrUnknown) true.
func (e *UnknownError) Unwrap() error { return ErrUnknown }

var byCode = func() map[string]Country {
	m := make(map[string]Country, len(iso3166))
	for _, c := range iso3166 {
		m[c.Code] = c
	}
	return m
}()

// Lookup returns the country of an alpha-2 code, case-insensitively and
// ignoring surrounding spaces. It accepts the aliases "UK" (for GB) and "EL"
// (for GR); names and alpha-3 codes are not accepted, but Suggest proposes
// codes for them and the error lists those suggestions.
func Lookup(code string) (Country, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if a, ok := aliases[c]; ok {
		c = a
	}
	if ctry, ok := byCode[c]; ok {
		return ctry, nil
	}
	return Country{}, &UnknownError{Code: code, Suggestions: Suggest(code)}
}

// All returns every country, ordered by code.
func All() []Country {
	out := make([]Country, len(iso3166))
	copy(out, iso3166[:])
	return out
}

// maxSuggestions bounds the suggestions in an error message.
const maxSuggestions = 5

// Suggest returns codes close to what the user wrote, best first, at most
// five: for a two-letter code, the codes one letter away (those sharing the
// first letter before those sharing the second); for longer input, the
// codes whose name or a word of it starts with the input ("jap" gives JP,
// "korea" gives KP and KR).
func Suggest(code string) []string {
	c := strings.ToUpper(strings.TrimSpace(code))
	if c == "" {
		return nil
	}
	var out []string
	if len(c) == 2 {
		out = suggestCodes(c)
	}
	if len(out) == 0 && len(c) >= 2 {
		out = suggestNames(strings.ToLower(strings.TrimSpace(code)))
	}
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}

func suggestCodes(c string) []string {
	var first, second []string
	for _, ctry := range iso3166 {
		switch {
		case ctry.Code == c:
		case ctry.Code[0] == c[0] && ctry.Code[1] != c[1]:
			first = append(first, ctry.Code)
		case ctry.Code[1] == c[1] && ctry.Code[0] != c[0]:
			second = append(second, ctry.Code)
		}
	}
	return append(first, second...)
}

func suggestNames(prefix string) []string {
	var starts, words []string
	for _, ctry := range iso3166 {
		name := strings.ToLower(ctry.Name)
		switch {
		case strings.HasPrefix(name, prefix):
			starts = append(starts, ctry.Code)
		default:
			for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '(' || r == ',' || r == '-' }) {
				if strings.HasPrefix(w, prefix) {
					words = append(words, ctry.Code)
					break
				}
			}
		}
	}
	sort.Strings(starts)
	return append(starts, words...)
}
