package refund

import (
	"fmt"

	"github.com/levy-tariff/levy/date"
)

// Phase is the route an entry takes to its IEEPA refund.
type Phase string

// Routes.
const (
	Phase1  Phase = "cape-1"             // unliquidated, or liquidated within 80 days
	Phase2  Phase = "cape-2"             // reconciliation-flagged 01/02/06 with no type 09
	Protest Phase = "protest"            // liquidated 81 to 180 days ago: outside CAPE, protest open
	Final   Phase = "finally-liquidated" // past 180 days: CAPE phase 3 / CIT track
	Outside Phase = "outside"            // excluded from CAPE for another reason
	NoIEEPA Phase = "no-ieepa"           // no IEEPA duty was paid
	// Unrouted: the report gave no liquidation status, so the route is unknown.
	Unrouted Phase = "unrouted"
)

// Phases lists the routes in report order.
var Phases = []Phase{Phase1, Phase2, Protest, Final, Outside, Unrouted, NoIEEPA}

// Dates CAPE opened, and its windows (facts/ieepa-refunds.md §0, §3).
var (
	Phase1Opened = date.MustParse("2026-04-20") // CBP website update of 2026-04-10
	Phase2Opened = date.MustParse("2026-06-29") // CSMS #69035485
)

// Clock lengths in days.
const (
	CAPEWindow       = 80  // liquidated entries: CAPE phase 1 within 80 days (90-day reliquidation, 19 USC 1501)
	ProtestWindow    = 180 // 19 USC 1514: 180 days from liquidation
	PSCFromEntry     = 300 // post-summary correction: within 300 days of entry
	PSCBeforeLiq     = 15  // and at least 15 days before scheduled liquidation
	NormalLiquidated = 314 // liquidation about 314 days after entry, when no date is scheduled
	DueSoon          = 30  // "due in the next 30 days"
)

// Deadline is one clock of an entry.
type Deadline struct {
	Name string    `json:"name"` // cape, protest, psc
	Date date.Date `json:"date"`
	// DaysLeft counts from the as-of date; negative once past.
	DaysLeft int    `json:"days_left"`
	Note     string `json:"note,omitempty"`
}

// Route is where an entry goes and by when.
type Route struct {
	Phase     Phase      `json:"phase"`
	Reason    string     `json:"reason"`
	Deadlines []Deadline `json:"deadlines"`
	// Next is the earliest deadline not yet past; nil when none.
	Next *Deadline `json:"next,omitempty"`
}

// DueWithin reports whether the next deadline falls in the next n days.
func (r *Route) DueWithin(n int) bool { return r.Next != nil && r.Next.DaysLeft <= n }

// RouteOf routes an entry as of a date. ieepaPaid says whether any IEEPA
// duty was paid on it (only those entries have a CAPE refund). The rules are
// CBP's (CSMS #68340863, #69035485) as collected in facts/ieepa-refunds.md:
// phase 1 takes unliquidated entries, entries liquidated within the last 80
// days and entries whose liquidation is suspended or extended; phase 2
// reconciliation-flagged types 01/02/06 with no type 09 filed; type 08, 09,
// 23 and 47 entries, drawback, open protests and pending AD/CVD are outside.
func RouteOf(e *Entry, ieepaPaid bool, asOf date.Date) Route {
	r := Route{}
	r.Phase, r.Reason = phaseOf(e, ieepaPaid, asOf)
	r.Deadlines = clocks(e, r.Phase, asOf)
	for i := range r.Deadlines {
		d := &r.Deadlines[i]
		if d.DaysLeft >= 0 && (r.Next == nil || d.Date < r.Next.Date) {
			r.Next = d
		}
	}
	return r
}

