package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func TestStepChartSVG(t *testing.T) {
	s := []Series{{Name: "as collected", Steps: []Step{
		{From: day("2025-01-01"), To: day("2025-04-05"), Value: 4.8},
		{From: day("2025-04-05"), To: day("2025-08-07"), Value: 14.8},
	}}, {Name: "as known <today>", Steps: []Step{{From: day("2025-01-01"), To: day("2025-08-07"), Value: 4.8}}}}
	var b bytes.Buffer
	if err := StepChartSVG(&b, "Duty & rate", s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg"`, `role="img"`, "Duty &amp; rate", "as known &lt;today&gt;", "<polyline", ">15%<", ">0%<", "</svg>"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if err := StepChartSVG(&b, "empty", nil); err == nil {
		t.Error("an empty chart drew without error")
	}
}

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct{ v, top, step float64 }{
		{0, 10, 2.5}, {1.62, 2, 0.5}, {14.8, 15, 5}, {22.07, 25, 5}, {24.17, 25, 5}, {51, 60, 20}, {100, 100, 20}, {137, 150, 50},
	} {
		if top, step := niceScale(tt.v); top != tt.top || step != tt.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tt.v, top, step, tt.top, tt.step)
		}
	}
}

func TestTextBars(t *testing.T) {
	var b bytes.Buffer
	TextBars(&b, Series{Steps: []Step{{From: day("2025-01-01"), Value: 5}, {From: day("2025-04-05"), Value: 10}}}, 10)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || strings.Count(lines[0], "█") != 5 || strings.Count(lines[1], "█") != 10 {
		t.Errorf("bars:\n%s", b.String())
	}
}
