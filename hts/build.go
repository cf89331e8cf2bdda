package hts

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
)

// Revision is one USITC revision of the HTS that a schedule holds.
type Revision struct {
	// Name is the USITC's release name ("2025HTSRev16", "2026HTSBasic"), or
	// the file name when the release is not known.
	Name string `json:"name"`
	// Title is the name as levy prints it ("HTS 2025 Revision 16").
	Title string `json:"title"`
	// File is the export read and SHA256 its checksum (hex).
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Effective is the revision's date: its changes apply from it unless its
	// change record gives a change another date. Zero when not known (an
	// export read alone).
	Effective date.Date `json:"effective"`
	// Published is the date the revision was published (its change record's
	// date); a version it prints is known from then.
	Published date.Date `json:"published"`
	// Records and Lines10 count the export's records and 10-digit lines.
	Records int `json:"records"`
	Lines10 int `json:"lines_10digit"`
	// ChangeRecord and ChangeRecordSHA256 name the change record read, if any.
	ChangeRecord       string `json:"change_record,omitempty"`
	ChangeRecordSHA256 string `json:"change_record_sha256,omitempty"`
	// Changes are the change record's entries.
	Changes []Change `json:"-"`
}

// Basis says where a version's start date comes from.
type Basis uint8

// Bases of a version's start date.
const (
	// BasisFirst: the version is printed by the first revision levy holds
	// and is read as in force before it too.
	BasisFirst Basis = iota
	// BasisRevision: the revision's date; no change record entry dates it.
	BasisRevision
	// BasisChange: the effective date the change record gives the record.
	BasisChange
	// BasisParent: the effective date the change record gives the record's
	// parent line (a line added, annotated, deleted or restored with its
	// statistical lines).
	BasisParent
	// BasisCarried: the revision's date would fall before the previous
	// version's own start; the version starts with it instead.
	BasisCarried
)

func (b Basis) String() string {
	switch b {
	case BasisFirst:
		return "first revision"
	case BasisRevision:
		return "revision date"
	case BasisChange:
		return "change record"
	case BasisParent:
		return "change record (parent line)"
	case BasisCarried:
		return "previous version's date"
	}
	return "unknown"
}

// record is the content of one record of an export, as levy reads it.
type record struct {
	code        string
	indent      int
	header      bool
	description string
	units       []string
	general     string
	special     string
	other       string
	footnotes   []Footnote
	quota       string
	additional  string
}

func recordOf(l *Line) record {
	return record{code: l.Code, indent: l.Indent, header: l.Code == "", description: l.Description, units: l.Units,
		general: l.General, special: l.SpecialText, other: l.Other, footnotes: l.Footnotes,
		quota: l.QuotaQuantity, additional: l.AdditionalDuties}
}

// key identifies a record across revisions: its code, or for a header row
// its description.
func (r *record) key() string {
	if r.code != "" {
		return r.code
	}
	return "\x00" + r.description
}

func (r *record) equal(o *record) bool {
	if r.code != o.code || r.indent != o.indent || r.header != o.header || r.description != o.description ||
		r.general != o.general || r.special != o.special || r.other != o.other || r.quota != o.quota ||
		r.additional != o.additional || !slices.Equal(r.units, o.units) || len(r.footnotes) != len(o.footnotes) {
		return false
	}
	for i := range r.footnotes {
		a, b := &r.footnotes[i], &o.footnotes[i]
		if a.Text != b.Text || a.Type != b.Type || a.Marker != b.Marker || !slices.Equal(a.Columns, b.Columns) {
			return false
		}
	}
	return true
}

// version is one state of a record slot: printed by revisions first..last,
// or (absent) no longer printed from revision first on.
type version struct {
	rec         record
	absent      bool
	first, last int
	start       date.Date
	basis       Basis
	change      int // index into the revision's Changes, or -1
	// from and to bound the entry dates it is in force on; computed when
	// the history is resolved.
	from, to date.Date
}

// slot is one record through time: the same code, or the same header row,
// in every revision that prints it.
type slot struct {
	code string
	vers []version
}

// history is every revision's records, as slots in one order that contains
// each revision's printed order.
type history struct {
	revs  []Revision
	slots []slot
	live  []int // slots printed by the newest revision, in order
}

// Builder compiles revisions of the schedule, oldest first, into one dated
// history. Add each revision's records with Add, then call Schedule.
type Builder struct {
	h history
}

// NewBuilder starts an empty history.
func NewBuilder() *Builder { return &Builder{} }

// Revisions returns the revisions added so far.
func (b *Builder) Revisions() []Revision { return b.h.revs }

