package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/ace"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/ledger"
	"github.com/levy-tariff/levy/refund"
)

// DefaultMaxImportBytes bounds a report posted to /v1/refunds/import.
const DefaultMaxImportBytes = 512 << 20

// refundRoutes adds the refunds API under /v1/refunds/ and its page at /refunds.
func (s *Server) refundRoutes(handle func(string, methods)) {
	handle("/v1/refunds/summary", methods{"GET": s.refundSummary})
	handle("/v1/refunds/entries", methods{"GET": s.refundEntries})
	handle("/v1/refunds/entries/{entry}", methods{"GET": s.refundEntry})
	handle("/v1/refunds/import", methods{"POST": s.refundImport})
	handle("/v1/refunds/received", methods{"POST": s.refundImport})
	handle("/v1/refunds/declarations", methods{"GET": s.refundDeclarations, "POST": s.refundDeclare})
	handle("/v1/refunds/declarations/{id}", methods{"GET": s.refundDeclaration})
	handle("/v1/refunds/declarations/{id}/status", methods{"POST": s.refundDeclarationStatus})
	handle("/refunds", methods{"GET": s.refundsPage})
	handle("/refunds.css", methods{"GET": s.refundsCSS})
}

// refundOptions caches what the refund domain needs from the rule set in
// use; a reload brings a new rule set and the cache follows it.
var refundOptions atomic.Pointer[cachedOptions]

type cachedOptions struct {
	lv  *levy.Levy
	opt refund.Options
}

func (s *Server) refundSetup(r *http.Request) (*ledger.DB, refund.Options, date.Date, error) {
	if s.Ledger == nil {
		return nil, refund.Options{}, date.None, &Error{Code: CodeUnavailable, Message: "no refunds ledger: start levy serve with --db levy.db or --db postgres://..."}
	}
	st := s.current()
	if st == nil {
		return nil, refund.Options{}, date.None, &Error{Code: CodeUnavailable, Message: "data not loaded"}
	}
	c := refundOptions.Load()
	if c == nil || c.lv != st.lv {
		opt, err := st.lv.RefundOptions()
		if err != nil {
			return nil, refund.Options{}, date.None, err
		}
		c = &cachedOptions{lv: st.lv, opt: opt}
		refundOptions.Store(c)
	}
	opt := c.opt
	q := r.URL.Query()
	asOf := date.Of(s.now())
	if v := q.Get("as_of"); v != "" {
		d, err := date.Parse(v)
		if err != nil {
			return nil, opt, date.None, invalid("as_of", err.Error())
		}
		asOf = d
	}
	opt.Interest = refund.InterestOptions{Corporate: q.Get("non_corporate") != "true", LargeCorporate: q.Get("large_corporate") == "true"}
	if v := q.Get("deposit_lag"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 365 {
			return nil, opt, date.None, invalid("deposit_lag", "days from 0 to 365")
		}
		opt.DepositLag = n
	}
	return s.Ledger, opt, asOf, nil
}

func ledgerError(err error) error {
	if errors.Is(err, ledger.ErrNotFound) {
		return &Error{Code: CodeNotFound, Message: err.Error()}
	}
	var ce *ledger.ConflictError
	if errors.As(err, &ce) {
		return &Error{Code: CodeInvalid, Message: err.Error()}
	}
	return err
}

// refundsData is the summary and the selected entries.
type refundsData struct {
	Summary *refund.Summary `json:"summary"`
	Entries []refund.View   `json:"entries"`
	Total   int             `json:"total"`
	all     []*refund.Result
}

