package hts

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/levy-tariff/levy/date"
)

// The pack is levy's own compact form of a schedule history: every
// revision's name, dates, checksums and change record, then every record
// slot with its versions, each version's texts as indexes into one table
// of distinct strings. It is gzip-compressed. The layout is private to
// this file; packVersion changes whenever it does.
const (
	packMagic   = "LEVYHTS"
	packVersion = 1
)

// WritePack writes the history of s in levy's compact form.
func (s *Schedule) WritePack(w io.Writer) error {
	if s.hist == nil {
		return errors.New("schedule has no history to write")
	}
	var body bytes.Buffer
	e := &packEncoder{strings: map[string]uint64{}}
	e.history(s.hist)
	// The string table comes first so that a reader can resolve indexes as
	// it goes.
	e.tableTo(&body)
	body.Write(e.buf.Bytes())

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write([]byte(packMagic)); err != nil {
		return err
	}
	var hdr [binary.MaxVarintLen64]byte
	zw.Write(hdr[:binary.PutUvarint(hdr[:], packVersion)])
	if _, err := zw.Write(body.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

type packEncoder struct {
	buf     bytes.Buffer
	strings map[string]uint64
	table   []string
}

func (e *packEncoder) uint(v uint64) {
	var b [binary.MaxVarintLen64]byte
	e.buf.Write(b[:binary.PutUvarint(b[:], v)])
}

func (e *packEncoder) int(v int64) {
	var b [binary.MaxVarintLen64]byte
	e.buf.Write(b[:binary.PutVarint(b[:], v)])
}

func (e *packEncoder) str(s string) {
	i, ok := e.strings[s]
	if !ok {
		i = uint64(len(e.table))
		e.strings[s] = i
		e.table = append(e.table, s)
	}
	e.uint(i)
}

func (e *packEncoder) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *packEncoder) tableTo(w *bytes.Buffer) {
	var b [binary.MaxVarintLen64]byte
	w.Write(b[:binary.PutUvarint(b[:], uint64(len(e.table)))])
	for _, s := range e.table {
		w.Write(b[:binary.PutUvarint(b[:], uint64(len(s)))])
		w.WriteString(s)
	}
}

func (e *packEncoder) history(h *history) {
	e.uint(uint64(len(h.revs)))
	for i := range h.revs {
		r := &h.revs[i]
		e.str(r.Name)
		e.str(r.Title)
		e.str(r.File)
		e.str(r.SHA256)
		e.int(int64(r.Effective))
		e.int(int64(r.Published))
		e.uint(uint64(r.Records))
		e.uint(uint64(r.Lines10))
		e.str(r.ChangeRecord)
		e.str(r.ChangeRecordSHA256)
		e.uint(uint64(len(r.Changes)))
		for _, c := range r.Changes {
			e.str(c.Item)
			e.str(c.Code)
			e.str(c.Nature)
			e.int(int64(c.Effective))
			e.str(c.Printed)
			e.str(c.Source)
			e.str(c.Edition)
		}
	}
	e.uint(uint64(len(h.slots)))
	for i := range h.slots {
		sl := &h.slots[i]
		e.str(sl.code)
		e.uint(uint64(len(sl.vers)))
		for j := range sl.vers {
			v := &sl.vers[j]
			flags := uint64(v.basis) << 1
			if v.absent {
				flags |= 1
			}
			e.uint(flags)
			e.uint(uint64(v.first))
			e.uint(uint64(v.last - v.first))
			e.int(int64(v.start))
			e.int(int64(v.change))
			if !v.absent {
				e.record(&v.rec)
			}
		}
	}
}

func (e *packEncoder) record(r *record) {
	ind := uint64(r.indent) << 1
	if r.header {
		ind |= 1
	}
	e.uint(ind)
	e.str(r.description)
	e.strs(r.units)
	e.str(r.general)
	e.str(r.special)
	e.str(r.other)
	e.uint(uint64(len(r.footnotes)))
	for _, f := range r.footnotes {
		e.strs(f.Columns)
		e.str(f.Text)
		e.str(f.Type)
		e.str(f.Marker)
	}
	e.str(r.quota)
	e.str(r.additional)
}

// ReadPack reads a history written by WritePack. name is used in errors.
func ReadPack(r io.Reader, name string) (*Schedule, error) {
	h, err := readHistory(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := scheduleOf(h, true)
	s.Source = name
	s.Revision = historyTitle(h.revs)
	return s, nil
}

func historyTitle(revs []Revision) string {
	switch len(revs) {
	case 0:
		return "no revision"
	case 1:
		return revs[0].Title
	}
	return fmt.Sprintf("%s to %s (%d revisions)", revs[0].Title, revs[len(revs)-1].Title, len(revs))
}

func readHistory(r io.Reader) (*history, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a levy schedule pack: %w", err)
	}
	raw, err := io.ReadAll(bufio.NewReader(zr))
	if err != nil {
		return nil, fmt.Errorf("reading the pack: %w", err)
	}
	if !bytes.HasPrefix(raw, []byte(packMagic)) {
		return nil, errors.New("not a levy schedule pack")
	}
	d := &packDecoder{b: raw[len(packMagic):]}
	if v := d.uint(); v != packVersion {
		return nil, fmt.Errorf("pack format %d; this levy reads format %d", v, packVersion)
	}
	d.readTable()
	h := d.history()
	if d.err != nil {
		return nil, fmt.Errorf("damaged pack: %w", d.err)
	}
	return h, nil
}

type packDecoder struct {
	b     []byte
	err   error
	table []string
	cites map[string][]string
}

func (d *packDecoder) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
	}
	d.b = nil
}

