package hts

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/rate"
)

// windows computes each version's in-force window. Among the versions of
// one HTS number, in the order the revisions printed them, a version
// applies from its start until a later version starts; a later version that
// starts earlier (a retroactive change) leaves the earlier one no window at
// all. A number can have versions in two slots: one discontinued and later
// printed again elsewhere, or re-added retroactively; they are dated
// together.
func (h *history) windows() {
	type ref struct{ slot, ver int }
	byCode := map[string][]ref{}
	for s := range h.slots {
		sl := &h.slots[s]
		if sl.code == "" {
			dateVersions(sl.vers, nil)
			continue
		}
		for v := range sl.vers {
			byCode[sl.code] = append(byCode[sl.code], ref{s, v})
		}
	}
	for _, refs := range byCode {
		if len(refs) == len(h.slots[refs[0].slot].vers) {
			dateVersions(h.slots[refs[0].slot].vers, nil)
			continue
		}
		sort.SliceStable(refs, func(i, j int) bool {
			return h.slots[refs[i].slot].vers[refs[i].ver].first < h.slots[refs[j].slot].vers[refs[j].ver].first
		})
		vs := make([]*version, len(refs))
		for i, r := range refs {
			vs[i] = &h.slots[r.slot].vers[r.ver]
		}
		dateVersions(nil, vs)
	}
}

// dateVersions sets from and to of versions in printing order (vs, or the
// slot's own vers).
func dateVersions(own []version, vs []*version) {
	n := len(vs)
	if vs == nil {
		n = len(own)
	}
	at := func(i int) *version {
		if vs == nil {
			return &own[i]
		}
		return vs[i]
	}
	next := date.None
	for i := n - 1; i >= 0; i-- {
		v := at(i)
		v.from, v.to = v.start, next
		if v.from > v.to {
			v.to = v.from
		}
		if v.start < next {
			next = v.start
		}
	}
}

// rline is a version of a slot with its parent resolved, over the dates on
// which both are in force.
type rline struct {
	slot, ver, parent int32
	from, to          date.Date
}

// resolve turns the history into the schedule's lines: every version of
// every record joined to the version of its parent in force with it. The
// dates on which anything changes split time into periods; in each, the
// records in force form one printed tree, read in the history's order.
// Parents never reach across a heading (a 4-digit record, indent 0), so a
// period re-reads only the headings in which something changes.
func (h *history) resolve() []rline {
	type win struct {
		from, to date.Date
		ver      int32
	}
	h.windows()
	// Blocks: each heading with the records under it.
	var blockStart []int
	blockOf := make([]int32, len(h.slots))
	for s := range h.slots {
		if s == 0 || len(h.slots[s].code) == 4 {
			blockStart = append(blockStart, s)
		}
		blockOf[s] = int32(len(blockStart) - 1)
	}
	blockStart = append(blockStart, len(h.slots))
	wins := make([][]win, len(h.slots))
	changes := map[date.Date][]int32{date.Always: nil}
	for s := range h.slots {
		sl := &h.slots[s]
		for i := range sl.vers {
			v := &sl.vers[i]
			if v.absent || v.from >= v.to {
				continue
			}
			wins[s] = append(wins[s], win{v.from, v.to, int32(i)})
			changes[v.from] = append(changes[v.from], blockOf[s])
			if v.to != date.None {
				changes[v.to] = append(changes[v.to], blockOf[s])
			}
		}
	}
	bounds := make([]date.Date, 0, len(changes))
	for d := range changes {
		bounds = append(bounds, d)
	}
	sort.Slice(bounds, func(i, j int) bool { return bounds[i] < bounds[j] })

	var rls []rline
	cur := make([]int32, len(h.slots))
	seen := make([]int32, len(h.slots))
	cursor := make([]int32, len(h.slots))
	for i := range cur {
		cur[i], seen[i] = -1, -1
	}
	type open struct {
		indent int
		id     int32
	}
	var stack []open
	all := make([]int32, len(blockStart)-1)
	for i := range all {
		all[i] = int32(i)
	}
	for k, b := range bounds {
		blocks := changes[b]
		if k == 0 {
			blocks = all
		} else {
			slices.Sort(blocks)
			blocks = slices.Compact(blocks)
		}
		for _, bl := range blocks {
			stack = stack[:0]
			lo, hi := blockStart[bl], blockStart[bl+1]
			for s := lo; s < hi; s++ {
				ws := wins[s]
				c := cursor[s]
				for int(c) < len(ws) && ws[c].to <= b {
					c++
				}
				cursor[s] = c
				if int(c) == len(ws) || ws[c].from > b {
					continue
				}
				vi := ws[c].ver
				ind := h.slots[s].vers[vi].rec.indent
				for len(stack) > 0 && stack[len(stack)-1].indent >= ind {
					stack = stack[:len(stack)-1]
				}
				parent := int32(-1)
				if len(stack) > 0 {
					parent = stack[len(stack)-1].id
				}
				id := cur[s]
				if id < 0 || rls[id].ver != vi || rls[id].parent != parent {
					if id >= 0 {
						rls[id].to = b
					}
					id = int32(len(rls))
					rls = append(rls, rline{slot: int32(s), ver: vi, parent: parent, from: b, to: date.None})
					cur[s] = id
				}
				seen[s] = int32(k)
				stack = append(stack, open{ind, id})
			}
			for s := lo; s < hi; s++ {
				if id := cur[s]; id >= 0 && seen[s] != int32(k) {
					rls[id].to = b
					cur[s] = -1
				}
			}
		}
	}
	return rls
}

