package rate

import (
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/money"
)

// Canonical prints the expression in levy's normalised notation: single
// spaces, amounts under a dollar in cents ("4.4¢/kg"), others in dollars
// ("$1.11/t"), " each" for per-unit amounts, bounds as "but not less than"
// and "but not more than". Parse(e.Canonical()) gives an Equal expression.
// An Unparsed expression prints its text.
func (e Expr) Canonical() string {
	switch e.Kind {
	case Unparsed:
		return e.Text
	case Reference:
		if e.Ref != nil {
			return e.Ref.Text
		}
		return e.Text
	case Free:
		if len(e.Terms) > 0 && e.Terms[0].Basis != "" {
			return "Free, " + e.Terms[0].Basis
		}
		return "Free"
	}
	var b strings.Builder
	for i, t := range e.Terms {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(t.Canonical())
	}
	if e.Min != nil {
		b.WriteString(" but not less than ")
		b.WriteString(e.Min.Canonical())
	}
	if e.Max != nil {
		b.WriteString(" but not more than ")
		b.WriteString(e.Max.Canonical())
	}
	return b.String()
}

// Canonical prints one term in normalised notation ("2.5%", "33 1/3%",
// "4.4¢/kg on drained weight", "$1.58/pr.", "5¢ each").
func (t Term) Canonical() string {
	var b strings.Builder
	switch {
	case t.Unit == "" && t.fracDen > 0:
		b.WriteString(strconv.FormatInt(t.fracNum/t.fracDen, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(t.fracNum%t.fracDen, 10))
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(t.fracDen, 10))
		b.WriteByte('%')
	case t.Unit == "":
		b.WriteString(t.Percent.String())
		b.WriteByte('%')
	default:
		if t.Amount.Cmp(money.MustParse("1")) < 0 {
			c, err := t.Amount.Mul(money.Hundred)
			if err == nil {
				b.WriteString(c.Trim(0).String())
				b.WriteString("¢")
				break
			}
		}
		b.WriteByte('$')
		b.WriteString(t.Amount.String())
	}
	basis := t.Basis
	switch t.Unit {
	case "":
	case Kilogram:
		if basis == "clean" || strings.HasPrefix(basis, "clean ") {
			b.WriteString("/clean kg")
			basis = strings.TrimPrefix(basis[len("clean"):], " ")
			break
		}
		b.WriteString("/kg")
	case Each:
		b.WriteString(" each")
	default:
		b.WriteByte('/')
		b.WriteString(string(t.Unit))
	}
	if basis != "" {
		b.WriteByte(' ')
		b.WriteString(basis)
	}
	return b.String()
}

// String prints the expression in the schedule's notation: the text it was
// parsed from, or its canonical form when it was built in code.
func (e Expr) String() string {
	if e.Text != "" {
		return e.Text
	}
	return e.Canonical()
}

// Equal reports whether two expressions mean the same rate: same kind,
// terms, bounds and reference, ignoring the original text.
func (e Expr) Equal(o Expr) bool {
	if e.Kind != o.Kind || len(e.Terms) != len(o.Terms) ||
		!equalTermPtr(e.Min, o.Min) || !equalTermPtr(e.Max, o.Max) {
		return false
	}
	if e.Kind == Unparsed {
		return e.Text == o.Text
	}
	for i := range e.Terms {
		if !e.Terms[i].Equal(o.Terms[i]) {
			return false
		}
	}
	if (e.Ref == nil) != (o.Ref == nil) {
		return false
	}
	return e.Ref == nil || e.Ref.Heading == o.Ref.Heading && e.Ref.Text == o.Ref.Text &&
		equalStrings(e.Ref.Programs, o.Ref.Programs)
}

// Equal reports whether two terms are the same amount, unit and basis.
func (t Term) Equal(o Term) bool {
	return t.Percent.Cmp(o.Percent) == 0 && t.Amount.Cmp(o.Amount) == 0 && t.Unit == o.Unit &&
		t.Basis == o.Basis && (t.fracDen == 0) == (o.fracDen == 0) && t.fracNum*o.fracDen == o.fracNum*t.fracDen
}

func equalTermPtr(a, b *Term) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