func (d *packDecoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *packDecoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("truncated number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length and checks it against what is left to read, so a
// damaged pack cannot ask for a huge allocation.
func (d *packDecoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail("count beyond the end of the pack")
		return 0
	}
	return int(n)
}

func (d *packDecoder) readTable() {
	n := d.count()
	// One string holds every text; the table's entries are slices of it.
	offs := make([][2]int, n)
	var all bytes.Buffer
	for i := 0; i < n && d.err == nil; i++ {
		l := d.count()
		if l > len(d.b) {
			d.fail("string beyond the end of the pack")
			return
		}
		offs[i] = [2]int{all.Len(), all.Len() + l}
		all.Write(d.b[:l])
		d.b = d.b[l:]
	}
	text := all.String()
	d.table = make([]string, n)
	for i, o := range offs {
		d.table[i] = text[o[0]:o[1]]
	}
}

func (d *packDecoder) str() string {
	i := d.uint()
	if i >= uint64(len(d.table)) {
		d.fail("string index out of range")
		return ""
	}
	return d.table[i]
}

func (d *packDecoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *packDecoder) date() date.Date { return date.Date(int32(d.int())) }

func (d *packDecoder) history() *history {
	h := &history{}
	h.revs = make([]Revision, d.count())
	for i := range h.revs {
		r := &h.revs[i]
		r.Name, r.Title, r.File, r.SHA256 = d.str(), d.str(), d.str(), d.str()
		r.Effective, r.Published = d.date(), d.date()
		r.Records, r.Lines10 = int(d.uint()), int(d.uint())
		r.ChangeRecord, r.ChangeRecordSHA256 = d.str(), d.str()
		r.Changes = make([]Change, d.count())
		for j := range r.Changes {
			c := &r.Changes[j]
			c.Item, c.Code, c.Nature = d.str(), d.str(), d.str()
			c.Effective = d.date()
			c.Printed, c.Source, c.Edition = d.str(), d.str(), d.str()
		}
	}
	d.cites = map[string][]string{}
	h.slots = make([]slot, d.count())
	for i := range h.slots {
		sl := &h.slots[i]
		sl.code = d.str()
		sl.vers = make([]version, d.count())
		for j := range sl.vers {
			v := &sl.vers[j]
			flags := d.uint()
			v.absent, v.basis = flags&1 == 1, Basis(flags>>1)
			v.first = int(d.uint())
			v.last = v.first + int(d.uint())
			v.start = d.date()
			v.change = int(d.int())
			if v.first >= len(h.revs) || v.last >= len(h.revs) || v.change >= len(h.revs[v.first].Changes) {
				d.fail("version refers to a revision or change the pack does not hold")
				return h
			}
			if !v.absent {
				v.rec = d.record(sl.code)
			} else {
				v.rec.code = sl.code
			}
		}
		if d.err != nil {
			return h
		}
	}
	// The newest revision's printed slots, in order, for adding revisions.
	if n := len(h.revs); n > 0 {
		for i := range h.slots {
			if h.slots[i].printedAt(n-1) != nil {
				h.live = append(h.live, i)
			}
		}
	}
	return h
}

func (d *packDecoder) record(code string) record {
	r := record{code: code}
	ind := d.uint()
	r.indent, r.header = int(ind>>1), ind&1 == 1
	r.description = d.str()
	r.units = d.strs()
	r.general, r.special, r.other = d.str(), d.str(), d.str()
	if n := d.count(); n > 0 {
		r.footnotes = make([]Footnote, n)
		for i := range r.footnotes {
			f := &r.footnotes[i]
			f.Columns = d.strs()
			f.Text, f.Type, f.Marker = d.str(), d.str(), d.str()
			hs, ok := d.cites[f.Text]
			if !ok {
				hs = citedHeadings(f.Text)
				d.cites[f.Text] = hs
			}
			f.Headings = hs
		}
	}
	r.quota, r.additional = d.str(), d.str()
	return r
}

// LoadPack reads a history written by WritePack from a file.
func LoadPack(path string) (*Schedule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadPack(f, path)
}

// Extends reports whether s holds every revision of base, with the same
// exports (by checksum), and at least one more.
func (s *Schedule) Extends(base *Schedule) bool {
	if len(s.Revisions) <= len(base.Revisions) {
		return false
	}
	for i, r := range base.Revisions {
		if o := s.Revisions[i]; o.Name != r.Name || o.SHA256 != r.SHA256 {
			return false
		}
	}
	return true
}
