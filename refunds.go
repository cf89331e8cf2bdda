package levy

import (
	"fmt"

	"github.com/levy-tariff/levy/data"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/refund"
)

// RefundOptions returns what the refund domain needs from the loaded rules:
// the enacted snapshot, the family of every chapter 99 heading the rules
// name and the embedded table of interest rates.
func (lv *Levy) RefundOptions() (refund.Options, error) {
	snap, err := lv.Snapshot("")
	if err != nil {
		return refund.Options{}, err
	}
	rates, err := refund.ParseRates(data.InterestRates)
	if err != nil {
		return refund.Options{}, err
	}
	return refund.Options{Snapshot: snap, Headings: refund.HeadingsOf(lv.Rules), Rates: rates}, nil
}

// CheckHTS says whether an HTS number reported on an entry exists: a
// chapter 1-97 number must be in the schedule, a chapter 99 heading in the
// schedule or in the rules.
func (lv *Levy) CheckHTS(headings refund.Headings) func(code string, entry date.Date) error {
	return func(code string, entry date.Date) error {
		if refund.IsChapter99(code) {
			if _, ok := headings[refund.Heading8(code)]; ok {
				return nil
			}
		}
		// The line must be in force on the entry date.
		if _, err := lv.Schedule.Lookup(code, entry); err != nil {
			if refund.IsChapter99(code) {
				return fmt.Errorf("chapter 99 heading %s is neither in the schedule nor in levy's rules", refund.DottedHeading(refund.Heading8(code)))
			}
			return err
		}
		return nil
	}
}