// Add appends a revision printed as s (an export read with Read). rev
// describes it; its Records and Lines10 are taken from s. Revisions must
// come in order: rev.Effective must not be before the previous revision's.
func (b *Builder) Add(rev Revision, s *Schedule) error {
	if n := len(b.h.revs); n > 0 && rev.Effective != 0 && rev.Effective < b.h.revs[n-1].Effective {
		return fmt.Errorf("revision %s (%s) is older than %s (%s): add revisions oldest first",
			rev.Name, rev.Effective, b.h.revs[n-1].Name, b.h.revs[n-1].Effective)
	}
	var recs []record
	if s.hist != nil && len(s.hist.revs) > 0 {
		recs = s.hist.printed(len(s.hist.revs) - 1)
	} else {
		for i := range s.Lines {
			recs = append(recs, recordOf(&s.Lines[i]))
		}
	}
	st := s.Stats()
	rev.Records, rev.Lines10 = st.Records, st.Lines10
	b.add(rev, recs)
	return nil
}

// add merges one revision's records into the history.
func (b *Builder) add(rev Revision, recs []record) {
	h := &b.h
	r := len(h.revs)
	h.revs = append(h.revs, rev)
	match := h.align(recs)

	// The new slot order: old slots in their order, each new record's slot
	// placed right after the slot of the record printed before it.
	slots := make([]slot, 0, len(h.slots)+len(recs)/16)
	at := make([]int, len(recs))
	next := 0
	for i := range recs {
		if s := match[i]; s >= 0 {
			for next <= s {
				slots = append(slots, h.slots[next])
				next++
			}
			at[i] = len(slots) - 1
			continue
		}
		at[i] = len(slots)
		slots = append(slots, slot{code: recs[i].code})
	}
	slots = append(slots, h.slots[next:]...)
	h.slots = slots

	changes := changesByCode(rev.Changes)
	printed := make([]bool, len(slots))
	for i := range recs {
		sl := &slots[at[i]]
		printed[at[i]] = true
		if n := len(sl.vers); n > 0 {
			last := &sl.vers[n-1]
			if !last.absent && last.last == r-1 && last.rec.equal(&recs[i]) {
				last.last = r
				continue
			}
		}
		sl.vers = append(sl.vers, b.newVersion(sl, recs[i], r, changes, false))
	}
	for i := range slots {
		sl := &slots[i]
		if n := len(sl.vers); n > 0 && !printed[i] && !sl.vers[n-1].absent {
			sl.vers = append(sl.vers, b.newVersion(sl, record{code: sl.code}, r, changes, true))
		}
	}
	h.live = h.live[:0]
	for i := range recs {
		h.live = append(h.live, at[i])
	}
}

// newVersion dates a record's new state in revision r (see Basis).
func (b *Builder) newVersion(sl *slot, rec record, r int, changes map[string][]int, absent bool) version {
	v := version{rec: rec, absent: absent, first: r, last: r, change: -1, basis: BasisRevision}
	rev := &b.h.revs[r]
	if r == 0 {
		v.start, v.basis = date.Always, BasisFirst
		return v
	}
	v.start = rev.Effective
	isNew := len(sl.vers) == 0 || sl.vers[len(sl.vers)-1].absent
	if sl.code != "" {
		if i := pickChange(rev.Changes, changes[sl.code], isNew, absent, false); i >= 0 {
			v.change = i
			if d := rev.Changes[i].Effective; d != date.None {
				v.start, v.basis = d, BasisChange
			}
		} else if isNew || absent {
			for k := len(sl.code) - 2; k >= 4 && v.change < 0; k -= 2 {
				if i := pickChange(rev.Changes, changes[sl.code[:k]], isNew, absent, true); i >= 0 && rev.Changes[i].Effective != date.None {
					v.change, v.start, v.basis = i, rev.Changes[i].Effective, BasisParent
				}
			}
		}
	}
	if n := len(sl.vers); (v.basis == BasisRevision) && n > 0 && v.start < sl.vers[n-1].start {
		v.start, v.basis = sl.vers[n-1].start, BasisCarried
	}
	return v
}

// pickChange chooses among a revision's change record entries for one code
// the one that describes the change seen: an establishment for a new
// record, a discontinuation for one no longer printed, else the first. For
// a parent line only those two kinds count.
func pickChange(all []Change, idx []int, isNew, absent, parent bool) int {
	want := func(n string) bool {
		n = strings.ToLower(n)
		switch {
		case absent:
			return strings.HasPrefix(n, "discontinued") || strings.HasPrefix(n, "deleted") || strings.HasPrefix(n, "restored")
		case isNew:
			return strings.HasPrefix(n, "established") || strings.HasPrefix(n, "added") || strings.HasPrefix(n, "annotated")
		}
		return !parent
	}
	for _, i := range idx {
		if want(all[i].Nature) {
			return i
		}
	}
	if !parent && len(idx) > 0 {
		return idx[0]
	}
	return -1
}

// changesByCode indexes a change record's entries by HTS number. A basic
// edition's record also lists the changes earlier revisions of the year
// made (its Edition column names them); only its own count.
func changesByCode(cs []Change) map[string][]int {
	m := map[string][]int{}
	for i, c := range cs {
		if c.Code != "" && (c.Edition == "" || !strings.HasPrefix(strings.ToLower(c.Edition), "rev")) {
			m[c.Code] = append(m[c.Code], i)
		}
	}
	return m
}

