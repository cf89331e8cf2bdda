package rate

import (
	"errors"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/money"
)

func d(s string) money.Decimal { return money.MustParse(s) }

func TestParse(t *testing.T) {
	pct := func(p string) Term { return Term{Percent: d(p)} }
	spec := func(a string, u Unit, basis string) Term { return Term{Amount: d(a), Unit: u, Basis: basis} }
	tests := []struct {
		text  string
		kind  Kind
		terms []Term
		min   *Term
		ref   string
	}{
		{"Free", Free, nil, nil, ""},
		{"  free ", Free, nil, nil, ""},
		{"2.5%", AdValorem, []Term{pct("2.5")}, nil, ""},
		{"6.5% ", AdValorem, []Term{pct("6.5")}, nil, ""},
		{"4.4¢/kg", Specific, []Term{spec("0.044", Kilogram, "")}, nil, ""},
		{"$1.11/t", Specific, []Term{spec("1.11", Tonne, "")}, nil, ""},
		{"90¢/pr.", Specific, []Term{spec("0.9", Pair, "")}, nil, ""},
		{"$1.32/pf. liter", Specific, []Term{spec("1.32", ProofLit, "")}, nil, ""},
		{"2.8¢/doz.", Specific, []Term{spec("0.028", Dozen, "")}, nil, ""},
		{"68¢/head", Specific, []Term{spec("0.68", Head, "")}, nil, ""},
		{"38¢/m2", Specific, []Term{spec("0.38", SqMeter, "")}, nil, ""},
		{"6.5¢/gross", Specific, []Term{spec("0.065", Gross, "")}, nil, ""},
		{"0.9¢ each", Specific, []Term{spec("0.009", Each, "")}, nil, ""},
		{"89.6¢/1000", Specific, []Term{spec("0.896", Thousand, "")}, nil, ""},
		{"0.4¢/kg + 20%", Compound, []Term{spec("0.004", Kilogram, ""), pct("20")}, nil, ""},
		{"$1.58/pr. + 66%", Compound, []Term{spec("1.58", Pair, ""), pct("66")}, nil, ""},
		{"39.9¢/kg +6%", Compound, []Term{spec("0.399", Kilogram, ""), pct("6")}, nil, ""},
		{"25¢/kg on drained weight", Specific, []Term{spec("0.25", Kilogram, "on drained weight")}, nil, ""},
		{"55.1¢/clean kg", Specific, []Term{spec("0.551", Kilogram, "clean")}, nil, ""},
		{"86.1¢/m2of recording surface", Specific, []Term{spec("0.861", SqMeter, "of recording surface")}, nil, ""},
		{"$2.25 each + 45% on the case +80% on the strap, band or bracelet + 35% on the battery", Compound,
			[]Term{spec("2.25", Each, ""), {Percent: d("45"), Basis: "on the case"},
				{Percent: d("80"), Basis: "on the strap, band or bracelet"}, {Percent: d("35"), Basis: "on the battery"}}, nil, ""},
		{"1.4606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 0.943854¢/kg",
			Specific, []Term{spec("0.014606", Kilogram, "less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion)")},
			&Term{Amount: d("0.00943854"), Unit: Kilogram}, ""},
		{"10% but not less than 5¢/kg", AdValorem, []Term{pct("10")}, &Term{Amount: d("0.05"), Unit: Kilogram}, ""},
		{"See 9822.05.20", Reference, nil, nil, "9822.05.20"},
		{"The rate applicable to the natural juice in heading 2009", Reference, nil, nil, "2009"},
		{"The rate applicable to each garment in the ensemble if separately entered", Reference, nil, nil, ""},
		{"Free, under bond", Free, []Term{{Basis: "under bond"}}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e, err := Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind = %d, want %d", e.Kind, tt.kind)
			}
			want := Expr{Kind: tt.kind, Terms: tt.terms, Min: tt.min}
			if tt.kind == Reference {
				want.Ref = &Ref{Heading: tt.ref, Text: strings.TrimSpace(tt.text)}
			}
			if !e.Equal(want) {
				t.Errorf("Parse = %+v, want %+v", e, want)
			}
			if e.Text != strings.TrimSpace(tt.text) {
				t.Errorf("Text = %q", e.Text)
			}
			back, err := Parse(e.Canonical())
			if err != nil || !back.Equal(e) {
				t.Errorf("canonical %q parses to %+v, %v", e.Canonical(), back, err)
			}
		})
	}
}

