package rate

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/levy-tariff/levy/money"
)

// Further units that the schedule's rate texts use, normalised.
const (
	Barrel    Unit = "bbl"
	Thousand  Unit = "1000"
	Jewel     Unit = "jewel"
	Pack      Unit = "pack"
	LineGross Unit = "line/gross"
)

// unitSpellings maps a unit as the schedule or a user writes it, with
// spaces removed, lower case and any trailing dot dropped, to its Unit.
var unitSpellings = map[string]Unit{
	"kg": Kilogram, "kgs": Kilogram, "kilogram": Kilogram, "kilograms": Kilogram,
	"g": Gram, "gram": Gram, "grams": Gram, "gm": Gram,
	"t": Tonne, "tonne": Tonne, "tonnes": Tonne, "mt": Tonne, "metricton": Tonne,
	"liter": Liter, "liters": Liter, "litre": Liter, "litres": Liter, "l": Liter,
	"pf.liter": ProofLit, "pf.liters": ProofLit, "proofliter": ProofLit, "proofliters": ProofLit, "pfl": ProofLit,
	"no": Each, "number": Each, "each": Each, "ea": Each, "pc": Each, "pcs": Each,
	"piece": Each, "pieces": Each, "unit": Each, "units": Each, "article": Each, "articles": Each, "u": Each,
	"pr": Pair, "prs": Pair, "pair": Pair, "pairs": Pair,
	"doz": Dozen, "dozen": Dozen, "dz": Dozen,
	"doz.pr": DozenPair, "dozenpairs": DozenPair, "dpr": DozenPair, "dozpr": DozenPair,
	"head": Head, "hd": Head,
	"m2": SqMeter, "m²": SqMeter, "sqm": SqMeter,
	"m": Meter, "lin.m": Meter, "meter": Meter, "meters": Meter, "metre": Meter, "metres": Meter,
	"m3": CubicMeter, "m³": CubicMeter, "cbm": CubicMeter,
	"gross": Gross, "gr": Gross,
	"kwh": KWh,
	"bbl": Barrel, "barrel": Barrel, "barrels": Barrel,
	"1000": Thousand, "1,000": Thousand, "thousand": Thousand, "thou-sand": Thousand,
	"jewel": Jewel, "jewels": Jewel,
	"pack": Pack, "packs": Pack,
	"line/gross": LineGross,
}

func unitKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != ' ' && r != '\t' && r != '\n' {
			b.WriteRune(r)
		}
	}
	return strings.TrimSuffix(b.String(), ".")
}