func phaseOf(e *Entry, ieepaPaid bool, asOf date.Date) (Phase, string) {
	if !ieepaPaid {
		return NoIEEPA, "no IEEPA chapter 99 duty was paid on this entry (CAPE rejects entries without an IEEPA line)"
	}
	switch e.Type {
	case "09":
		return Outside, "entry type 09 (reconciliation): excluded from CAPE"
	case "08":
		return Outside, "entry type 08 (duty deferral): excluded from CAPE"
	case "47":
		return Outside, "entry type 47: excluded from CAPE"
	case "23":
		return Outside, "entry type 23 (temporary importation under bond): excluded from CAPE"
	}
	switch {
	case e.Flags.Drawback:
		return Outside, "drawback-designated entry: excluded from CAPE"
	case e.Flags.Protest:
		return Outside, "open protest: excluded from CAPE; withdrawing the protest lets CAPE handle the entry (CSMS #68340863)"
	case e.Flags.ADCVD:
		return Outside, "AD/CVD entry with Commerce liquidation instructions pending (19 USC 1504(d)): excluded from CAPE"
	case e.Flags.Reconciliation:
		if (e.Type == "01" || e.Type == "02" || e.Type == "06") && !e.Flags.ReconFiled {
			return Phase2, "reconciliation-flagged type " + e.Type + " entry with no type 09 filed: CAPE phase 2 (CSMS #69035485)" + opens(Phase2Opened, asOf)
		}
		return Outside, "reconciliation-flagged entry " + reconWhy(e) + ": excluded from CAPE"
	}
	switch e.LiqStatus {
	case "":
		return Unrouted, "liquidation status not reported: add Liquidation Status and Liquidation Date to the ES-003 layout (they are not in ACE's default) and import it again"
	case Suspended, Extended, UnderReview:
		return Phase1, "liquidation " + e.LiqStatus + ": CAPE phase 1" + opens(Phase1Opened, asOf)
	case Liquidated, Reliquidated:
		if e.LiqDate == date.None {
			return Outside, "liquidated on a date the report does not give: add the liquidation date to route it"
		}
		age := int(asOf - e.LiqDate)
		switch {
		case age <= CAPEWindow:
			return Phase1, fmt.Sprintf("liquidated %s, %d days before %s: within CAPE's %d days, phase 1", e.LiqDate, age, asOf, CAPEWindow) + opens(Phase1Opened, asOf)
		case age <= ProtestWindow:
			return Protest, fmt.Sprintf("liquidated %s, %d days before %s: past CAPE's %d days; a protest (CBP Form 19) is open until %s", e.LiqDate, age, asOf, CAPEWindow, e.LiqDate.AddDays(ProtestWindow))
		}
		return Final, fmt.Sprintf("finally liquidated: the protest period ended %s; CAPE phase 3 or the CIT (the government's appeal, CAFC 26-1895, was pending at the last source)", e.LiqDate.AddDays(ProtestWindow))
	}
	return Phase1, "unliquidated: CAPE phase 1" + opens(Phase1Opened, asOf)
}

func reconWhy(e *Entry) string {
	if e.Flags.ReconFiled {
		return "whose type 09 has been filed"
	}
	return "of type " + e.Type
}

func opens(on, asOf date.Date) string {
	if asOf < on {
		return " (opens " + on.String() + ")"
	}
	return ""
}

func clocks(e *Entry, p Phase, asOf date.Date) []Deadline {
	var ds []Deadline
	add := func(name string, d date.Date, note string) {
		ds = append(ds, Deadline{Name: name, Date: d, DaysLeft: int(d - asOf), Note: note})
	}
	if e.Liquidated() && e.LiqDate != date.None {
		if p == Phase1 {
			add("cape", e.LiqDate.AddDays(CAPEWindow), "last day of CAPE's 80 days after liquidation")
		}
		add("protest", e.LiqDate.AddDays(ProtestWindow), "protest (19 USC 1514) within 180 days of liquidation; then finally liquidated")
		return ds
	}
	sched, note := e.LiqDate, "scheduled liquidation as reported"
	if sched == date.None || sched <= e.Date {
		sched, note = e.Date.AddDays(NormalLiquidated), fmt.Sprintf("liquidation assumed %d days after entry (no date scheduled in the report)", NormalLiquidated)
	}
	psc := min(e.Date.AddDays(PSCFromEntry), sched.AddDays(-PSCBeforeLiq))
	add("psc", psc, fmt.Sprintf("post-summary correction within %d days of entry and %d days before liquidation; %s", PSCFromEntry, PSCBeforeLiq, note))
	return ds
}