func TestParseFraction(t *testing.T) {
	e, err := Parse("33 1/3%")
	if err != nil || e.Kind != AdValorem {
		t.Fatalf("Parse = %+v, %v", e, err)
	}
	got, err := e.Duty(Quantity{Value: d("300")})
	if err != nil || got.Cmp(d("100")) != 0 {
		t.Errorf("Duty(300) = %s, %v; want exactly 100", got, err)
	}
	if c := e.Canonical(); c != "33 1/3%" {
		t.Errorf("Canonical = %q", c)
	}
}

func TestParseUnparsed(t *testing.T) {
	for _, text := range []string{"", " ", "37% /", "abc", "4¢", "5¢/furlong", "2% 3%", "$", "1.2.3%",
		"6% + 0.2¢ for each other piece or part, but if consisting in part of a plate the total duty shall not exceed the duty for the complete movement"} {
		e, err := Parse(text)
		if err == nil || e.Kind != Unparsed {
			t.Errorf("Parse(%q) = %+v, %v; want Unparsed and an error", text, e, err)
			continue
		}
		if !errors.Is(err, ErrUnparsed) {
			t.Errorf("Parse(%q) error %v does not wrap ErrUnparsed", text, err)
		}
		if _, derr := e.Duty(Quantity{Value: d("100")}); derr == nil {
			t.Errorf("Duty of unparsed %q gave no error", text)
		}
	}
}

