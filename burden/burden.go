// Package burden computes the aggregate tariff burden of a basket of
// imports (values by HTS-10 × country, such as the Census Bureau's): the
// trade-weighted effective tariff rate and the duty overall, by partner, HS
// section and chapter, on one date or as a series over time, as collected
// (each entry read as the law stood that day) and as known on a date, with
// the difference owed back. A series is many assessments on one snapshot,
// made only on the days a rule changes; lines levy cannot assess are
// counted apart, never read as duty-free.
//
// It must not import cli or server.
package burden

import (
	"context"
	"errors"
	"io"
	"sort"
	"strconv"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/money"
)

// Group totals one partner, section or chapter.
type Group struct {
	Key   string        `json:"key"`
	Name  string        `json:"name"`
	Value money.Decimal `json:"-"`
	Duty  money.Decimal `json:"-"`
}

// Rate is the group's effective tariff rate in percent.
func (g *Group) Rate() money.Decimal { return pct(g.Duty, g.Value) }

func pct(d, v money.Decimal) money.Decimal {
	if !v.IsPos() {
		return money.Zero.Pad(2)
	}
	r, _ := d.Mul(money.Hundred)
	r, _ = r.Quo(v)
	return r.Round(2).Pad(2)
}

// Result is the burden of a file of imports.
type Result struct {
	Date, KnownOn date.Date
	Rows          int
	// Value and Duty cover the rows levy could assess.
	Value, Duty money.Decimal
	// Skipped is the value levy could not assess, by reason.
	Skipped   map[string]money.Decimal
	Partners  map[string]*Group
	Sections  map[string]*Group
	Chapters  map[string]*Group
	Unmatched map[string]money.Decimal // country names not recognised
	// BadRows says which rows could not be read (their value is unknown).
	BadRows    []string
	ByFamilies map[string]money.Decimal
}

// Rate is the trade-weighted effective tariff rate, in percent.
func (r *Result) Rate() money.Decimal { return pct(r.Duty, r.Value) }

