package hts

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/levy-tariff/levy/date"
)

// Change is one entry of a revision's change record: the USITC's list of
// what the revision changed, with the effective date and the source of each
// change.
type Change struct {
	// Item is the thing changed as printed: an HTS number ("0901.11.0035")
	// or a note ("U.S. note 2(v)(iii), subch III, ch 99").
	Item string `json:"item"`
	// Code is Item as bare digits when it is an HTS number, else "".
	Code string `json:"code,omitempty"`
	// Nature is what happened: "Established", "Discontinued", "Added",
	// "Modified (article description)".
	Nature string `json:"nature"`
	// Effective is the change's effective date; date.None when the record
	// prints "N/A" or a date levy does not accept (see Printed).
	Effective date.Date `json:"effective"`
	// Printed is the effective date as the record prints it.
	Printed string `json:"effective_as_printed"`
	// Source is the legal source ("484(f)", "PP 10875", "Notice").
	Source string `json:"source"`
	// Edition is the revision that made the change, as a basic edition's
	// record prints it ("2026", "Rev 15"): a basic edition's change record
	// lists the whole year's changes. "" in a revision's own record.
	Edition string `json:"edition,omitempty"`
}

var (
	crDateRE   = regexp.MustCompile(`(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s*(\d{4})|\bN/A\b`)
	crFieldsRE = regexp.MustCompile(`\s{2,}`)
	crCodeRE   = regexp.MustCompile(`^(\d{4})\.(\d{2})(?:\.(\d{2})(?:\.?(\d{2}))?)?[),;:”"]*$`)
	crDigitsRE = regexp.MustCompile(`^\s*\d{1,3}\s*$`)
)

// ParseChangeRecord reads the text of a USITC change record as
// `pdftotext -layout` prints it. published is the record's own date: an
// effective date more than 30 years before it or 3 years after it is a
// misprint ("June 30, 3025") and is kept only as printed. Lines before the
// first "Item changed" header, headers and page numbers are skipped; a
// line with no date continues the entry above it.
func ParseChangeRecord(r io.Reader, published date.Date) ([]Change, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var out []Change
	inTable := false
	entryIndent := 0
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(strings.ReplaceAll(sc.Text(), "\f", ""), " \t\r")
		if strings.Contains(line, "Item changed") && strings.Contains(strings.ToLower(line), "nature of") {
			inTable = true
			continue
		}
		if !inTable || strings.TrimSpace(line) == "" || crDigitsRE.MatchString(line) {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		loc := effectiveIndex(line)
		if loc == nil {
			if len(out) == 0 {
				continue
			}
			appendContinuation(&out[len(out)-1], line, indent, entryIndent)
			continue
		}
		c, err := parseEntry(line, loc, published)
		if err != nil {
			return out, fmt.Errorf("change record line %d: %w", n, err)
		}
		entryIndent = indent
		out = append(out, c)
	}
	return out, sc.Err()
}

// effectiveIndex locates the effective date of an entry line: the last
// date it prints (a nature of change may quote another), or else its first
// "N/A" (the source column may say N/A too).
func effectiveIndex(s string) []int {
	all := crDateRE.FindAllStringSubmatchIndex(s, -1)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i][2] >= 0 {
			return all[i]
		}
	}
	if len(all) == 0 {
		return nil
	}
	return all[0]
}

func parseEntry(line string, loc []int, published date.Date) (Change, error) {
	before := strings.TrimSpace(line[:loc[0]])
	after := strings.TrimSpace(line[loc[1]:])
	c := Change{Printed: line[loc[0]:loc[1]], Effective: date.None}
	fields := crFieldsRE.Split(before, -1)
	c.Item = fields[0]
	if len(fields) > 1 {
		c.Nature = strings.Join(fields[1:], " ")
	} else if sp := strings.IndexByte(c.Item, ' '); sp > 0 && crCodeRE.MatchString(c.Item[:sp]) {
		c.Item, c.Nature = c.Item[:sp], strings.TrimSpace(c.Item[sp:])
	}
	if after != "" {
		f := crFieldsRE.Split(after, -1)
		c.Source = f[0]
		if len(f) > 1 {
			c.Edition = f[1]
		}
	}
	c.Code = itemCode(c.Item)
	if loc[2] >= 0 {
		t, err := time.Parse("January 2, 2006", fmt.Sprintf("%s %s, %s", line[loc[2]:loc[3]], line[loc[4]:loc[5]], line[loc[6]:loc[7]]))
		if err != nil {
			return c, fmt.Errorf("effective date %q: %v", c.Printed, err)
		}
		d := date.Of(t)
		if published == date.None || published == 0 || (d >= published.AddDays(-30*366) && d <= published.AddDays(3*366)) {
			c.Effective = d
		}
	}
	return c, nil
}

// itemCode returns the bare digits of an item that is an HTS number.
func itemCode(item string) string {
	m := crCodeRE.FindStringSubmatch(item)
	if m == nil {
		return ""
	}
	return m[1] + m[2] + m[3] + m[4]
}

// appendContinuation adds a wrapped line to the entry above: text starting
// near the entry's own left edge continues its item, text further right its
// nature of change.
func appendContinuation(c *Change, line string, indent, entryIndent int) {
	fields := crFieldsRE.Split(strings.TrimSpace(line), -1)
	if indent <= entryIndent+3 {
		c.Item += " " + fields[0]
		fields = fields[1:]
	}
	if len(fields) > 0 {
		c.Nature = strings.TrimSpace(c.Nature + " " + strings.Join(fields, " "))
	}
}
