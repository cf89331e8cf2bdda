package engine

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// Input is a query as text, the way the CLI, batch files and the HTTP API
// receive it. Field names follow the batch columns.
type Input struct {
	HTS        string `json:"hts"`
	Origin     string `json:"origin"`
	EntryDate  string `json:"entry_date"`
	ExportDate string `json:"export_date,omitempty"`
	KnownOn    string `json:"known_on,omitempty"`
	Value      string `json:"value"`
	Quantity   string `json:"quantity,omitempty"`
	Unit       string `json:"unit,omitempty"`
	Program    string `json:"program,omitempty"`
	Mode       string `json:"mode,omitempty"`
	Steel      string `json:"steel_value,omitempty"`
	Aluminum   string `json:"aluminum_value,omitempty"`
	Copper     string `json:"copper_value,omitempty"`
	USContent  string `json:"us_content_value,omitempty"`
	// Claims are declared facts, separated by ";" (e.g. "us-data-center").
	Claims    string `json:"claims,omitempty"`
	Informal  bool   `json:"informal,omitempty"`
	DeMinimis bool   `json:"de_minimis,omitempty"`
}

// CountryCheck validates and normalises a country code; the default accepts
// any two letters. levy installs the ISO 3166-1 table.
var CountryCheck = func(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return "", fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code", code)
	}
	return c, nil
}

// ProgramCheck validates a program claim for goods of a country and returns
// the symbol normalised; the default accepts any symbol. levy installs the
// general note 3(c)(i) table and the agreements' partner countries.
var ProgramCheck = func(sym, country string) (string, error) { return strings.ToUpper(sym), nil }

var modeNames = map[string]string{"ocean": "ocean", "vessel": "ocean", "sea": "ocean", "air": "air",
	"truck": "truck", "road": "truck", "rail": "rail", "": ""}

// MaxFieldBytes bounds every text field of an Input. No HTS number, date,
// amount or list of claims comes near it; a longer field is refused without
// being repeated, so that no error echoes a runaway cell back.
const MaxFieldBytes = 512

// Clip returns s cut to at most n bytes on a rune boundary, with "…" where
// it was cut: errors quote what the user gave, but never all of a runaway
// value.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkLengths refuses any field longer than MaxFieldBytes.
func (in *Input) checkLengths() error {
	for _, f := range [...]struct{ name, text string }{{"hts", in.HTS}, {"origin", in.Origin}, {"entry_date", in.EntryDate},
		{"export_date", in.ExportDate}, {"known_on", in.KnownOn}, {"value", in.Value}, {"quantity", in.Quantity},
		{"unit", in.Unit}, {"program", in.Program}, {"mode", in.Mode}, {"steel_value", in.Steel},
		{"aluminum_value", in.Aluminum}, {"copper_value", in.Copper}, {"us_content_value", in.USContent}, {"claims", in.Claims}} {
		if len(f.text) > MaxFieldBytes {
			return &Error{Code: CodeInvalid, Field: f.name, Msg: fmt.Sprintf("%d bytes long; a field holds at most %d (is the column right?)", len(f.text), MaxFieldBytes)}
		}
	}
	return nil
}

