// Package refund holds levy's refund domain: what an entry paid by duty
// family, what levy says was owed as collected and as known today, line by
// line; the route of each entry (CAPE phase 1 or 2, or outside CAPE with the
// reason) and its clocks (CAPE window, protest deadline, post-summary
// correction window); overpayment interest under 19 USC 1505(c) at each
// quarter's rate; entry numbers; and the CAPE declaration file.
//
// Everything here is a pure function of entries, rules and dates: no I/O, no
// database and no clock (the as-of date is an input, as the entry date is for
// the engine). Storage is in package ledger, report readers in package ace.
// It must not import ledger, ace, cli or server.
package refund
