package refund_test

import (
	"fmt"

	"github.com/levy-tariff/levy/data"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

func ExampleParseEntryNumber() {
	n, err := refund.ParseEntryNumber("abc-1234567-8")
	fmt.Println(n, err)
	_, err = refund.ParseEntryNumber("ABC-123456-8")
	fmt.Println(err)
	// Output:
	// ABC12345678 <nil>
	// entry number "ABC-123456-8": has 10 characters without dashes; an entry number has 11 (3-character filer code, 7-digit number, check digit)
}

// The fact sheet's illustration: $10,000 deposited 2025-06-10 and
// reliquidated 2026-06-20, at the non-corporate overpayment rates.
func ExampleRates_Compute() {
	rates, _ := refund.ParseRates(data.InterestRates)
	in := rates.Compute(money.MustParse("10000"), date.MustParse("2025-06-10"), date.MustParse("2026-06-20"), refund.InterestOptions{})
	fmt.Println(money.Format(in.Amount), in.Days, "days")
	for _, p := range in.Periods {
		fmt.Println(p.Quarter, p.Days, p.Rate.String()+"%")
	}
	// Output:
	// 722.07 375 days
	// 2025Q2 21 7%
	// 2025Q3 92 7%
	// 2025Q4 92 7%
	// 2026Q1 90 7%
	// 2026Q2 80 6%
}

func ExampleDeclaration_Bytes() {
	ds, _ := refund.Declarations([]refund.Candidate{{Entry: "ABC-1234567-8", Importer: "12-3456789AB"}, {Entry: "ABC12345686", Importer: "12-3456789AB"}})
	fmt.Printf("%q\n", ds[0].Bytes())
	// Output:
	// "Entry Number\r\nABC12345678\r\nABC12345686\r\n"
}
