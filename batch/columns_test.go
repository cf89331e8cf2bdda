package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/batch"
	"github.com/levy-tariff/levy/date"
)

// A misspelt column must not change a duty without a word: steel_valu for
// steel_value would assess the whole value as steel-free.
func TestUnknownColumnIsRefused(t *testing.T) {
	in := "id,hts,origin,entry_date,value,steel_valu\na,7326.90.86.88,JP,2025-09-01,1000,400\n"
	var out bytes.Buffer
	_, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.None})
	var he *batch.HeaderError
	if !errors.As(err, &he) {
		t.Fatalf("error %v, want a HeaderError", err)
	}
	if he.Field() != "steel_valu" || he.Unknown[0].Column != 6 || he.Unknown[0].Nearest != "steel_value" {
		t.Errorf("unknown %+v", he.Unknown)
	}
	if msg := err.Error(); !strings.Contains(msg, `unknown column "steel_valu" (column 6, did you mean "steel_value"?)`) {
		t.Errorf("message %q", msg)
	}
	if out.Len() != 0 {
		t.Errorf("rows were written before the header was refused: %q", out.String())
	}
}

func TestUnknownColumnsAllNamed(t *testing.T) {
	in := "hts,origin,colour,,customs_value,value\n"
	_, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &bytes.Buffer{}, batch.Options{KnownOn: date.None})
	msg := err.Error()
	for _, want := range []string{`"colour" (column 3)`, `"" (column 4)`, `columns 5 ("customs_value") and 6 ("value") both give value`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %s:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "colour\" (column 3, did you mean") {
		t.Errorf("colour is close to no column, yet a name is suggested: %s", msg)
	}
}

// With IgnoreUnknownColumns the run goes on and the summary names what was
// passed over; note and expect_* columns are passed over by design.
func TestIgnoreUnknownColumns(t *testing.T) {
	in := "id,hts,origin,entry_date,value,steel_valu,expect_duty,note\na,9503.00.00.90,JP,2025-06-01,1000,400,100.00,toy\n"
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.None, IgnoreUnknownColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Ignored) != 1 || sum.Ignored[0].Name != "steel_valu" || sum.Ignored[0].Nearest != "steel_value" {
		t.Errorf("ignored %+v, want steel_valu only", sum.Ignored)
	}
	recs, _ := csv.NewReader(&out).ReadAll()
	if len(recs) != 2 || recs[1][1] != "100.00" {
		t.Errorf("rows %v", recs)
	}
	if !batch.IsNoteColumn("Expect_Fees") || !batch.IsNoteColumn("notes") || batch.IsNoteColumn("steel_valu") {
		t.Error("IsNoteColumn")
	}
}

// A JSON Lines row names its fields: an unknown one fails that row, and so
// does a field given twice (encoding/json would keep the last silently).
func TestJSONLinesStrictFields(t *testing.T) {
	in := `{"id":"dup","hts":"9503.00.00.90","origin":"JP","origin":"CN","entry_date":"2025-06-01","value":1000}
{"id":"alias","hts":"9503.00.00.90","origin":"JP","country":"CN","entry_date":"2025-06-01","value":1000}
{"id":"typo","hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000,"steel_valu":1}
{"id":"nested","hts":{"code":"9503"},"origin":"JP","entry_date":"2025-06-01","value":1000}
{"id":"ok","hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000,"expect_duty":"100.00","quantity":null}
`
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{InFormat: batch.JSONL, OutFormat: batch.JSONL, KnownOn: date.None})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"dup": `line 1: origin: given more than once`, "alias": `line 2: field "country" gives origin`,
		"typo": `line 3: unknown field "steel_valu" (did you mean "steel_value"?)`, "nested": "line 4: hts: must be a string", "ok": ""}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r struct{ ID, Error, Duty string }
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		if w := want[r.ID]; w == "" && r.Error != "" || !strings.HasPrefix(r.Error, w) {
			t.Errorf("row %s: error %q, want %q", r.ID, r.Error, w)
		}
		if r.ID == "ok" && r.Duty != "100.00" {
			t.Errorf("row ok: duty %s", r.Duty)
		}
	}
	if sum.Failed != 4 {
		t.Errorf("%d failed, want 4", sum.Failed)
	}
}

