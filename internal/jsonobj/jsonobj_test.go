package jsonobj

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func collect(b string) (map[string]string, error) {
	out := map[string]string{}
	err := Decode([]byte(b), func(k, text string, null bool) error {
		if null {
			text = "<null>"
		}
		out[k] = text
		return nil
	})
	return out, err
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: `{"hts":"8703.23.01.30","value":40000.10,"informal":true,"unit":null}`, want: "hts=8703.23.01.30 informal=true unit=<null> value=40000.10"},
		{in: `{"value":1e3}`, want: "value=1e3"},
		{in: ` {} `, want: ""},
		{in: `{"origin":"JP","origin":"CN"}`, err: "origin: given more than once"},
		{in: `{"hts":{"code":"8703"}}`, err: "hts: must be a string, a number or a boolean"},
		{in: `{"hts":[1]}`, err: "hts: must be a string"},
		{in: `[]`, err: "not a JSON object"},
		{in: `"x"`, err: "not a JSON object"},
		{in: `{} {}`, err: "more data after the object"},
		{in: `{"a":1,}`, err: "invalid JSON"},
		{in: `{"a":`, err: "unexpected end"},
		{in: ``, err: "unexpected end"},
	} {
		got, err := collect(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		var parts []string
		for _, k := range []string{"hts", "informal", "origin", "unit", "value"} {
			if v, ok := got[k]; ok {
				parts = append(parts, k+"="+v)
			}
		}
		if s := strings.Join(parts, " "); s != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, s, tc.want)
		}
	}
}

// A duplicate among many keys is found once the short list becomes a map.
func TestDuplicateAmongMany(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		b.WriteString(`"k` + strings.Repeat("x", i) + `":1,`)
	}
	b.WriteString(`"kxxx":2}`)
	_, err := collect(b.String())
	var e *Error
	if !errors.As(err, &e) || e.Key != "kxxx" {
		t.Errorf("error %v, want the duplicate kxxx named", err)
	}
}

// FuzzDecode checks Decode against encoding/json: whatever Decode accepts
// encoding/json reads as the same object, and no duplicate slips through.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"hts":"8703","value":1.5}`, `{"a":1,"a":2}`, `{"a":{"b":1}}`, `{}`, `[`, `{"a":null,"b":true}`, `{"\u0061":1,"a":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := map[string]string{}
		err := Decode([]byte(in), func(k, text string, null bool) error {
			if _, dup := got[k]; dup {
				t.Fatalf("key %q passed twice", k)
			}
			got[k] = text
			return nil
		})
		if err != nil {
			return
		}
		var std map[string]any
		if err := json.Unmarshal([]byte(in), &std); err != nil {
			t.Fatalf("Decode accepted what encoding/json refuses: %v", err)
		}
		if len(std) != len(got) {
			t.Fatalf("%d keys, encoding/json has %d", len(got), len(std))
		}
		for k, v := range std {
			if s, ok := v.(string); ok && got[k] != s {
				t.Fatalf("%s = %q, encoding/json has %q", k, got[k], s)
			}
		}
	})
}
