package engine_test

import (
	"strings"
	"testing"
)

// An overlap of two measures of one heading names both, each with its
// position.
func TestOverlapErrorNamesBothMeasures(t *testing.T) {
	_, err := compileRulesErr(t, `version: 1
measures:
  - {id: a, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 30%}}
  - {id: b, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 20%}}
`)
	for _, want := range []string{"t.yaml:3:5: measures a and b (t.yaml:4:5", "overlap from 2025-04-05"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// Two measures of one heading that start on different days overlap from
// the later one: both would charge under the same heading.
func TestOverlapFromDifferentStarts(t *testing.T) {
	_, err := compileRulesErr(t, `version: 1
measures:
  - {id: a, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-04-05}, rate: {additional: 30%}}
  - {id: b, heading: 9903.01.01, family: f, authority: {instrument: X}, countries: {include: [JP]}, products: {all: true}, effective: {from: 2025-05-01}, rate: {additional: 20%}}
`)
	if err == nil || !strings.Contains(err.Error(), "overlap from 2025-05-01") {
		t.Errorf("error %v, want an overlap from 2025-05-01", err)
	}
}