func uniqDates(ds []date.Date) []date.Date {
	out := ds[:0]
	for i, d := range ds {
		if i == 0 || d != ds[i-1] {
			out = append(out, d)
		}
	}
	return out
}

// parseCache parses each distinct rate text once.
type parseCache struct {
	expr    map[string]rate.Expr
	special map[string]rate.Special
}

func newParseCache() *parseCache {
	return &parseCache{expr: map[string]rate.Expr{}, special: map[string]rate.Special{}}
}

// memo returns parse(text) through the cache m; the empty text is the zero value.
func memo[T any](m map[string]T, text string, parse func(string) (T, error)) T {
	var v T
	if text == "" {
		return v
	}
	v, ok := m[text]
	if !ok {
		v, _ = parse(text)
		m[text] = v
	}
	return v
}

// line makes the schedule line of a record.
func (c *parseCache) line(r *record) Line {
	l := Line{Code: r.code, Indent: r.indent, Description: r.description, Units: r.units,
		General: r.general, SpecialText: r.special, Other: r.other, Footnotes: r.footnotes,
		QuotaQuantity: r.quota, AdditionalDuties: r.additional}
	l.GeneralRate = memo(c.expr, r.general, rate.Parse)
	l.OtherRate = memo(c.expr, r.other, rate.Parse)
	l.SpecialRate = memo(c.special, r.special, rate.ParseSpecial)
	return l
}

// scheduleOf builds the schedule of a history: its lines, resolved through
// time, and the indexes that look them up.
func scheduleOf(h *history, dated bool) *Schedule {
	rls := h.resolve()
	// Lines in history order, each record's versions by date.
	order := make([]int32, len(rls))
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool { return rls[order[a]].slot < rls[order[b]].slot })
	newIdx := make([]int32, len(rls))
	for i, id := range order {
		newIdx[id] = int32(i)
	}
	pc := newParseCache()
	lines := make([]Line, len(rls))
	for i, id := range order {
		rl := &rls[id]
		v := &h.slots[rl.slot].vers[rl.ver]
		l := pc.line(&v.rec)
		l.Index = i
		l.Parent = -1
		if rl.parent >= 0 {
			l.Parent = int(newIdx[rl.parent])
		}
		l.From, l.To = rl.from, rl.to
		l.Rev, l.LastRev = v.first, v.last
		l.slot, l.ver = rl.slot, rl.ver
		lines[i] = l
	}
	s := &Schedule{Lines: lines, Revisions: h.revs, hist: h, Start: date.Always}
	if dated && len(h.revs) > 0 {
		s.Start = h.revs[0].Effective
	}
	s.index()
	return s
}

// codeSpan locates a code's lines in Schedule.byDate.
type codeSpan struct{ off, n uint32 }

// index builds the lookups by code: the numbered lines sorted by code and
// date, each code's run of them located by one map entry.
func (s *Schedule) index() {
	ids := make([]int32, 0, len(s.Lines))
	for i := range s.Lines {
		if s.Lines[i].Code != "" {
			ids = append(ids, int32(i))
		}
	}
	slices.SortStableFunc(ids, func(a, b int32) int {
		la, lb := &s.Lines[a], &s.Lines[b]
		if c := strings.Compare(la.Code, lb.Code); c != 0 {
			return c
		}
		return cmp.Compare(la.From, lb.From)
	})
	s.byDate = ids
	s.byCode = make(map[string]codeSpan, len(ids)*3/4)
	s.sorted = s.sorted[:0]
	for lo := 0; lo < len(ids); {
		c := s.Lines[ids[lo]].Code
		hi := lo + 1
		for hi < len(ids) && s.Lines[ids[hi]].Code == c {
			hi++
		}
		s.byCode[c] = codeSpan{off: uint32(lo), n: uint32(hi - lo)}
		s.sorted = append(s.sorted, c)
		lo = hi
	}
	s.titles = make([]string, len(s.Revisions))
	for i := range s.Revisions {
		s.titles[i] = s.Revisions[i].Title
	}
}