// Parse checks every field and returns the query, or an *Error naming the
// first bad field and what would be valid.
func (in Input) Parse() (Query, error) {
	if err := in.checkLengths(); err != nil {
		return Query{}, err
	}
	q := Query{HTS: strings.TrimSpace(in.HTS), ExportDate: date.None, KnownOn: date.None,
		Unit: strings.TrimSpace(in.Unit), Program: strings.TrimSpace(in.Program), Informal: in.Informal, DeMinimis: in.DeMinimis}
	if q.HTS == "" {
		return q, &Error{Code: CodeInvalid, Field: "hts", Msg: "HTS number is required"}
	}
	if strings.TrimSpace(in.Origin) == "" {
		return q, &Error{Code: CodeInvalid, Field: "origin", Msg: "country of origin is required (ISO 3166-1 alpha-2, e.g. JP)"}
	}
	c, err := CountryCheck(in.Origin)
	if err != nil {
		return q, &Error{Code: CodeNotFound, Field: "origin", Msg: err.Error(), Err: err}
	}
	q.Origin = c
	if q.Program != "" {
		p, err := ProgramCheck(q.Program, q.Origin)
		if err != nil {
			return q, &Error{Code: CodeInvalid, Field: "program", Msg: err.Error(), Err: err}
		}
		q.Program = p
	}
	var derr error
	if q.EntryDate, derr = parseDate(in.EntryDate, "entry_date", true); derr != nil {
		return q, derr
	}
	if q.ExportDate, derr = parseDate(in.ExportDate, "export_date", false); derr != nil {
		return q, derr
	}
	if q.KnownOn, derr = parseDate(in.KnownOn, "known_on", false); derr != nil {
		return q, derr
	}
	if q.ExportDate != date.None && q.ExportDate > q.EntryDate {
		return q, &Error{Code: CodeInvalid, Field: "export_date", Msg: fmt.Sprintf("export date %s is after the entry date %s", q.ExportDate, q.EntryDate)}
	}
	if q.Value, derr = parseAmount(in.Value, "value", true); derr != nil {
		return q, derr
	}
	if !q.Value.IsPos() {
		return q, &Error{Code: CodeInvalid, Field: "value", Msg: "customs value must be greater than zero"}
	}
	if MaxValue.Less(q.Value) {
		return q, errTooLarge
	}
	if strings.TrimSpace(in.Quantity) != "" {
		if q.Quantity, derr = parseAmount(in.Quantity, "quantity", false); derr != nil {
			return q, derr
		}
	}
	m, ok := modeNames[strings.ToLower(strings.TrimSpace(in.Mode))]
	if !ok {
		return q, &Error{Code: CodeInvalid, Field: "mode", Msg: fmt.Sprintf("%q is not a transport mode: use ocean, air, truck or rail", in.Mode)}
	}
	q.Mode = m
	for _, f := range []struct {
		text string
		name string
		dst  *money.Decimal
		has  *bool
	}{{in.Steel, "steel_value", &q.Steel, &q.HasSteel}, {in.Aluminum, "aluminum_value", &q.Aluminum, &q.HasAluminum},
		{in.Copper, "copper_value", &q.Copper, &q.HasCopper}, {in.USContent, "us_content_value", &q.USContent, &q.HasUSContent}} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		v, err := parseAmount(f.text, f.name, false)
		if err != nil {
			return q, err
		}
		if q.Value.Less(v) {
			return q, &Error{Code: CodeInvalid, Field: f.name, Msg: fmt.Sprintf("%s exceeds the customs value %s", v, q.Value)}
		}
		*f.dst, *f.has = v, true
	}
	for _, c := range strings.Split(in.Claims, ";") {
		if c = strings.TrimSpace(c); c != "" {
			q.Claims = append(q.Claims, c)
		}
	}
	return q, nil
}

func parseDate(s, field string, required bool) (date.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return date.None, &Error{Code: CodeInvalid, Field: field, Msg: "date is required (YYYY-MM-DD)"}
		}
		return date.None, nil
	}
	d, err := date.Parse(s)
	if err != nil {
		return date.None, &Error{Code: CodeInvalid, Field: field, Msg: err.Error(), Err: err}
	}
	return d, nil
}

func parseAmount(s, field string, required bool) (money.Decimal, error) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "$"), ",", ""))
	if s == "" {
		if required {
			return money.Zero, &Error{Code: CodeInvalid, Field: field, Msg: "amount is required"}
		}
		return money.Zero, nil
	}
	d, err := money.Parse(s)
	if err != nil || d.IsNeg() {
		return money.Zero, &Error{Code: CodeInvalid, Field: field, Msg: fmt.Sprintf("%q is not a non-negative decimal amount", s)}
	}
	return d, nil
}
