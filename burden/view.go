package burden

import (
	"sort"

	"github.com/levy-tariff/levy/money"
)

// SeriesView is the JSON form of a series, the same from the CLI (--json)
// and the API (GET /v1/burden). Money has two decimals, rates are percent
// with two decimals.
type SeriesView struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Every   string   `json:"every"`
	KnownOn string   `json:"known_on"`
	Last    string   `json:"last"`
	Origins []string `json:"origins"`
	Weights string   `json:"weights"`
	Horizon string   `json:"horizon"`
	// DatesAssessed are the entry dates assessed: the first and each day a
	// rule changes; every other day reads as the last of them before it.
	DatesAssessed []string `json:"dates_assessed"`
	// BadRows are the rows of the weights that could not be read.
	BadRows []string    `json:"bad_rows"`
	Points  []PointView `json:"points"`
	Total   PointView   `json:"total"`
	Notes   []string    `json:"notes"`
}

// PointView is one period: from its date to Last, Days days.
type PointView struct {
	From      string      `json:"from"`
	Last      string      `json:"last"`
	Days      int         `json:"days"`
	Weights   []string    `json:"weights"`
	Collected ReadingView `json:"as_collected"`
	Known     ReadingView `json:"as_known"`
	// OwedBack is the duty as collected less the duty as known: owed back
	// to importers when positive.
	OwedBack string      `json:"owed_back"`
	Partners []GroupView `json:"partners"`
	Sections []GroupView `json:"sections"`
}

// ReadingView is a period under one reading of the law.
type ReadingView struct {
	Imports     string     `json:"imports"`
	Duty        string     `json:"duty"`
	Rate        string     `json:"effective_rate"`
	NotAssessed []SkipView `json:"not_assessed"`
}

// SkipView is what levy could not assess for one reason.
type SkipView struct {
	Reason string `json:"reason"`
	Lines  int    `json:"lines"`
	Value  string `json:"value"`
}

// GroupView is one partner or HS section of a period under both readings.
type GroupView struct {
	Key       string    `json:"key"`
	Name      string    `json:"name"`
	Collected GroupRate `json:"as_collected"`
	Known     GroupRate `json:"as_known"`
	OwedBack  string    `json:"owed_back"`
}

// GroupRate is a group's imports, duty and effective rate.
type GroupRate struct {
	Imports string `json:"imports"`
	Duty    string `json:"duty"`
	Rate    string `json:"effective_rate"`
}

// Notes say how a series is to be read.
var Notes = []string{
	"each point stands for the period from its date to the day before the next point; its imports are the basket's annual value spread evenly over the year (a period of n days holds n/365 of it, n/366 in a leap year)",
	"as collected: each entry date read as the law stood on that date; as known: each entry date read as the law is known on known_on (retroactive changes and court rulings applied)",
	"owed_back is the duty as collected less the duty as known: positive is owed back to importers, negative an extra bill",
	"lines levy cannot assess (a number not in force on the date, a specific rate with no quantity, a country it does not recognise) are left out of imports and duty and shown under not_assessed, never read as duty-free",
	"the effective rate is duty over the imports levy assessed; fees (MPF, HMF) are not duty and are left out",
}

// View returns the JSON form of s with at most top partners and sections
// per period (0: all), largest by imports first.
func (s *Series) View(origins []string, weights string, top int) SeriesView {
	v := SeriesView{From: s.From.String(), To: s.To.String(), Every: s.Every.String(), KnownOn: s.KnownOn.String(),
		Last: s.End.AddDays(-1).String(), Origins: append([]string{}, origins...), Weights: weights, Horizon: s.Horizon.String(),
		BadRows: append([]string{}, s.BadRows...), Points: []PointView{}, Total: s.Total.view(top), Notes: Notes}
	for _, d := range s.Dates {
		v.DatesAssessed = append(v.DatesAssessed, d.String())
	}
	for i := range s.Points {
		v.Points = append(v.Points, s.Points[i].view(top))
	}
	return v
}

func (p *Point) view(top int) PointView {
	return PointView{From: p.From.String(), Last: p.To.AddDays(-1).String(), Days: int(p.To - p.From),
		Weights: append([]string{}, p.Weights...), Collected: p.Collected.view(), Known: p.Known.view(),
		OwedBack: money.Format(p.OwedBack()),
		Partners: groupViews(p.Collected.Partners, p.Known.Partners, top),
		Sections: groupViews(p.Collected.Sections, p.Known.Sections, top)}
}

func (r *Reading) view() ReadingView {
	v := ReadingView{Imports: money.Format(r.Value), Duty: money.Format(r.Duty), Rate: r.Rate().String(), NotAssessed: []SkipView{}}
	for _, reason := range reasons {
		if s, ok := r.NotAssessed[reason]; ok {
			v.NotAssessed = append(v.NotAssessed, SkipView{Reason: reason, Lines: s.Lines, Value: money.Format(s.Value)})
		}
	}
	return v
}

// groupViews pairs the groups of both readings, largest imports as
// collected first.
func groupViews(collected, known map[string]*Group, top int) []GroupView {
	keys := map[string]bool{}
	for k := range collected {
		keys[k] = true
	}
	for k := range known {
		keys[k] = true
	}
	order := make([]string, 0, len(keys))
	for k := range keys {
		order = append(order, k)
	}
	val := func(k string) money.Decimal {
		if g := collected[k]; g != nil {
			return g.Value
		}
		return known[k].Value
	}
	sort.Slice(order, func(i, j int) bool {
		c := val(order[i]).Cmp(val(order[j]))
		return c > 0 || c == 0 && order[i] < order[j]
	})
	if top > 0 && len(order) > top {
		order = order[:top]
	}
	out := make([]GroupView, 0, len(order))
	for _, k := range order {
		c, kn := collected[k], known[k]
		if c == nil {
			c = &Group{Key: k, Name: kn.Name}
		}
		if kn == nil {
			kn = &Group{Key: k, Name: c.Name}
		}
		owed, _ := c.Duty.Sub(kn.Duty)
		out = append(out, GroupView{Key: k, Name: c.Name, Collected: c.rate(), Known: kn.rate(), OwedBack: money.Format(owed)})
	}
	return out
}

func (g *Group) rate() GroupRate {
	return GroupRate{Imports: money.Format(g.Value), Duty: money.Format(g.Duty), Rate: g.Rate().String()}
}
