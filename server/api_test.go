package server

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// line is a valid query string for GET /v1/assess, with overrides.
func line(kv ...string) string {
	v := url.Values{"hts": {"8703.23.01.30"}, "origin": {"JP"}, "entry_date": {"2025-09-20"}, "value": {"40000"}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v.Encode()
}

type apiCase struct {
	name    string
	method  string
	path    string
	ctype   string
	body    string
	status  int
	code    string // error code, for status >= 400
	field   string // the field the error names
	suggest bool   // the error must carry suggestions
	hdr     []string
}

var (
	bigJSON  = `{"hts":"` + strings.Repeat("9", 70<<10) + `"}`
	manyRows = "[" + strings.TrimSuffix(strings.Repeat(`{"hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":"1"},`, 6), ",") + "]"
	bigBatch = "[" + strings.TrimSuffix(strings.Repeat(`{"hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":"1","unit":"`+strings.Repeat("x", 8<<10)+`"},`, 5), ",") + "]"
	okBatch  = `[{"id":"car","hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":40000},
	            {"id":"bad","hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20"}]`
	okCSV = "id,hts,origin,entry_date,value\n1,8703.23.01.30,JP,2025-09-20,40000\n2,9506.62.80.20,JP,2025-08-20,10000\n"
	// manyScenarios names 17 different scenarios (beyond the bound of 16).
	manyScenarios = strings.TrimSuffix(strings.Repeat("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,", 1), ",")
)

var apiCases = []apiCase{
	// Success paths, one per documented operation.
	{name: "assess get", method: "GET", path: "/v1/assess?" + line(), status: 200},
	{name: "assess get explain", method: "GET", path: "/v1/assess?" + line("explain", "true", "mode", "ocean"), status: 200},
	{name: "assess get scenario", method: "GET", path: "/v1/assess?" + line("scenario", "japan-35", "hts", "9506.62.80.20"), status: 200},
	{name: "assess get question", method: "GET", path: "/v1/assess?" + line("origin", "MX", "hts", "9503.00.00.90", "entry_date", "2025-06-01"), status: 200},
	{name: "assess get de minimis", method: "GET", path: "/v1/assess?" + line("origin", "JP", "hts", "9503.00.00.90", "entry_date", "2025-06-01", "value", "500", "de_minimis", "true", "claims", "x"), status: 200},
	{name: "assess post", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"9506.62.80.20","origin":"JP","entry_date":"2025-08-20","value":10000,"known_on":"2026-03-01","explain":true}`, status: 200},
	{name: "batch json", method: "POST", path: "/v1/batch", ctype: "application/json", body: okBatch, status: 200},
	{name: "batch csv", method: "POST", path: "/v1/batch?known_on=2026-03-01", ctype: "text/csv", body: okCSV, status: 200},
	{name: "hts line", method: "GET", path: "/v1/hts/8703.23.01.30", status: 200},
	{name: "hts line digits", method: "GET", path: "/v1/hts/9506628020", status: 200},
	{name: "hts search words", method: "GET", path: "/v1/hts?q=basketballs", status: 200},
	{name: "hts search code", method: "GET", path: "/v1/hts?q=8703.23&limit=3", status: 200},
	{name: "hts search on a date", method: "GET", path: "/v1/hts?q=t-shirts&date=2025-03-01&limit=3", status: 200},
	{name: "hts search special", method: "GET", path: "/v1/hts?q=reciprocal&special=true&limit=3", status: 200},
	{name: "hts line on a date", method: "GET", path: "/v1/hts/0901.11.00.45?date=2025-06-30", status: 200},
	{name: "hts history", method: "GET", path: "/v1/hts/0901.11.00.45/history", status: 200},
	{name: "hts diff revisions", method: "GET", path: "/v1/hts/diff?from=2025HTSRev15&to=2025HTSRev16&goods=true", status: 200},
	{name: "hts diff dates", method: "GET", path: "/v1/hts/diff?from=2025-06-30&to=2025-07-01", status: 200},
	{name: "hts revisions", method: "GET", path: "/v1/hts/revisions", status: 200},
	{name: "timeline", method: "GET", path: "/v1/timeline?hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31", status: 200},
	{name: "timeline defaults", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP", status: 200},
	{name: "compare", method: "GET", path: "/v1/compare?" + line("hts", "9506.62.80.20", "scenario", "japan-35,letters-2025-07-07"), status: 200},
	{name: "compare all", method: "GET", path: "/v1/compare?" + line(), status: 200},
	{name: "measures", method: "GET", path: "/v1/measures", status: 200},
	{name: "measures family", method: "GET", path: "/v1/measures?family=s232-autos", status: 200},
	{name: "scenarios", method: "GET", path: "/v1/scenarios", status: 200},
	{name: "info", method: "GET", path: "/v1/info", status: 200},
	{name: "reload", method: "POST", path: "/v1/admin/reload", status: 200, hdr: adminAuth},
	{name: "reload empty json", method: "POST", path: "/v1/admin/reload", ctype: "application/json", status: 200, hdr: adminAuth},
	{name: "batch ndjson", method: "POST", path: "/v1/batch", ctype: "application/x-ndjson", status: 200,
		body: "{\"id\":\"car\",\"hts\":\"8703.23.01.30\",\"origin\":\"JP\",\"entry_date\":\"2025-09-20\",\"value\":40000}\n", hdr: []string{"Accept", "application/x-ndjson"}},
	{name: "batch csv out", method: "POST", path: "/v1/batch", ctype: "text/csv", body: okCSV, status: 200, hdr: []string{"Accept", "text/csv"}},
	{name: "batch ignore unknown", method: "POST", path: "/v1/batch?ignore_unknown_columns=true", ctype: "text/csv", body: "hts,origin,entry_date,value,colour\n8703.23.01.30,JP,2025-09-20,1,red\n", status: 200},
	{name: "batch too many rows", method: "POST", path: "/v1/batch", ctype: "application/json", body: manyRows, status: 200},
	{name: "batch csv too many rows", method: "POST", path: "/v1/batch", ctype: "text/csv", body: "hts,origin\n" + strings.Repeat("8703.23.01.30,JP\n", 6), status: 200, hdr: []string{"Accept", "text/csv"}},
	{name: "batch ndjson too many rows", method: "POST", path: "/v1/batch", ctype: "application/x-ndjson", body: strings.Repeat("{}\n", 6), status: 200, hdr: []string{"Accept", "application/x-ndjson"}},
	{name: "page legacy address", method: "GET", path: "/?page=assess&hts=8703.23.01.30", status: 301},
	{name: "page search", method: "GET", path: "/search?q=toys", status: 200},
	{name: "page search blank", method: "GET", path: "/search?q=", status: 400},
	{name: "page line", method: "GET", path: "/line/0901.11.00.45?entry_date=2025-06-30", status: 200},
	{name: "page line not in force", method: "GET", path: "/line/0901.11.00.45?entry_date=2025-07-01", status: 404},
	{name: "page assess", method: "GET", path: "/" + "assess?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000", status: 200},
	{name: "page assess submitted", method: "GET", path: "/assess?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000&mode=", status: 303},
	{name: "page assess errors", method: "GET", path: "/assess?hts=87x&origin=JP&entry_date=2025-09-20&value=40000", status: 400},
	{name: "page timeline", method: "GET", path: "/timeline?hts=8703.23.01.30&origin=JP", status: 200},
	{name: "page timeline submitted", method: "GET", path: "/timeline?hts=8703.23.01.30&origin=JP&mode=", status: 303},
	{name: "page timeline errors", method: "GET", path: "/timeline?hts=87x&origin=JP", status: 400},
	{name: "page compare", method: "GET", path: "/compare?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000", status: 200},
	{name: "page compare submitted", method: "GET", path: "/compare?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000&mode=", status: 303},
	{name: "page compare errors", method: "GET", path: "/compare?hts=87x&origin=JP&entry_date=2025-09-20&value=1", status: 400},
	{name: "page style", method: "GET", path: "/style.css", status: 200},
	{name: "page head", method: "HEAD", path: "/", status: 200},
	{name: "assess head", method: "HEAD", path: "/v1/assess?" + line(), status: 200},
	{name: "healthz", method: "GET", path: "/healthz", status: 200},
	{name: "readyz", method: "GET", path: "/readyz", status: 200},
	{name: "openapi", method: "GET", path: "/openapi.json", status: 200},
	{name: "metrics", method: "GET", path: "/metrics", status: 200},
	{name: "page", method: "GET", path: "/", status: 200},
	{name: "page script", method: "GET", path: "/app.js", status: 200},

	// 400: every input field, named.
	{name: "hts missing", method: "GET", path: "/v1/assess?" + line("hts", ""), status: 400, code: "invalid", field: "hts"},
	{name: "hts malformed", method: "GET", path: "/v1/assess?" + line("hts", "87x3.23"), status: 400, code: "invalid", field: "hts"},
	{name: "hts heading", method: "GET", path: "/v1/assess?" + line("hts", "8703"), status: 400, code: "invalid", field: "hts"},
	{name: "hts chapter 99", method: "GET", path: "/v1/assess?" + line("hts", "9903.94.41"), status: 400, code: "invalid", field: "hts"},
	{name: "timeline chapter 99", method: "GET", path: "/v1/timeline?hts=9903.94.41&origin=JP", status: 400, code: "invalid", field: "hts"},
	{name: "origin missing", method: "GET", path: "/v1/assess?" + line("origin", ""), status: 400, code: "invalid", field: "origin"},
	{name: "origin unknown", method: "GET", path: "/v1/assess?" + line("origin", "XX"), status: 400, code: "invalid", field: "origin", suggest: true},
	{name: "entry_date missing", method: "GET", path: "/v1/assess?" + line("entry_date", ""), status: 400, code: "invalid", field: "entry_date"},
	{name: "entry_date bad", method: "GET", path: "/v1/assess?" + line("entry_date", "2025-13-01"), status: 400, code: "invalid", field: "entry_date"},
	{name: "export_date bad", method: "GET", path: "/v1/assess?" + line("export_date", "yesterday"), status: 400, code: "invalid", field: "export_date"},
	{name: "export_date after entry", method: "GET", path: "/v1/assess?" + line("export_date", "2025-10-01"), status: 400, code: "invalid", field: "export_date"},
	{name: "known_on bad", method: "GET", path: "/v1/assess?" + line("known_on", "2025/01/01"), status: 400, code: "invalid", field: "known_on"},
	{name: "value missing", method: "GET", path: "/v1/assess?" + line("value", ""), status: 400, code: "invalid", field: "value"},
	{name: "value bad", method: "GET", path: "/v1/assess?" + line("value", "lots"), status: 400, code: "invalid", field: "value"},
	{name: "value zero", method: "GET", path: "/v1/assess?" + line("value", "0"), status: 400, code: "invalid", field: "value"},
	{name: "quantity bad", method: "GET", path: "/v1/assess?" + line("quantity", "-3"), status: 400, code: "invalid", field: "quantity"},
	{name: "mode bad", method: "GET", path: "/v1/assess?" + line("mode", "pigeon"), status: 400, code: "invalid", field: "mode"},
	{name: "program not for origin", method: "GET", path: "/v1/assess?" + line("program", "KR"), status: 400, code: "invalid", field: "program"},
	{name: "steel_value bad", method: "GET", path: "/v1/assess?" + line("steel_value", "x"), status: 400, code: "invalid", field: "steel_value"},
	{name: "aluminum_value over value", method: "GET", path: "/v1/assess?" + line("aluminum_value", "50000"), status: 400, code: "invalid", field: "aluminum_value"},
	{name: "copper_value bad", method: "GET", path: "/v1/assess?" + line("copper_value", "1e"), status: 400, code: "invalid", field: "copper_value"},
	{name: "us_content_value bad", method: "GET", path: "/v1/assess?" + line("us_content_value", "-1"), status: 400, code: "invalid", field: "us_content_value"},
	{name: "informal bad", method: "GET", path: "/v1/assess?" + line("informal", "maybe"), status: 400, code: "invalid", field: "informal"},
	{name: "explain bad", method: "GET", path: "/v1/assess?" + line("explain", "2"), status: 400, code: "invalid", field: "explain"},
	{name: "unknown parameter", method: "GET", path: "/v1/assess?" + line("colour", "red"), status: 400, code: "invalid", field: "colour", suggest: true},
	{name: "parameter twice", method: "GET", path: "/v1/assess?" + line() + "&origin=KR", status: 400, code: "invalid", field: "origin"},
	{name: "post not json", method: "POST", path: "/v1/assess", ctype: "application/json", body: `hts=1`, status: 400, code: "invalid"},
	{name: "post array", method: "POST", path: "/v1/assess", ctype: "application/json", body: `[]`, status: 400, code: "invalid"},
	{name: "post two objects", method: "POST", path: "/v1/assess", ctype: "application/json", body: `{} {}`, status: 400, code: "invalid"},
	{name: "post duplicate key", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"8703.23.01.30","origin":"JP","origin":"CN","entry_date":"2025-09-20","value":1}`, status: 400, code: "invalid", field: "origin"},
	{name: "post unknown field", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":1,"steel_valu":1}`, status: 400, code: "invalid", field: "steel_valu", suggest: true},
	{name: "post nested value", method: "POST", path: "/v1/assess", ctype: "application/json", body: `{"hts":{"code":"8703"}}`, status: 400, code: "invalid", field: "hts"},
	{name: "post value bad", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":-5}`, status: 400, code: "invalid", field: "value"},
	{name: "timeline from bad", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&from=2025-02-30", status: 400, code: "invalid", field: "from"},
	{name: "timeline to bad", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&to=soon", status: 400, code: "invalid", field: "to"},
	{name: "timeline to before from", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&from=2026-01-01&to=2025-01-01", status: 400, code: "invalid", field: "to"},
	{name: "timeline too long", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&from=2000-01-01&to=2026-01-01", status: 400, code: "invalid", field: "to"},
	{name: "timeline entry_date", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&entry_date=2025-01-01", status: 400, code: "invalid", field: "entry_date"},
	{name: "timeline origin missing", method: "GET", path: "/v1/timeline?hts=8703.23.01.30", status: 400, code: "invalid", field: "origin"},
	{name: "search q missing", method: "GET", path: "/v1/hts?q=", status: 400, code: "invalid", field: "q"},
	{name: "search limit bad", method: "GET", path: "/v1/hts?q=toys&limit=1000", status: 400, code: "invalid", field: "limit"},
	{name: "hts code malformed", method: "GET", path: "/v1/hts/87x", status: 400, code: "invalid", field: "code"},
	{name: "hts date bad", method: "GET", path: "/v1/hts/8703.23.01.30?date=2025-02-30", status: 400, code: "invalid", field: "date"},
	{name: "hts history malformed", method: "GET", path: "/v1/hts/87x/history", status: 400, code: "invalid", field: "code"},
	{name: "hts diff from missing", method: "GET", path: "/v1/hts/diff?to=2025HTSRev16", status: 400, code: "invalid", field: "from"},
	{name: "hts diff to bad", method: "GET", path: "/v1/hts/diff?from=2025HTSRev15&to=2025HTSRev99", status: 400, code: "invalid", field: "to"},
	{name: "compare value missing", method: "GET", path: "/v1/compare?" + line("value", ""), status: 400, code: "invalid", field: "value"},
	{name: "batch known_on bad", method: "POST", path: "/v1/batch?known_on=x", ctype: "application/json", body: okBatch, status: 400, code: "invalid", field: "known_on"},
	{name: "batch not array", method: "POST", path: "/v1/batch", ctype: "application/json", body: `{"hts":"1"}`, status: 400, code: "invalid", field: "body"},
	{name: "batch csv without hts", method: "POST", path: "/v1/batch", ctype: "text/csv", body: "origin,value\nJP,2\n", status: 400, code: "invalid", field: "body"},
	{name: "batch csv unknown column", method: "POST", path: "/v1/batch", ctype: "text/csv", body: "hts,origin,entry_date,value,steel_valu\n8703.23.01.30,JP,2025-09-20,1,1\n", status: 400, code: "invalid", field: "steel_valu"},
	{name: "batch csv empty", method: "POST", path: "/v1/batch", ctype: "text/csv", body: "", status: 400, code: "invalid", field: "body"},
	{name: "batch ignore bad", method: "POST", path: "/v1/batch?ignore_unknown_columns=maybe", ctype: "text/csv", body: okCSV, status: 400, code: "invalid", field: "ignore_unknown_columns"},
	{name: "batch parameter twice", method: "POST", path: "/v1/batch?known_on=2026-01-01&known_on=2026-02-01", ctype: "text/csv", body: okCSV, status: 400, code: "invalid", field: "known_on"},
	{name: "compare too many scenarios", method: "GET", path: "/v1/compare?" + line("scenario", manyScenarios), status: 400, code: "invalid", field: "scenario"},
	{name: "search q too long", method: "GET", path: "/v1/hts?q=" + strings.Repeat("toy+", 100), status: 400, code: "invalid", field: "q"},
	{name: "batch unknown parameter", method: "POST", path: "/v1/batch?fast=1", ctype: "application/json", body: okBatch, status: 400, code: "invalid", field: "fast"},

	// 404: unknown HTS numbers with the nearest codes; unknown scenarios.
	{name: "assess hts unknown", method: "GET", path: "/v1/assess?" + line("hts", "8703.23.01.39"), status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "assess post hts unknown", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"8703.23.01.39","origin":"JP","entry_date":"2025-09-20","value":"1"}`, status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "hts line unknown", method: "GET", path: "/v1/hts/8703.23.01.39", status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "hts line not in force", method: "GET", path: "/v1/hts/0901.11.00.45?date=2025-07-01", status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "hts history unknown", method: "GET", path: "/v1/hts/0901.11.00.99/history", status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "assess hts not in force", method: "GET", path: "/v1/assess?" + line("hts", "0901.11.00.35", "entry_date", "2025-06-30"), status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "timeline hts unknown", method: "GET", path: "/v1/timeline?hts=9506.62.80.99&origin=JP", status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "compare hts unknown", method: "GET", path: "/v1/compare?" + line("hts", "8703.23.01.39"), status: 404, code: "not_found", field: "hts", suggest: true},
	{name: "assess scenario unknown", method: "GET", path: "/v1/assess?" + line("scenario", "japan-99"), status: 404, code: "not_found", field: "scenario", suggest: true},
	{name: "timeline scenario unknown", method: "GET", path: "/v1/timeline?hts=8703.23.01.30&origin=JP&scenario=nope", status: 404, code: "not_found", field: "scenario", suggest: true},
	{name: "compare scenario unknown", method: "GET", path: "/v1/compare?" + line("scenario", "japan-35,nope"), status: 404, code: "not_found", field: "scenario", suggest: true},
	{name: "batch scenario unknown", method: "POST", path: "/v1/batch?scenario=nope", ctype: "application/json", body: okBatch, status: 404, code: "not_found", field: "scenario", suggest: true},
	{name: "no such endpoint", method: "GET", path: "/v1/nope", status: 404, code: "not_found"},
	{name: "burden", method: "GET", path: "/v1/burden?origin=JP&from=2026-01-01&to=2026-03-01&every=month&known_on=2026-12-04", status: 200},
	{name: "burden defaults", method: "GET", path: "/v1/burden?origin=Korea&from=2026-09-01&weights_year=2024&top=0", status: 200},
	{name: "burden unknown parameter", method: "GET", path: "/v1/burden?origin=JP&hts=8703.23.01.30", status: 400, code: "invalid", field: "hts", suggest: true},
	{name: "burden origin unknown", method: "GET", path: "/v1/burden?origin=JX", status: 400, code: "invalid", field: "origin", suggest: true},
	{name: "burden every bad", method: "GET", path: "/v1/burden?origin=JP&every=year", status: 400, code: "invalid", field: "every"},
	{name: "burden to before from", method: "GET", path: "/v1/burden?origin=JP&from=2026-01-01&to=2025-01-01", status: 400, code: "invalid", field: "to"},
	{name: "burden from bad", method: "GET", path: "/v1/burden?origin=JP&from=2025-02-30", status: 400, code: "invalid", field: "from"},
	{name: "burden weights year bad", method: "GET", path: "/v1/burden?origin=JP&weights_year=2019", status: 400, code: "invalid", field: "weights_year"},
	{name: "burden top bad", method: "GET", path: "/v1/burden?origin=JP&top=-1", status: 400, code: "invalid", field: "top"},
	{name: "burden too many points", method: "GET", path: "/v1/burden?origin=JP&from=2000-01-01&to=2026-01-01&every=day", status: 400, code: "invalid"},
	{name: "burden scenario unknown", method: "GET", path: "/v1/burden?origin=JP&scenario=nope", status: 404, code: "not_found", field: "scenario", suggest: true},
	{name: "v1 itself", method: "GET", path: "/v1", status: 404, code: "not_found"},
	{name: "no such file", method: "GET", path: "/nope.js", status: 404, code: "not_found"},
	{name: "no such directory", method: "GET", path: "/web/", status: 404, code: "not_found"},
	{name: "path not clean", method: "GET", path: "/v1//assess", status: 404, code: "not_found"},
	{name: "path dot dot", method: "GET", path: "/v1/x/../info", status: 404, code: "not_found"},
	{name: "path double slash", method: "GET", path: "//", status: 404, code: "not_found"},

	// 405 with an Allow header.
	{name: "assess delete", method: "DELETE", path: "/v1/assess", status: 405, code: "method_not_allowed"},
	{name: "batch get", method: "GET", path: "/v1/batch", status: 405, code: "method_not_allowed"},
	{name: "reload get", method: "GET", path: "/v1/admin/reload", status: 405, code: "method_not_allowed"},
	{name: "hts post", method: "POST", path: "/v1/hts/8703.23.01.30", status: 405, code: "method_not_allowed"},
	{name: "invented method", method: "BREW", path: "/v1/assess", status: 405, code: "method_not_allowed"},
	{name: "options", method: "OPTIONS", path: "/v1/info", status: 405, code: "method_not_allowed"},
	{name: "page post", method: "POST", path: "/", ctype: "text/plain", body: "x", status: 405, code: "method_not_allowed"},

	// 401 and 415 on the admin endpoint.
	{name: "reload no token", method: "POST", path: "/v1/admin/reload", status: 401, code: "unauthorized", field: "Authorization"},
	{name: "reload wrong token", method: "POST", path: "/v1/admin/reload", status: 401, code: "unauthorized", field: "Authorization", hdr: []string{"Authorization", "Bearer " + testToken + "x"}},
	{name: "reload basic auth", method: "POST", path: "/v1/admin/reload", status: 401, code: "unauthorized", field: "Authorization", hdr: []string{"Authorization", "Basic " + testToken}},
	{name: "reload form", method: "POST", path: "/v1/admin/reload", ctype: "application/x-www-form-urlencoded", body: "a=1", status: 415, code: "unsupported_media", field: "Content-Type", suggest: true, hdr: adminAuth},
	{name: "reload text", method: "POST", path: "/v1/admin/reload", ctype: "text/plain", body: "{}", status: 415, code: "unsupported_media", field: "Content-Type", suggest: true, hdr: adminAuth},

	// 413: bodies beyond the byte and row limits.
	{name: "assess body too large", method: "POST", path: "/v1/assess", ctype: "application/json", body: bigJSON, status: 413, code: "too_large"},
	{name: "batch too many bytes", method: "POST", path: "/v1/batch", ctype: "application/json", body: bigBatch, status: 413, code: "too_large"},

	// 415 and 422.
	{name: "batch wrong type", method: "POST", path: "/v1/batch", ctype: "text/plain", body: okBatch, status: 415, code: "unsupported_media", field: "Content-Type"},
	{name: "batch no type", method: "POST", path: "/v1/batch", body: okBatch, status: 415, code: "unsupported_media", field: "Content-Type"},
	{name: "assess post form", method: "POST", path: "/v1/assess", ctype: "application/x-www-form-urlencoded", body: "hts=8703.23.01.30", status: 415, code: "unsupported_media", field: "Content-Type"},
	{name: "assess post text", method: "POST", path: "/v1/assess", ctype: "text/plain", body: `{"hts":"8703.23.01.30"}`, status: 415, code: "unsupported_media", field: "Content-Type"},
	{name: "assess post no type", method: "POST", path: "/v1/assess", body: `{"hts":"8703.23.01.30"}`, status: 415, code: "unsupported_media", field: "Content-Type"},
	{name: "timeline rate needs quantity", method: "GET", path: "/v1/timeline?hts=2204.21.50.40&origin=FR", status: 422, code: "unprocessable", field: "quantity"},
	{name: "compare rate needs quantity", method: "GET", path: "/v1/compare?" + line("hts", "2204.21.50.40", "origin", "FR"), status: 422, code: "unprocessable", field: "quantity"},
	{name: "post rate needs quantity", method: "POST", path: "/v1/assess", ctype: "application/json",
		body: `{"hts":"2204.21.50.40","origin":"FR","entry_date":"2025-09-01","value":1000}`, status: 422, code: "unprocessable", field: "quantity"},
	{name: "rate needs quantity", method: "GET", path: "/v1/assess?" + line("hts", "2204.21.50.40", "origin", "FR"), status: 422, code: "unprocessable", field: "quantity"},
}

func runCase(t *testing.T, ts *testServer, c apiCase) *response {
	t.Helper()
	r := ts.do(t, c.method, c.path, c.ctype, []byte(c.body), c.hdr...)
	if r.status != c.status {
		t.Fatalf("status %d, want %d\n%s", r.status, c.status, clip(r.raw))
	}
	if c.status < 400 || c.method == "HEAD" || strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		return r // a page's errors are for people: its Content-Type is checked against the document
	}
	e := r.errBody()
	if e == nil {
		t.Fatalf("no error object in %s", clip(r.raw))
	}
	if e["code"] != c.code {
		t.Errorf("code %v, want %s", e["code"], c.code)
	}
	if f, _ := e["field"].(string); f != c.field {
		t.Errorf("field %q, want %q (%s)", f, c.field, e["message"])
	}
	if s, _ := e["suggestions"].([]any); c.suggest && len(s) == 0 {
		t.Errorf("no suggestions in %s", clip(r.raw))
	}
	if c.status == 405 && r.header.Get("Allow") == "" {
		t.Error("405 without an Allow header")
	}
	if m, _ := e["message"].(string); strings.Contains(m, "goroutine") || strings.Contains(m, ".go:") {
		t.Errorf("error leaks internals: %s", m)
	}
	return r
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// TestAPI runs every case: each success path and each error path.
func TestAPI(t *testing.T) {
	ts := start(t)
	for _, c := range apiCases {
		t.Run(c.name, func(t *testing.T) { runCase(t, ts, c) })
	}
}

// TestAPIContent checks what the answers say, not only their shape.
func TestAPIContent(t *testing.T) {
	ts := start(t)
	r := ts.get(t, "/v1/assess?"+line())
	if r.str("duty") != "6000.00" || r.str("hts") != "8703.23.01.30" {
		t.Errorf("car: duty %s, hts %s; want 6000.00 (15%% inclusive of 2.5%%)", r.str("duty"), r.str("hts"))
	}
	// Japan's basketballs: +15% as collected in August 2025; base rate only
	// once the IEEPA measures are void.
	r = ts.get(t, "/v1/assess?"+line("hts", "9506.62.80.20", "entry_date", "2025-08-20", "value", "10000"))
	if r.str("duty") != "1980.00" {
		t.Errorf("as collected duty %s, want 1980.00", r.str("duty"))
	}
	r = ts.get(t, "/v1/assess?"+line("hts", "9506.62.80.20", "entry_date", "2025-08-20", "value", "10000", "known_on", "2026-03-01"))
	if r.str("duty") != "480.00" {
		t.Errorf("as known 2026-03-01 duty %s, want 480.00", r.str("duty"))
	}
	r = ts.get(t, "/v1/timeline?hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31")
	if r.str("known_on") != "2026-06-01" {
		t.Errorf("known_on default %s, want the server's today 2026-06-01", r.str("known_on"))
	}
	col, _ := r.body["as_collected"].([]any)
	known, _ := r.body["as_known"].([]any)
	if len(col) < 4 || len(known) < 2 || fmt.Sprint(col) == fmt.Sprint(known) {
		t.Errorf("timeline readings should differ: %d collected, %d known segments", len(col), len(known))
	}
	checkBurdenJapan(t, ts)
	r = ts.do(t, "POST", "/v1/batch", "text/csv", []byte(okCSV), "Accept", "text/csv")
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(r.raw), "id,duty,fees,total") {
		t.Errorf("CSV batch output: %s", clip(r.raw))
	}
	r = ts.do(t, "POST", "/v1/batch", "application/json", []byte(okBatch))
	if sum, _ := r.body["summary"].(map[string]any); sum["rows"] != 2.0 || sum["failed"] != 1.0 {
		t.Errorf("batch summary %v, want 2 rows, 1 failed", sum)
	}
	r = ts.get(t, "/metrics")
	if !strings.Contains(string(r.raw), `levy_http_requests_total{code="200",method="GET",route="/v1/assess"}`) ||
		!strings.Contains(string(r.raw), `levy_http_request_duration_seconds_bucket{route="/v1/assess",le="0.005"}`) {
		t.Errorf("metrics lack request counts by route and status:\n%s", clip(r.raw))
	}
	r = ts.do(t, "HEAD", "/healthz", "", nil)
	if r.status != 200 {
		t.Errorf("HEAD /healthz: %d", r.status)
	}
}

// TestReloadFailureKeepsData checks that a failed reload reports the error
// and leaves the data in use untouched.
func TestReloadFailureKeepsData(t *testing.T) {
	ts := start(t)
	before := ts.get(t, "/v1/info").str("loaded_at")
	ts.fail.Store(true)
	r := ts.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...)
	ts.fail.Store(false)
	if r.status != 422 || !strings.Contains(r.str("message"), "open broken.yaml: file does not exist") {
		t.Fatalf("failed reload: %d %s", r.status, r.raw)
	}
	// The file that failed is named; where the server keeps it is not.
	if strings.Contains(string(r.raw), "/srv") || strings.Contains(string(r.raw), "levy-data") {
		t.Errorf("the answer shows a server path: %s", r.raw)
	}
	if after := ts.get(t, "/v1/info").str("loaded_at"); after != before {
		t.Errorf("loaded_at changed from %s to %s after a failed reload", before, after)
	}
	if r := ts.get(t, "/v1/assess?"+line()); r.status != 200 {
		t.Errorf("assess after failed reload: %d", r.status)
	}
}

// TestReloadUnderLoad sends requests from many goroutines while the data is
// reloaded again and again, some reloads failing; every request must succeed.
func TestReloadUnderLoad(t *testing.T) {
	ts := start(t)
	paths := []string{"/v1/assess?" + line(), "/v1/timeline?hts=9506.62.80.20&origin=JP&to=2026-10-31",
		"/v1/hts/8703.23.01.30", "/v1/compare?" + line(), "/v1/assess?" + line("scenario", "japan-35")}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	count := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[(g+i)%len(paths)]
				r := ts.get(t, p)
				if r.status != 200 {
					t.Errorf("GET %s during reload: %d %s", p, r.status, clip(r.raw))
					return
				}
				mu.Lock()
				count++
				mu.Unlock()
			}
		}(g)
	}
	for i := 0; i < 12; i++ {
		ts.fail.Store(i%4 == 3)
		if i%2 == 0 {
			ts.Reload()
		} else {
			ts.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...)
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.fail.Store(false)
	close(stop)
	wg.Wait()
	if count < 50 {
		t.Errorf("only %d requests ran during the reloads", count)
	}
}

// TestOpenAPI validates a real response for every response the document
// declares with a JSON body (do validates each one), and fails on any it
// declares that no request produced.
func TestOpenAPI(t *testing.T) {
	ts := start(t)
	for _, c := range apiCases {
		t.Run(c.name, func(t *testing.T) { runCase(t, ts, c) })
	}
	ts.closing.Store(true)
	if r := ts.get(t, "/readyz"); r.status != 503 {
		t.Errorf("readyz while closing: %d", r.status)
	}
	ts.closing.Store(false)
	ts.fail.Store(true)
	ts.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...)
	ts.fail.Store(false)
	// 429: every batch slot taken; then the slots free again.
	for range cap(ts.batches) {
		ts.batches <- struct{}{}
	}
	if r := ts.do(t, "POST", "/v1/batch", "text/csv", []byte(okCSV)); r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("batch with every slot taken: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	for range cap(ts.batches) {
		<-ts.batches
	}
	// 403: admin endpoints off without a token; 429: a second reload too soon.
	off := start(t, func(s *Server) { s.AdminToken = "" })
	if r := off.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...); r.status != 403 || !strings.Contains(r.str("message"), "--admin-token-file") {
		t.Errorf("reload with admin off: %d %s", r.status, r.raw)
	}
	slow := start(t, func(s *Server) { s.ReloadInterval = time.Hour })
	slow.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...)
	if r := slow.do(t, "POST", "/v1/admin/reload", "", nil, adminAuth...); r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("second reload within the interval: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}

	d := ts.api
	var missing []string
	for _, key := range d.Declared() {
		// The refunds answers need a ledger: TestRefundsAPI produces them.
		refunds := strings.Contains(key, " /v1/refunds/") || strings.Contains(key, " /refunds ")
		if !d.Seen(key) && !strings.HasSuffix(key, " application/jsonl") && !refunds {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("openapi.json declares responses no test produced:\n  %s", strings.Join(missing, "\n  "))
	}
	// Every schema in components must compile: no dangling references.
	for _, name := range d.Schemas() {
		if err := d.CompileSchema(name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}
