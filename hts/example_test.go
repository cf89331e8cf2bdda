package hts_test

import (
	"fmt"

	"github.com/levy-tariff/levy/hts"
)

func ExampleNormalize() {
	code, err := hts.Normalize(" 8703.23.01 30")
	fmt.Println(code, err)
	fmt.Println(hts.Dotted(code))
	_, err = hts.Normalize("8703.2")
	fmt.Println(err)
	// Output:
	// 8703230130 <nil>
	// 8703.23.01.30
	// HTS number "8703.2" has 5 digits; want 4, 6, 8 or 10
}
