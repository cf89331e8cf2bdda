package rate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/money"
)

// ErrUnparsed is wrapped by every error of Parse and ParseSpecial, and is
// what Duty returns for an Unparsed expression.
var ErrUnparsed = errors.New("rate text not understood")

// ParseError says which part of a rate text was not understood.
type ParseError struct {
	// Text is the whole rate text, trimmed.
	Text string
	// Part is the part that was not understood.
	Part string
	// Msg says what was expected.
	Msg string
}

// Error reports the text, the part and what was wrong with it.
func (e *ParseError) Error() string {
	if e.Part == e.Text || e.Part == "" {
		return fmt.Sprintf("rate %q: %s", e.Text, e.Msg)
	}
	return fmt.Sprintf("rate %q: %s in %q", e.Text, e.Msg, e.Part)
}

// Unwrap makes errors.Is(err, ErrUnparsed) true.
func (e *ParseError) Unwrap() error { return ErrUnparsed }

// partError is a parse failure before the whole text is known.
type partError struct{ part, msg string }

// Parse parses a general or column 2 rate text. A text it cannot read gives
// an Expr of kind Unparsed and a non-nil error that says what was not understood.
func Parse(text string) (Expr, error) {
	t := clean(text)
	e, perr := parseExpr(t)
	if perr != nil {
		return Expr{Kind: Unparsed, Text: t}, &ParseError{Text: t, Part: perr.part, Msg: perr.msg}
	}
	e.Text = t
	return e, nil
}

// clean trims the text and collapses each run of white space to one space.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\t\n\r\u00a0") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

func parseExpr(t string) (Expr, *partError) {
	if t == "" {
		return Expr{}, &partError{"", "empty rate text"}
	}
	l := asciiLower(t)
	switch {
	case l == "free":
		return Expr{Kind: Free}, nil
	case strings.HasPrefix(l, "free, "):
		basis, ok := cleanBasis(t[len("free, "):])
		if !ok || basis == "" {
			return Expr{}, &partError{t[len("free, "):], "unreadable condition after Free"}
		}
		return Expr{Kind: Free, Terms: []Term{{Basis: basis}}}, nil
	case isReference(l):
		return Expr{Kind: Reference, Ref: &Ref{Heading: findHeading(t), Text: t}}, nil
	}
	body, min, max, perr := splitBounds(t)
	if perr != nil {
		return Expr{}, perr
	}
	var terms []Term
	for _, part := range splitPlus(body) {
		term, perr := parseTerm(part)
		if perr != nil {
			return Expr{}, perr
		}
		terms = append(terms, term)
	}
	e := Expr{Terms: terms, Min: min, Max: max}
	switch {
	case len(terms) > 1:
		e.Kind = Compound
	case terms[0].Unit == "":
		e.Kind = AdValorem
	default:
		e.Kind = Specific
	}
	return e, nil
}

var referencePrefixes = []string{"see ", "the rate", "the duty", "rate applicable", "duty applicable"}

