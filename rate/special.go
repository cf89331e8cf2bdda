package rate

import (
	"errors"
	"strings"
)

// ParseSpecial parses a special-column text such as
// "Free (A+,AU,B,BH) 3.4% (JO) See 9823.04.01-9823.04.54 (S+)". Each rate
// is followed by the parenthesised program symbols it applies to. Stray
// spaces and the schedule's known typos in symbol lists ("E IL", ".OM",
// "(PA (PA)") are tolerated. An empty text gives an empty Special and no
// error: the line has no special rates.
//
// A group whose rate cannot be read is kept with kind Unparsed and the
// returned error (joining every failure) says why.
func ParseSpecial(text string) (Special, error) {
	t := clean(text)
	s := Special{Text: t}
	var errs []error
	start := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '(' {
			continue
		}
		j := strings.IndexByte(t[i:], ')')
		if j < 0 {
			break
		}
		j += i
		syms, ok := parseSymbols(t[i+1 : j])
		if !ok {
			continue
		}
		e, err := Parse(t[start:i])
		if err != nil {
			errs = append(errs, err)
		}
		if e.Kind == Reference {
			e.Ref.Programs = syms
		}
		s.Groups = append(s.Groups, Group{Rate: e, Programs: syms})
		start, i = j+1, j
	}
	if rest := strings.TrimSpace(t[start:]); rest != "" {
		errs = append(errs, &ParseError{Text: t, Part: rest, Msg: "rate without a program list"})
	}
	return s, errors.Join(errs...)
}

// parseSymbols reads a program list such as "A+,AU, B,E*". It reports false
// when the text is not a list of symbols (an ordinary parenthesis).
func parseSymbols(s string) ([]string, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '(' })
	if len(fields) == 0 {
		return nil, false
	}
	syms := make([]string, 0, len(fields))
	for _, f := range fields {
		f = strings.TrimLeft(f, ".")
		if !isSymbol(f) {
			return nil, false
		}
		dup := false
		for _, s := range syms {
			dup = dup || s == f
		}
		if !dup {
			syms = append(syms, f)
		}
	}
	return syms, true
}

// isSymbol reports whether s looks like a program symbol: one or two capital
// letters and an optional "+" or "*".
func isSymbol(s string) bool {
	n := len(s)
	if n > 0 && (s[n-1] == '+' || s[n-1] == '*') {
		n--
	}
	if n < 1 || n > 2 {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// For returns the rate that the special column gives a program symbol, and
// whether the line lists it. The claim is matched case-insensitively:
//
//   - a symbol matches itself ("A+" accepts "A+", "A" accepts "A");
//   - a starred symbol ("A*", "E*", "J*": the program except the countries
//     general note 4 excludes for that provision) also accepts the bare
//     claim ("A", "E", "J"); whether the origin is excluded is the
//     caller's check;
//   - a plus symbol ("A+", the least-developed beneficiaries; "S+", "P+")
//     accepts only itself, since the bare claim covers more countries than
//     the line admits.
func (s Special) For(program string) (Expr, bool) {
	claim := strings.ToUpper(strings.TrimSpace(program))
	for _, g := range s.Groups {
		for _, sym := range g.Programs {
			if sym == claim || (strings.HasSuffix(sym, "*") && sym[:len(sym)-1] == claim) {
				return g.Rate, true
			}
		}
	}
	return Expr{}, false
}

// Programs lists every symbol the special column names, in order.
func (s Special) Programs() []string {
	var out []string
	for _, g := range s.Groups {
		out = append(out, g.Programs...)
	}
	return out
}

// Canonical prints the special column in normalised notation, one
// "rate (SYM,SYM)" group after another.
func (s Special) Canonical() string {
	var b strings.Builder
	for i, g := range s.Groups {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.Rate.Canonical())
		b.WriteString(" (")
		b.WriteString(strings.Join(g.Programs, ","))
		b.WriteByte(')')
	}
	return b.String()
}

// String prints the special column as the schedule wrote it.
func (s Special) String() string {
	if s.Text != "" || len(s.Groups) == 0 {
		return s.Text
	}
	return s.Canonical()
}

// Equal reports whether two special columns have the same groups (rates
// compared with Expr.Equal), ignoring the original text.
func (s Special) Equal(o Special) bool {
	if len(s.Groups) != len(o.Groups) {
		return false
	}
	for i := range s.Groups {
		if !s.Groups[i].Rate.Equal(o.Groups[i].Rate) || !equalStrings(s.Groups[i].Programs, o.Groups[i].Programs) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
