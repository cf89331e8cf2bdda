// Package measure holds the source form of levy's rule files: chapter 99
// measures, product lists, country groups, stacking rules, fees and
// scenarios, as written in YAML, with the file position of everything so
// that each problem is reported as file:line:col.
//
// It parses and checks files; it does not evaluate anything. It must not
// import engine, hts or any rendering package.
package measure

import (
	"fmt"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Pos is a position in a rule file.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// File is one rule file. Every section is optional.
type File struct {
	// Version is the format version; 1 is the only one.
	Version int `yaml:"version"`
	// Horizon is the last date for which the rules are known to be complete:
	// the date of the latest source read. Assessments after it warn.
	Horizon date.Date `yaml:"horizon"`
	// Coverage states the period the rules cover and what they leave out.
	Coverage *Coverage `yaml:"coverage"`
	// Scenario marks the file as an overlay of announced or hypothetical
	// measures: not law, applied only when asked for by name.
	Scenario *Scenario  `yaml:"scenario"`
	Groups   []Group    `yaml:"groups"`
	Lists    []List     `yaml:"lists"`
	Measures []Measure  `yaml:"measures"`
	Stacking []Stacking `yaml:"stacking"`
	// ExemptionSets are named lists of exemptions that measures share.
	ExemptionSets []ExemptionSet `yaml:"exemption_sets"`
	Fees          []Fee          `yaml:"fees"`
	// DeMinimis are the windows in which a shipment of low value could be
	// entered free of duty (19 USC 1321).
	DeMinimis []DeMinimis `yaml:"de_minimis"`

	Pos Pos `yaml:"-"`
}

// Coverage is what the measure pack claims to cover: entries from From
// to the horizon, on the sources named in HorizonBasis, except the duties
// listed in NotModelled. Assessments outside it warn.
type Coverage struct {
	// From is the first entry date for which the rules are complete.
	From date.Date `yaml:"from"`
	// HorizonBasis says what the horizon rests on: the latest sources read.
	HorizonBasis string `yaml:"horizon_basis"`
	// NotModelled are duties levy does not compute at all.
	NotModelled []Gap `yaml:"not_modelled"`
	Pos         Pos   `yaml:"-"`
}

// Gap is a duty levy does not model, and why.
type Gap struct {
	Title  string `yaml:"title"`
	Reason string `yaml:"reason"`
	Pos    Pos    `yaml:"-"`
}

// Scenario names an overlay.
type Scenario struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Sources     []string `yaml:"sources"`
	// Suspends lists enacted measures the scenario switches off.
	Suspends []string `yaml:"suspends"`
	Pos      Pos      `yaml:"-"`
}

// Authority is the legal instrument behind a measure, list or rule.
type Authority struct {
	// Instrument names it: "EO 14257", "Proclamation 10908", "19 CFR 24.23".
	Instrument string `yaml:"instrument"`
	// Citation is the Federal Register citation ("90 FR 15041").
	Citation string `yaml:"citation"`
	// CSMS is the CBP Cargo Systems Messaging Service number.
	CSMS string `yaml:"csms"`
	// Note says where in the instrument, e.g. "sec. 3(b); Annex II".
	Note string `yaml:"note"`
	URL  string `yaml:"url"`
	Pos  Pos    `yaml:"-"`
}

// Cite returns a one-line citation.
func (a Authority) Cite() string {
	s := a.Instrument
	if a.Citation != "" {
		s += ", " + a.Citation
	}
	if a.CSMS != "" {
		s += ", CSMS #" + a.CSMS
	}
	return s
}

// Group is a named set of countries, referred to as "@id".
type Group struct {
	ID      string    `yaml:"id"`
	Title   string    `yaml:"title"`
	Members []string  `yaml:"members"`
	Source  Authority `yaml:"authority"`
	Pos     Pos       `yaml:"-"`
}

// List is a named legal list of HTS provisions (an annex, a U.S. note).
type List struct {
	ID         string    `yaml:"id"`
	Title      string    `yaml:"title"`
	Authority  Authority `yaml:"authority"`
	Confidence string    `yaml:"confidence"`
	// Complete says whether the list holds every provision of the legal list;
	// levy warns when an incomplete list decides a result.
	Complete *bool  `yaml:"complete"`
	Note     string `yaml:"note"`
	// Items are HTS prefixes (4 to 10 digits, dots optional).
	Items []string `yaml:"items"`
	Pos   Pos      `yaml:"-"`
}

// Window is an entry-date window [From, To): To is the first day the
// measure no longer applies; an empty To is open-ended.
type Window struct {
	From date.Date `yaml:"from"`
	To   date.Date `yaml:"to"`
	Pos  Pos       `yaml:"-"`
}

