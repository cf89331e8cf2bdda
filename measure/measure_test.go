package measure

import (
	"errors"
	"strings"
	"testing"
)

const good = `version: 1
groups:
  - {id: eu, title: EU, members: [FR, DE], authority: {instrument: "TEU"}}
lists:
  - {id: cars, title: Cars, authority: {instrument: "Proc. 10908"}, items: ["8703.23"]}
measures:
  - id: a
    heading: 9903.94.01
    family: s232-autos
    authority: {instrument: "Proclamation 10908", citation: "90 FR 14705"}
    countries: {all: true, except: ["@eu"]}
    products: {lists: [cars]}
    effective: {from: 2025-04-03}
    rate: {additional: 25%}
stacking:
  - {id: s, authority: {instrument: "EO 14289"}, effective: {from: 2025-03-04}, when: [s232-autos], displaces: [s232-autos-b]}
  - {id: t, authority: {instrument: "EO 14289"}, effective: {from: 2025-03-04}, when: [s232-autos], displaces: [s232-autos]}
`

func TestParseGood(t *testing.T) {
	f, err := Parse("good.yaml", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Measures[0]
	if m.Heading != "9903.94.01" || m.Rate.Additional.String() != "25%" || m.Effective.From.String() != "2025-04-03" {
		t.Errorf("decoded %+v", m)
	}
	if p := m.At("rate"); p.Line != 14 {
		t.Errorf("rate at %v, want line 14", p)
	}
	_, err = Check([]*File{f}, Checker{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 || !strings.Contains(es[0].Msg, `family "s232-autos-b", which no measure has`) {
		t.Errorf("Check = %v, want one error about the unknown family", err)
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown field", "version: 1\nmeasures:\n  - id: a\n    hedding: x\n", []string{"x.yaml:4:5: unknown field \"hedding\""}},
		{"bad percent", "version: 1\nmeasures:\n  - rate: {additional: 25}\n", []string{"x.yaml:3:24: want a percentage such as 15%, found \"25\""}},
		{"bad date", "version: 1\nmeasures:\n  - effective: {from: 2025-02-30}\n", []string{"x.yaml:3:23:", "not a date"}},
		{"list for mapping", "version: 1\nmeasures: {a: 1}\n", []string{"x.yaml:2:11: want a list"}},
		{"syntax", "version: 1\nmeasures:\n  - id: [\n", []string{"x.yaml:"}},
		{"two errors at once", "version: 1\nfoo: 1\nbar: 2\n", []string{"x.yaml:2:1: unknown field \"foo\"", "x.yaml:3:1: unknown field \"bar\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", strings.NewReader(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(good)
	f.Add("version: 1\nmeasures:\n  - id: a\n")
	f.Add("{")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse("f.yaml", strings.NewReader(src))
		if err != nil {
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error of type %T, want Errors", err)
			}
			for _, e := range es {
				if !strings.HasPrefix(e.Error(), "f.yaml") {
					t.Fatalf("error without position: %q", e)
				}
			}
			return
		}
		// A file that parses checks without panicking.
		Check([]*File{file}, Checker{})
	})
}

func TestExemptionSets(t *testing.T) {
	src := `version: 1
exemption_sets:
  - id: shared
    exemptions:
      - {heading: 9903.01.32, countries: {include: [JP]}}
measures:
  - id: a
    heading: 9903.01.25
    family: f
    authority: {instrument: "EO 14257"}
    countries: {all: true}
    products: {all: true}
    effective: {from: 2025-04-05}
    rate: {additional: 10%}
    exemptions: [{heading: 9903.01.29, countries: {include: [RU]}}]
    exemption_sets: [shared, missing]
`
	f, err := Parse("x.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Check([]*File{f}, Checker{})
	if err == nil || !strings.Contains(err.Error(), `x.yaml:16:21: measure a names unknown exemption set "missing"`) {
		t.Errorf("error %v", err)
	}
	m := set.ByID["a"]
	if len(m.Exemptions) != 2 || m.Exemptions[1].Heading != "9903.01.32" {
		t.Errorf("exemptions %+v", m.Exemptions)
	}
}