func isReference(lower string) bool {
	for _, p := range referencePrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// findHeading returns the first HTS number (4 digits, optionally followed
// by up to three ".dd" groups) standing alone in s.
func findHeading(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		if i > 0 && (isDigit(s[i-1]) || s[i-1] == '.') {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i != 4 {
			i = j
			continue
		}
		for k := 0; k < 3 && j+3 <= len(s) && s[j] == '.' && isDigit(s[j+1]) && isDigit(s[j+2]); k++ {
			j += 3
		}
		if j < len(s) && isDigit(s[j]) {
			continue
		}
		return s[i:j]
	}
	return ""
}

// bound markers, longest first so "but not less than" wins over "but not less".
var (
	minMarkers = []string{"but not less than", "but not less", "nor less than", "not less than", "minimum"}
	maxMarkers = []string{"but not more than", "but not more", "nor more than", "not more than", "but not over", "maximum"}
)

// findMarker returns the index of the first bound marker in lower that
// starts a word, or -1.
func findMarker(lower string, from int) int {
	best := -1
	for _, ms := range [][]string{minMarkers, maxMarkers} {
		for _, m := range ms {
			for off := from; off < len(lower); {
				i := strings.Index(lower[off:], m)
				if i < 0 {
					break
				}
				i += off
				if i == 0 || lower[i-1] == ' ' || lower[i-1] == ',' {
					if best < 0 || i < best {
						best = i
					}
					break
				}
				off = i + 1
			}
		}
	}
	return best
}

// splitBounds separates the floors and ceilings ("but not less than 1.2¢/kg")
// from the body of the rate.
func splitBounds(t string) (body string, min, max *Term, perr *partError) {
	lower := asciiLower(t)
	i := findMarker(lower, 0)
	if i < 0 {
		return t, nil, nil, nil
	}
	body = strings.TrimRight(t[:i], " ,;")
	body = strings.TrimSuffix(body, " and")
	for i >= 0 {
		var marker string
		isMin := false
		for _, m := range minMarkers {
			if strings.HasPrefix(lower[i:], m) {
				marker, isMin = m, true
				break
			}
		}
		if marker == "" {
			for _, m := range maxMarkers {
				if strings.HasPrefix(lower[i:], m) {
					marker = m
					break
				}
			}
		}
		next := findMarker(lower, i+len(marker))
		end := len(t)
		if next >= 0 {
			end = next
		}
		part := strings.TrimRight(t[i+len(marker):end], " ,;")
		part = strings.TrimSuffix(part, " and")
		term, perr := parseTerm(part)
		if perr != nil {
			return "", nil, nil, perr
		}
		switch {
		case isMin && min == nil:
			min = &term
		case !isMin && max == nil:
			max = &term
		default:
			return "", nil, nil, &partError{t[i:end], "a second bound of the same sort"}
		}
		i = next
	}
	return body, min, max, nil
}

// splitPlus splits at each "+" outside parentheses.
func splitPlus(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '+':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

var cent = money.MustParse("0.01")

// parseTerm reads one addend: "2.5%", "33 1/3%", "4.4¢/kg", "$1.11/t",
// "5¢ each", each optionally followed by a basis ("on the case").
func parseTerm(s string) (Term, *partError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Term{}, &partError{s, "empty term"}
	}
	dollars := s[0] == '$'
	if dollars {
		s = strings.TrimLeft(s[1:], " ")
	}
	num, rest, ok := readNumber(s)
	if !ok {
		return Term{}, &partError{s, "expected a number"}
	}
	rest = strings.TrimLeft(rest, " ")
	var term Term
	if !dollars {
		if n, d, r, ok := readFraction(rest); ok {
			if !num.IsInt() || num.Scale() != 0 || num.Cmp(money.MustParse("1000000")) >= 0 {
				return Term{}, &partError{s, "fraction after a non-integer"}
			}
			w, _, _ := num.Int64(0)
			term.fracNum, term.fracDen = w*d+n, d
			p, err := money.MustParse(strconv.FormatInt(term.fracNum, 10)).Quo(money.MustParse(strconv.FormatInt(d, 10)))
			if err != nil {
				return Term{}, &partError{s, "fraction out of range"}
			}
			num, rest = p, strings.TrimLeft(r, " ")
			if !strings.HasPrefix(rest, "%") {
				return Term{}, &partError{s, "fraction without %"}
			}
		}
		if strings.HasPrefix(rest, "%") {
			term.Percent = num
			return withBasis(term, "", rest[1:], s)
		}
		if !strings.HasPrefix(rest, "¢") {
			return Term{}, &partError{s, "expected %, ¢ or $ with the number"}
		}
		rest = rest[len("¢"):]
		c, err := num.Mul(cent)
		if err != nil {
			return Term{}, &partError{s, "amount out of range"}
		}
		if back, err := c.Mul(money.Hundred); err != nil || back.Cmp(num) != 0 {
			return Term{}, &partError{s, "amount has too many digits"}
		}
		num = c
	}
	term.Amount = num.Trim(0)
	rest = strings.TrimLeft(rest, " ")
	lower := asciiLower(rest)
	switch {
	case strings.HasPrefix(rest, "/"):
		u, r, ok := matchUnit(strings.TrimLeft(rest[1:], " "))
		if !ok {
			return Term{}, &partError{s, "unknown unit"}
		}
		term.Unit = u.unit
		return withBasis(term, u.basis, r, s)
	case lower == "each" || strings.HasPrefix(lower, "each ") || strings.HasPrefix(lower, "each,"):
		term.Unit = Each
		return withBasis(term, "", rest[len("each"):], s)
	case strings.HasPrefix(lower, "for each "):
		term.Unit = Each
		return withBasis(term, "", rest, s)
	}
	return Term{}, &partError{s, "amount without a unit"}
}

func withBasis(t Term, unitBasis, rest, whole string) (Term, *partError) {
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(asciiLower(rest), "less ") && t.Unit != "" {
		return slidingBasis(t, rest, whole)
	}
	basis, ok := cleanBasis(rest)
	if !ok {
		return Term{}, &partError{whole, "unreadable text after the rate"}
	}
	if i := strings.Index(asciiLower(basis), "but if"); i >= 0 {
		return Term{}, &partError{basis[i:], "conditional limit on the duty is not supported"}
	}
	switch {
	case unitBasis != "" && basis != "":
		basis = unitBasis + " " + basis
	case unitBasis != "":
		basis = unitBasis
	}
	t.Percent = t.Percent.Trim(0)
	t.Basis = basis
	return t, nil
}

// cleanBasis trims a basis and checks that it is words, not a rate the
// grammar failed to see.
func cleanBasis(s string) (string, bool) {
	s = strings.TrimSpace(strings.TrimLeft(s, " ,"))
	if s == "" {
		return "", true
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '(') {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c) && c < 0x80, c == ' ', c == ',', c == '(', c == ')', c == '-', c == '.', c == '\'':
		default:
			return "", false
		}
	}
	return clean(s), true
}

