package server

import (
	"net/http"
	"strings"

	"github.com/levy-tariff/levy/hts"
)

// htsHistory answers GET /v1/hts/{code}/history: every version of a line.
func (s *Server) htsHistory(w http.ResponseWriter, r *http.Request) error {
	sched := s.current().lv.Schedule
	vs, err := sched.History(r.PathValue("code"))
	if err != nil {
		return htsErr(err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": vs[0].Code, "dotted": vs[0].Dotted, "versions": vs})
	return nil
}

// htsDiff answers GET /v1/hts/diff?from=&to=: the lines established,
// discontinued and changed between two revisions or dates.
func (s *Server) htsDiff(w http.ResponseWriter, r *http.Request) error {
	sched := s.current().lv.Schedule
	qs := r.URL.Query()
	var pts [2]hts.Point
	for i, name := range []string{"from", "to"} {
		v := strings.TrimSpace(qs.Get(name))
		if v == "" {
			return invalid(name, "give a revision (2025HTSRev16) or a date (YYYY-MM-DD)")
		}
		p, err := sched.ParsePoint(v)
		if err != nil {
			return invalid(name, err.Error())
		}
		pts[i] = p
	}
	goods := qs.Get("goods") == "true" || qs.Get("goods") == "1"
	writeJSON(w, http.StatusOK, sched.Diff(pts[0], pts[1], goods))
	return nil
}

// revisionView is one revision in GET /v1/hts/revisions.
type revisionView struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	File          string `json:"file"`
	SHA256        string `json:"sha256"`
	Effective     string `json:"effective"`
	Published     string `json:"published"`
	Records       int    `json:"records"`
	Lines10       int    `json:"lines_10digit"`
	ChangeRecord  string `json:"change_record"`
	ChangeEntries int    `json:"change_record_entries"`
}

// htsRevisions answers GET /v1/hts/revisions: the revisions held.
func (s *Server) htsRevisions(w http.ResponseWriter, r *http.Request) error {
	sched := s.current().lv.Schedule
	out := make([]revisionView, 0, len(sched.Revisions))
	for _, rv := range sched.Revisions {
		out = append(out, revisionView{Name: rv.Name, Title: rv.Title, File: rv.File, SHA256: rv.SHA256,
			Effective: rv.Effective.String(), Published: rv.Published.String(), Records: rv.Records, Lines10: rv.Lines10,
			ChangeRecord: rv.ChangeRecord, ChangeEntries: len(rv.Changes)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"schedule": sched.Revision, "source": sched.Source, "revisions": out})
	return nil
}
