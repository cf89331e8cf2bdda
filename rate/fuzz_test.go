package rate

import "testing"

var seeds = []string{
	"Free", "2.5%", "33 1/3%", "4.4¢/kg", "$1.11/t", "90¢/pr.", "0.4¢/kg + 20%", "$1.58/pr. + 66%",
	"25¢/kg on drained weight", "55.1¢/clean kg", "86.1¢/m2of recording surface", "Free, under bond",
	"$2.25 each + 45% on the case + 80% on the strap, band or bracelet + 35% on the battery",
	"1.4606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 0.943854¢/kg",
	"See 9822.05.20", "The rate applicable to the natural juice in heading 2009", "10% but not more than 5¢/kg",
	"$1/1,000 pins + 35%", "0.3¢/line/ gross + 4.6%", "37% /",
}

// FuzzParse checks that Parse never panics, that what it reads parses back
// from its canonical form to an equal expression, and that Unparsed always
// comes with an error.
func FuzzParse(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := Parse(text)
		if (err != nil) != (e.Kind == Unparsed) {
			t.Fatalf("Parse(%q) = kind %d, err %v", text, e.Kind, err)
		}
		if err != nil {
			return
		}
		c := e.Canonical()
		back, err := Parse(c)
		if err != nil || !back.Equal(e) {
			t.Fatalf("Parse(%q) = %+v; canonical %q parses to %+v, %v", text, e, c, back, err)
		}
		_, _ = e.Duty(Quantity{Value: d("100"), Amount: d("7"), Unit: Kilogram})
	})
}

// FuzzParseSpecial checks the same round trip for special-column texts.
func FuzzParseSpecial(f *testing.F) {
	for _, s := range []string{
		"Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG)",
		"Free (A,AU) 3.4% (JO) See 9823.04.01-9823.04.54 (S+)",
		"Free (BH) See 9919.04.50, 9919.04.67 (PA (PA)", "Free (A*,E IL,.OM)", "Free (A) 5%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSpecial(text)
		if err != nil {
			return
		}
		c := s.Canonical()
		back, err := ParseSpecial(c)
		if err != nil || !back.Equal(s) {
			t.Fatalf("ParseSpecial(%q) = %+v; canonical %q parses to %+v, %v", text, s, c, back, err)
		}
		for _, g := range s.Groups {
			for _, p := range g.Programs {
				if _, ok := s.For(p); !ok {
					t.Fatalf("For(%q) false on %q", p, text)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = Parse(seeds[i%len(seeds)])
	}
}

func BenchmarkParseSpecial(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseSpecial("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG) 3.4% (JO) See 9823.04.01-9823.04.54 (S+)")
	}
}

func BenchmarkDuty(b *testing.B) {
	e, _ := Parse("$1.58/pr. + 66% but not more than $5/pr.")
	q := Quantity{Value: d("123.45"), Amount: d("3"), Unit: DozenPair}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Duty(q); err != nil {
			b.Fatal(err)
		}
	}
}
