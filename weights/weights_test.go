package weights

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func small() *Table {
	return &Table{Year: 2025, Flow: "consumption",
		Countries: []Country{{"1220", "CANADA"}, {"5880", "JAPAN"}, {"5800", "KOREA, SOUTH"}},
		Codes:     []string{"0101210010", "8703230140", "9999950000"},
		Rows:      []Row{{0, 0, 845634}, {1, 1, 12401661040}, {1, 2, 1}, {2, 0, 7}, {2, 1, MaxValue}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tab := range []*Table{small(), {Year: 2024, Flow: ""}, {Year: 2024, Flow: "x", Countries: []Country{{"1", "Ø"}}}} {
		var b bytes.Buffer
		if err := Encode(&b, tab); err != nil {
			t.Fatal(err)
		}
		got, err := Read(&b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(norm(got), norm(tab)) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, tab)
		}
	}
}

// norm makes empty and nil slices compare equal.
func norm(t *Table) Table {
	c := *t
	if len(c.Countries) == 0 {
		c.Countries = nil
	}
	if len(c.Codes) == 0 {
		c.Codes = nil
	}
	if len(c.Rows) == 0 {
		c.Rows = nil
	}
	return c
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Table)
		want   string
	}{
		{"year", func(t *Table) { t.Year = 20 }, "year 20"},
		{"short code", func(t *Table) { t.Codes[0] = "010121001" }, "not 10 digits"},
		{"letters", func(t *Table) { t.Codes[0] = "01012100AB" }, "not 10 digits"},
		{"order of codes", func(t *Table) { t.Codes[0], t.Codes[1] = t.Codes[1], t.Codes[0] }, "codes must ascend"},
		{"order of rows", func(t *Table) { t.Rows[1], t.Rows[2] = t.Rows[2], t.Rows[1] }, "rows must ascend"},
		{"duplicate pair", func(t *Table) { t.Rows[2].Country = 1 }, "one per pair"},
		{"zero", func(t *Table) { t.Rows[0].Value = 0 }, "value 0 out of range"},
		{"huge", func(t *Table) { t.Rows[0].Value = MaxValue + 1 }, "out of range"},
		{"unknown country", func(t *Table) { t.Rows[4].Country = 9 }, "lacks"},
		{"code without rows", func(t *Table) { t.Rows = t.Rows[:1] }, "has no rows"},
		{"bad UTF-8", func(t *Table) { t.Countries[0].Name = "\xff" }, "UTF-8"},
		{"long name", func(t *Table) { t.Countries[0].Name = strings.Repeat("x", 256) }, "at most 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := small()
			tt.change(tab)
			err := Encode(&bytes.Buffer{}, tab)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func raw(t *Table) []byte { return encodeRaw(t) }

func TestDecodeErrors(t *testing.T) {
	good := raw(small())
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"other magic", []byte("levyimp\x02"), "bad magic"},
		{"truncated", good[:len(good)-1], "truncated"},
		{"trailing", append(append([]byte{}, good...), 0), "1 bytes after the last value"},
		{"huge count", append([]byte(magic), 0xe9, 0x0f, 0, 0xff, 0xff, 0xff, 0xff, 0x0f), "more than the format allows"},
		{"long string", append([]byte(magic), 0xe9, 0x0f, 0x80, 0x02), "too long"},
		{"year", append([]byte(magic), 5), "year 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Read(strings.NewReader("year,hts10\n")); err == nil || !strings.Contains(err.Error(), "not a levy imports file") {
		t.Errorf("plain text read as a table: %v", err)
	}
}

// FuzzDecode checks that no input makes Decode panic, and that whatever it
// accepts is a valid table that encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(raw(small()))
	f.Add(raw(&Table{Year: 2024}))
	f.Add([]byte(magic))
	f.Add(append([]byte(magic), 0xe9, 0x0f, 0, 1, 1, 0x80, 0x02))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := Decode(b)
		if err != nil {
			return
		}
		if err := tab.Validate(); err != nil {
			t.Fatalf("decoded an invalid table: %v", err)
		}
		if again := encodeRaw(tab); !bytes.Equal(again, b) {
			// Uvarints have one shortest form; Decode accepts longer ones,
			// so compare the tables, not the bytes.
			back, err := Decode(again)
			if err != nil || !reflect.DeepEqual(norm(back), norm(tab)) {
				t.Fatalf("re-encoding changed the table: %v", err)
			}
		}
	})
}

// TestEmbeddedMatchesRecord checks the embedded files against what the
// generator recorded beside them: checksum, size, rows, codes, countries
// and total value.
func TestEmbeddedMatchesRecord(t *testing.T) {
	src, err := CensusSources()
	if err != nil {
		t.Fatal(err)
	}
	if got := CensusYears(); !reflect.DeepEqual(got, []int{2024, 2025}) {
		t.Errorf("years %v", got)
	}
	total := 0
	for _, f := range src.Files {
		b, err := CensusBytes(f.Year)
		if err != nil {
			t.Fatal(err)
		}
		total += len(b)
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != f.SHA256 || len(b) != f.Bytes {
			t.Errorf("%s: sha256 or size differs from SOURCES.json (run go generate ./weights)", f.File)
		}
		tab, err := Census(f.Year)
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Rows) != f.Rows || len(tab.Codes) != f.Codes || len(tab.Countries) != f.Countries || strconv.FormatUint(tab.Total(), 10) != f.Value {
			t.Errorf("%s: %d rows, %d codes, %d countries, $%d; recorded %+v", f.File, len(tab.Rows), len(tab.Codes), len(tab.Countries), tab.Total(), f)
		}
		if f.Rows+f.Dropped != f.FromRows {
			t.Errorf("%s: %d kept + %d dropped != %d read", f.File, f.Rows, f.Dropped, f.FromRows)
		}
	}
	// The budget for the embedded weights of both years.
	if total > 3<<20 {
		t.Errorf("embedded weights take %d bytes, above 3 MiB", total)
	}
	if _, err := Census(2019); err == nil {
		t.Error("a year levy does not hold was found")
	}
}

func BenchmarkCensusRead(b *testing.B) {
	raw, err := CensusBytes(2025)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReadIsGzip(t *testing.T) {
	var b bytes.Buffer
	if err := Encode(&b, small()); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" {
		t.Errorf("gzip header carries a time %v or name %q: output would not be reproducible", zr.ModTime, zr.Name)
	}
}

func ExampleCensus() {
	t, err := Census(2025)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Year, t.Flow, len(t.Rows), "rows, $", t.Total())
	// Output: 2025 consumption 350692 rows, $ 3391221021554
}
