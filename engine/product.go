package engine

import (
	"fmt"
	"strings"

	"github.com/levy-tariff/levy/hts"
)

// Chapter 99 of the HTS holds no goods: its headings (temporary
// legislation, temporary reductions such as 9902, the additional duties of
// 9903, quotas) are reported beside the goods' own number from chapters
// 1–98 and apply to goods classified there. Read as a product, 9903.94.41
// would be assessed with its 15% as a base rate, a silent wrong answer. So
// a chapter 99 number is refused as a product, and never suggested as one.
// Chapter 98 provisions (goods returned, repairs abroad, personal
// exemptions) classify goods and stay assessable.

// isChapter99 reports whether code, as the user wrote it (dots and spaces
// allowed), is a number of chapter 99. It does not allocate.
func isChapter99(code string) bool {
	var first [2]byte
	n := 0
	for i := 0; i < len(code) && n < 2; i++ {
		switch c := code[i]; {
		case c >= '0' && c <= '9':
			first[n] = c
			n++
		case c == '.' || c == ' ' || c == '\t':
		default:
			return false
		}
	}
	return n == 2 && first == [2]byte{'9', '9'}
}

// checkProduct refuses a chapter 99 number given as the goods' number.
func checkProduct(code string) error {
	if !isChapter99(code) {
		return nil
	}
	shown := hts.Dotted(strings.TrimSpace(code))
	if norm, err := hts.Normalize(code); err == nil {
		shown = hts.Dotted(norm)
	}
	return &Error{Code: CodeInvalid, Field: "hts", Msg: fmt.Sprintf("%s is a chapter 99 provision (an additional duty, "+
		"a temporary reduction or a quota, reported beside the goods' own number), not a product: give the HTS number "+
		"of the goods from chapters 1–98, and levy finds the chapter 99 headings that apply to them", Clip(shown, 32))}
}

// notFound is the error for a well-formed number the schedule does not
// hold, with the nearest products; chapter 99 headings are never offered,
// since none of them can be assessed as goods.
func notFound(nf *hts.NotFoundError) *Error {
	near := make([]string, 0, len(nf.Nearest))
	for _, c := range nf.Nearest {
		if !isChapter99(c) {
			near = append(near, c)
		}
	}
	kept := &hts.NotFoundError{Code: nf.Code, Nearest: near}
	return &Error{Code: CodeNotFound, Field: "hts", Msg: kept.Error(), Suggestions: near, Err: nf}
}
