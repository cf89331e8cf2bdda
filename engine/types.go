// Package engine compiles the schedule and the measure files into an
// immutable, indexed Snapshot and assesses import lines against it: the base
// rate, every chapter 99 measure in force on the entry date as the law was
// known on the known-on date, stacking and displacement, and fees.
//
// Evaluation never parses, never does I/O and never reads the clock; a
// Snapshot is safe for concurrent use. The package must not import cli,
// server or any rendering package.
package engine

import (
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Query is one import line to assess.
type Query struct {
	// HTS is the 8- or 10-digit number, dots optional.
	HTS string
	// Origin is the ISO 3166-1 alpha-2 country of origin.
	Origin string
	// EntryDate picks the measures in force.
	EntryDate date.Date
	// ExportDate is the date the goods were loaded at the port of export;
	// date.None when not claimed. It decides in-transit rules.
	ExportDate date.Date
	// KnownOn picks the version of the law; date.None means EntryDate.
	KnownOn date.Date
	// Value is the customs value in dollars.
	Value money.Decimal
	// Quantity and Unit are the quantity for specific rates.
	Quantity money.Decimal
	Unit     string
	// Program is the special program claimed (e.g. "S+", "KR"), or "".
	Program string
	// Mode is the final mode of transport: ocean, air, truck, rail or "".
	Mode string
	// Content values in dollars; Has* says whether each was declared.
	Steel, Aluminum, Copper, USContent             money.Decimal
	HasSteel, HasAluminum, HasCopper, HasUSContent bool
	// Claims are facts the line declares that exemptions may name (an end
	// use, a certification), e.g. "us-data-center".
	Claims []string
	// DeMinimis claims duty-free entry of a low-value shipment (19 USC 1321).
	DeMinimis bool
	// Informal says the entry is an informal entry (flat MPF).
	Informal bool
	// Explain asks for the trace of every measure considered.
	Explain bool
}

// LayerKind says what a layer is.
type LayerKind uint8

// Layer kinds.
const (
	BaseLayer LayerKind = iota
	MeasureLayer
	FeeLayer
)

func (k LayerKind) String() string {
	switch k {
	case BaseLayer:
		return "base"
	case MeasureLayer:
		return "measure"
	}
	return "fee"
}

// Layer is one line of the duty computation.
type Layer struct {
	Kind LayerKind `json:"kind"`
	// Heading is the chapter 99 heading, or the HTS line for the base rate.
	Heading string `json:"heading"`
	// Measure is the measure or fee id; empty for the base rate.
	Measure string `json:"measure,omitempty"`
	Family  string `json:"family,omitempty"`
	Title   string `json:"title"`
	// Rate is the rate as written ("2.5%", "+15%", "15% inclusive").
	Rate string `json:"rate"`
	// Base is the amount the rate applies to.
	Base money.Decimal `json:"base"`
	// Amount is the duty or fee, rounded half-up to the cent.
	Amount     money.Decimal `json:"amount"`
	Citation   string        `json:"citation"`
	Confidence string        `json:"confidence,omitempty"`
}

// Question is a fact the result depends on that the line did not give.
type Question struct {
	// Fact names it: "steel_value", "usmca", "us_content_value".
	Fact string `json:"fact"`
	// Assumed is the reading levy applied.
	Assumed string `json:"assumed"`
	// Otherwise says what the other answer would change.
	Otherwise string `json:"otherwise"`
	// Alternative and DutyChange, filled by WhatIf, give the other answer
	// and how the duty would change under it.
	Alternative string `json:"alternative,omitempty"`
	DutyChange  string `json:"duty_change,omitempty"`

	programs []string
	claims   []string
	content  baseKind
}

// Step is one entry of an explanation: a measure considered and what became of it.
type Step struct {
	Measure string `json:"measure"`
	Heading string `json:"heading"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// Assessment is the result for one line.
type Assessment struct {
	// Line is the dotted HTS number assessed; RateLine the line whose rates it uses.
	Line, RateLine string
	Description    string
	// Column is the base rate column used: general, special or column2.
	Column string
	Layers []Layer
	Fees   []Layer
	// Headings are the chapter 99 headings charging a non-zero duty, ascending.
	Headings []string
	// Report are every chapter 99 heading to report on the entry, including
	// zero-rate exemption headings, ascending.
	Report    []string
	Duty      money.Decimal
	FeesTotal money.Decimal
	Total     money.Decimal
	// Value is the customs value assessed.
	Value     money.Decimal
	Warnings  []string
	Questions []Question
	Steps     []Step
	EntryDate date.Date
	KnownOn   date.Date

	scratch []cand
}

// Reset empties a for reuse without freeing its slices.
func (a *Assessment) Reset() {
	*a = Assessment{Layers: a.Layers[:0], Fees: a.Fees[:0], Headings: a.Headings[:0],
		Report: a.Report[:0], Warnings: a.Warnings[:0], Questions: a.Questions[:0], Steps: a.Steps[:0], scratch: a.scratch[:0]}
}

// EffectiveRate is the duty as a percentage of the customs value, rounded
// half-up to two decimals. It is computed on demand: the division is the costliest step of
// an assessment and batch runs that do not print it need not pay for it.
func (a *Assessment) EffectiveRate() money.Decimal {
	if !a.Value.IsPos() {
		return money.Zero
	}
	r, err := a.Duty.Mul(money.Hundred)
	if err != nil {
		return money.Zero
	}
	if r, err = r.Quo(a.Value); err != nil {
		return money.Zero
	}
	return money.Cents(r)
}
