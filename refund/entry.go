package refund

import (
	"fmt"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Liquidation states an entry can be in (ACE liquidation status).
const (
	Unliquidated = "unliquidated"
	Liquidated   = "liquidated"
	Reliquidated = "reliquidated"
	Suspended    = "suspended"
	Extended     = "extended"
	UnderReview  = "under-review"
)

// ParseLiquidationStatus reads the liquidation status as ACE reports and
// brokers write it ("Liquidated", "UNLIQ", "Open", "Suspended"...).
func ParseLiquidationStatus(s string) (string, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch {
	case t == "" || t == "open" || t == "not liquidated" || strings.HasPrefix(t, "unliq") || t == "u" || t == "pending":
		return Unliquidated, nil
	case strings.HasPrefix(t, "suspend"):
		return Suspended, nil
	case strings.HasPrefix(t, "extend") || strings.HasPrefix(t, "extension"):
		return Extended, nil
	case strings.Contains(t, "review"):
		return UnderReview, nil
	case strings.HasPrefix(t, "reliq"):
		return Reliquidated, nil
	case strings.HasPrefix(t, "liq") || t == "l" || t == "final" || t == "closed":
		return Liquidated, nil
	}
	return "", fmt.Errorf("liquidation status %q: use liquidated, unliquidated, reliquidated, suspended, extended or under review", s)
}

// Flags are the entry facts that take it out of CAPE or into phase 2.
type Flags struct {
	// Reconciliation: the entry is flagged for reconciliation.
	Reconciliation bool `json:"reconciliation"`
	// ReconFiled: the type 09 reconciliation entry has been filed.
	ReconFiled bool `json:"reconciliation_filed"`
	Drawback   bool `json:"drawback"`
	// Protest: a protest is open (CBP Form 19).
	Protest bool `json:"protest"`
	// ADCVD: AD/CVD with Commerce liquidation instructions pending.
	ADCVD bool `json:"adcvd"`
}

// Row is one HTS number reported on an entry summary line, with the duty
// paid on it: the chapter 1-97 number carries the entered value, each
// chapter 99 number its own duty.
type Row struct {
	Line     int           `json:"line"`
	HTS      string        `json:"hts"` // digits only, as reported
	Origin   string        `json:"origin,omitempty"`
	Value    money.Decimal `json:"value"`
	Duty     money.Decimal `json:"duty"`
	Quantity money.Decimal `json:"quantity"`
	Unit     string        `json:"unit,omitempty"`
}

// Received is a refund CBP reported (ES-022) or that was recorded by hand,
// with its status after Treasury received it (REV-603).
type Received struct {
	Entry       string        `json:"entry"`
	Refund      string        `json:"refund"`
	Declaration string        `json:"declaration,omitempty"`
	Principal   money.Decimal `json:"principal"`
	Interest    money.Decimal `json:"interest"`
	Status      string        `json:"status,omitempty"`
	Date        date.Date     `json:"date"`
	Source      string        `json:"source"`
}

// Entry is one entry summary: the unit of a refund.
type Entry struct {
	Number   string    `json:"entry"`
	Importer string    `json:"importer"`
	Filer    string    `json:"filer"`
	Type     string    `json:"type"`
	Date     date.Date `json:"entry_date"`
	Port     string    `json:"port,omitempty"`
	// LiqStatus and LiqDate: for an unliquidated entry LiqDate, when
	// reported, is the scheduled liquidation date.
	LiqStatus string    `json:"liquidation_status"`
	LiqDate   date.Date `json:"liquidation_date"`
	// Deposit is the date the duty was deposited; date.None when the report
	// does not give it.
	Deposit date.Date `json:"deposit_date"`
	Flags   Flags     `json:"flags"`
	// Estimated: the rows were computed by levy from a line list (levy's
	// batch CSV), not reported by ACE.
	Estimated bool       `json:"estimated,omitempty"`
	Rows      []Row      `json:"rows"`
	Refunds   []Received `json:"refunds,omitempty"`
	// Declarations are the CAPE declarations the entry is on, with status.
	Declarations []DeclarationRef `json:"declarations,omitempty"`
}

// DeclarationRef names a declaration an entry is on.
type DeclarationRef struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// Declaration statuses.
const (
	DeclPrepared = "prepared" // written by levy, not yet known to be accepted
	DeclAccepted = "accepted"
	DeclRejected = "rejected"
)

// OnDeclaration reports whether the entry is on a declaration that is
// accepted, or prepared and not yet resolved.
func (e *Entry) OnDeclaration() (string, bool) {
	for _, d := range e.Declarations {
		if d.Status == DeclAccepted || d.Status == DeclPrepared {
			return d.ID, true
		}
	}
	return "", false
}

// Liquidated reports whether the entry has liquidated (or reliquidated).
func (e *Entry) Liquidated() bool {
	return e.LiqStatus == Liquidated || e.LiqStatus == Reliquidated
}