// NormUnit normalises a unit as users and the schedule write it ("kg",
// "liters", "doz", "No.", "pcs", "prs") and reports whether it is known.
// It does not allocate for spellings of up to 32 bytes without upper-case
// non-ASCII letters.
func NormUnit(s string) (Unit, bool) {
	var buf [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Caseless runes such as ² and ³ are kept as they are.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError || unicode.ToLower(r) != r || n+size > len(buf) {
				return normUnitSlow(s)
			}
			n += copy(buf[n:], s[i:i+size])
			i += size - 1
			continue
		}
		if n == len(buf) {
			return normUnitSlow(s)
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	if n > 0 && buf[n-1] == '.' {
		n--
	}
	u, ok := unitSpellings[string(buf[:n])] // no allocation: map index by converted bytes
	return u, ok
}

func normUnitSlow(s string) (Unit, bool) {
	u, ok := unitSpellings[unitKey(s)]
	if !ok {
		return "", false
	}
	return u, true
}

// rateUnit is a unit spelling as it follows "/" in a rate text, with the
// basis it implies ("clean kg" is kg of clean content).
type rateUnit struct {
	spelling string
	unit     Unit
	basis    string
}

// rateUnits lists the spellings found after "/" in HTS rate texts, longest
// first so that "m2" wins over "m" and "thousand" over "t".
var rateUnits = func() []rateUnit {
	us := []rateUnit{
		{"kg", Kilogram, ""}, {"clean kg", Kilogram, "clean"}, {"g", Gram, ""}, {"t", Tonne, ""},
		{"liter", Liter, ""}, {"pf. liter", ProofLit, ""}, {"pf.liter", ProofLit, ""},
		{"No.", Each, ""}, {"article", Each, ""}, {"pr.", Pair, ""}, {"pr", Pair, ""}, {"doz.", Dozen, ""}, {"doz", Dozen, ""},
		{"doz. pr.", DozenPair, ""}, {"head", Head, ""}, {"m2", SqMeter, ""}, {"m²", SqMeter, ""},
		{"m3", CubicMeter, ""}, {"m", Meter, ""}, {"lin. m", Meter, ""}, {"gross", Gross, ""},
		{"kWh", KWh, ""}, {"bbl", Barrel, ""}, {"1000", Thousand, ""}, {"1,000", Thousand, ""},
		{"thousand", Thousand, ""}, {"thou- sand", Thousand, ""}, {"jewel", Jewel, ""},
		{"pack", Pack, ""}, {"line/gross", LineGross, ""}, {"line/ gross", LineGross, ""},
	}
	sort.SliceStable(us, func(i, j int) bool { return len(us[i].spelling) > len(us[j].spelling) })
	return us
}()

// matchUnit reads a unit at the start of s (just after "/") and returns it
// with the basis it implies and the rest of s.
func matchUnit(s string) (rateUnit, string, bool) {
	for _, u := range rateUnits {
		if !strings.HasPrefix(s, u.spelling) {
			continue
		}
		rest := s[len(u.spelling):]
		if rest != "" && isAlnum(rest[0]) {
			last := u.spelling[len(u.spelling)-1]
			// "m2of recording surface" is a typo the schedule prints; a unit
			// ending in a digit or a dot may run into its basis, a word may not.
			if !(isDigit(last) || last == '.') || isDigit(rest[0]) {
				continue
			}
		}
		return u, rest, true
	}
	return rateUnit{}, s, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// dimension groups units that convert exactly into one another, each unit
// with its size in the dimension's base unit.
type dimension uint8

const (
	dimNone dimension = iota
	dimMass
	dimCount
	dimPairs
	dimVolume
	dimProof
)

type unitSize struct {
	dim  dimension
	size money.Decimal
}

// unitSizes holds the exact conversions: mass in grams, counts in units,
// pairs in pairs, volume in liters (a US barrel of 42 gallons is 158.987294928
// liters by definition, a cubic meter 1000 liters). Proof liters measure
// alcohol content and convert to nothing else.
var unitSizes = map[Unit]unitSize{
	Gram:       {dimMass, money.MustParse("1")},
	Kilogram:   {dimMass, money.MustParse("1000")},
	Tonne:      {dimMass, money.MustParse("1000000")},
	Each:       {dimCount, money.MustParse("1")},
	Dozen:      {dimCount, money.MustParse("12")},
	Gross:      {dimCount, money.MustParse("144")},
	Thousand:   {dimCount, money.MustParse("1000")},
	Pair:       {dimPairs, money.MustParse("1")},
	DozenPair:  {dimPairs, money.MustParse("12")},
	Liter:      {dimVolume, money.MustParse("1")},
	Barrel:     {dimVolume, money.MustParse("158.987294928")},
	CubicMeter: {dimVolume, money.MustParse("1000")},
	ProofLit:   {dimProof, money.MustParse("1")},
}

// Convert converts an amount of quantity from one unit to another where the
// relation is exact (kg, g and t; No., doz., gross and thousands; pr. and
// doz. pr.; liter, bbl and m3). Liters and proof liters do not convert.
func Convert(amount money.Decimal, from, to Unit) (money.Decimal, error) {
	if from == to {
		return amount, nil
	}
	f, fok := unitSizes[from]
	t, tok := unitSizes[to]
	if !fok || !tok || f.dim != t.dim {
		if (from == ProofLit && to == Liter) || (from == Liter && to == ProofLit) {
			return money.Zero, ErrProofLiter
		}
		return money.Zero, ErrUnit
	}
	p, err := amount.Mul(f.size)
	if err != nil {
		return money.Zero, err
	}
	return p.Quo(t.size)
}
