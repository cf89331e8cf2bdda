package burden

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// The tests of this file are in package burden to trim the weights of the
// fast-path check; the others use only what users see.

func TestEveryPoints(t *testing.T) {
	tests := []struct {
		every Every
		from  string
		want  []string
	}{
		{Day, "2025-02-27", []string{"2025-02-27", "2025-02-28", "2025-03-01", "2025-03-02"}},
		{Week, "2024-12-29", []string{"2024-12-29", "2025-01-05", "2025-01-12", "2025-01-19"}},
		{Month, "2025-01-31", []string{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"}},
		{Month, "2024-01-29", []string{"2024-01-29", "2024-02-29", "2024-03-29", "2024-04-29"}},
		{Month, "2025-11-01", []string{"2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"}},
	}
	for _, tt := range tests {
		var got []string
		for k := range 4 {
			got = append(got, tt.every.point(date.MustParse(tt.from), k).String())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s from %s: %v, want %v", tt.every, tt.from, got, tt.want)
		}
	}
	for in, want := range map[string]Every{"day": Day, "Week": Week, " month ": Month, "monthly": Month} {
		if got, err := ParseEvery(in); err != nil || got != want {
			t.Errorf("ParseEvery(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseEvery("fortnight"); err == nil || !strings.Contains(err.Error(), "want day, week or month") {
		t.Errorf("ParseEvery(fortnight): %v", err)
	}
}

func basket(t *testing.T, csv string) *Basket {
	t.Helper()
	b, err := Read(strings.NewReader(csv), "test")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The balls of 9506.62.80.20 from Japan, $365,000 a year ($1,000 a day in
// 2025): 4.8% column 1; +10% (9903.01.25) from 2025-04-05; +15%
// (9903.02.30) from 2025-08-07 as first applied, replaced by the 15%
// inclusive rule of EO 14345 (9903.02.73) once known on 2025-09-16,
// retroactively; IEEPA void once known on 2026-02-24 (DESIGN.md §4, cases
// P08–P10).
const balls = "hts10,origin,value\n9506628020,JP,365000\n"

type pointWant struct {
	from, last                                 string
	value, collected, rateC, known, rateK, owe string
}

func TestSeries(t *testing.T) {
	snap := embeddedSnapshot(t)
	tests := []struct {
		name           string
		weights        *Weights
		from, to       string
		every          Every
		known          string
		points         []pointWant
		total          pointWant
		dates, weighed []string
	}{
		{name: "days after the Japan deal, known once it was published",
			weights: Fixed(basket(t, balls)), from: "2025-08-19", to: "2025-08-20", every: Day, known: "2025-10-01",
			points: []pointWant{
				{"2025-08-19", "2025-08-19", "1000.00", "198.00", "19.80", "150.00", "15.00", "48.00"},
				{"2025-08-20", "2025-08-20", "1000.00", "198.00", "19.80", "150.00", "15.00", "48.00"},
			},
			total: pointWant{"2025-08-19", "2025-08-20", "2000.00", "396.00", "19.80", "300.00", "15.00", "96.00"}},
		{name: "days after the deal, known after the IEEPA ruling",
			weights: Fixed(basket(t, balls)), from: "2025-08-20", to: "2025-08-20", every: Day, known: "2026-03-01",
			points: []pointWant{{"2025-08-20", "2025-08-20", "1000.00", "198.00", "19.80", "48.00", "4.80", "150.00"}}},
		{name: "August 2025: six days of +10%, then +15% collected and 15% inclusive owed",
			weights: Fixed(basket(t, balls)), from: "2025-08-01", to: "2025-08-31", every: Month, known: "2025-10-01",
			points: []pointWant{{"2025-08-01", "2025-08-31", "31000.00", "5838.00", "18.83", "4638.00", "14.96", "1200.00"}}},
		{name: "the first week of April 2025, known after the ruling",
			weights: Fixed(basket(t, balls)), from: "2025-04-01", to: "2025-04-01", every: Week, known: "2026-03-01",
			points: []pointWant{{"2025-04-01", "2025-04-07", "7000.00", "636.00", "9.09", "336.00", "4.80", "300.00"}}},
		{name: "a week across the new year takes each year's weights",
			weights: byYear(t, Basket{Year: 2024, Source: "2024"}, "hts10,origin,value\n9506628020,JP,366000\n",
				Basket{Year: 2025, Source: "2025"}, "hts10,origin,value\n9506628020,JP,730000\n"),
			from: "2024-12-29", to: "2024-12-29", every: Week, known: "2026-03-01",
			points:  []pointWant{{"2024-12-29", "2025-01-04", "11000.00", "528.00", "4.80", "528.00", "4.80", "0.00"}},
			weighed: []string{"2024", "2025"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := SeriesOptions{From: date.MustParse(tt.from), To: date.MustParse(tt.to), Every: tt.every, KnownOn: date.MustParse(tt.known)}
			s, err := RunSeries(context.Background(), snap, tt.weights, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Points) != len(tt.points) {
				t.Fatalf("%d points, want %d", len(s.Points), len(tt.points))
			}
			for i, w := range tt.points {
				checkPoint(t, &s.Points[i], w)
			}
			if tt.total.from != "" {
				checkPoint(t, &s.Total, tt.total)
			}
			if tt.weighed != nil && !reflect.DeepEqual(s.Points[0].Weights, tt.weighed) {
				t.Errorf("weights %v, want %v", s.Points[0].Weights, tt.weighed)
			}
			if g := s.Points[0].Collected.Sections["XX"]; g == nil || !g.Duty.Equal(s.Points[0].Collected.Duty) {
				t.Errorf("section XX (chapter 95) %+v, want all the duty", g)
			}
			if g := s.Points[0].Known.Partners["JP"]; g == nil || !g.Duty.Equal(s.Points[0].Known.Duty) || g.Name != "Japan" {
				t.Errorf("partner JP %+v, want all the duty", g)
			}
		})
	}
}

func checkPoint(t *testing.T, p *Point, w pointWant) {
	t.Helper()
	got := pointWant{p.From.String(), p.To.AddDays(-1).String(), money.Format(p.Collected.Value), money.Format(p.Collected.Duty),
		p.Collected.Rate().String(), money.Format(p.Known.Duty), p.Known.Rate().String(), money.Format(p.OwedBack())}
	if got != w {
		t.Errorf("point\n got %+v\nwant %+v", got, w)
	}
}

func byYear(t *testing.T, b1 Basket, csv1 string, b2 Basket, csv2 string) *Weights {
	t.Helper()
	x, y := basket(t, csv1), basket(t, csv2)
	x.Year, x.Source, y.Year, y.Source = b1.Year, b1.Source, b2.Year, b2.Source
	w, err := ByYear(x, y)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Lines levy cannot assess are counted in every point with their value,
// under each reading, and left out of imports and duty.
func TestSeriesNotAssessed(t *testing.T) {
	b := basket(t, "hts10,origin,cty_name,value\n"+
		"9506628020,JP,,365000\n"+
		"9503000099,JP,,365000\n"+ // not in the schedule
		"2204215040,FR,,730000\n"+ // wine: a specific rate, no quantity
		"9506628020,,ATLANTIS,365000\n")
	s, err := RunSeries(context.Background(), embeddedSnapshot(t), Fixed(b), SeriesOptions{
		From: date.MustParse("2025-06-01"), To: date.MustParse("2025-06-03"), Every: Day, KnownOn: date.MustParse("2026-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Skip{
		"HTS number not in force on the date":        {1, money.MustParse("1000")},
		"rate needs a quantity or is not computable": {1, money.MustParse("2000")},
		"country not recognised":                     {1, money.MustParse("1000")},
	}
	for _, p := range s.Points {
		for _, r := range []*Reading{&p.Collected, &p.Known} {
			if len(r.NotAssessed) != len(want) {
				t.Errorf("%s: not assessed %v", p.From, r.NotAssessed)
			}
			for k, w := range want {
				if g := r.NotAssessed[k]; g.Lines != w.Lines || !g.Value.Equal(w.Value) {
					t.Errorf("%s %s: %+v, want %+v", p.From, k, g, w)
				}
			}
			if money.Format(r.Value) != "1000.00" {
				t.Errorf("%s: assessed imports %s, want 1000.00", p.From, money.Format(r.Value))
			}
		}
	}
	if g := s.Total.Collected.NotAssessed["rate needs a quantity or is not computable"]; g.Lines != 1 || money.Format(g.Value) != "6000.00" {
		t.Errorf("total not assessed %+v", g)
	}
}

func TestSeriesOptionsRefused(t *testing.T) {
	snap := embeddedSnapshot(t)
	w := Fixed(basket(t, balls))
	d := date.MustParse
	for _, tt := range []struct {
		opt  SeriesOptions
		want string
	}{
		{SeriesOptions{From: d("2025-02-01"), To: d("2025-01-01"), Every: Month, KnownOn: d("2026-01-01")}, "before the first"},
		{SeriesOptions{From: d("2025-01-01"), To: d("2025-02-01"), KnownOn: d("2026-01-01")}, "want day, week or month"},
		{SeriesOptions{From: d("2025-01-01"), To: d("2025-02-01"), Every: Day, KnownOn: date.None}, "known on"},
		{SeriesOptions{From: d("2000-01-01"), To: d("2025-02-01"), Every: Day, KnownOn: d("2026-01-01")}, "more than 3660 points"},
		{SeriesOptions{From: date.None, To: d("2025-02-01"), Every: Day, KnownOn: d("2026-01-01")}, "first and a last date"},
	} {
		if _, err := RunSeries(context.Background(), snap, w, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.opt, err, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunSeries(ctx, snap, w, SeriesOptions{From: d("2025-01-01"), To: d("2025-02-01"), Every: Day, KnownOn: d("2026-01-01")}); err == nil {
		t.Error("a cancelled series ran")
	}
}

// TestSeriesFastPathAgrees checks the fast path (assess only where a rule
// changes, then reuse) against assessing every day, on Japan's largest
// lines that the loaded schedule holds, weekly and monthly, both readings.
func TestSeriesFastPathAgrees(t *testing.T) {
	snap := embeddedSnapshot(t)
	var baskets []*Basket
	for _, year := range []int{2024, 2025} {
		b, err := censusBasket(year, []string{"JP"})
		if err != nil {
			t.Fatal(err)
		}
		var lines []Line
		for _, l := range b.Lines {
			if _, err := snap.Schedule.Lookup(l.HTS, date.None); err == nil {
				lines = append(lines, l)
			}
		}
		sort.Slice(lines, func(i, j int) bool { return lines[i].Value.Cmp(lines[j].Value) > 0 })
		lines = lines[:min(len(lines), 300)]
		baskets = append(baskets, &Basket{Source: b.Source, Year: year, Lines: lines})
	}
	jp, err := ByYear(baskets...)
	if err != nil {
		t.Fatal(err)
	}
	for _, every := range []Every{Week, Month} {
		opt := SeriesOptions{From: date.MustParse("2025-01-01"), To: date.MustParse("2026-10-01"), Every: every, KnownOn: date.MustParse("2026-12-04")}
		fast, err := RunSeries(context.Background(), snap, jp, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.EveryDay = true
		slow, err := RunSeries(context.Background(), snap, jp, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(fast.Dates) >= len(slow.Dates)/5 {
			t.Errorf("fast path assessed %d dates of %d", len(fast.Dates), len(slow.Dates))
		}
		a, b := fast.View([]string{"JP"}, "", 0), slow.View([]string{"JP"}, "", 0)
		a.DatesAssessed, b.DatesAssessed = nil, nil
		ja, _ := json.MarshalIndent(a, "", " ")
		jb, _ := json.MarshalIndent(b, "", " ")
		if string(ja) != string(jb) {
			t.Errorf("every %s: the fast path differs from assessing every day", every)
			diffLines(t, string(ja), string(jb))
		}
		if !fast.Total.Collected.Duty.IsPos() || !fast.Total.OwedBack().IsPos() {
			t.Errorf("every %s: no duty or nothing owed back: %+v", every, fast.Total)
		}
	}
}

func diffLines(t *testing.T, a, b string) {
	t.Helper()
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	shown := 0
	for i := 0; i < len(x) && i < len(y) && shown < 10; i++ {
		if x[i] != y[i] {
			t.Logf("line %d: fast %s | every day %s", i, x[i], y[i])
			shown++
		}
	}
}

var embeddedOnce struct {
	sync.Once
	snap *engine.Snapshot
	err  error
}

// embeddedSnapshot is the enacted law on the embedded schedule and rules.
func embeddedSnapshot(t testing.TB) *engine.Snapshot {
	t.Helper()
	embeddedOnce.Do(func() {
		lv, err := levy.Load(levy.Options{})
		if err != nil {
			embeddedOnce.err = err
			return
		}
		embeddedOnce.snap, embeddedOnce.err = lv.Snapshot("")
	})
	if embeddedOnce.err != nil {
		t.Fatal(embeddedOnce.err)
	}
	return embeddedOnce.snap
}