// versionsOf returns the lines of code, oldest first.
func (s *Schedule) versionsOf(code string) []int32 {
	sp, ok := s.byCode[code]
	if !ok {
		return nil
	}
	return s.byDate[sp.off : sp.off+sp.n]
}

// inForce reports whether l applies on d; date.None asks for the line as in
// force from the newest change on.
func (l *Line) inForce(d date.Date) bool {
	if d == date.None {
		return l.To == date.None
	}
	return l.From <= d && d < l.To
}

// at returns the line of code in force on d, or nil.
func (s *Schedule) at(code string, d date.Date) *Line {
	for _, i := range s.versionsOf(code) {
		if l := &s.Lines[i]; l.inForce(d) {
			return l
		}
	}
	return nil
}

// Window is a run of dates on which a code is in force.
type Window struct {
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// First and Last are the titles of the first and last revisions that
	// print the line over the window.
	First string `json:"first_revision"`
	Last  string `json:"last_revision"`
}

// Windows returns the runs of dates on which code (bare digits) is in
// force, oldest first; consecutive versions join into one run.
func (s *Schedule) Windows(code string) []Window {
	var out []Window
	for _, i := range s.versionsOf(code) {
		l := &s.Lines[i]
		if n := len(out); n > 0 && out[n-1].To == l.From {
			out[n-1].To = l.To
			out[n-1].Last = s.titles[l.LastRev]
			continue
		}
		out = append(out, Window{From: l.From, To: l.To, First: s.titles[l.Rev], Last: s.titles[l.LastRev]})
	}
	return out
}

// NotInForceError is returned by Lookup for a code the schedule holds but
// not on the date asked for.
type NotInForceError struct {
	// Code is the code asked for, without dots; Date the date.
	Code string
	Date date.Date
	// Windows are the dates on which the code is in force.
	Windows []Window
	// Parent is the nearest line above the code (dotted) and InForce the
	// dotted lines of the code's length under it that are in force on Date:
	// its likely replacements.
	Parent  string
	InForce []string
}

func (e *NotInForceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTS %s is not in force on %s", Dotted(e.Code), dateWord(e.Date))
	var ws []string
	for _, w := range e.Windows {
		ws = append(ws, w.String())
	}
	if len(ws) > 0 {
		b.WriteString(": it is in force " + strings.Join(ws, " and "))
	}
	switch {
	case len(e.InForce) > 0:
		fmt.Fprintf(&b, "; in force then under %s: %s", e.Parent, strings.Join(e.InForce, ", "))
	case e.Parent != "":
		fmt.Fprintf(&b, "; no line of its length is in force then under %s", e.Parent)
	}
	return b.String()
}

func dateWord(d date.Date) string {
	if d == date.None {
		return "the newest revision"
	}
	return d.String()
}

// String describes the window: "from 2025-07-01 on (HTS 2025 Revision 16
// to HTS 2026 Revision 10)", "until 2025-06-30 (HTS 2025 Basic Edition to
// HTS 2025 Revision 15)".
func (w Window) String() string {
	var b strings.Builder
	switch {
	case w.From == date.Always && w.To == date.None:
		b.WriteString("on every date")
	case w.From == date.Always:
		fmt.Fprintf(&b, "until %s", w.To.AddDays(-1))
	case w.To == date.None:
		fmt.Fprintf(&b, "from %s on", w.From)
	default:
		fmt.Fprintf(&b, "from %s until %s", w.From, w.To.AddDays(-1))
	}
	if w.First == w.Last {
		fmt.Fprintf(&b, " (%s)", w.First)
	} else {
		fmt.Fprintf(&b, " (%s to %s)", w.First, w.Last)
	}
	return b.String()
}

