package rate_test

import (
	"fmt"

	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/rate"
)

func ExampleParse() {
	e, err := rate.Parse("0.4¢/kg + 20%")
	if err != nil {
		panic(err)
	}
	duty, err := e.Duty(rate.Quantity{Value: money.MustParse("1000"), Amount: money.MustParse("2"), Unit: rate.Tonne})
	fmt.Println(e.Kind == rate.Compound, duty, err)
	// Output: true 208 <nil>
}

func ExampleParse_unparsed() {
	_, err := rate.Parse("37% /")
	fmt.Println(err)
	// Output: rate "37% /": unreadable text after the rate
}

func ExampleParseSpecial() {
	s, _ := rate.ParseSpecial("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG) 3.4% (JO) See 9823.04.01-9823.04.54 (S+)")
	kr, ok := s.For("KR")
	fmt.Println(kr, ok)
	sp, _ := s.For("S+")
	fmt.Println(sp.Ref.Heading)
	_, ok = s.For("JP")
	fmt.Println(ok)
	// Output:
	// Free true
	// 9823.04.01
	// false
}

func ExampleExpr_Canonical() {
	e, _ := rate.Parse("$2.25 each + 45% on the case +80% on the strap, band or bracelet")
	fmt.Println(e.Canonical())
	// Output: $2.25 each + 45% on the case + 80% on the strap, band or bracelet
}

func ExampleNormUnit() {
	u, ok := rate.NormUnit("prs")
	fmt.Println(u, ok)
	// Output: pr. true
}