// Top returns up to n groups by value, largest first.
func Top(m map[string]*Group, n int) []*Group {
	out := make([]*Group, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		c := out[i].Value.Cmp(out[j].Value)
		return c > 0 || c == 0 && out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// Options are the readings of a burden run.
type Options struct {
	// Date is the entry date every row is assessed on; KnownOn the reading
	// (date.None: as collected).
	Date, KnownOn date.Date
	// MetalShare, when set, is the share of value (0 to 1) taken as the
	// steel, aluminum and copper content of every line, for the measures
	// charged on metal content; unset, undeclared content means the full
	// value, as CBP reads it.
	MetalShare    money.Decimal
	HasMetalShare bool
	// USMCAShare is the share (0 to 1) of Canadian and Mexican imports
	// taken as claimed under USMCA (program S); 0 assumes no claims.
	USMCAShare money.Decimal
}

// Run reads CSV (gzip accepted) with an HTS column, a country column (ISO
// code "origin" or name "country"/"cty_name") and a value column, and
// assesses every row on d as known on known (date.None: as collected).
func Run(ctx context.Context, snap *engine.Snapshot, in io.Reader, d, known date.Date) (*Result, error) {
	return RunWith(ctx, snap, in, Options{Date: d, KnownOn: known})
}

// RunWith is Run with the readings of opt.
func RunWith(ctx context.Context, snap *engine.Snapshot, in io.Reader, opt Options) (*Result, error) {
	b, err := Read(in, "")
	if err != nil {
		return nil, err
	}
	return b.Assess(ctx, snap, opt)
}

// Assess assesses every line of b on opt.Date as known on opt.KnownOn and
// totals the duty overall, by partner, HS section, chapter and measure
// family. Lines levy cannot assess are totalled apart by reason.
func (b *Basket) Assess(ctx context.Context, snap *engine.Snapshot, opt Options) (*Result, error) {
	d, known := opt.Date, opt.KnownOn
	res := &Result{Date: d, KnownOn: known, Rows: b.Rows, Skipped: map[string]money.Decimal{}, Partners: map[string]*Group{},
		Sections: map[string]*Group{}, Chapters: map[string]*Group{}, Unmatched: map[string]money.Decimal{}, ByFamilies: map[string]money.Decimal{},
		BadRows: b.BadRows}
	for name, v := range b.Unmatched {
		res.Unmatched[name] = v
	}
	if u := b.unmatchedValue(); u.IsPos() {
		res.Skipped[reasonCountry] = u
	}
	var a, alt engine.Assessment
	for i := range b.Lines {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		l := &b.Lines[i]
		q := opt.query(l, d, known)
		duty, err := opt.assess(snap, &q, &a, &alt)
		if err != nil {
			r := reasonOf(err)
			res.Skipped[reasons[r]], _ = res.Skipped[reasons[r]].Add(l.Value)
			continue
		}
		families := familyDuty(&a, money.One)
		if share, ok := opt.usmcaShare(l.Origin); ok && alt.Line != "" {
			rest, _ := money.One.Sub(share)
			families = familyDuty(&a, rest)
			for f, amt := range familyDuty(&alt, share) {
				families[f], _ = families[f].Add(amt)
			}
		}
		res.Value, _ = res.Value.Add(l.Value)
		res.Duty, _ = res.Duty.Add(duty)
		for f, amt := range families {
			res.ByFamilies[f], _ = res.ByFamilies[f].Add(amt)
		}
		ch := a.Line[:2]
		add(res.Partners, l.Origin, partnerName(l.Origin), l.Value, duty)
		add(res.Chapters, ch, "Chapter "+ch, l.Value, duty)
		sec, name := Section(ch)
		add(res.Sections, sec, name, l.Value, duty)
	}
	return res, nil
}

// Reasons a line is not assessed, as shown to users.
const (
	reasonNotInSchedule = iota
	reasonNeedsQuantity
	reasonCountryCode
	reasonOther
	nReasons
)

const reasonCountry = "country not recognised"

var reasons = [nReasons]string{"HTS number not in force on the date", "rate needs a quantity or is not computable", reasonCountry, "other error"}

func reasonOf(err error) int {
	var e *engine.Error
	if errors.As(err, &e) {
		switch {
		case e.Code == engine.CodeNotFound && e.Field == "hts":
			return reasonNotInSchedule
		case e.Code == engine.CodeUnknown:
			return reasonNeedsQuantity
		case e.Field == "origin":
			return reasonCountryCode
		}
	}
	return reasonOther
}

// query is the engine query of line l on d as known on known.
func (opt *Options) query(l *Line, d, known date.Date) engine.Query {
	q := engine.Query{HTS: l.HTS, Origin: l.Origin, EntryDate: d, KnownOn: known, ExportDate: date.None, Value: l.Value}
	if opt.HasMetalShare {
		m, _ := l.Value.Mul(opt.MetalShare)
		q.Steel, q.Aluminum, q.Copper = m, m, m
		q.HasSteel, q.HasAluminum, q.HasCopper = true, true, true
	}
	return q
}

func (opt *Options) usmcaShare(origin string) (money.Decimal, bool) {
	return opt.USMCAShare, opt.USMCAShare.IsPos() && (origin == "CA" || origin == "MX")
}

// assess assesses q into a and returns its duty. Where a share of the line
// is claimed under USMCA, alt holds the claimed reading (alt.Line is empty
// when there is none) and the duty weights the two.
func (opt *Options) assess(snap *engine.Snapshot, q *engine.Query, a, alt *engine.Assessment) (money.Decimal, error) {
	alt.Line = ""
	if err := snap.AssessInto(q, a); err != nil {
		return money.Zero, err
	}
	share, ok := opt.usmcaShare(q.Origin)
	if !ok {
		return a.Duty, nil
	}
	qs := *q
	qs.Program = "S"
	if err := snap.AssessInto(&qs, alt); err != nil {
		alt.Line = ""
		return a.Duty, nil
	}
	rest, _ := money.One.Sub(share)
	x, _ := a.Duty.Mul(rest)
	y, _ := alt.Duty.Mul(share)
	duty, _ := x.Add(y)
	return duty, nil
}

// familyDuty is the duty of a by measure family, each amount times w.
func familyDuty(a *engine.Assessment, w money.Decimal) map[string]money.Decimal {
	out := map[string]money.Decimal{}
	for _, l := range a.Layers {
		fam := l.Family
		if l.Kind == engine.BaseLayer {
			fam = "base rate"
		}
		amt, _ := l.Amount.Mul(w)
		out[fam], _ = out[fam].Add(amt)
	}
	return out
}

func partnerName(code string) string {
	if c, err := country.Lookup(code); err == nil {
		return c.Name
	}
	return code
}

func add(m map[string]*Group, key, name string, v, d money.Decimal) {
	g, ok := m[key]
	if !ok {
		g = &Group{Key: key, Name: name}
		m[key] = g
	}
	g.Value, _ = g.Value.Add(v)
	g.Duty, _ = g.Duty.Add(d)
}

// sections are the 21 sections of the Harmonized System with their first
// chapter (HS nomenclature, section titles shortened).
var sections = []struct {
	first int
	key   string
	name  string
}{
	{1, "I", "Live animals; animal products"}, {6, "II", "Vegetable products"}, {15, "III", "Fats and oils"},
	{16, "IV", "Prepared foodstuffs, beverages, tobacco"}, {25, "V", "Mineral products"},
	{28, "VI", "Chemical products"}, {39, "VII", "Plastics and rubber"}, {41, "VIII", "Hides, leather, travel goods"},
	{44, "IX", "Wood and articles of wood"}, {47, "X", "Pulp, paper"}, {50, "XI", "Textiles and apparel"},
	{64, "XII", "Footwear, headgear"}, {68, "XIII", "Stone, ceramics, glass"}, {71, "XIV", "Precious metals, jewellery"},
	{72, "XV", "Base metals"}, {84, "XVI", "Machinery and electrical equipment"}, {86, "XVII", "Vehicles, aircraft, vessels"},
	{90, "XVIII", "Instruments, clocks, musical instruments"}, {93, "XIX", "Arms and ammunition"},
	{94, "XX", "Miscellaneous manufactured articles"}, {97, "XXI", "Works of art, antiques"}, {98, "-", "Special classification (ch. 98-99)"},
}

// Section returns the HS section of a two-digit chapter.
func Section(chapter string) (key, name string) {
	if i := sectionIndex(chapter); i < len(sections) {
		return sections[i].key, sections[i].name
	}
	return "?", "Unknown"
}

// sectionIndex is the index in sections of a chapter's section, or
// len(sections) for a chapter that is not a number from 1 to 99.
func sectionIndex(chapter string) int {
	n, err := strconv.Atoi(chapter)
	if err != nil || n < 1 || n > 99 {
		return len(sections)
	}
	i := len(sections) - 1
	for i > 0 && sections[i].first > n {
		i--
	}
	return i
}
