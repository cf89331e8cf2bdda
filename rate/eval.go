package rate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/govalues/decimal"
	"github.com/levy-tariff/levy/money"
)

// Errors of Duty and AdValoremEquivalent. They are wrapped with the rate
// text on the error path; test them with errors.Is.
var (
	// ErrReference is returned for a Reference: the rate of the provision
	// referred to applies, which the caller must look up.
	ErrReference = errors.New("rate refers to another provision")
	// ErrNoQuantity is returned when a specific term needs a quantity and
	// the Quantity gives none.
	ErrNoQuantity = errors.New("specific rate needs a quantity")
	// ErrUnit is returned when the declared unit does not convert exactly
	// into the rate's unit.
	ErrUnit = errors.New("quantity unit does not convert to the rate's unit")
	// ErrProofLiter is returned when liters and proof liters meet: proof
	// liters depend on the alcoholic strength, which Quantity does not give.
	ErrProofLiter = errors.New("liters and proof liters do not convert without the alcoholic strength")
	// ErrPartValue is returned for an ad valorem term on part of the value
	// ("on the case", "on the value of the lead content"): Quantity holds
	// only the whole value.
	ErrPartValue = errors.New("rate applies to part of the value, which the quantity does not give")
	// ErrSliding is returned for the sliding sugar rates ("less 0.020668¢/kg
	// for each degree under 100 degrees"), which need the polarization.
	ErrSliding = errors.New("sliding rate needs the degree of polarization")
	// ErrNoValue is returned by AdValoremEquivalent for a zero value.
	ErrNoValue = errors.New("ad valorem equivalent needs a non-zero value")
)

// Duty evaluates the expression: the duty in dollars, unrounded. It returns an
// error (never a zero) when the expression is Unparsed or a Reference, or when
// a specific term needs a quantity that q does not give in a convertible unit.
//
// A specific term with a basis ("on drained weight", "on copper content",
// "of total sugars") is evaluated on q.Amount, which the caller must have
// measured on that basis. An ad valorem term with a basis other than "on
// the entire set" applies to part of the value and gives ErrPartValue.
// The result carries no trailing zeros. Duty does not allocate unless it
// returns an error.
func (e Expr) Duty(q Quantity) (money.Decimal, error) {
	switch e.Kind {
	case Free:
		return money.Zero, nil
	case Unparsed:
		return money.Zero, fmt.Errorf("%w: %q", ErrUnparsed, e.Text)
	case Reference:
		return money.Zero, fmt.Errorf("%w: %q", ErrReference, e.Text)
	}
	sum := money.Zero
	for i := range e.Terms {
		d, err := e.Terms[i].Duty(q)
		if err != nil {
			return money.Zero, fmt.Errorf("rate %q: %w", e.Text, err)
		}
		if sum, err = sum.Add(d); err != nil {
			return money.Zero, err
		}
	}
	if e.Min != nil {
		m, err := e.Min.Duty(q)
		if err != nil {
			return money.Zero, fmt.Errorf("rate %q, minimum: %w", e.Text, err)
		}
		sum = sum.Max(m)
	}
	if e.Max != nil {
		m, err := e.Max.Duty(q)
		if err != nil {
			return money.Zero, fmt.Errorf("rate %q, maximum: %w", e.Text, err)
		}
		sum = sum.Min(m)
	}
	return sum.Trim(0), nil
}

// Duty evaluates one term against q; see Expr.Duty. It does not allocate.
func (t Term) Duty(q Quantity) (money.Decimal, error) {
	if t.Unit == "" {
		if t.Basis != "" && t.Basis != "on the entire set" {
			return money.Zero, ErrPartValue
		}
		if t.fracDen > 0 {
			return fraction(q.Value, t.fracNum, t.fracDen*100)
		}
		return money.Percent(q.Value, t.Percent)
	}
	if strings.HasPrefix(t.Basis, "less ") {
		return money.Zero, ErrSliding
	}
	if q.Unit == "" || q.Amount.IsZero() {
		return money.Zero, ErrNoQuantity
	}
	amount, err := Convert(q.Amount, q.Unit, t.Unit)
	if err != nil {
		return money.Zero, err
	}
	return amount.Mul(t.Amount)
}

// fraction returns v × num / den with a single rounding.
func fraction(v money.Decimal, num, den int64) (money.Decimal, error) {
	n, err := v.Mul(decimalInt(num))
	if err != nil {
		return money.Zero, err
	}
	return n.Quo(decimalInt(den))
}

func decimalInt(i int64) money.Decimal {
	d, _ := decimal.New(i, 0)
	return d
}

// AdValoremEquivalent is Duty / Value: the rate as a percentage of value.
func (e Expr) AdValoremEquivalent(q Quantity) (money.Decimal, error) {
	if q.Value.IsZero() {
		return money.Zero, ErrNoValue
	}
	d, err := e.Duty(q)
	if err != nil {
		return money.Zero, err
	}
	p, err := d.Mul(money.Hundred)
	if err != nil {
		return money.Zero, err
	}
	return p.Quo(q.Value)
}