// notInForce builds the error for a code the schedule holds that is not in
// force on d.
func (s *Schedule) notInForce(code string, d date.Date) error {
	e := &NotInForceError{Code: code, Date: d, Windows: s.Windows(code)}
	// The nearest ancestor code of the code's closest version, and the lines
	// of the code's length under it on d.
	ids := s.versionsOf(code)
	closest := &s.Lines[ids[0]]
	for _, i := range ids {
		if l := &s.Lines[i]; l.From <= d {
			closest = l
		}
	}
	for p := closest.Parent; p >= 0; p = s.Lines[p].Parent {
		pc := s.Lines[p].Code
		if pc == "" {
			continue
		}
		kids := s.inForceUnder(pc, len(code), d)
		if e.Parent == "" {
			e.Parent = Dotted(pc)
		}
		if len(kids) > 0 {
			e.Parent, e.InForce = Dotted(pc), kids
			break
		}
		if len(pc) <= 4 {
			break
		}
	}
	return e
}

// inForceUnder lists up to 12 dotted codes of length n starting with prefix
// that are in force on d.
func (s *Schedule) inForceUnder(prefix string, n int, d date.Date) []string {
	var out []string
	lo := sort.SearchStrings(s.sorted, prefix)
	for _, c := range s.sorted[lo:] {
		if !strings.HasPrefix(c, prefix) {
			break
		}
		if len(c) == n && c != prefix && s.at(c, d) != nil {
			out = append(out, Dotted(c))
			if len(out) == 12 {
				break
			}
		}
	}
	return out
}

// RevisionAt returns the index of the newest revision in force on d (its
// date on or before d), or 0 before the first. date.None gives the newest.
func (s *Schedule) RevisionAt(d date.Date) int {
	n := sort.Search(len(s.Revisions), func(i int) bool { return s.Revisions[i].Effective > d })
	if n == 0 {
		return 0
	}
	return n - 1
}

// Cite names the revision that prints l as it applies on d: the newest
// revision in force on d that prints this version (a version printed only
// by a later revision, retroactively, cites that revision).
//
// With l nil, it names the newest revision in force on d.
func (s *Schedule) Cite(l *Line, d date.Date) string {
	if len(s.titles) == 0 {
		return s.Revision
	}
	r := s.RevisionAt(d)
	if l == nil {
		return s.titles[r]
	}
	if r > l.LastRev {
		r = l.LastRev
	}
	if r < l.Rev {
		r = l.Rev
	}
	return s.titles[r]
}

// Version is one state of a record: its content as printed, the revisions
// that print it and the dates it is in force.
type Version struct {
	Code        string     `json:"code"`
	Dotted      string     `json:"dotted"`
	Indent      int        `json:"indent"`
	Description string     `json:"description"`
	Units       []string   `json:"units"`
	General     string     `json:"general"`
	Special     string     `json:"special"`
	Other       string     `json:"other"`
	Footnotes   []Footnote `json:"footnotes"`
	Quota       string     `json:"quota_quantity,omitempty"`
	Additional  string     `json:"additional_duties,omitempty"`
	// Discontinued says the record is no longer printed from this version on.
	Discontinued bool `json:"discontinued"`
	// From and To bound the dates it is in force (To exclusive; From equal
	// to To when a later, retroactive version replaced it before it applied).
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// Basis says where From comes from, and Change is the change record's
	// entry behind it, if any.
	Basis  string  `json:"basis"`
	Change *Change `json:"change,omitempty"`
	// FirstRevision and LastRevision print this version; Known is the date
	// it was published (the first revision's publication).
	FirstRevision string    `json:"first_revision"`
	LastRevision  string    `json:"last_revision"`
	Known         date.Date `json:"known_from"`
	// Changed lists the fields that differ from the previous version.
	Changed []string `json:"changed"`
}

// History returns every version of the record with the given HTS number,
// oldest first. A code the schedule never held gives a *NotFoundError.
func (s *Schedule) History(code string) ([]Version, error) {
	norm, err := Normalize(code)
	if err != nil {
		return nil, err
	}
	ids := s.versionsOf(norm)
	if len(ids) == 0 {
		return nil, &NotFoundError{Code: norm, Nearest: s.nearest(norm, 6, date.None)}
	}
	var out []Version
	done := map[int32]bool{}
	for _, i := range ids {
		sl := s.Lines[i].slot
		if done[sl] {
			continue
		}
		done[sl] = true
		out = append(out, s.slotHistory(int(sl))...)
	}
	// In the order the revisions printed them (a number can have two slots).
	sort.SliceStable(out, func(a, b int) bool { return out[a].Known < out[b].Known })
	return out, nil
}

