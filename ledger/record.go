package ledger

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/levy-tariff/levy/refund"
)

// Field marks an optional entry attribute that a report carried.
type Field uint16

// Optional entry attributes. A report that lacks a column leaves what the
// ledger already holds for it.
const (
	HasType Field = 1 << iota
	HasPort
	HasLiqStatus
	HasLiqDate
	HasDeposit
	HasRecon
	HasReconFiled
	HasDrawback
	HasProtest
	HasADCVD
)

// Record is one row of an entry report: the entry's attributes (Has says
// which optional ones the report carried) and one HTS number reported on
// one of its lines.
type Record struct {
	// Line is the line of the file the record came from.
	Line  int
	Entry refund.Entry
	Has   Field
	Row   refund.Row
}

// RefundRecord is one row of a refund report: an ES-022 refund (principal
// and interest) or, with StatusOnly, a REV-603 status of a refund already
// reported.
type RefundRecord struct {
	Line       int
	Refund     refund.Received
	StatusOnly bool
}

// RowError is a bad row: its line, the column when known, and why.
type RowError struct {
	Line   int
	Column string
	Err    error
}

func (e *RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// ImportError is a failed import: every bad row found (up to a limit) and
// how many there were. Nothing of the import was stored.
type ImportError struct {
	Name   string
	Errors []error
	Total  int
}

// MaxErrors is how many bad rows an ImportError lists.
const MaxErrors = 100

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d bad row(s); nothing was imported", e.Name, e.Total)
	for _, err := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(err.Error())
	}
	if e.Total > len(e.Errors) {
		fmt.Fprintf(&b, "\n  ... and %d more", e.Total-len(e.Errors))
	}
	return b.String()
}

func (e *ImportError) add(err error) {
	e.Total++
	if len(e.Errors) < MaxErrors {
		e.Errors = append(e.Errors, err)
	}
}

// ErrNotFound is returned for an unknown entry, declaration or refund.
var ErrNotFound = errors.New("not found")

// drain reads records until io.EOF, collecting each *RowError in errs and
// handing the others to add; any other error ends it.
func drain[T any](next func() (T, error), errs *ImportError, add func(T) error) error {
	for {
		rec, err := next()
		if err == io.EOF {
			return nil
		}
		var re *RowError
		if errors.As(err, &re) {
			errs.add(err)
			continue
		}
		if err != nil {
			return err
		}
		if err := add(rec); err != nil {
			return err
		}
	}
}
