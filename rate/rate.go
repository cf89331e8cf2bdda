// Package rate parses the duty-rate texts of the Harmonized Tariff Schedule
// ("Free", "2.5%", "4.4¢/kg", "0.4¢/kg + 20%", "Free (A+,AU,KR)", "See
// 9822.05.20 (P+)") into typed expressions and evaluates them exactly.
//
// It must not import any other levy package except money. Evaluation does no
// allocation and no I/O.
package rate

import (
	"github.com/levy-tariff/levy/money"
)

// Kind says what sort of rate an expression is.
type Kind uint8

const (
	// Unparsed is a text levy could not read as a rate. It is never read as zero.
	Unparsed Kind = iota
	// Free is a zero rate written "Free".
	Free
	// AdValorem is a percentage of the customs value only.
	AdValorem
	// Specific is an amount per unit of quantity only.
	Specific
	// Compound is a sum of ad valorem and specific terms.
	Compound
	// Reference points to another provision or article whose rate applies.
	Reference
)

// Unit is a normalised unit of quantity that a specific rate is expressed in.
type Unit string

// Units that appear in HTS rate texts, normalised.
const (
	Kilogram   Unit = "kg"
	Gram       Unit = "g"
	Tonne      Unit = "t"
	Liter      Unit = "liter"
	ProofLit   Unit = "pf.liter"
	Each       Unit = "No."
	Pair       Unit = "pr."
	Dozen      Unit = "doz."
	DozenPair  Unit = "doz. pr."
	Head       Unit = "head"
	SqMeter    Unit = "m2"
	Meter      Unit = "m"
	CubicMeter Unit = "m3"
	Gross      Unit = "gross"
	KWh        Unit = "kWh"
)

// Term is one addend of a rate: either a percentage of value (Unit empty) or
// an amount in dollars per Unit.
type Term struct {
	// Percent is the ad valorem rate in percent (2.5 for "2.5%") when Unit is empty.
	Percent money.Decimal
	// Amount is dollars per unit for a specific term ("4.4¢/kg" is 0.044 per kg).
	Amount money.Decimal
	// Unit is empty for an ad valorem term.
	Unit Unit
	// Basis qualifies the quantity or value the term applies to, as written
	// ("on drained weight", "on the case", "of total sugars"); empty when plain.
	Basis string

	// fracNum/fracDen is the exact percentage when the schedule writes a
	// fraction ("33 1/3%" is 100/3); Percent then holds it rounded to 19 digits.
	fracNum, fracDen int64
}

// Expr is a parsed rate text.
type Expr struct {
	Kind Kind
	// Terms are summed (Compound has several, AdValorem and Specific one).
	Terms []Term
	// Min and Max bound the duty where the schedule says "but not less than"
	// or "but not more than"; nil when absent.
	Min, Max *Term
	// Ref is the provision an expression of kind Reference points to.
	Ref *Ref
	// Text is the original text, trimmed.
	Text string
}

// Ref is a reference to another provision's rate.
type Ref struct {
	// Heading is the HTS number referred to ("9822.05.20"), empty if the
	// reference names an article ("the natural juice in heading 2009").
	Heading string
	// Programs are the program symbols a special-column reference carries.
	Programs []string
	// Text is the reference as written.
	Text string
}

// Quantity is what an expression is evaluated against.
type Quantity struct {
	// Value is the customs value in dollars.
	Value money.Decimal
	// Amount is the quantity in Unit; zero when not declared.
	Amount money.Decimal
	// Unit is the unit of Amount as the user declared it (normalised with NormUnit).
	Unit Unit
}

// Group is one rate group of the special column: a rate and the program
// symbols it applies to.
type Group struct {
	Rate     Expr
	Programs []string
}

// Special is the parsed special column of a line.
type Special struct {
	Groups []Group
	Text   string
}
