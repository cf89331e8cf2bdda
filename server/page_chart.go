package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
)

// The timeline chart is an SVG drawn by the server: both readings as step
// lines of the effective rate. Its scale is set by the rates that hold for
// more than a few days, so that a one-day spike (145% on Chinese laptops
// on 10 April 2025) does not flatten the rest: a spike above the scale is
// drawn to the top edge, marked and labelled. Each change is a link to its
// row of the table, so its value can be reached by keyboard and by touch
// with no script; the table beside the chart gives every figure.

// chartSize is the geometry of one drawing of the chart.
type chartSize struct {
	name               string
	w, h               float64
	left, right        float64
	top, bottom        float64
	monthStep          int
	font               float64
	collected, knownSW float64
}

var (
	wideChart   = chartSize{name: "wide", w: 720, h: 360, left: 48, right: 14, top: 30, bottom: 40, monthStep: 3, font: 13, collected: 4, knownSW: 2.5}
	narrowChart = chartSize{name: "narrow", w: 360, h: 300, left: 40, right: 10, top: 30, bottom: 36, monthStep: 6, font: 13, collected: 4, knownSW: 2.5}
)

// chartView is one drawing, ready for the template.
type chartView struct {
	ID, Size     string
	TestID       string
	ViewBox      string
	Title, Desc  string
	PlotL, PlotR float64
	PlotT, PlotB float64
	AxisY        float64
	YTicks       []chartTick
	XTicks       []chartTick
	Collected    string
	Known        string
	CollectedSW  string
	KnownSW      string
	Points       []chartPoint
	Spikes       []chartSpike
	Markers      []chartMarker
	Past         *chartBand
	OffScale     string
	FontSize     string
}

type chartTick struct {
	X, Y  float64
	Label string
}

// chartPoint is one change of one reading: a focusable link to its row.
type chartPoint struct {
	X, Y   float64
	Series string
	// Label reads the point out in full; Tip, shown beside it, leaves out
	// the reading, which the point's style gives.
	Label    string
	Tip      string
	Href     string
	TipX     float64
	TipY     float64
	TipW     float64
	TipAnchr string
}

type chartSpike struct {
	X, Y  float64
	Label string
	rate  float64
}

type chartMarker struct {
	X      float64
	Label  string
	LabelX float64
	Anchor string
	Class  string
}

type chartBand struct {
	X, W  float64
	Label string
	LX    float64
}

// chartInput is what a chart draws.
type chartInput struct {
	id, line, origin         string
	from, to, known, horizon date.Date
	collected, knownSegs     []engine.Segment
	rows                     []timelineRow
	// title, desc, testID and rowLink, when set, replace the timeline's
	// title, description, test id and link from a run to its table row, so
	// that other series (the burden over time) draw with the same chart.
	title, desc, testID string
	rowLink             func(date.Date) string
}

// tipFont is the size of a point's tip, in the chart's units.
const tipFont = 12

// spikeShare: a run shorter than this share of the period, and at most
// maxSpikeDays long, does not set the scale.
const (
	spikeShare   = 60
	maxSpikeDays = 14
)

func (c chartInput) short(g engine.Segment) bool {
	days := int(g.To - g.From)
	total := int(c.to-c.from) + 1
	return days <= maxSpikeDays && days*spikeShare < total
}

// spikeFactor: a short run is a spike when its rate is more than this
// many times the highest rate of the runs that are not short.
const spikeFactor = 1.5

// spike says a run is a spike: short, and well above the rates that hold.
func (c chartInput) spike(g engine.Segment, base float64) bool {
	return c.short(g) && rateOf(g) > base*spikeFactor
}

// base is the highest rate of the runs that are not short.
func (c chartInput) base() float64 {
	top := 0.0
	for _, g := range c.all() {
		if !c.short(g) {
			top = math.Max(top, rateOf(g))
		}
	}
	return top
}

func (c chartInput) all() []engine.Segment {
	return append(append([]engine.Segment{}, c.collected...), c.knownSegs...)
}