func (s *Server) loadRefunds(r *http.Request, keepAll bool) (*refundsData, error) {
	l, opt, asOf, err := s.refundSetup(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	phase, due := q.Get("phase"), q.Get("due") == "true"
	if phase != "" && !knownPhase(phase) {
		return nil, invalid("phase", fmt.Sprintf("%q: use one of %v", phase, refund.Phases))
	}
	limit, offset := 100, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 || limit > 10000 {
			return nil, invalid("limit", "0 to 10000")
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return nil, invalid("offset", "a non-negative number")
		}
	}
	keep := func(res *refund.Result) bool {
		return keepAll || (phase == "" || string(res.Route.Phase) == phase) && (!due || res.Route.DueWithin(refund.DueSoon))
	}
	src := func(fn func(*refund.Entry) error) error {
		return l.Entries(r.Context(), ledger.Filter{Importer: q.Get("importer")}, func(e *refund.Entry) error {
			if err := r.Context().Err(); err != nil {
				return err
			}
			return fn(e)
		})
	}
	sum, rs, err := refund.Run(src, asOf, opt, keep)
	if err != nil {
		return nil, err
	}
	out := &refundsData{Summary: sum, Entries: []refund.View{}, Total: len(rs), all: rs}
	for i := offset; i < len(rs) && i < offset+limit; i++ {
		out.Entries = append(out.Entries, refund.ViewOf(rs[i]))
	}
	if out.Summary.Due == nil {
		out.Summary.Due = []refund.Due{}
	}
	return out, nil
}

func knownPhase(p string) bool {
	for _, x := range refund.Phases {
		if string(x) == p {
			return true
		}
	}
	return false
}

func (s *Server) refundSummary(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadRefunds(r, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d.Summary)
	return nil
}

func (s *Server) refundEntries(w http.ResponseWriter, r *http.Request) error {
	asCSV := r.URL.Query().Get("format") == "csv"
	d, err := s.loadRefunds(r, false)
	if err != nil {
		return err
	}
	if !asCSV {
		writeJSON(w, http.StatusOK, d)
		return nil
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	cw.Write(refund.CSVColumns)
	for _, v := range d.all {
		cw.Write(v.CSVRecord())
	}
	cw.Flush()
	return nil
}

func (s *Server) refundEntry(w http.ResponseWriter, r *http.Request) error {
	res, err := s.entryResult(r, r.PathValue("entry"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, refund.ViewOf(res))
	return nil
}

func (s *Server) entryResult(r *http.Request, number string) (*refund.Result, error) {
	l, opt, asOf, err := s.refundSetup(r)
	if err != nil {
		return nil, err
	}
	n, err := refund.ParseEntryNumber(number)
	if err != nil {
		return nil, invalid("entry", err.Error())
	}
	e, err := l.Entry(r.Context(), n)
	if err != nil {
		return nil, ledgerError(err)
	}
	opt.KeepLines = true
	return refund.NewAssess(opt).Entry(e, asOf), nil
}

// importResponse is what an import stored, or every bad row.
type importResponse struct {
	File    string   `json:"file"`
	Kind    string   `json:"kind"`
	Rows    int      `json:"rows"`
	Entries int      `json:"entries"`
	Import  string   `json:"import"`
	Errors  []string `json:"errors,omitempty"`
	Total   int      `json:"bad_rows,omitempty"`
}

func (s *Server) refundImport(w http.ResponseWriter, r *http.Request) error {
	l, opt, asOf, err := s.refundSetup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	m, err := ace.ParseMap(q["map"])
	if err != nil {
		return invalid("map", err.Error())
	}
	aopt := ace.Options{Map: m, AsOf: asOf, Kind: ace.Kind(q.Get("kind")), Snapshot: opt.Snapshot, Importer: q.Get("importer")}
	aopt.CheckHTS = s.current().lv.CheckHTS(opt.Headings)
	limit := s.MaxImportBytes
	if limit <= 0 {
		limit = DefaultMaxImportBytes
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	rd, err := ace.NewReader(body, aopt)
	if err != nil {
		return apiOrInvalid(err)
	}
	refundsOnly := strings.HasSuffix(r.URL.Path, "/received")
	isRefund := rd.Kind == ace.ES022 || rd.Kind == ace.REV603
	if refundsOnly && !isRefund {
		return invalid("kind", "this is an "+string(rd.Kind)+" report: post entry reports to /v1/refunds/import")
	}
	name := q.Get("name")
	if name == "" {
		name = "upload"
	}
	at := s.now().UTC().Format("2006-01-02T15:04:05Z")
	var stats *ledger.ImportStats
	if isRefund {
		stats, err = l.ImportRefunds(r.Context(), string(rd.Kind), name, at, rd.NextRefund)
	} else {
		stats, err = l.ImportEntries(r.Context(), string(rd.Kind), name, at, rd.Next)
	}
	var ie *ledger.ImportError
	if errors.As(err, &ie) {
		resp := importResponse{File: name, Kind: string(rd.Kind), Total: ie.Total}
		for _, e := range ie.Errors {
			resp.Errors = append(resp.Errors, e.Error())
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": &Error{Code: CodeUnprocessable,
			Message: fmt.Sprintf("%d bad row(s); nothing was imported", ie.Total)}, "import": resp})
		return nil
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	if err != nil {
		return apiOrInvalid(err)
	}
	writeJSON(w, http.StatusOK, importResponse{File: name, Kind: string(rd.Kind), Rows: stats.Rows, Entries: stats.Entries, Import: stats.ID})
	return nil
}

// apiOrInvalid reports a reader error as bad input (a header that is not a
// report, a missing column), keeping size and internal errors as they are.
func apiOrInvalid(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	if strings.HasPrefix(err.Error(), "ledger") {
		return err
	}
	return &Error{Code: CodeInvalid, Message: err.Error()}
}

func (s *Server) refundDeclarations(w http.ResponseWriter, r *http.Request) error {
	l, _, _, err := s.refundSetup(r)
	if err != nil {
		return err
	}
	ds, err := l.Declarations(r.Context())
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []ledger.DeclarationInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"declarations": ds})
	return nil
}

