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
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg"`, `role="img"`, "Duty &amp; rate", "as known &lt;today&gt;", "<polyline", "20%", "</svg>"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if err := StepChartSVG(&b, "empty", nil); err == nil {
		t.Error("an empty chart drew without error")
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
