package country_test

import (
	"fmt"

	"github.com/levy-tariff/levy/country"
)

func ExampleLookup() {
	c, _ := country.Lookup("jp")
	fmt.Println(c.Code, c.Name)
	_, err := country.Lookup("JX")
	fmt.Println(err)
	fmt.Println(country.Column2.Contains("RU"), country.EU27.Contains("GB"))
	// Output:
	// JP Japan
	// unknown country "JX": did you mean JE (Jersey), JM (Jamaica), JO (Jordan), JP (Japan), AX (Åland Islands)?
	// true false
}
