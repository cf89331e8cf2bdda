// Package ace reads the reports importers have: the ACE ES-003 entry
// summary line report (one row per HTS number per line, chapter 99
// included), levy's own batch CSV (a line list, whose duty levy estimates),
// and the refund reports ES-022 (CAPE refunds: principal and interest) and
// REV-603 (refund status after Treasury). Headers are matched case-,
// space- and punctuation-insensitively with the usual variants; --map
// names any other layout. Every bad value is an error with its line and
// column.
//
// It parses and checks; it stores nothing (package ledger does) and must
// not import cli or server.
package ace

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is a report layout.
type Kind string

// Report kinds.
const (
	ES003  Kind = "es003"
	Batch  Kind = "batch"
	ES022  Kind = "es022"
	REV603 Kind = "rev603"
)

// Kinds lists the layouts read.
var Kinds = []Kind{ES003, Batch, ES022, REV603}

// Field is a canonical column name.
type Field string

// Canonical fields, as --map names them.
const (
	FEntry       Field = "entry_number"
	FType        Field = "entry_type"
	FDate        Field = "entry_date"
	FImporter    Field = "importer"
	FLine        Field = "line_number"
	FHTS         Field = "hts"
	FOrigin      Field = "origin"
	FValue       Field = "value"
	FDuty        Field = "duty"
	FQuantity    Field = "quantity"
	FUnit        Field = "unit"
	FLiqStatus   Field = "liquidation_status"
	FLiqDate     Field = "liquidation_date"
	FPort        Field = "port"
	FDeposit     Field = "deposit_date"
	FRecon       Field = "reconciliation"
	FReconFiled  Field = "reconciliation_filed"
	FDrawback    Field = "drawback"
	FProtest     Field = "protest"
	FADCVD       Field = "adcvd"
	FDeclaration Field = "declaration"
	FRefund      Field = "refund_number"
	FPrincipal   Field = "principal"
	FInterest    Field = "interest"
	FStatus      Field = "status"
	FStatusDate  Field = "status_date"
	FProgram     Field = "program"
	FExportDate  Field = "export_date"
	FMode        Field = "mode"
	FID          Field = "id"
)

// aliases are the header spellings accepted for each field, normalised
// (lower case, letters and digits only), most specific first.
var aliases = map[Field][]string{
	FEntry:       {"entrynumber", "entryno", "entrynum", "entrysummarynumber", "entry", "entryid"},
	FType:        {"entrytype", "entrytypecode", "entrysummarytype", "type"},
	FDate:        {"entrydate", "dateofentry", "entrysummarydate"},
	FImporter:    {"importernumber", "importerofrecordnumber", "importerofrecord", "iornumber", "ior", "importerid", "importer"},
	FLine:        {"linenumber", "lineno", "entrysummarylinenumber", "entrysummaryline", "line"},
	FHTS:         {"htsnumber", "htsusnumber", "htsno", "htscode", "htsusno", "tariffnumber", "tariffno", "hts", "tariff"},
	FOrigin:      {"countryoforigin", "countryoforigincode", "origincountry", "origin", "coo", "country"},
	FValue:       {"lineenteredvalue", "enteredvalue", "linevalue", "lineitemvalue", "value"},
	FDuty:        {"dutyamount", "linedutyamount", "lineduty", "linetariffdutyamount", "tariffdutyamount", "htsdutyamount", "dutypaid", "duty"},
	FQuantity:    {"quantity", "linequantity", "htsquantity", "quantity1"},
	FUnit:        {"unit", "unitofmeasure", "uom", "htsunit"},
	FLiqStatus:   {"liquidationstatus", "liquidationstatuscode", "liqstatus"},
	FLiqDate:     {"liquidationdate", "liqdate"},
	FPort:        {"portcode", "portofentry", "entryport", "port"},
	FDeposit:     {"depositdate", "paymentdate", "statementpaiddate", "statementpaymentdate", "paiddate"},
	FRecon:       {"reconciliationflag", "reconflag", "reconciliationindicator", "reconindicator", "reconciliation"},
	FReconFiled:  {"reconciliationfiled", "reconfiled", "type09filed"},
	FDrawback:    {"drawbackflag", "drawbackindicator", "drawback"},
	FProtest:     {"protestflag", "openprotest", "protest"},
	FADCVD:       {"adcvdflag", "adcvdpending", "adcvdindicator", "adcvd"},
	FDeclaration: {"capedeclarationnumber", "declarationnumber", "declarationno", "declarationid", "declaration"},
	FRefund:      {"refundnumber", "refundno", "refundid"},
	FPrincipal:   {"refundprincipalamount", "principalamount", "refundprincipal", "principal"},
	FInterest:    {"refundinterestamount", "interestamount", "refundinterest", "interest"},
	FStatus:      {"refundsecondarystatus", "secondarystatus", "refundstatus", "status"},
	FStatusDate:  {"refundsecondarystatusdate", "secondarystatusdate", "statusdate", "refunddate"},
	FProgram:     {"program", "spi", "specialprogramindicator"},
	FExportDate:  {"exportdate", "dateofexport"},
	FMode:        {"mode", "modeoftransport"},
	FID:          {"id", "sku"},
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimPrefix(s, "\ufeff")) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Header is a file's header resolved to fields.
type Header struct {
	Names []string // as in the file
	col   map[Field]int
}