// A runaway cell is refused without being echoed: the error stays short.
func TestLongCellNotEchoed(t *testing.T) {
	big := strings.Repeat("9", 1<<20)
	in := "id,hts,origin,entry_date,value\n" + big + ",9503.00.00.90,JP,2025-06-01,1000\nb," + big + ",JP,2025-06-01,1000\n"
	var out bytes.Buffer
	if _, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out, batch.Options{KnownOn: date.None}); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 4096 {
		t.Errorf("output is %d bytes for two refused rows", out.Len())
	}
	recs, _ := csv.NewReader(&out).ReadAll()
	if !strings.Contains(recs[1][8], "id: 1048576 bytes long") || !strings.Contains(recs[2][8], "hts: 1048576 bytes long") {
		t.Errorf("errors %q, %q", recs[1][8], recs[2][8])
	}
}

// A JSON array is read one element at a time; an element that is not a
// line fails as "item N", and MaxRows stops the run after the rows it
// allows, which are written.
func TestJSONArrayAndMaxRows(t *testing.T) {
	in := `[{"id":"a","hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000},
	"not a line",
	{"id":"c","hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000},
	{"id":"d"}]`
	var out bytes.Buffer
	sum, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(in), &out,
		batch.Options{InFormat: batch.JSONArray, OutFormat: batch.JSONL, KnownOn: date.None, MaxRows: 3})
	var tm *batch.TooManyRowsError
	if !errors.As(err, &tm) || tm.Max != 3 {
		t.Fatalf("error %v, want TooManyRowsError{3}", err)
	}
	if sum.Rows != 3 || sum.Failed != 1 {
		t.Errorf("rows %d failed %d, want 3 and 1", sum.Rows, sum.Failed)
	}
	if !strings.Contains(out.String(), `"error":"item 2: not a JSON object"`) || strings.Count(out.String(), "\n") != 3 {
		t.Errorf("output:\n%s", out.String())
	}
	for _, bad := range []string{`{"hts":1}`, ``, `[{"hts":"9503.00.00.90"}] x`} {
		_, err := batch.Run(context.Background(), snapshot(t), strings.NewReader(bad), &bytes.Buffer{},
			batch.Options{InFormat: batch.JSONArray, OutFormat: batch.JSONL, KnownOn: date.None})
		if err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzJSONInput reads arbitrary JSON Lines and JSON arrays: no panic, and
// one output row for every row the run counted, each one JSON object.
func FuzzJSONInput(f *testing.F) {
	f.Add(`{"hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000}`, false)
	f.Add(`[{"hts":"9503.00.00.90","origin":"JP","origin":"CN"},"x",{"steel_valu":1}]`, true)
	f.Add("{\"a\":{\"b\":[1]}}\n\n[\n", false)
	f.Add(`[{"hts":"9903.94.41","origin":"JP","entry_date":"2025-06-01","value":"1e3"}] x`, true)
	snap := snapshot(f)
	f.Fuzz(func(t *testing.T, in string, array bool) {
		opt := batch.Options{InFormat: batch.JSONL, OutFormat: batch.JSONL, KnownOn: date.None, MaxRows: 50}
		if array {
			opt.InFormat = batch.JSONArray
		}
		var out bytes.Buffer
		sum, _ := batch.Run(context.Background(), snap, strings.NewReader(in), &out, opt)
		if sum == nil {
			return
		}
		dec := json.NewDecoder(&out)
		n := 0
		for dec.More() {
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				t.Fatalf("output row %d is not a JSON object: %v", n+1, err)
			}
			n++
		}
		if n != sum.Rows {
			t.Fatalf("%d output rows for %d rows counted", n, sum.Rows)
		}
	})
}
