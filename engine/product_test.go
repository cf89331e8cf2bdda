package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

func carQuery(code string) engine.Query {
	return engine.Query{HTS: code, Origin: "JP", EntryDate: date.MustParse("2025-09-20"), KnownOn: date.None,
		ExportDate: date.None, Value: money.MustParse("40000")}
}

// A chapter 99 heading is not goods: entered as the product it would be
// assessed with its own rate as a base rate. It is refused with an error
// that says what it is, in every form it can be written, and no chapter 99
// heading is ever offered as a product.
func TestChapter99IsNotAProduct(t *testing.T) {
	snap := embedded(t)
	for _, code := range []string{"9903.94.41", "9903944100", " 9903.02.73", "9902.15.01", "9903.94.49", "99 03"} {
		q := carQuery(code)
		_, err := snap.Assess(&q)
		var e *engine.Error
		if !errors.As(err, &e) || e.Code != engine.CodeInvalid || e.Field != "hts" || !strings.Contains(e.Msg, "chapter 99 provision") {
			t.Errorf("%q: %v, want a chapter 99 refusal of the hts field", code, err)
			continue
		}
		if len(e.Suggestions) > 0 {
			t.Errorf("%q: suggestions %v", code, e.Suggestions)
		}
	}
	// The check looks at the digits, not at a prefix of the text.
	q := carQuery("8703.23.01.30")
	if _, err := snap.Assess(&q); err != nil {
		t.Errorf("8703.23.01.30: %v", err)
	}
}

// Chapter 98 provisions classify goods (returned US goods, repairs abroad)
// and stay assessable.
func TestChapter98StaysAssessable(t *testing.T) {
	snap, err := full(t).Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"9801.00.10.10", "9802.00.20.00", "9804.00.20"} {
		q := carQuery(code)
		a, err := snap.Assess(&q)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if a.Line != code {
			t.Errorf("%s assessed as %s", code, a.Line)
		}
	}
	// Not found near chapter 99: no chapter 99 suggestion.
	q := carQuery("9817.00.99")
	_, err = snap.Assess(&q)
	var e *engine.Error
	if !errors.As(err, &e) || e.Code != engine.CodeNotFound {
		t.Fatalf("9817.00.99: %v", err)
	}
	for _, s := range e.Suggestions {
		if strings.HasPrefix(s, "99") {
			t.Errorf("9817.00.99: chapter 99 suggested: %v", e.Suggestions)
		}
	}
}