// Contains reports whether d is in [From, To).
func (w Window) Contains(d date.Date) bool { return d >= w.From && d < w.To }

// Countries selects countries of origin: Include (codes or "@group"), or All
// except Except.
type Countries struct {
	All     bool     `yaml:"all"`
	Include []string `yaml:"include"`
	Except  []string `yaml:"except"`
	Pos     Pos      `yaml:"-"`
}

// Products selects HTS lines. A line is in scope when All is set, or one of
// Include is a prefix of its code, or it is on one of Lists, or its footnotes
// (or an ancestor's) cite one of Footnotes; and it is not excluded by Exclude
// or ExceptLists.
type Products struct {
	All         bool     `yaml:"all"`
	Include     []string `yaml:"include"`
	Lists       []string `yaml:"lists"`
	Footnotes   []string `yaml:"footnotes"`
	Exclude     []string `yaml:"exclude"`
	ExceptLists []string `yaml:"except_lists"`
	Pos         Pos      `yaml:"-"`
}

// Percent is a rate written "15%" in rule files, held as the percentage.
type Percent struct {
	Value money.Decimal
	Set   bool
}

// String prints the percentage with a % sign.
func (p Percent) String() string { return p.Value.Trim(0).String() + "%" }

// Rate is what a measure charges.
type Rate struct {
	// Additional is an ad valorem duty on top of the base rate.
	Additional Percent `yaml:"additional"`
	// FloorInclusive is a total: base + additional = FloorInclusive, and no
	// additional duty where the base (its ad valorem equivalent) is already at
	// or above it.
	FloorInclusive Percent `yaml:"floor_inclusive"`
	// AtOrAboveHeading is the heading reported, at zero, when the base rate
	// is at or above FloorInclusive.
	AtOrAboveHeading string `yaml:"at_or_above_heading"`
	// InLieu is an ad valorem rate charged in place of the base rate (column
	// 1 or column 2), whatever that rate is: the base rate is not owed.
	InLieu Percent `yaml:"in_lieu"`
	Pos    Pos     `yaml:"-"`
}

// InTransit keeps goods shipped before a measure took effect under the
// previous treatment.
type InTransit struct {
	// LoadedBefore: exported (loaded at the port of loading) before this day.
	LoadedBefore date.Date `yaml:"loaded_before"`
	// EnteredBefore: entered before this day; empty means no deadline.
	EnteredBefore date.Date `yaml:"entered_before"`
	// Modes are the final modes of transit covered (ocean, air, truck, rail);
	// empty means any.
	Modes []string `yaml:"modes"`
	// Heading is reported for goods that qualify.
	Heading string `yaml:"heading"`
	Pos     Pos    `yaml:"-"`
}

// USContent limits a measure to the non-US content of goods whose US content
// is at least MinShare of the value.
type USContent struct {
	MinShare Percent `yaml:"min_share"`
	Heading  string  `yaml:"heading"`
	Pos      Pos     `yaml:"-"`
}

// Exemption switches a measure off for some goods, reporting Heading.
type Exemption struct {
	Heading   string     `yaml:"heading"`
	Title     string     `yaml:"title"`
	Products  *Products  `yaml:"products"`
	Countries *Countries `yaml:"countries"`
	// Programs: the exemption applies when one of these special programs is
	// claimed (e.g. S+ for USMCA).
	Programs []string `yaml:"programs"`
	// Claims: the exemption applies when the line declares one of these
	// facts (an end use, a certification: "us-data-center").
	Claims []string `yaml:"claims"`
	// Effective limits the exemption to entry dates; empty means always.
	Effective *Window `yaml:"effective"`
	// KnownFrom is the first known-on date at which the exemption is applied
	// (an exemption made retroactive by a later instrument).
	KnownFrom date.Date `yaml:"known_from"`
	// Note says what is approximate or uncertain about the exemption.
	Note string `yaml:"note"`
	// Ask names a fact the line does not state (e.g. "usmca"): when the
	// exemption's other conditions hold but the fact is unknown, levy assumes
	// it does not apply and says so.
	Ask string `yaml:"ask"`
	Pos Pos    `yaml:"-"`
}

// ExemptionSet is a named list of exemptions, defined once and referred
// to by measures (exemption_sets: [id]), so that one legal list of
// exclusions is kept in one place.
type ExemptionSet struct {
	ID         string      `yaml:"id"`
	Title      string      `yaml:"title"`
	Exemptions []Exemption `yaml:"exemptions"`
	Pos        Pos         `yaml:"-"`
}

