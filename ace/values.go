package ace

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
)

// parseDate reads a date as ACE writes it (MM/DD/YYYY, M/D/YYYY) or ISO
// (YYYY-MM-DD); a date after asOf is an error (a report cannot hold the
// future), unless future is allowed.
func parseDate(s string, asOf date.Date, future bool) (date.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return date.None, nil
	}
	if i := strings.IndexAny(s, " T"); i > 0 { // "03/10/2026 00:00:00"
		s = s[:i]
	}
	var d date.Date
	var err error
	if strings.Contains(s, "/") {
		var t time.Time
		t, err = time.Parse("1/2/2006", s)
		if err == nil {
			d = date.Of(t)
		}
	} else {
		d, err = date.Parse(s)
	}
	if err != nil {
		return date.None, fmt.Errorf("%q is not a date (MM/DD/YYYY or YYYY-MM-DD)", s)
	}
	if y := d.Time().Year(); y < 1990 {
		return date.None, fmt.Errorf("%q: year %d is not plausible", s, y)
	}
	if !future && asOf != date.None && d > asOf {
		return date.None, fmt.Errorf("%s is in the future (after %s)", d, asOf)
	}
	return d, nil
}

// parseAmount reads money as reports print it: "$1,234.56", "1234.5";
// blank is zero; a negative amount is an error.
func parseAmount(s string) (money.Decimal, error) {
	t := strings.TrimSpace(s)
	t = strings.ReplaceAll(strings.TrimPrefix(t, "$"), ",", "")
	if t == "" || t == "-" {
		return money.Zero, nil
	}
	d, err := money.Parse(t)
	if err != nil {
		return money.Zero, fmt.Errorf("%q is not an amount", s)
	}
	if d.IsNeg() {
		return money.Zero, fmt.Errorf("%q is negative", s)
	}
	return d, nil
}

// parseFlag reads Y/N, Yes/No, True/False, 1/0, X; blank is no.
func parseFlag(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "n", "no", "false", "0", "none":
		return false, nil
	case "y", "yes", "true", "1", "x", "open":
		return true, nil
	}
	return false, fmt.Errorf("%q is not yes or no (Y/N)", s)
}

// parseHTS reads an HTS number with or without dots or spaces: 8 or 10 digits.
func parseHTS(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ' || r == '-':
		default:
			return "", fmt.Errorf("%q is not an HTS number", s)
		}
	}
	d := b.String()
	if len(d) != 8 && len(d) != 10 {
		return "", fmt.Errorf("%q is not an HTS number (8 or 10 digits)", s)
	}
	return d, nil
}

// parseEntryType reads "01", "1" or "01 - Consumption".
func parseEntryType(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", nil
	}
	n := 0
	for n < len(t) && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n == 0 || n > 2 {
		return "", fmt.Errorf("%q is not an entry type (two digits, e.g. 01)", s)
	}
	v, _ := strconv.Atoi(t[:n])
	return fmt.Sprintf("%02d", v), nil
}