func TestDuty(t *testing.T) {
	tests := []struct {
		text string
		q    Quantity
		want string
		err  error
	}{
		{"Free", Quantity{Value: d("1000")}, "0", nil},
		{"2.5%", Quantity{Value: d("40000")}, "1000", nil},
		{"4.4¢/kg", Quantity{Value: d("1"), Amount: d("1000"), Unit: Kilogram}, "44", nil},
		{"4.4¢/kg", Quantity{Amount: d("2"), Unit: Tonne}, "88", nil},
		{"4.4¢/kg", Quantity{Amount: d("500"), Unit: Gram}, "0.022", nil},
		{"$1.11/t", Quantity{Amount: d("2500"), Unit: Kilogram}, "2.775", nil},
		{"0.4¢/kg + 20%", Quantity{Value: d("100"), Amount: d("10"), Unit: Kilogram}, "20.04", nil},
		{"$1.58/pr. + 66%", Quantity{Value: d("10"), Amount: d("2"), Unit: DozenPair}, "44.52", nil},
		{"2.8¢/doz.", Quantity{Amount: d("24"), Unit: Each}, "0.056", nil},
		{"2.8¢/doz.", Quantity{Amount: d("5"), Unit: Each}, "0.01166666666666666667", nil},
		{"$6/1000", Quantity{Amount: d("500"), Unit: Each}, "3", nil},
		{"5.25¢/bbl", Quantity{Amount: d("158.987294928"), Unit: Liter}, "0.0525", nil},
		{"10% but not less than 5¢/kg", Quantity{Value: d("10"), Amount: d("100"), Unit: Kilogram}, "5", nil},
		{"10% but not more than 5¢/kg", Quantity{Value: d("100"), Amount: d("100"), Unit: Kilogram}, "5", nil},
		{"6.5% on the entire set", Quantity{Value: d("100")}, "6.5", nil},
		{"4.4¢/kg", Quantity{Value: d("100")}, "", ErrNoQuantity},
		{"4.4¢/kg", Quantity{Amount: d("3"), Unit: Each}, "", ErrUnit},
		{"$1.32/pf. liter", Quantity{Amount: d("3"), Unit: Liter}, "", ErrProofLiter},
		{"45% on the case", Quantity{Value: d("3")}, "", ErrPartValue},
		{"See 9822.05.20", Quantity{Value: d("3")}, "", ErrReference},
		{"1.4606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 0.943854¢/kg",
			Quantity{Amount: d("3"), Unit: Kilogram}, "", ErrSliding},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e, err := Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Duty(tt.q)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Duty error = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || got.Cmp(d(tt.want)) != 0 {
				t.Errorf("Duty = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestAdValoremEquivalent(t *testing.T) {
	e, _ := Parse("0.4¢/kg + 20%")
	got, err := e.AdValoremEquivalent(Quantity{Value: d("100"), Amount: d("10"), Unit: Kilogram})
	if err != nil || got.Cmp(d("20.04")) != 0 {
		t.Errorf("AVE = %s, %v; want 20.04", got, err)
	}
	if _, err := e.AdValoremEquivalent(Quantity{}); !errors.Is(err, ErrNoValue) {
		t.Errorf("AVE of zero value: %v", err)
	}
}

func TestNormUnit(t *testing.T) {
	tests := map[string]Unit{
		"kg": Kilogram, "KGS": Kilogram, "liters": Liter, "doz": Dozen, "No.": Each, "pcs": Each,
		"prs": Pair, "pf. liter": ProofLit, "doz. pr.": DozenPair, "m²": SqMeter, "t": Tonne, "bbl": Barrel,
	}
	for in, want := range tests {
		if got, ok := NormUnit(in); !ok || got != want {
			t.Errorf("NormUnit(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if u, ok := NormUnit("furlong"); ok {
		t.Errorf("NormUnit(furlong) = %q, true", u)
	}
}

func TestParseSpecial(t *testing.T) {
	s, err := ParseSpecial("Free (A+,AU,B,BH,CL,CO,D,E,IL, JO,KR,MA,OM, P,PA,PE,S,SG) 3.4% (JO) See 9823.04.01-9823.04.54 (S+)")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Groups) != 3 {
		t.Fatalf("groups = %+v", s.Groups)
	}
	if g := s.Groups[0]; g.Rate.Kind != Free || len(g.Programs) != 18 || g.Programs[9] != "JO" {
		t.Errorf("group 0 = %+v", g)
	}
	if g := s.Groups[2]; g.Rate.Kind != Reference || g.Rate.Ref.Heading != "9823.04.01" || g.Rate.Ref.Programs[0] != "S+" {
		t.Errorf("group 2 = %+v", g.Rate)
	}
	tests := []struct {
		claim string
		kind  Kind
		ok    bool
	}{
		{"A+", Free, true}, {"a+", Free, true}, {"A", 0, false}, {"A*", 0, false},
		{"KR", Free, true}, {"S+", Reference, true}, {"S", Free, true}, {"JP", 0, false},
	}
	for _, tt := range tests {
		e, ok := s.For(tt.claim)
		if ok != tt.ok || (ok && e.Kind != tt.kind) {
			t.Errorf("For(%q) = %v, %v", tt.claim, e.Kind, ok)
		}
	}
	star, _ := ParseSpecial("Free (A*,AU)")
	for _, claim := range []string{"A*", "A"} {
		if _, ok := star.For(claim); !ok {
			t.Errorf("A* line does not accept %q", claim)
		}
	}
	if _, ok := star.For("A+"); ok {
		t.Error("A* line accepts A+")
	}
}

func TestParseSpecialTolerant(t *testing.T) {
	for text, want := range map[string]string{
		"Free (A*,AU,BH,CL,CO,D,E IL,JO)":               "E,IL",
		"Free (AU,BH,.OM,P) ":                           "OM",
		"Free (BH) See 9919.04.50, 9919.04.67 (PA (PA)": "PA",
		"Free \n(A,B)":                                  "A,B",
		"Free (P) 1.4¢/kg less 0.02¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) (KR)": "KR",
	} {
		s, err := ParseSpecial(text)
		if err != nil {
			t.Errorf("ParseSpecial(%q): %v", text, err)
			continue
		}
		if got := strings.Join(s.Programs(), ","); !strings.Contains(got, want) {
			t.Errorf("ParseSpecial(%q) programs %s, want %s", text, got, want)
		}
	}
	if _, err := ParseSpecial("Free (A) 5%"); err == nil {
		t.Error("trailing rate without programs gave no error")
	}
	if s, err := ParseSpecial("  "); err != nil || len(s.Groups) != 0 {
		t.Errorf("empty special: %+v, %v", s, err)
	}
}

func TestDutyAllocs(t *testing.T) {
	e, _ := Parse("$1.58/pr. + 66% but not more than $5/pr.")
	q := Quantity{Value: d("123.45"), Amount: d("3"), Unit: DozenPair}
	if n := testing.AllocsPerRun(100, func() { _, _ = e.Duty(q) }); n != 0 {
		t.Errorf("Duty allocates %v times", n)
	}
}

// TestNormUnitFastPath checks the allocation-free ASCII path against the
// general normalisation, and that it does not allocate.
func TestNormUnitFastPath(t *testing.T) {
	for _, in := range []string{"", "kg", "KG", " No. ", "doz. pr.", "Pf. Liters", "m²", "1,000", "line/ gross",
		"thou- sand", "x", ".", "..", "kg\t", strings.Repeat("k", 40), "KILOGRAMS", "M³", "Ém", "m\xff", strings.Repeat("²", 11)} {
		u1, ok1 := NormUnit(in)
		u2, ok2 := normUnitSlow(in)
		if u1 != u2 || ok1 != ok2 {
			t.Errorf("NormUnit(%q) = %q, %v; general path %q, %v", in, u1, ok1, u2, ok2)
		}
	}
	if n := testing.AllocsPerRun(100, func() { NormUnit("Kg"); NormUnit("m²") }); n != 0 {
		t.Errorf("NormUnit allocates %.0f times", n)
	}
}