// Col returns the column of f, or -1.
func (h *Header) Col(f Field) int {
	if i, ok := h.col[f]; ok {
		return i
	}
	return -1
}

// Has reports whether the file has f.
func (h *Header) Has(f Field) bool { return h.Col(f) >= 0 }

// ParseMap reads --map values: field=Header Name, several separated by
// commas or given one per flag.
func ParseMap(specs []string) (map[Field]string, error) {
	m := map[Field]string{}
	for _, spec := range specs {
		for _, kv := range strings.Split(spec, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			if !ok || strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("--map %q: write field=Header Name, e.g. entry_number=Entry Summary Number", kv)
			}
			f := Field(strings.TrimSpace(k))
			if _, known := aliases[f]; !known {
				return nil, fmt.Errorf("--map: %q is not a field; fields: %s", k, strings.Join(fieldNames(), ", "))
			}
			m[f] = strings.TrimSpace(v)
		}
	}
	return m, nil
}

func fieldNames() []string {
	var out []string
	for f := range aliases {
		out = append(out, string(f))
	}
	sort.Strings(out)
	return out
}

// resolve maps header names to fields: first --map, then aliases, each
// column to one field.
func resolve(names []string, mapped map[Field]string) (*Header, error) {
	h := &Header{Names: names, col: map[Field]int{}}
	idx := map[string]int{}
	for i, n := range names {
		k := norm(n)
		if _, dup := idx[k]; dup && k != "" {
			return nil, fmt.Errorf("line 1: column %q appears twice", n)
		}
		idx[k] = i
	}
	used := map[int]bool{}
	for f, name := range mapped {
		i, ok := idx[norm(name)]
		if !ok {
			return nil, fmt.Errorf("--map %s=%s: no such column; the header has: %s", f, name, strings.Join(names, ", "))
		}
		h.col[f], used[i] = i, true
	}
	// Most specific aliases first across all fields, so that "Entry Date"
	// is not taken for the entry number.
	type cand struct {
		f     Field
		alias string
		rank  int
	}
	var cs []cand
	for f, as := range aliases {
		for r, a := range as {
			cs = append(cs, cand{f, a, r})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].rank != cs[j].rank {
			return cs[i].rank < cs[j].rank
		}
		return cs[i].f < cs[j].f
	})
	for _, c := range cs {
		if _, done := h.col[c.f]; done {
			continue
		}
		if i, ok := idx[c.alias]; ok && !used[i] {
			h.col[c.f], used[i] = i, true
		}
	}
	return h, nil
}

// Detect says which report a header is.
func Detect(h *Header) (Kind, error) {
	switch {
	case h.Has(FRefund) && h.Has(FPrincipal):
		return ES022, nil
	case h.Has(FRefund) && h.Has(FStatus):
		return REV603, nil
	case h.Has(FHTS) && h.Has(FDuty):
		return ES003, nil
	case h.Has(FHTS) && h.Has(FValue) && h.Has(FOrigin):
		return Batch, nil
	case h.Has(FEntry) || h.Has(FHTS):
		return ES003, nil // and its missing columns are named
	}
	return "", fmt.Errorf("line 1: not a report levy reads (ES-003 entry summary lines, levy batch CSV, ES-022, REV-603); the header has: %s", strings.Join(h.Names, ", "))
}

// require checks that every field in fs has a column.
func (h *Header) require(kind Kind, fs ...Field) error {
	var missing []string
	for _, f := range fs {
		if !h.Has(f) {
			missing = append(missing, fmt.Sprintf("%s (e.g. %q)", f, display[f]))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("line 1: %s report is missing column(s) %s; the header has: %s (use --map field=Header for another layout)",
			kind, strings.Join(missing, ", "), strings.Join(h.Names, ", "))
	}
	return nil
}

var display = map[Field]string{FEntry: "Entry Number", FDate: "Entry Date", FImporter: "Importer Number", FLine: "Line Number",
	FHTS: "HTS Number", FOrigin: "Country of Origin", FValue: "Line Entered Value", FDuty: "Duty Amount", FRefund: "Refund Number",
	FPrincipal: "Principal", FInterest: "Interest", FStatus: "Refund Secondary Status"}
