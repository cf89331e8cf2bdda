package program_test

import (
	"fmt"

	"github.com/levy-tariff/levy/program"
)

func ExampleLookup() {
	p, _ := program.Lookup("kr")
	fmt.Println(p.Symbol, p.Short, "-", p.Name)
	// Output: KR KORUS - United States-Korea Free Trade Agreement Implementation Act
}
