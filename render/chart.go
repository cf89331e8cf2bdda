// Package render draws levy's results for people: step charts of rate
// timelines as SVG and as text for terminals. It takes plain series and
// knows nothing of measures or the engine.
//
// It must not import engine, measure or cli.
package render

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"
)

// Step is one run of a constant value.
type Step struct {
	From, To time.Time
	Value    float64 // display only: a rate in percent
	Label    string
}

// Series is a named step function.
type Series struct {
	Name  string
	Steps []Step
}

var palette = []string{"#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92"}

// StepChartSVG writes an accessible SVG step chart of the series.
func StepChartSVG(w io.Writer, title string, series []Series) error {
	const width, height, left, right, top, bottom = 900.0, 420.0, 60.0, 20.0, 50.0, 70.0
	var t0, t1 time.Time
	maxV := 0.0
	for _, s := range series {
		for _, st := range s.Steps {
			if t0.IsZero() || st.From.Before(t0) {
				t0 = st.From
			}
			if st.To.After(t1) {
				t1 = st.To
			}
			maxV = math.Max(maxV, st.Value)
		}
	}
	if t0.IsZero() || !t1.After(t0) {
		return fmt.Errorf("nothing to draw")
	}
	maxV, tick := niceScale(maxV)
	x := func(t time.Time) float64 {
		return left + (width-left-right)*float64(t.Sub(t0))/float64(t1.Sub(t0))
	}
	y := func(v float64) float64 { return height - bottom - (height-top-bottom)*v/maxV }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="t">`+"\n", width, height)
	fmt.Fprintf(&b, `<title id="t">%s</title>`+"\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="24" font-family="Arial,sans-serif" font-size="16" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(title))
	for i := 0; float64(i)*tick <= maxV+tick/2; i++ {
		v := float64(i) * tick
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, width-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-family="Arial,sans-serif" font-size="12" text-anchor="end">%g%%</text>`+"\n", left-6, y(v)+4, v)
	}
	for m := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t1); m = m.AddDate(0, 3, 0) {
		if m.Before(t0) {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-family="Arial,sans-serif" font-size="12" text-anchor="middle">%s</text>`+"\n", x(m), height-bottom+18, m.Format("Jan 2006"))
	}
	for i, s := range series {
		c := palette[i%len(palette)]
		var pts []string
		for _, st := range s.Steps {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f %.1f,%.1f", x(st.From), y(st.Value), x(st.To), y(st.Value)))
		}
		dash := ""
		if i > 0 {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5"%s points="%s"><title>%s</title></polyline>`+"\n", c, dash, strings.Join(pts, " "), html.EscapeString(s.Name))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="14" height="4" fill="%s"/><text x="%.0f" y="%.0f" font-family="Arial,sans-serif" font-size="13">%s</text>`+"\n",
			left+float64(i)*300, height-22, c, left+float64(i)*300+20, height-17, html.EscapeString(s.Name))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// niceScale returns the top of the value axis and the step of its grid
// lines: a step of 1, 2, 2.5 or 5 times a power of ten giving at most five
// steps, and the top the first step at or above v (10 for nothing to show).
func niceScale(v float64) (top, step float64) {
	if v <= 0 {
		return 10, 2.5
	}
	raw := v / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return math.Ceil(v/step-1e-9) * step, step
}

// TextBars draws one bar per step for a terminal, scaled to width characters.
func TextBars(w io.Writer, s Series, width int) {
	maxV := 0.0
	for _, st := range s.Steps {
		maxV = math.Max(maxV, st.Value)
	}
	if maxV == 0 {
		maxV = 1
	}
	for _, st := range s.Steps {
		n := int(math.Round(st.Value / maxV * float64(width)))
		fmt.Fprintf(w, "  %s  %7.2f%%  %s\n", st.From.Format("2006-01-02"), st.Value, strings.Repeat("█", n))
	}
}