// refundDeclare writes the declarations CAPE takes as of as_of (one per
// importer, at most 9,999 entries each), records them as prepared and
// returns them; each file is at /v1/refunds/declarations/{id}?format=csv.
func (s *Server) refundDeclare(w http.ResponseWriter, r *http.Request) error {
	l, opt, asOf, err := s.refundSetup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	filer := q.Get("filer")
	src := func(fn func(*refund.Entry) error) error {
		return l.Entries(r.Context(), ledger.Filter{Importer: q.Get("importer")}, fn)
	}
	_, rs, err := refund.Run(src, asOf, opt, func(res *refund.Result) bool {
		return refund.Eligible(res) && (filer == "" || res.Entry.Filer == filer)
	})
	if err != nil {
		return err
	}
	var cs []refund.Candidate
	for _, res := range rs {
		cs = append(cs, refund.Candidate{Entry: res.Entry.Number, Importer: res.Entry.Importer})
	}
	decls, err := refund.Declarations(cs)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, d := range decls {
		id, err := l.RecordDeclaration(r.Context(), d.Importer, d.Entries, asOf, func(id string) string { return id + ".csv" })
		if err != nil {
			return ledgerError(err)
		}
		out = append(out, map[string]any{"id": id, "importer": d.Importer, "entries": len(d.Entries), "status": refund.DeclPrepared,
			"file": "/v1/refunds/declarations/" + id + "?format=csv"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"declarations": out})
	return nil
}

func (s *Server) refundDeclaration(w http.ResponseWriter, r *http.Request) error {
	l, _, _, err := s.refundSetup(r)
	if err != nil {
		return err
	}
	d, entries, err := l.Declaration(r.Context(), r.PathValue("id"))
	if err != nil {
		return ledgerError(err)
	}
	if r.URL.Query().Get("format") == "csv" {
		decl := refund.Declaration{Importer: d.Importer, Entries: entries}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+d.ID+`.csv"`)
		w.Write(decl.Bytes())
		return nil
	}
	if entries == nil {
		entries = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"declaration": d, "entry_numbers": entries})
	return nil
}

func (s *Server) refundDeclarationStatus(w http.ResponseWriter, r *http.Request) error {
	l, _, _, err := s.refundSetup(r)
	if err != nil {
		return err
	}
	body, err := readBody(w, r, s.MaxBodyBytes)
	if err != nil {
		return err
	}
	var req struct {
		Status string `json:"status"`
	}
	if err := decodeStrict(body, &req); err != nil {
		return invalid("status", err.Error())
	}
	if err := l.SetDeclarationStatus(r.Context(), r.PathValue("id"), req.Status); err != nil {
		if errors.Is(err, ledger.ErrNotFound) {
			return ledgerError(err)
		}
		return invalid("status", err.Error())
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "status": req.Status})
	return nil
}

// decodeStrict reads one JSON object with known fields only.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	return nil
}