// align matches each record of a new revision to the slot that held it in
// the previous revision (-1: a new record). Coded records match by code, in
// the longest run that keeps both revisions' order; header rows between
// them match by their text.
func (h *history) align(recs []record) []int {
	match := make([]int, len(recs))
	for i := range match {
		match[i] = -1
	}
	prev := h.live
	if len(prev) == 0 {
		return match
	}
	pos := make(map[string]int, len(prev))
	for p, s := range prev {
		if c := h.slots[s].code; c != "" {
			if _, dup := pos[c]; !dup {
				pos[c] = p
			}
		}
	}
	var ri, pi []int
	for i := range recs {
		if c := recs[i].code; c != "" {
			if p, ok := pos[c]; ok {
				ri, pi = append(ri, i), append(pi, p)
			}
		}
	}
	keep := increasingRun(pi)
	type pair struct{ r, p int }
	anchors := []pair{{-1, -1}}
	for _, k := range keep {
		anchors = append(anchors, pair{ri[k], pi[k]})
	}
	anchors = append(anchors, pair{len(recs), len(prev)})
	prevKey := func(p int) string {
		sl := &h.slots[prev[p]]
		if sl.code != "" {
			return sl.code
		}
		return sl.vers[len(sl.vers)-1].rec.key()
	}
	for a := 0; a+1 < len(anchors); a++ {
		lo, hi := anchors[a], anchors[a+1]
		if lo.r >= 0 {
			match[lo.r] = prev[lo.p]
		}
		rs := recs[lo.r+1 : hi.r]
		ps := make([]string, 0, hi.p-lo.p-1)
		for p := lo.p + 1; p < hi.p; p++ {
			ps = append(ps, prevKey(p))
		}
		for _, m := range lcs(rs, ps) {
			match[lo.r+1+m[0]] = prev[lo.p+1+m[1]]
		}
	}
	return match
}

// increasingRun returns the indexes of a longest strictly increasing
// subsequence of xs.
func increasingRun(xs []int) []int {
	tails := []int{} // tails[k]: index of the smallest tail of a run of length k+1
	prev := make([]int, len(xs))
	for i, x := range xs {
		k := sort.Search(len(tails), func(j int) bool { return xs[tails[j]] >= x })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([]int, len(tails))
	if len(tails) == 0 {
		return out
	}
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k-- {
		out[k] = i
		i = prev[i]
	}
	return out
}

// lcs matches records to previous keys in order, as a longest common
// subsequence; gaps too large for the table are matched greedily.
func lcs(rs []record, ps []string) [][2]int {
	n, m := len(rs), len(ps)
	if n == 0 || m == 0 {
		return nil
	}
	var out [][2]int
	if n*m > 1<<22 {
		j := 0
		for i := range rs {
			k := rs[i].key()
			for t := j; t < m; t++ {
				if ps[t] == k {
					out = append(out, [2]int{i, t})
					j = t + 1
					break
				}
			}
		}
		return out
	}
	t := make([]int32, (n+1)*(m+1))
	at := func(i, j int) *int32 { return &t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		k := rs[i].key()
		for j := m - 1; j >= 0; j-- {
			switch {
			case k == ps[j]:
				*at(i, j) = *at(i+1, j+1) + 1
			case *at(i+1, j) >= *at(i, j+1):
				*at(i, j) = *at(i+1, j)
			default:
				*at(i, j) = *at(i, j+1)
			}
		}
	}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case rs[i].key() == ps[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case *at(i+1, j) >= *at(i, j+1):
			i++
		default:
			j++
		}
	}
	return out
}

// printed returns revision r's records in its printed order.
func (h *history) printed(r int) []record {
	var out []record
	for i := range h.slots {
		if v := h.slots[i].printedAt(r); v != nil {
			out = append(out, v.rec)
		}
	}
	return out
}

// printedAt returns the version revision r printed, or nil.
func (sl *slot) printedAt(r int) *version {
	for i := len(sl.vers) - 1; i >= 0; i-- {
		v := &sl.vers[i]
		if v.first <= r {
			if v.absent || v.last < r {
				return nil
			}
			return v
		}
	}
	return nil
}

// Schedule returns the schedule of the revisions added so far. The builder
// must not be used afterwards.
func (b *Builder) Schedule() *Schedule {
	s := scheduleOf(&b.h, true)
	s.Revision = historyTitle(b.h.revs)
	s.Source = "built"
	return s
}

// Builder returns a builder holding s's history, to add newer revisions
// to; s itself is not changed.
func (s *Schedule) Builder() *Builder {
	b := &Builder{}
	b.h.revs = append([]Revision(nil), s.hist.revs...)
	b.h.slots = make([]slot, len(s.hist.slots))
	for i, sl := range s.hist.slots {
		b.h.slots[i] = slot{code: sl.code, vers: append([]version(nil), sl.vers...)}
	}
	b.h.live = append([]int(nil), s.hist.live...)
	return b
}
