package refund

import (
	"fmt"
	"strings"
)

// EntryNumberError says why a text is not a valid entry number.
type EntryNumberError struct {
	Text   string
	Reason string
}

func (e *EntryNumberError) Error() string {
	return fmt.Sprintf("entry number %q: %s", e.Text, e.Reason)
}

// ParseEntryNumber checks an entry number and returns it in the 11-character
// form CAPE wants: three alphanumeric filer-code characters, the 7-digit
// transaction number and the check digit (CBP Form 7501 instructions, block
// 1; CATAIR Appendix E "Valid Entry Numbers", format XXX-NNNNNNN-C). Dashes
// and spaces are removed first, as CAPE does, and letters are upper-cased.
//
// The check digit is checked to be a digit but is not recomputed: the
// calculation part of Appendix E could not be read from a primary copy, so
// levy does not guess CBP's algorithm (docs/REFUNDS.md).
func ParseEntryNumber(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '-' || r == ' ':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	n := b.String()
	if n == "" {
		return "", &EntryNumberError{s, "empty"}
	}
	if len(n) != 11 {
		return "", &EntryNumberError{s, fmt.Sprintf("has %d characters without dashes; an entry number has 11 (3-character filer code, 7-digit number, check digit)", len(n))}
	}
	for i := 0; i < 3; i++ {
		if c := n[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", &EntryNumberError{s, fmt.Sprintf("filer code %q must be 3 letters or digits", n[:3])}
		}
	}
	for i := 3; i < 10; i++ {
		if c := n[i]; c < '0' || c > '9' {
			return "", &EntryNumberError{s, fmt.Sprintf("transaction number %q must be 7 digits", n[3:10])}
		}
	}
	if c := n[10]; c < '0' || c > '9' {
		return "", &EntryNumberError{s, fmt.Sprintf("check digit %q must be a digit", n[10:])}
	}
	return n, nil
}

// FilerCode returns the first three characters of a parsed entry number.
func FilerCode(entry string) string {
	if len(entry) < 3 {
		return entry
	}
	return entry[:3]
}

// FormatEntryNumber prints a parsed entry number with dashes, as on the 7501.
func FormatEntryNumber(n string) string {
	if len(n) != 11 {
		return n
	}
	return n[:3] + "-" + n[3:10] + "-" + n[10:]
}
