package server

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/apicheck"
	"github.com/levy-tariff/levy/ledger/ledgertest"
	"github.com/levy-tariff/levy/refund"
)

func readCase(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../refund/testdata/cases/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRefundsAPI runs every refunds endpoint against a ledger holding the
// hand-worked cases, on SQLite and PostgreSQL, checks each answer against
// openapi.json and fails on any documented refunds response no request
// produced.
func TestRefundsAPI(t *testing.T) {
	for _, dialect := range ledgertest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ts := start(t)
			// Without a ledger: 503, in the one error shape.
			if r := ts.get(t, "/v1/refunds/summary"); r.status != 503 || r.str("code") != "unavailable" {
				t.Errorf("no ledger: %d %s", r.status, r.raw)
			}
			ts.Ledger = ledgertest.Open(t, dialect)
			asOf := "as_of=2026-11-01"
			r := ts.do(t, "POST", "/v1/refunds/import?name=es003.csv&"+asOf, "text/csv", readCase(t, "es003.csv"))
			if r.status != 200 || r.body["rows"].(float64) != 31 {
				t.Fatalf("import: %d %s", r.status, r.raw)
			}
			if r := ts.do(t, "POST", "/v1/refunds/received?"+asOf, "text/csv", readCase(t, "es022.csv")); r.status != 200 {
				t.Fatalf("received: %d %s", r.status, r.raw)
			}
			r = ts.get(t, "/v1/refunds/summary?"+asOf)
			if r.status != 200 || r.body["total"].(map[string]any)["refundable"] != "28200.00" {
				t.Errorf("summary: %d %s", r.status, r.raw)
			}
			r = ts.get(t, "/v1/refunds/entries?due=true&"+asOf)
			if r.status != 200 || r.body["total"].(float64) != 2 {
				t.Errorf("due entries: %d %s", r.status, r.raw)
			}
			ts.get(t, "/v1/refunds/entries?phase=cape-1&limit=1&non_corporate=true&deposit_lag=10&"+asOf)
			if c := ts.get(t, "/v1/refunds/entries?format=csv&"+asOf); c.status != 200 || strings.Count(string(c.raw), "\n") != 13 || !strings.HasPrefix(string(c.raw), "entry,importer") {
				t.Errorf("entries as CSV: %d %s", c.status, c.raw)
			}
			r = ts.get(t, "/v1/refunds/entries/XYZ-7000001-4?"+asOf)
			if r.status != 200 || r.body["flagged_rows"].(float64) != 2 || r.body["interest"].(map[string]any)["amount"] != "386.93" {
				t.Errorf("entry: %d %s", r.status, r.raw)
			}
			// Declarations: two importers' phase 1/2 entries with IEEPA duty.
			r = ts.do(t, "POST", "/v1/refunds/declarations?"+asOf, "", nil)
			if r.status != 200 {
				t.Fatalf("declare: %d %s", r.status, r.raw)
			}
			ds := ts.get(t, "/v1/refunds/declarations")
			if ds.status != 200 {
				t.Fatalf("declarations: %d", ds.status)
			}
			var id string
			for _, d := range decode[struct{ Declarations []map[string]any }](t, ds.raw).Declarations {
				if d["importer"] == "12-3456789AB" && strings.HasPrefix(d["id"].(string), "LEVY-") {
					id = d["id"].(string)
				}
			}
			if id == "" {
				t.Fatalf("no declaration of 12-3456789AB: %s", ds.raw)
			}
			file := ts.do(t, "GET", "/v1/refunds/declarations/"+id+"?format=csv", "", nil)
			if errs := refund.CheckCAPEFile(file.raw, nil); len(errs) > 0 || file.header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Errorf("declaration file %q: %v", file.raw, errs)
			}
			// Phase 1 and 2 entries of 12-3456789AB with IEEPA duty, no refund: E, K, L (cape-1) and G (cape-2).
			if got := string(file.raw); got != "Entry Number\r\nABC12345710\r\nABC12345736\r\nABC12345777\r\nABC12345785\r\n" {
				t.Errorf("declaration file %q", got)
			}
			ts.get(t, "/v1/refunds/declarations/"+id)
			// Declaring again finds nothing new: the entries are on a prepared declaration.
			if r := ts.do(t, "POST", "/v1/refunds/declarations?"+asOf, "", nil); r.status != 200 || string(r.raw) != "{\"declarations\":[]}\n" {
				t.Errorf("declaring again: %d %s", r.status, r.raw)
			}
			if r := ts.do(t, "POST", "/v1/refunds/declarations/"+id+"/status", "application/json", []byte(`{"status":"accepted"}`)); r.status != 200 {
				t.Errorf("status: %d %s", r.status, r.raw)
			}
			// The page, with the totals and an entry.
			page := ts.do(t, "GET", "/refunds?"+asOf+"&entry=XYZ70000014", "", nil)
			for _, want := range []string{"IEEPA refunds as of 2026-11-01", "28200.00", "Due in the next 30 days", "By month of entry", "By family",
				"Entry XYZ-7000001-4", "missing-heading", "wrong-amount", "s301-forced-labor"} {
				if !strings.Contains(string(page.raw), want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if css := ts.do(t, "GET", "/refunds.css", "", nil); css.status != 200 || !strings.Contains(css.header.Get("Content-Type"), "text/css") {
				t.Errorf("refunds.css: %d", css.status)
			}

			// Errors, each documented.
			bad := []struct {
				method, path, ctype, body string
				status                    int
				want                      string
			}{
				{"GET", "/v1/refunds/summary?as_of=soon", "", "", 400, "as_of"},
				{"GET", "/v1/refunds/entries?phase=lost", "", "", 400, "phase"},
				{"GET", "/v1/refunds/entries/ABC-12", "", "", 400, "11"},
				{"GET", "/v1/refunds/entries/ZZZ12345678", "", "", 404, "not found"},
				{"POST", "/v1/refunds/import?" + asOf, "text/csv", "Foo,Bar\n1,2\n", 400, "not a report"},
				{"POST", "/v1/refunds/import?" + asOf, "text/csv", "Entry Number,Entry Date,Importer Number,Line Number,HTS Number,Country of Origin,Line Entered Value,Duty Amount\nABC-12,06/02/2025,X,1,9503000090,CN,1,0\n", 422, "line 2"},
				{"POST", "/v1/refunds/received?" + asOf, "text/csv", "Refund Number,Refund Secondary Status\nR404,Treasury Issued\n", 422, "R404"},
				{"POST", "/v1/refunds/received?" + asOf, "text/csv", string(readCase(t, "es003.csv")), 400, "this is an es003 report"},
				{"POST", "/v1/refunds/declarations?as_of=x", "", "", 400, "as_of"},
				{"GET", "/v1/refunds/declarations/NOPE", "", "", 404, "not found"},
				{"POST", "/v1/refunds/declarations/NOPE/status", "application/json", `{"status":"accepted"}`, 404, "not found"},
				{"POST", "/v1/refunds/declarations/" + id + "/status", "application/json", `{"status":"lost"}`, 400, "status"},
			}
			for _, b := range bad {
				r := ts.do(t, b.method, b.path, b.ctype, []byte(b.body))
				if r.status != b.status || !strings.Contains(string(r.raw), b.want) {
					t.Errorf("%s %s: %d %s; want %d with %q", b.method, b.path, r.status, r.raw, b.status, b.want)
				}
			}
			ts.MaxImportBytes = 100
			if r := ts.do(t, "POST", "/v1/refunds/import?"+asOf, "text/csv", readCase(t, "es003.csv")); r.status != 413 {
				t.Errorf("import over the limit: %d %s", r.status, r.raw)
			}
			ts.MaxImportBytes = 0
			ts.Ledger = nil
			for _, p := range []string{"/v1/refunds/entries", "/v1/refunds/entries/ABC12345678", "/v1/refunds/declarations", "/v1/refunds/declarations/x"} {
				ts.get(t, p)
			}
			for _, p := range []string{"/v1/refunds/import", "/v1/refunds/received", "/v1/refunds/declarations", "/v1/refunds/declarations/x/status"} {
				ts.do(t, "POST", p, "text/csv", []byte("x"))
			}
			if page := ts.get(t, "/refunds"); page.status != 503 || !strings.Contains(string(page.raw), "levy serve --db levy.db") {
				t.Errorf("page without a ledger: %d", page.status)
			}
			if dialect == "sqlite" {
				checkRefundsDocumented(t, ts.api)
			}
		})
	}
}

func checkRefundsDocumented(t *testing.T, d *apicheck.Doc) {
	var missing []string
	for _, key := range d.Declared() {
		if (strings.Contains(key, " /v1/refunds/") || strings.Contains(key, " /refunds ")) && !d.Seen(key) {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("openapi.json declares refunds responses no test produced:\n  %s", strings.Join(missing, "\n  "))
	}
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}