func (s *Schedule) slotHistory(si int) []Version {
	sl := &s.hist.slots[si]
	var out []Version
	var prev *record
	for i := range sl.vers {
		v := &sl.vers[i]
		r := &s.hist.revs[v.first]
		ver := Version{Code: sl.code, Dotted: Dotted(sl.code), Discontinued: v.absent, From: v.from, To: v.to,
			Basis: v.basis.String(), FirstRevision: r.Title, LastRevision: s.hist.revs[v.last].Title,
			Known: r.Published, Units: []string{}, Footnotes: []Footnote{}, Changed: []string{}}
		if v.absent {
			ver.LastRevision = ""
		} else {
			rec := &v.rec
			ver.Indent, ver.Description, ver.General, ver.Special, ver.Other = rec.indent, rec.description, rec.general, rec.special, rec.other
			ver.Quota, ver.Additional = rec.quota, rec.additional
			ver.Units = nonNil(rec.units)
			if rec.footnotes != nil {
				ver.Footnotes = rec.footnotes
			}
			if prev != nil {
				ver.Changed = changedFields(prev, rec)
			}
			prev = rec
		}
		if v.change >= 0 {
			c := r.Changes[v.change]
			ver.Change = &c
		}
		out = append(out, ver)
	}
	return out
}

// changedFields names the fields in which b differs from a.
func changedFields(a, b *record) []string {
	out := []string{}
	add := func(cond bool, name string) {
		if cond {
			out = append(out, name)
		}
	}
	add(a.indent != b.indent, "indent")
	add(a.description != b.description, "description")
	add(strings.Join(a.units, ";") != strings.Join(b.units, ";"), "units")
	add(a.general != b.general, "general")
	add(a.special != b.special, "special")
	add(a.other != b.other, "other")
	fa, fb := record{footnotes: a.footnotes}, record{footnotes: b.footnotes}
	add(!fa.equal(&fb), "footnotes")
	add(a.quota != b.quota, "quota_quantity")
	add(a.additional != b.additional, "additional_duties")
	return out
}

// Printed returns revision r's records as that revision prints them, in its
// order, linked into its tree, with their rates parsed.
func (s *Schedule) Printed(r int) []Line {
	pc := newParseCache()
	recs := s.hist.printed(r)
	out := make([]Line, len(recs))
	var stack []int
	for i := range recs {
		l := pc.line(&recs[i])
		for len(stack) > 0 && out[stack[len(stack)-1]].Indent >= l.Indent {
			stack = stack[:len(stack)-1]
		}
		l.Parent = -1
		if len(stack) > 0 {
			l.Parent = stack[len(stack)-1]
		}
		l.Index, l.From, l.To, l.Rev, l.LastRev = i, date.Always, date.None, r, r
		out[i] = l
		stack = append(stack, i)
	}
	return out
}

// Changes returns the dates on which the line with the given HTS number
// changes: every start and end of its versions, its ancestors' changes
// included (a new version of a parent starts a new version of the line).
func (s *Schedule) Changes(code string) []date.Date {
	norm, err := Normalize(code)
	if err != nil {
		return nil
	}
	var out []date.Date
	for _, i := range s.versionsOf(norm) {
		l := &s.Lines[i]
		if l.From != date.Always {
			out = append(out, l.From)
		}
		if l.To != date.None {
			out = append(out, l.To)
		}
	}
	return out
}

// ChangeDates returns every date on which a version of some line starts or
// ends, ascending: between two of them the whole schedule is the same.
func (s *Schedule) ChangeDates() []date.Date {
	s.changeOnce.Do(func() {
		set := map[date.Date]bool{}
		for i := range s.Lines {
			if l := &s.Lines[i]; l.From != date.Always {
				set[l.From] = true
			}
			if l := &s.Lines[i]; l.To != date.None {
				set[l.To] = true
			}
		}
		for d := range set {
			s.changes = append(s.changes, d)
		}
		slices.Sort(s.changes)
	})
	return s.changes
}

// InForce reports whether Lookup(code, d) finds a line: code (digits, dots
// allowed) is held and in force on d. It does not allocate, so callers that
// assess many lines on many dates can pass over those not in force cheaply.
func (s *Schedule) InForce(code string, d date.Date) bool {
	var buf [10]byte
	n := 0
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return false
			}
			buf[n] = c
			n++
		case c == '.':
		default:
			_, err := s.Lookup(code, d)
			return err == nil
		}
	}
	sp, ok := s.byCode[string(buf[:n])]
	if !ok {
		return false
	}
	for _, i := range s.byDate[sp.off : sp.off+sp.n] {
		if s.Lines[i].inForce(d) {
			return true
		}
	}
	return false
}
