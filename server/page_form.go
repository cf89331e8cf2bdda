package server

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/program"
	"github.com/levy-tariff/levy/rate"
)

// A form of the page is read from the query string and checked field by
// field, so that every problem is reported at once (the GOV.UK error
// summary), each linked to its field. A field the query leaves out is not
// an error: a link that carries what it knows (a line's page links to
// /assess?hts=...) is answered with a question for what is missing. A
// field sent empty (a form submitted with a blank) is an error.

// formField is one field of a form as the templates render it.
type formField struct {
	Name, Label, Hint string
	// Type is the control: text, date, search, select or checkbox.
	Type         string
	Class        string
	InputMode    string
	Autocomplete string
	// Prefix and Suffix are shown beside the input ("$", "liters").
	Prefix, Suffix string
	Options        []option
	Value          string
	Checked        bool
	Error          string
	// Suggestions are values close to a wrong one, as links.
	Suggestions []suggestion
}

// ID is the id of the field's control; error links point at it.
func (f *formField) ID() string { return "f-" + f.Name }

// DescribedBy lists the ids of the field's hint and error.
func (f *formField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// InputType is the type attribute of the field's input.
func (f *formField) InputType() string {
	switch f.Type {
	case "date", "search":
		return f.Type
	}
	return "text"
}

type option struct {
	Value, Label string
	Selected     bool
}

type suggestion struct {
	Text, URL string
}

// fieldDefs are the fields the forms use, by query name.
var fieldDefs = map[string]formField{
	"q":                {Label: "Commodity code or description", Hint: "Words of the description or the first digits of the code, for example basketballs, passenger motor vehicles or 8703.23", Type: "search", Class: "w-wide", Autocomplete: "off"},
	"hts":              {Label: "Commodity code (HTS number)", Hint: "8 or 10 digits, dots optional, for example 8703.23.01.30", Class: "w-code", InputMode: "decimal", Autocomplete: "off"},
	"origin":           {Label: "Country of origin", Hint: "The country name or its two-letter code, for example Japan or JP", Class: "w-country", Autocomplete: "off"},
	"entry_date":       {Label: "Entry date", Hint: "The date the goods are entered for consumption", Type: "date", Class: "w-date"},
	"value":            {Label: "Customs value", Hint: "In US dollars, for example 40000", Class: "w-money", InputMode: "decimal", Prefix: "$"},
	"quantity":         {Label: "Quantity", Hint: "For rates charged per unit (per liter, per kg, each)", Class: "w-money", InputMode: "decimal"},
	"unit":             {Label: "Unit of the quantity", Type: "select"},
	"known_on":         {Label: "Read the law as known on", Hint: "Leave blank for the law as it stood on the entry date, which is what CBP collected", Type: "date", Class: "w-date"},
	"export_date":      {Label: "Export date", Hint: "When the goods were loaded for export; some measures spare goods already in transit", Type: "date", Class: "w-date"},
	"mode":             {Label: "Final mode of transport", Type: "select", Options: []option{{Value: "", Label: "Not given"}, {Value: "ocean", Label: "Ocean"}, {Value: "air", Label: "Air"}, {Value: "truck", Label: "Truck"}, {Value: "rail", Label: "Rail"}}},
	"program":          {Label: "Special program claimed", Hint: "The symbol of the special column, for example S+ for USMCA or KR for KORUS", Class: "w-short", Autocomplete: "off"},
	"steel_value":      {Label: "Value of the steel content", Hint: "In US dollars", Class: "w-money", InputMode: "decimal", Prefix: "$"},
	"aluminum_value":   {Label: "Value of the aluminum content", Hint: "In US dollars", Class: "w-money", InputMode: "decimal", Prefix: "$"},
	"copper_value":     {Label: "Value of the copper content", Hint: "In US dollars", Class: "w-money", InputMode: "decimal", Prefix: "$"},
	"us_content_value": {Label: "Value of the US content", Hint: "In US dollars; only once Commerce has approved the content", Class: "w-money", InputMode: "decimal", Prefix: "$"},
	"informal":         {Label: "This is an informal entry (under $2,500)", Type: "checkbox"},
	"de_minimis":       {Label: "Claim de minimis: a shipment of $800 or less, where still allowed", Type: "checkbox"},
	"scenario":         {Label: "Read under", Hint: "Enacted law, or an announced or hypothetical scenario", Type: "select"},
	"from":             {Label: "First entry date", Hint: "Leave blank for 1 January 2025", Type: "date", Class: "w-date"},
	"to":               {Label: "Last entry date", Hint: "Leave blank for the end of levy's data", Type: "date", Class: "w-date"},
}

// form is a form being read and checked.
type form struct {
	Action string
	Submit string
	// Fields are shown first; More are folded under "More about the goods",
	// open when one of them has a value or an error.
	Fields []*formField
	More   []*formField
	// Hidden fields carry what the form does not ask again.
	Hidden []hiddenField
	// Claims are facts declared through a question's link, shown as
	// checkboxes so that they can be taken back.
	Claims []claimBox
	// Errors are every problem, in the order of the fields.
	Errors []fieldError
	// Missing are the fields a link left out, asked as questions.
	Missing []fieldError

	general []fieldError // errors that belong to no field

	q       url.Values
	byName  map[string]*formField
	present map[string]bool
}

type hiddenField struct{ Name, Value string }

type claimBox struct {
	Value, Label string
}

// fieldError is an error or a question linked to the control it is about.
type fieldError struct {
	ID      string
	Message string
}

// MoreOpen says whether the folded fields are shown.
func (f *form) MoreOpen() bool {
	for _, x := range f.More {
		if x.Error != "" || (x.Value != "" && x.Type != "select") || x.Checked || (x.Type == "select" && x.Value != "") {
			return true
		}
	}
	return false
}

// newForm reads the named fields (and more, folded) from q.
func newForm(q url.Values, action, submit string, fields, more []string) *form {
	f := &form{Action: action, Submit: submit, q: q, byName: map[string]*formField{}, present: map[string]bool{}}
	mk := func(name string) *formField {
		d := fieldDefs[name]
		x := &d
		x.Name = name
		x.Options = append([]option(nil), d.Options...)
		vs, ok := q[name]
		f.present[name] = ok
		x.Value = strings.TrimSpace(strings.Join(nonEmpty(vs), ","))
		if x.Type == "checkbox" {
			x.Checked = x.Value == "true" || x.Value == "on"
		}
		f.byName[name] = x
		return x
	}
	for _, n := range fields {
		f.Fields = append(f.Fields, mk(n))
	}
	for _, n := range more {
		f.More = append(f.More, mk(n))
	}
	return f
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (f *form) field(name string) *formField { return f.byName[name] }

// value is the trimmed value of a field, "" when absent.
func (f *form) value(name string) string {
	if x := f.byName[name]; x != nil {
		return x.Value
	}
	return strings.TrimSpace(f.q.Get(name))
}

// fail records an error on a field; the first error of a field wins.
func (f *form) fail(name, msg string, sugg ...suggestion) {
	x := f.byName[name]
	if x == nil || x.Error != "" {
		return
	}
	x.Error = msg
	x.Suggestions = sugg
}

// require makes a field required: left out it is asked, sent blank it is
// an error. It reports whether the field has a value.
func (f *form) require(name, question, blank string) bool {
	if f.value(name) != "" {
		return true
	}
	if f.present[name] {
		f.fail(name, blank)
	} else if x := f.byName[name]; x != nil {
		f.Missing = append(f.Missing, fieldError{ID: x.ID(), Message: question})
	}
	return false
}

// finish orders the errors as the fields are shown.
func (f *form) finish() {
	f.Errors = nil
	for _, x := range append(append([]*formField{}, f.Fields...), f.More...) {
		if x.Error != "" {
			f.Errors = append(f.Errors, fieldError{ID: x.ID(), Message: x.Error})
		}
	}
	f.Errors = append(f.Errors, f.general...)
}

// fold moves fields from the first ones shown to the folded ones: the
// quantity is asked up front only for lines whose rate is per unit.
func (f *form) fold(names ...string) {
	var keep, moved []*formField
	for _, x := range f.Fields {
		if slices.Contains(names, x.Name) {
			moved = append(moved, x)
		} else {
			keep = append(keep, x)
		}
	}
	f.Fields, f.More = keep, append(moved, f.More...)
}

// ok says the form has neither errors nor missing fields.
func (f *form) ok() bool { return len(f.Errors) == 0 && len(f.Missing) == 0 }

// lineFields is what the checks of a form found: the line, the parsed
// values and the engine input.
type lineFields struct {
	line    *hts.Line
	rateLn  *hts.Line
	origin  string
	entry   date.Date
	known   date.Date
	value   money.Decimal
	in      engine.Input
	unitFor rate.Unit // the unit the line's rate is charged in, if per unit
}

// checkLine checks the fields of an import line that the form has, and
// returns what it could read. requireEntry and requireValue say whether
// the entry date and the value are needed (a timeline has defaults).
func (st *state) checkLine(f *form, requireEntry, requireValue bool) lineFields {
	var lf lineFields
	sched := st.lv.Schedule
	if f.require("hts", "Which commodity code (HTS number)? Search the schedule if you do not know it.", "Enter the commodity code (HTS number)") {
		lf.line = st.checkCode(f, f.value("hts"), entryOr(f))
	}
	if f.field("origin") != nil && f.require("origin", "Which country are the goods from?", "Enter the country of origin") {
		lf.origin = checkCountry(f, f.value("origin"))
	}
	if f.field("entry_date") != nil && (requireEntry && f.require("entry_date", "On what date are the goods entered?", "Enter the entry date") ||
		!requireEntry && f.value("entry_date") != "") {
		lf.entry = checkDate(f, "entry_date", "the entry date")
	}
	for _, n := range []string{"known_on", "export_date"} {
		if f.value(n) != "" {
			checkDate(f, n, map[string]string{"known_on": "the date the law is read as known on", "export_date": "the export date"}[n])
		}
	}
	if ed := f.value("export_date"); ed != "" && lf.entry != 0 && !lf.entry.IsNone() {
		if d, err := date.Parse(ed); err == nil && d > lf.entry {
			f.fail("export_date", "The export date must be on or before the entry date ("+longDate(lf.entry)+")")
		}
	}
	if f.field("value") != nil && (!requireValue && f.value("value") != "" ||
		requireValue && f.require("value", "What is the customs value, in US dollars?", "Enter the customs value in US dollars")) {
		lf.value, _ = checkAmount(f, "value", "the customs value", true)
	}
	for _, n := range []string{"steel_value", "aluminum_value", "copper_value", "us_content_value"} {
		if f.value(n) == "" || f.field(n) == nil {
			continue
		}
		label := "the " + lowerFirst(fieldDefs[n].Label)
		if v, ok := checkAmount(f, n, label, false); ok && lf.value.IsPos() && lf.value.Less(v) {
			f.fail(n, upperFirst(label)+" must not be more than the customs value ("+usd(lf.value)+")")
		}
	}
	if f.value("program") != "" && f.field("program") != nil {
		checkProgram(f, lf.origin)
	}
	if m := f.value("mode"); m != "" && f.field("mode") != nil {
		if _, ok := map[string]bool{"ocean": true, "air": true, "truck": true, "rail": true}[m]; !ok {
			f.fail("mode", "Choose the final mode of transport: ocean, air, truck or rail")
		}
	}
	if lf.line != nil {
		lf.rateLn = sched.RateLine(lf.line)
	}
	if p := f.value("program"); p != "" && lf.rateLn != nil && f.field("program").Error == "" {
		checkListed(f, lf.rateLn, p)
	}
	st.quantityField(f, &lf)
	lf.in = engine.Input{HTS: f.value("hts"), Origin: lf.origin, EntryDate: f.value("entry_date"), KnownOn: f.value("known_on"),
		ExportDate: f.value("export_date"), Value: f.value("value"), Quantity: f.value("quantity"), Unit: f.value("unit"),
		Program: f.value("program"), Mode: f.value("mode"), Steel: f.value("steel_value"), Aluminum: f.value("aluminum_value"),
		Copper: f.value("copper_value"), USContent: f.value("us_content_value"), Claims: strings.Join(f.q["claims"], ";"),
		Informal: f.field("informal") != nil && f.field("informal").Checked, DeMinimis: f.field("de_minimis") != nil && f.field("de_minimis").Checked}
	if lf.line != nil {
		lf.in.HTS = lf.line.Dotted()
	}
	return lf
}

// checkCode looks a commodity code up; a group of lines (a heading or
// subheading) is answered with its lines to choose from.
func (st *state) checkCode(f *form, code string, on date.Date) *hts.Line {
	sched := st.lv.Schedule
	l, err := st.lookupLine(code, on)
	if err != nil {
		if nf, ok := err.(*hts.NotFoundError); ok {
			f.fail("hts", hts.Dotted(nf.Code)+" is not in the schedule: check the number, or choose a line close to it", codeSuggestions(f, nf.Nearest)...)
			return nil
		}
		if ni, ok := err.(*hts.NotInForceError); ok {
			f.fail("hts", notInForceWords(ni)+": choose the line in force then", codeSuggestions(f, ni.InForce)...)
			return nil
		}
		f.fail("hts", "Enter the commodity code as 8 or 10 digits, for example 8703.23.01.30")
		return nil
	}
	if len(l.Code) < 8 {
		var lines []string
		for _, m := range sched.Search(l.Code, hts.SearchOptions{Date: on, Limit: 12}) {
			if len(m.Line.Code) >= 8 {
				lines = append(lines, m.Line.Dotted())
			}
		}
		f.fail("hts", l.Dotted()+" is a group of lines, not a tariff line: choose one of its lines", codeSuggestions(f, lines)...)
		return nil
	}
	return l
}

// entryOr is the date a form's line is looked up on: the entry date it
// gives, else the first entry date of a timeline (given or default), else
// date.None, which stands for the latest revision.
func entryOr(f *form) date.Date {
	for _, n := range []string{"entry_date", "from"} {
		if d, err := date.Parse(f.value(n)); err == nil {
			return d
		}
	}
	if n := f.field("from"); n != nil {
		return timelineFrom
	}
	return date.None
}

// codeSuggestions links each code to the same form with that code.
func codeSuggestions(f *form, codes []string) []suggestion {
	var out []suggestion
	for _, c := range codes {
		q := cloneValues(f.q)
		q.Set("hts", c)
		out = append(out, suggestion{Text: c, URL: f.Action + shortQuery(q, formOrder)})
	}
	return out
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// checkCountry accepts a two-letter code or a country's name.
func checkCountry(f *form, text string) string {
	if c, err := country.Lookup(text); err == nil {
		return c.Code
	}
	if c, ok := country.ByName(text); ok {
		return c.Code
	}
	var sugg []suggestion
	for _, code := range country.Suggest(text) {
		q := cloneValues(f.q)
		q.Set("origin", code)
		sugg = append(sugg, suggestion{Text: countryName(code) + " (" + code + ")", URL: f.Action + shortQuery(q, formOrder)})
	}
	f.fail("origin", fmt.Sprintf("“%s” is not a country levy knows: enter its name or two-letter code, for example Japan or JP", text), sugg...)
	return ""
}

func checkDate(f *form, name, what string) date.Date {
	d, err := date.Parse(f.value(name))
	if err != nil {
		f.fail(name, "Enter "+what+" as a real date, for example 2025-09-20")
		return 0
	}
	return d
}

// checkAmount reads a dollar amount as people write it: "40000",
// "40,000.00", "$40,000".
func checkAmount(f *form, name, what string, positive bool) (money.Decimal, bool) {
	text := strings.ReplaceAll(strings.TrimPrefix(f.value(name), "$"), ",", "")
	d, err := money.Parse(strings.TrimSpace(text))
	switch {
	case err != nil || d.IsNeg():
		f.fail(name, "Enter "+what+" as an amount of dollars, for example 40000 or 40,000.00")
		return money.Zero, false
	case positive && !d.IsPos():
		f.fail(name, upperFirst(what)+" must be more than $0")
		return money.Zero, false
	case engine.MaxValue.Less(d):
		f.fail(name, upperFirst(what)+" must be at most "+usd(engine.MaxValue)+": split the line")
		return money.Zero, false
	}
	return d, true
}

func checkProgram(f *form, origin string) {
	p, err := program.Lookup(f.value("program"))
	if err != nil {
		f.fail("program", fmt.Sprintf("“%s” is not a special program symbol: for example S+ for USMCA or KR for KORUS", f.value("program")))
		return
	}
	if origin == "" {
		return
	}
	if err := program.Eligible(p.Symbol, origin); err != nil {
		f.fail("program", fmt.Sprintf("%s covers goods of other countries, not goods of %s", programName(p.Symbol), countryName(origin)))
	}
}

// checkListed checks the line lists a claimed program in its special
// column; a line free under column 1 lists none, and goods are still
// claimed as originating there.
func checkListed(f *form, rl *hts.Line, sym string) {
	p, err := program.Lookup(sym)
	if err != nil || rl.GeneralRate.Kind == rate.Free {
		return
	}
	if _, ok := rl.SpecialRate.For(p.Symbol); ok {
		return
	}
	var listed []string
	for _, g := range rl.SpecialRate.Groups {
		listed = append(listed, g.Programs...)
	}
	msg := fmt.Sprintf("%s does not list %s in its special column", rl.Dotted(), programName(p.Symbol))
	if len(listed) > 0 {
		msg += ": it lists " + strings.Join(listed, ", ")
	}
	f.fail("program", msg)
}

// quantityField sets the quantity and unit fields from the line: the unit
// choices are the units the line reports in and the unit its rate is
// charged in; when the rate is charged per unit, the quantity is asked for
// (or is an error when sent blank).
func (st *state) quantityField(f *form, lf *lineFields) {
	qf, uf := f.field("quantity"), f.field("unit")
	if qf == nil || uf == nil {
		return
	}
	if lf.rateLn != nil {
		lf.unitFor = perUnit(lf.rateLn)
	}
	var units []string
	if lf.line != nil {
		units = append(units, lf.line.Units...)
	}
	if lf.unitFor != "" && !containsUnit(units, lf.unitFor) {
		units = append(units, string(lf.unitFor))
	}
	if len(units) == 0 {
		units = []string{"kg", "liters", "No.", "doz.", "pr.", "m2", "m3"}
	}
	chosen := f.value("unit")
	if chosen == "" {
		chosen = defaultUnit(units, lf.unitFor)
	}
	uf.Options = nil
	for _, u := range units {
		uf.Options = append(uf.Options, option{Value: u, Label: unitWords(u), Selected: u == chosen})
	}
	if !slices.Contains(units, chosen) {
		uf.Options = append(uf.Options, option{Value: chosen, Label: chosen, Selected: true})
	}
	uf.Value = chosen
	if _, ok := rate.NormUnit(chosen); !ok {
		f.fail("unit", "Choose the unit of the quantity")
	}
	if lf.unitFor == "" {
		f.fold("quantity", "unit")
	} else {
		qf.Suffix = unitWords(chosen)
		qf.Hint = fmt.Sprintf("The rate of %s is %s, charged per %s", lf.rateLn.Dotted(), lf.rateLn.General, unitOne(string(lf.unitFor)))
		if len(uf.Options) == 1 && uf.Error == "" {
			uf.Type = "hidden" // the one unit the line reports in, shown beside the quantity
		}
	}
	if v := f.value("quantity"); v != "" {
		if d, err := money.Parse(strings.ReplaceAll(v, ",", "")); err != nil || d.IsNeg() {
			f.fail("quantity", "Enter the quantity as a number, for example 1200")
		}
	} else if lf.unitFor != "" && lf.generalPerUnit() {
		f.require("quantity", fmt.Sprintf("How many %s? The rate %s is charged per %s.", unitWords(chosen), lf.rateLn.General, unitOne(string(lf.unitFor))),
			fmt.Sprintf("Enter the quantity in %s: the rate of %s is %s", unitWords(chosen), lf.rateLn.Dotted(), lf.rateLn.General))
	}
}

// generalPerUnit says the column 1 general rate itself needs a quantity
// (a special rate may not, so a missing quantity is then left to the
// engine to report when the rate used needs it).
func (lf *lineFields) generalPerUnit() bool {
	return lf.rateLn != nil && exprUnit(lf.rateLn.GeneralRate) != ""
}

// perUnit is the unit a line's rates are charged in, if any is per unit.
func perUnit(l *hts.Line) rate.Unit {
	if u := exprUnit(l.GeneralRate); u != "" {
		return u
	}
	for _, g := range l.SpecialRate.Groups {
		if u := exprUnit(g.Rate); u != "" {
			return u
		}
	}
	return exprUnit(l.OtherRate)
}

func exprUnit(e rate.Expr) rate.Unit {
	for _, t := range e.Terms {
		if t.Unit != "" {
			return t.Unit
		}
	}
	return ""
}

func containsUnit(units []string, u rate.Unit) bool {
	for _, x := range units {
		if n, ok := rate.NormUnit(x); ok && n == u {
			return true
		}
	}
	return false
}

// defaultUnit is the first unit the line reports in that converts to the
// rate's unit, else the line's first unit.
func defaultUnit(units []string, to rate.Unit) string {
	if to != "" {
		for _, u := range units {
			if n, ok := rate.NormUnit(u); ok {
				if _, err := rate.Convert(money.One, n, to); err == nil {
					return u
				}
			}
		}
	}
	return units[0]
}

// unitNames spell the units of rates for people: how many, and one of
// them ("per liter").
var unitNames = map[rate.Unit][2]string{
	rate.Each: {"items", "item"}, rate.Pair: {"pairs", "pair"}, rate.Dozen: {"dozens", "dozen"},
	rate.DozenPair: {"dozen pairs", "dozen pairs"}, rate.Kilogram: {"kg", "kg"}, rate.Liter: {"liters", "liter"},
	rate.ProofLit: {"proof liters", "proof liter"}, rate.Tonne: {"metric tons", "metric ton"},
	rate.SqMeter: {"m²", "m²"}, rate.CubicMeter: {"m³", "m³"},
}

// unitWords spells a unit for people: "No." is "items".
func unitWords(u string) string { return unitName(u, 0) }

// unitOne names one of a unit, as in "per liter".
func unitOne(u string) string { return unitName(u, 1) }

func unitName(u string, i int) string {
	if n, ok := rate.NormUnit(u); ok {
		if names, ok := unitNames[n]; ok {
			return names[i]
		}
	}
	return u
}

// formOrder is the order of the fields in a short link.
var formOrder = []string{"q", "hts", "origin", "entry_date", "value", "quantity", "unit", "from", "to", "known_on", "export_date",
	"mode", "program", "steel_value", "aluminum_value", "copper_value", "us_content_value", "claims", "informal", "de_minimis", "scenario"}

// engineErrorField words an engine error that the form's own checks could
// not see (a program the line does not list, a rate levy cannot compute)
// and puts it on its field.
func engineErrorField(f *form, err error) {
	e := apiError(err)
	name := e.Field
	if f.field(name) == nil {
		name = ""
	}
	msg := upperFirst(e.Message)
	if name == "quantity" {
		if u := f.field("unit"); u != nil {
			msg = "Enter the quantity in " + unitWords(u.Value) + ": " + lowerFirst(e.Message)
		}
	}
	if name == "" {
		f.general = append(f.general, fieldError{Message: msg})
	} else {
		f.fail(name, msg)
	}
	f.finish()
}