// readNumber reads digits with an optional decimal part.
func readNumber(s string) (money.Decimal, string, bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return money.Zero, s, false
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	d, err := money.Parse(s[:i])
	if err != nil {
		return money.Zero, s, false
	}
	return d.Trim(0), s[i:], true
}

// readFraction reads "1/3" (numerator and denominator of up to 6 digits).
func readFraction(s string) (num, den int64, rest string, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i > 6 || i >= len(s) || s[i] != '/' {
		return 0, 0, s, false
	}
	j := i + 1
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i+1 || j-i-1 > 6 {
		return 0, 0, s, false
	}
	n, _ := strconv.ParseInt(s[:i], 10, 64)
	d, _ := strconv.ParseInt(s[i+1:j], 10, 64)
	if d == 0 {
		return 0, 0, s, false
	}
	return n, d, s[j:], true
}

// slidingBasis reads the sugar rates' "less 0.020668¢/kg for each degree
// under 100 degrees (and fractions of a degree in proportion)" and keeps it,
// normalised, as the basis of the term; Duty refuses such a term since
// Quantity does not give the polarization.
func slidingBasis(t Term, rest, whole string) (Term, *partError) {
	i := strings.Index(rest, " for each degree")
	if i < len("less ") {
		return Term{}, &partError{rest, "\"less\" without \"for each degree\""}
	}
	less, perr := parseTerm(rest[len("less "):i])
	if perr != nil {
		return Term{}, perr
	}
	if less.Unit != t.Unit || less.Basis != "" {
		return Term{}, &partError{rest, "sliding reduction in another unit"}
	}
	tail, ok := cleanBasis(rest[i+1:])
	if !ok {
		return Term{}, &partError{rest[i+1:], "unreadable sliding scale"}
	}
	t.Basis = "less " + less.Canonical() + " " + tail
	return t, nil
}

// asciiLower lower-cases ASCII letters only, so that byte offsets in the
// result are offsets in s (strings.ToLower may change the length of
// invalid UTF-8).
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
