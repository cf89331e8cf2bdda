package weights

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The compact format, version 1, is a gzip stream holding:
//
//	magic    "levyimp\x01"
//	year     uvarint
//	flow     string (the value measure, e.g. "consumption")
//	n        uvarint, then n countries: code string, name string
//	k        uvarint, then k codes: the first as a number, each next as the
//	         difference from the previous one (strictly ascending, 10 digits)
//	per code uvarint count of rows (at least 1), then each row's country:
//	         the first as an index, each next as the gap minus one (strictly
//	         ascending within the code)
//	values   one uvarint per row, in the same order, each at least 1
//
// A string is a uvarint length (at most 255) and its bytes. Nothing may
// follow the last value. The structure comes before the values so that
// each part compresses on its own statistics.
const magic = "levyimp\x01"

// Limits of the format; a file beyond them is rejected rather than read.
const (
	maxString    = 255
	maxCountries = 1 << 16
	maxCode      = 9_999_999_999
	// MaxValue is the largest value of one row (a quadrillion dollars).
	MaxValue = 1_000_000_000_000_000
	// maxRaw bounds the uncompressed size Read accepts, against
	// decompression bombs: twenty times the largest table levy ships.
	maxRaw = 64 << 20
)

// Encode writes t in the compact format, gzip-compressed. The output is a
// function of t alone (no time stamp or name in the gzip header).
func Encode(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	raw := encodeRaw(t)
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	return zw.Close()
}

func encodeRaw(t *Table) []byte {
	var b []byte
	b = append(b, magic...)
	b = binary.AppendUvarint(b, uint64(t.Year))
	b = appendString(b, t.Flow)
	b = binary.AppendUvarint(b, uint64(len(t.Countries)))
	for _, c := range t.Countries {
		b = appendString(b, c.Code)
		b = appendString(b, c.Name)
	}
	b = binary.AppendUvarint(b, uint64(len(t.Codes)))
	prev := uint64(0)
	for _, c := range t.Codes {
		n, _ := strconv.ParseUint(c, 10, 64)
		b = binary.AppendUvarint(b, n-prev)
		prev = n
	}
	for i := 0; i < len(t.Rows); {
		j := i
		for j < len(t.Rows) && t.Rows[j].Code == t.Rows[i].Code {
			j++
		}
		b = binary.AppendUvarint(b, uint64(j-i))
		for k := i; k < j; k++ {
			c := uint64(t.Rows[k].Country)
			if k > i {
				c -= uint64(t.Rows[k-1].Country) + 1
			}
			b = binary.AppendUvarint(b, c)
		}
		i = j
	}
	for _, r := range t.Rows {
		b = binary.AppendUvarint(b, r.Value)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Read reads a table in the compact format (gzip-compressed).
func Read(r io.Reader) (*Table, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a levy imports file: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxRaw+1))
	if err != nil {
		return nil, fmt.Errorf("reading the compressed stream: %w", err)
	}
	if len(raw) > maxRaw {
		return nil, fmt.Errorf("uncompressed size above %d bytes", maxRaw)
	}
	return Decode(raw)
}

// Decode reads an uncompressed table. Every count is checked against the
// bytes that remain before anything is allocated, so a damaged or hostile
// input gives an error that says where, never a panic or a huge allocation.
func Decode(raw []byte) (*Table, error) {
	d := &decoder{b: raw}
	if !bytes.HasPrefix(raw, []byte(magic)) {
		return nil, errors.New("not a levy imports file (version 1): bad magic")
	}
	d.pos = len(magic)
	t := &Table{}
	year := d.uvarint("year")
	if d.err == nil && (year < 1900 || year > 9999) {
		d.fail("year %d out of range", year)
	}
	t.Year = int(year)
	t.Flow = d.string("flow")
	nc := d.count("countries", maxCountries, 2)
	if d.err != nil {
		return nil, d.err
	}
	t.Countries = make([]Country, nc)
	for i := range t.Countries {
		t.Countries[i] = Country{Code: d.string("country code"), Name: d.string("country name")}
	}
	nk := d.count("codes", maxCode, 1)
	if d.err != nil {
		return nil, d.err
	}
	t.Codes = make([]string, nk)
	code := uint64(0)
	for i := range t.Codes {
		delta := d.uvarint("code")
		if d.err != nil {
			return nil, d.err
		}
		if i > 0 && delta == 0 || delta > maxCode-code {
			return nil, d.fail("code %d: not ascending or above 10 digits", i)
		}
		code += delta
		t.Codes[i] = fmt.Sprintf("%010d", code)
	}
	for i := range t.Codes {
		n := d.count("rows of a code", nc, 1)
		if d.err == nil && n == 0 {
			d.fail("code %s has no rows", t.Codes[i])
		}
		if d.err != nil {
			return nil, d.err
		}
		prev := uint64(0)
		for k := 0; k < n; k++ {
			c := d.uvarint("country index")
			if k > 0 {
				c += prev + 1
			}
			if d.err == nil && (c < prev || c >= uint64(nc)) {
				d.fail("code %s: country index %d out of order or range", t.Codes[i], c)
			}
			if d.err != nil {
				return nil, d.err
			}
			t.Rows = append(t.Rows, Row{Code: int32(i), Country: uint16(c)})
			prev = c
		}
	}
	if len(t.Rows) > len(d.b)-d.pos {
		return nil, d.fail("%d rows but only %d bytes of values", len(t.Rows), len(d.b)-d.pos)
	}
	for i := range t.Rows {
		v := d.uvarint("value")
		if d.err == nil && (v == 0 || v > MaxValue) {
			d.fail("row %d: value %d out of range", i, v)
		}
		if d.err != nil {
			return nil, d.err
		}
		t.Rows[i].Value = v
	}
	if d.pos != len(d.b) {
		return nil, d.fail("%d bytes after the last value", len(d.b)-d.pos)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

type decoder struct {
	b   []byte
	pos int
	err error
}

func (d *decoder) fail(format string, args ...any) error {
	if d.err == nil {
		d.err = fmt.Errorf("byte %d: %s", d.pos, fmt.Sprintf(format, args...))
	}
	return d.err
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		d.fail("%s: truncated or malformed number", what)
		return 0
	}
	d.pos += n
	return v
}

// count reads a count of items of at least minBytes bytes each, bounded by
// limit and by the bytes that remain.
func (d *decoder) count(what string, limit, minBytes int) int {
	n := d.uvarint(what)
	if d.err == nil && (n > uint64(limit) || n > uint64((len(d.b)-d.pos)/minBytes)) {
		d.fail("%d %s: more than the format allows or the file holds", n, what)
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

func (d *decoder) string(what string) string {
	n := d.uvarint(what)
	if d.err == nil && (n > maxString || n > uint64(len(d.b)-d.pos)) {
		d.fail("%s: length %d too long", what, n)
	}
	if d.err != nil {
		return ""
	}
	s := string(d.b[d.pos : d.pos+int(n)])
	d.pos += int(n)
	return s
}