// scale is the top of the rate axis: a round number above every rate that
// is not a spike.
func (c chartInput) scale() float64 {
	base, top := c.base(), 0.0
	for _, g := range c.all() {
		if !c.spike(g, base) {
			top = math.Max(top, rateOf(g))
		}
	}
	top = math.Max(top*1.1, 5)
	for _, step := range []float64{5, 10, 20, 25, 50, 100, 200, 250, 500} {
		if top <= step*6 {
			return math.Ceil(top/step) * step
		}
	}
	return math.Ceil(top/1000) * 1000
}

func tickStep(yMax float64) float64 {
	for _, step := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500} {
		if yMax/step <= 6 {
			return step
		}
	}
	return 1000
}

func fmtNum(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// draw lays the chart out at one size.
func (c chartInput) draw(sz chartSize) chartView {
	v := chartView{ID: c.id + "-" + sz.name, Size: sz.name, ViewBox: fmt.Sprintf("0 0 %s %s", fmtNum(sz.w), fmtNum(sz.h)),
		PlotL: sz.left, PlotR: sz.w - sz.right, PlotT: sz.top, PlotB: sz.h - sz.bottom, CollectedSW: fmtNum(sz.collected),
		KnownSW: fmtNum(sz.knownSW), FontSize: fmtNum(sz.font)}
	v.AxisY = v.PlotB + 6 // the zero line sits above the axis, so a 0% reading stays visible
	x0, x1 := float64(c.from), float64(c.to+1)
	X := func(d date.Date) float64 {
		f := math.Max(x0, math.Min(x1, float64(d)))
		return v.PlotL + (f-x0)/(x1-x0)*(v.PlotR-v.PlotL)
	}
	yMax := c.scale()
	top := v.PlotT - 12 // spikes reach into the top margin
	Y := func(r float64) float64 {
		if r > yMax {
			return top
		}
		return v.PlotB - r/yMax*(v.PlotB-v.PlotT)
	}
	v.Title = fmt.Sprintf("Effective duty rate on %s from %s, %s to %s", c.line, c.origin, longDate(c.from), longDate(c.to))
	v.Desc = "Two step lines: the solid line is the duty as collected, each entry read as the law stood on its date; the dashed line is the duty as the law is known on " +
		longDate(c.known) + ". The table gives the same figures."
	if c.title != "" {
		v.Title, v.Desc = c.title, c.desc
	}
	v.TestID = "timeline-chart"
	if c.testID != "" {
		v.TestID = c.testID
	}
	step := tickStep(yMax)
	for r := 0.0; r <= yMax+1e-9; r += step {
		v.YTicks = append(v.YTicks, chartTick{X: v.PlotL - 6, Y: Y(r), Label: fmtNum(r) + "%"})
	}
	// Month ticks: the first of every monthStep-th month, with its year.
	t := c.from.Time()
	m := date.Of(t.AddDate(0, 0, 1-t.Day()))
	for m <= c.to {
		mt := m.Time()
		if m >= c.from && int(mt.Month()-1)%sz.monthStep == 0 {
			v.XTicks = append(v.XTicks, chartTick{X: X(m), Y: v.AxisY + sz.font + 6, Label: months[mt.Month()-1][:3] + " " + strconv.Itoa(mt.Year())})
		}
		m = date.Of(mt.AddDate(0, 1, 0))
	}
	if n := len(v.XTicks); n > 0 && v.XTicks[n-1].X > v.PlotR-sz.font*2 {
		v.XTicks = v.XTicks[:n-1] // no label cut at the right edge
	}
	if c.horizon < c.to {
		hx := X(c.horizon + 1)
		// The label runs down the band's left edge, clear of the
		// horizontal labels of the other markers.
		v.Past = &chartBand{X: hx, W: v.PlotR - hx, Label: "levy's data ends " + shortDate(c.horizon), LX: hx - 4}
	}
	if c.known > c.from && c.known <= c.to {
		kx := X(c.known)
		mk := chartMarker{X: kx, Label: "known on " + shortDate(c.known), LabelX: kx - 4, Anchor: "end", Class: "marker"}
		if kx-v.PlotL < 120 {
			mk.LabelX, mk.Anchor = kx+4, "start"
		}
		v.Markers = append(v.Markers, mk)
	}
	v.Collected = c.path(c.collected, X, Y)
	v.Known = c.path(c.knownSegs, X, Y)
	v.Points = append(c.points(c.collected, "collected", "As collected", X, Y, sz, v),
		c.points(c.knownSegs, "known", "As known on "+shortDate(c.known), X, Y, sz, v)...)
	v.Spikes, v.OffScale = c.spikes(X, yMax, top, sz)
	return v
}

func (c chartInput) path(segs []engine.Segment, X func(date.Date) float64, Y func(float64) float64) string {
	var b strings.Builder
	for i, g := range segs {
		a, e, y := X(g.From), X(g.To), Y(rateOf(g))
		if i == 0 {
			fmt.Fprintf(&b, "M%s,%s", fmtNum(a), fmtNum(y))
		} else {
			fmt.Fprintf(&b, "V%s", fmtNum(y))
		}
		fmt.Fprintf(&b, "H%s", fmtNum(e))
	}
	return b.String()
}

// href is the link of a run starting on d: its table row.
func (c chartInput) href(d date.Date) string {
	if c.rowLink != nil {
		return c.rowLink(d)
	}
	return "#" + c.rowFor(d)
}

// rowFor is the id of the table row in which a run starting on d begins.
func (c chartInput) rowFor(d date.Date) string {
	for i, row := range c.rows {
		if strings.HasPrefix(row.Dates, longDate(d)) {
			return c.rows[i].ID
		}
	}
	return ""
}

func (c chartInput) points(segs []engine.Segment, series, label string, X func(date.Date) float64, Y func(float64) float64, sz chartSize, v chartView) []chartPoint {
	var out []chartPoint
	for _, g := range segs {
		last := g.To.AddDays(-1)
		when := "from " + shortDate(g.From) + " to " + shortDate(last)
		if last == g.From {
			when = "on " + shortDate(g.From)
		}
		p := chartPoint{X: X(g.From), Y: Y(rateOf(g)), Series: series, Href: c.href(g.From),
			Label: label + ": " + pct(g.Rate) + " " + when, Tip: pct(g.Rate) + " " + when}
		p.TipW = float64(len([]rune(p.Tip)))*tipFont*0.56 + 12
		p.TipX = math.Max(v.PlotL, math.Min(p.X-p.TipW/2, v.PlotR-p.TipW))
		p.TipY = p.Y - sz.font - 16
		if p.TipY < 2 {
			p.TipY = p.Y + 10
		}
		out = append(out, p)
	}
	return out
}

// spikes marks the runs above the scale: an arrow at the top edge and a
// label with the rate; OffScale words them all for the caption.
func (c chartInput) spikes(X func(date.Date) float64, yMax, top float64, sz chartSize) ([]chartSpike, string) {
	var out []chartSpike
	var words []string
	lastX := -1e9
	for _, s := range []struct {
		segs  []engine.Segment
		label string
	}{{c.collected, "as collected"}, {c.knownSegs, "as known on " + shortDate(c.known)}} {
		for _, g := range s.segs {
			if rateOf(g) <= yMax {
				continue
			}
			last := g.To.AddDays(-1)
			when := longDate(g.From)
			if last != g.From {
				when = longDate(g.From) + " to " + longDate(last)
			}
			words = append(words, fmt.Sprintf("%s %s (%s)", pct(g.Rate), s.label, when))
			x := X(g.From)
			if n := len(out); n > 0 && x-lastX < sz.font*3.2 {
				// Labels of neighbouring spikes would overlap: keep the higher.
				if rateOf(g) > out[n-1].rate {
					out[n-1].Label, out[n-1].rate = pct(g.Rate), rateOf(g)
				}
				continue
			}
			lastX = x
			out = append(out, chartSpike{X: x, Y: top, Label: pct(g.Rate), rate: rateOf(g)})
		}
	}
	if len(words) == 0 {
		return nil, ""
	}
	return out, "Off the scale, for a few days only: " + strings.Join(words, "; ") + "."
}
