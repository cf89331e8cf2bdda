// Package usitc reads what the US International Trade Commission publishes
// about the HTS: its release list, each revision's JSON export and change
// record, and a directory of them (an archive with a revisions.csv index),
// and compiles revisions into levy's schedule history.
//
// It does the I/O that package hts leaves out (files, HTTP, the pdftotext
// program for change records); it must not import engine, measure or
// anything that renders output.
package usitc

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/levy-tariff/levy/date"
)

// DefaultReleaseList is where the USITC lists every release of the HTS.
const DefaultReleaseList = "https://hts.usitc.gov/reststop/releaseList"

// DefaultExportBase is where the USITC publishes each revision's JSON export.
const DefaultExportBase = "https://www.usitc.gov/sites/default/files/tata/hts"

// Release is one entry of the USITC's release list.
type Release struct {
	// Name is the release name ("2026HTSRev10", "2026HTSBasic").
	Name string `json:"name"`
	// Start is the release's start date.
	Start date.Date `json:"start"`
	// Status is the list's status of the release ("current", "archived"…).
	Status string `json:"status,omitempty"`
	// Description is the list's description, when it gives one.
	Description string `json:"description,omitempty"`
}

var nameRE = regexp.MustCompile(`^(\d{4})HTS(?:Basic|Rev(\d+))$`)

// ParseName splits a release name: "2026HTSRev10" gives 2026, 10;
// "2026HTSBasic" gives 2026, 0.
func ParseName(name string) (year, rev int, ok bool) {
	m := nameRE.FindStringSubmatch(strings.TrimSpace(name))
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		rev, _ = strconv.Atoi(m[2])
	}
	return year, rev, true
}

// Title prints a release name as levy does: "HTS 2026 Revision 10",
// "HTS 2026 Basic Edition"; an unknown name is returned as it is.
func Title(name string) string {
	y, r, ok := ParseName(name)
	switch {
	case !ok:
		return name
	case r == 0:
		return fmt.Sprintf("HTS %d Basic Edition", y)
	}
	return fmt.Sprintf("HTS %d Revision %d", y, r)
}

// Newer reports whether release a comes after release b.
func Newer(a, b string) bool {
	ya, ra, oka := ParseName(a)
	yb, rb, okb := ParseName(b)
	if !oka || !okb {
		return false
	}
	return ya > yb || ya == yb && ra > rb
}

// ExportFile is the file name of a release's JSON export at the USITC.
func ExportFile(name string) (string, error) {
	y, r, ok := ParseName(name)
	if !ok {
		return "", fmt.Errorf("%q is not a USITC release name (like 2026HTSRev10 or 2026HTSBasic)", name)
	}
	if r == 0 {
		return fmt.Sprintf("hts_%d_basic_edition_json.json", y), nil
	}
	return fmt.Sprintf("hts_%d_revision_%d_json.json", y, r), nil
}

// ParseReleaseList reads the USITC's release list: a JSON array of objects
// with a name and a releaseStartDate (MM/DD/YYYY, or ISO). Entries that are
// not HTS releases are skipped; the result is oldest first.
func ParseReleaseList(r io.Reader) ([]Release, error) {
	var raw []map[string]any
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("release list: not a JSON array of releases: %w", err)
	}
	var out []Release
	for i, o := range raw {
		name, _ := o["name"].(string)
		if _, _, ok := ParseName(name); !ok {
			continue
		}
		start, _ := o["releaseStartDate"].(string)
		d, err := parseUSDate(start)
		if err != nil {
			return nil, fmt.Errorf("release list entry %d (%s): releaseStartDate: %w", i+1, name, err)
		}
		rel := Release{Name: name, Start: d}
		rel.Status, _ = o["status"].(string)
		rel.Description, _ = o["description"].(string)
		out = append(out, rel)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("release list holds no HTS release")
	}
	sort.SliceStable(out, func(i, j int) bool { return Newer(out[j].Name, out[i].Name) })
	return out, nil
}

// parseUSDate reads MM/DD/YYYY (the USITC's form) or YYYY-MM-DD.
func parseUSDate(s string) (date.Date, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("01/02/2006", s); err == nil {
		return date.Of(t), nil
	}
	if t, err := time.Parse("1/2/2006", s); err == nil {
		return date.Of(t), nil
	}
	return date.Parse(s)
}
