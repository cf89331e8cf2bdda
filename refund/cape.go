package refund

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// CAPE declaration file rules (CSMS #68340863; CBP QRG 5537-0426, topic 1,
// step 4, as described in facts/ieepa-refunds.md §1).
const (
	CAPEHeader     = "Entry Number"
	CAPEMaxEntries = 9999
	CAPEMaxBytes   = 1 << 20 // "under 1 MB"
)

// Candidate is an entry that may go on a declaration.
type Candidate struct {
	Entry    string
	Importer string
}

// Declaration is one CAPE file to upload: one importer, at most 9,999 entry
// numbers, no duplicates.
type Declaration struct {
	Importer string
	Entries  []string
}

// Bytes writes the file exactly as CBP's template asks: the one header
// "Entry Number", then one 11-character entry number per row, CRLF line
// ends (the template is a spreadsheet CSV), nothing else.
func (d *Declaration) Bytes() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{CAPEHeader})
	for _, e := range d.Entries {
		w.Write([]string{e})
	}
	w.Flush()
	return b.Bytes()
}

// Declarations groups candidates into declaration files: one importer per
// file, at most 9,999 entries each, each entry once, in the order given.
// An invalid entry number is an error naming it.
func Declarations(cs []Candidate) ([]Declaration, error) {
	var out []Declaration
	open := map[string]int{} // importer -> index of its last declaration
	seen := map[string]bool{}
	for _, c := range cs {
		n, err := ParseEntryNumber(c.Entry)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(c.Importer) == "" {
			return nil, fmt.Errorf("entry %s has no importer of record: CAPE files are per importer", n)
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		i, ok := open[c.Importer]
		if !ok || len(out[i].Entries) == CAPEMaxEntries {
			out = append(out, Declaration{Importer: c.Importer})
			i = len(out) - 1
			open[c.Importer] = i
		}
		out[i].Entries = append(out[i].Entries, n)
	}
	return out, nil
}

// CheckCAPEFile checks a declaration file against every rule of the
// template: CSV, one column, the header "Entry Number" spelt as in the
// template, 1 to 9,999 rows of 11-character entry numbers (3 alphanumeric,
// 7 digits, 1 digit), no duplicates, under 1 MB. accepted, when given, says
// which entries are already on an accepted declaration. It returns every
// problem found, each with its line.
func CheckCAPEFile(b []byte, accepted func(string) bool) []error {
	var errs []error
	if len(b) >= CAPEMaxBytes {
		errs = append(errs, fmt.Errorf("file is %d bytes: CAPE takes files under 1 MB", len(b)))
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	seen := map[string]int{}
	rows := 0
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(errs, fmt.Errorf("not a CSV file: %v", err))
		}
		if len(rec) != 1 {
			errs = append(errs, fmt.Errorf("line %d: %d columns; the template has one", line, len(rec)))
			continue
		}
		if line == 1 {
			if rec[0] != CAPEHeader {
				errs = append(errs, fmt.Errorf("line 1: header %q; the template's header is %q", rec[0], CAPEHeader))
			}
			continue
		}
		rows++
		v := rec[0]
		n, err := ParseEntryNumber(v)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("line %d: %v", line, err))
			continue
		case n != v:
			errs = append(errs, fmt.Errorf("line %d: %q must be written as the 11 characters %s", line, v, n))
		}
		if first, dup := seen[n]; dup {
			errs = append(errs, fmt.Errorf("line %d: entry %s is already on line %d", line, n, first))
		}
		seen[n] = line
		if accepted != nil && accepted(n) {
			errs = append(errs, fmt.Errorf("line %d: entry %s is already on an accepted declaration", line, n))
		}
	}
	if rows == 0 {
		errs = append(errs, fmt.Errorf("no entry numbers"))
	}
	if rows > CAPEMaxEntries {
		errs = append(errs, fmt.Errorf("%d entry numbers: a declaration takes at most %d", rows, CAPEMaxEntries))
	}
	return errs
}

// Eligible reports whether an entry goes on a new CAPE declaration: routed
// to phase 1 or 2, IEEPA duty paid, no refund received, and not on an
// accepted or prepared declaration (CAPE rejects an entry already on an
// accepted one).
func Eligible(r *Result) bool {
	if r.Route.Phase != Phase1 && r.Route.Phase != Phase2 {
		return false
	}
	if !r.Refundable.IsPos() || len(r.Entry.Refunds) > 0 {
		return false
	}
	_, on := r.Entry.OnDeclaration()
	return !on
}