// Measure is one chapter 99 measure.
type Measure struct {
	ID         string    `yaml:"id"`
	Heading    string    `yaml:"heading"`
	Title      string    `yaml:"title"`
	Family     string    `yaml:"family"`
	Status     string    `yaml:"status"`
	Authority  Authority `yaml:"authority"`
	Confidence string    `yaml:"confidence"`
	// ConfidenceNote says which detail rests on a secondary source.
	ConfidenceNote string    `yaml:"confidence_note"`
	Countries      Countries `yaml:"countries"`
	Products       Products  `yaml:"products"`
	Effective      Window    `yaml:"effective"`
	// KnownFrom is the first known-on date at which the measure is applied as
	// law; default Effective.From.
	KnownFrom date.Date `yaml:"known_from"`
	// VoidedOn is the known-on date from which the measure is treated as void
	// from the start.
	VoidedOn date.Date `yaml:"voided_on"`
	// Programs limits the measure to lines claiming one of these special
	// programs (e.g. USMCA vehicles taxed on non-US content).
	Programs []string `yaml:"programs"`
	// Claims limits the measure to lines declaring one of these facts
	// (e.g. "us-melted-poured" for the US-metal rates).
	Claims []string `yaml:"claims"`
	// Ask names the fact behind Claims: when the line does not declare it,
	// levy assumes the measure does not apply and asks.
	Ask string `yaml:"ask"`
	// Supersedes lists measures this one replaces wherever both would apply.
	Supersedes []string `yaml:"supersedes"`
	Rate       Rate     `yaml:"rate"`
	// Warning makes the measure one levy knows applies but cannot compute
	// (its heading or rate is not yet published): it has no rate, charges
	// nothing and puts this warning on every line it covers, so that the
	// result is never a silent zero. Heading is optional for such a measure.
	Warning string `yaml:"warning"`
	// Base is what the rate applies to: value (default), steel, aluminum,
	// copper (content value), or non_us_content.
	Base       string      `yaml:"base"`
	USContent  *USContent  `yaml:"us_content"`
	InTransit  *InTransit  `yaml:"in_transit"`
	Exemptions []Exemption `yaml:"exemptions"`
	// ExemptionSets names shared exemption sets, applied after Exemptions.
	ExemptionSets []string `yaml:"exemption_sets"`
	Note          string   `yaml:"note"`
	Pos           Pos      `yaml:"-"`
	// FieldPos holds the position of each field's value, for messages.
	FieldPos map[string]Pos `yaml:"-"`
}

// At returns the position of field name, or of the measure.
func (m *Measure) At(name string) Pos {
	if p, ok := m.FieldPos[name]; ok {
		return p
	}
	return m.Pos
}

// Stacking is a dated rule: where a measure of a family in When charges
// duty, measures of the families in Displaces do not charge on the same
// value (Portion "content": only on the rest of the value; "whole": not at all).
type Stacking struct {
	ID        string    `yaml:"id"`
	Title     string    `yaml:"title"`
	Authority Authority `yaml:"authority"`
	Effective Window    `yaml:"effective"`
	When      []string  `yaml:"when"`
	Displaces []string  `yaml:"displaces"`
	Portion   string    `yaml:"portion"`
	// Report maps a displaced family to the heading reported for it.
	Report map[string]string `yaml:"report"`
	Pos    Pos               `yaml:"-"`
}

// Fee is a user fee: the merchandise processing fee (mpf) or the harbor
// maintenance fee (hmf).
type Fee struct {
	ID        string    `yaml:"id"`
	Kind      string    `yaml:"kind"`
	Title     string    `yaml:"title"`
	Authority Authority `yaml:"authority"`
	Effective Window    `yaml:"effective"`
	Rate      Percent   `yaml:"rate"`
	Min       string    `yaml:"min"`
	Max       string    `yaml:"max"`
	// Informal is the flat fee for an informal entry.
	Informal string `yaml:"informal"`
	// Modes limits the fee to transport modes (HMF: ocean).
	Modes []string `yaml:"modes"`
	// ExemptPrograms are programs whose originating goods pay no fee.
	ExemptPrograms []string `yaml:"exempt_programs"`
	Confidence     string   `yaml:"confidence"`
	Pos            Pos      `yaml:"-"`
}

// DeMinimis is an administrative exemption of low-value shipments from duty
// (19 USC 1321(a)(2)(C)): available for the countries and the entry dates
// given, up to MaxValue per shipment.
type DeMinimis struct {
	ID             string    `yaml:"id"`
	Title          string    `yaml:"title"`
	Authority      Authority `yaml:"authority"`
	Countries      Countries `yaml:"countries"`
	Effective      Window    `yaml:"effective"`
	MaxValue       string    `yaml:"max_value"`
	Confidence     string    `yaml:"confidence"`
	ConfidenceNote string    `yaml:"confidence_note"`
	Pos            Pos       `yaml:"-"`
}
