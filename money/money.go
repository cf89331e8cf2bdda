// Package money holds levy's exact decimal arithmetic for duties, fees and
// rates. It wraps a fixed-point decimal type so that no amount of money is
// ever held in a float64, and it rounds half-up to the cent as customs does.
//
// It must not import any other levy package.
package money

import (
	"fmt"

	"github.com/govalues/decimal"
)

// Decimal is the exact decimal type used for every amount and rate in levy.
type Decimal = decimal.Decimal

var (
	// Zero is 0.
	Zero = decimal.Zero
	// One is 1.
	One = decimal.One
	// Hundred is 100, used to turn a percentage into a fraction.
	Hundred   = decimal.Hundred
	halfCent  = decimal.MustNew(5, 3)
	hundredth = decimal.MustNew(1, 2)
)

// Parse reads a decimal written in plain notation ("40000", "0.3464").
func Parse(s string) (Decimal, error) {
	d, err := decimal.Parse(s)
	if err != nil {
		return Zero, fmt.Errorf("%q is not a decimal number", s)
	}
	return d, nil
}

// Whole returns n whole dollars.
func Whole(n int64) Decimal {
	d, err := decimal.New(n, 0)
	if err != nil {
		panic(err) // unreachable: scale 0 is always valid
	}
	return d
}

// MustParse is Parse for constants known to be valid; it panics otherwise.
func MustParse(s string) Decimal { return decimal.MustParse(s) }

// Cents rounds a non-negative or negative amount half away from zero to the
// cent, the rounding CBP applies to each duty line.
func Cents(d Decimal) Decimal {
	if d.IsNeg() {
		return Cents(d.Neg()).Neg()
	}
	r, err := d.Add(halfCent)
	if err != nil {
		return d.Round(2)
	}
	return r.Floor(2).Pad(2)
}

// Percent returns value × pct / 100, exactly where the precision allows.
func Percent(value, pct Decimal) (Decimal, error) {
	p, err := value.Mul(pct)
	if err != nil {
		return Zero, err
	}
	return p.Mul(hundredth)
}

// Format prints an amount with exactly two decimals.
func Format(d Decimal) string { return Cents(d).String() }
