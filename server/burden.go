package server

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/levy-tariff/levy/burden"
	"github.com/levy-tariff/levy/date"
)

// burdenNames are the parameters of GET /v1/burden.
var burdenNames = []string{"every", "from", "known_on", "origin", "scenario", "to", "top", "weights_year"}

// burdenResponse is a series with the scenario it was read under.
type burdenResponse struct {
	burden.SeriesView
	Scenario string `json:"scenario"`
}

// burden answers with the trade-weighted effective rate and duty of the
// embedded Census imports (of the origins asked, or all) over time, as
// collected and as known on known_on (default: today by the server's
// clock), with what is owed back.
func (s *Server) burden(w http.ResponseWriter, r *http.Request) error {
	p, err := burdenQuery(r)
	if err != nil {
		return err
	}
	st := s.current()
	snap, err := st.snapshot(p["scenario"])
	if err != nil {
		return err
	}
	origins, err := burden.ParseOrigins(p["origin"])
	if err != nil {
		return err
	}
	opt := burden.SeriesOptions{}
	if opt.From, err = dateParam("from", p["from"], defaultFrom); err != nil {
		return err
	}
	if opt.To, err = dateParam("to", p["to"], snap.Horizon.String()); err != nil {
		return err
	}
	if opt.KnownOn, err = dateParam("known_on", p["known_on"], date.Of(s.now()).String()); err != nil {
		return err
	}
	if opt.To < opt.From {
		return invalid("to", "to "+opt.To.String()+" is before from "+opt.From.String())
	}
	every := p["every"]
	if every == "" {
		every = "month"
	}
	if opt.Every, err = burden.ParseEvery(every); err != nil {
		return invalid("every", err.Error())
	}
	top := 15
	if t := p["top"]; t != "" {
		if top, err = strconv.Atoi(t); err != nil || top < 0 || top > 300 {
			return invalid("top", "top must be a whole number from 0 (all) to 300")
		}
	}
	wts, err := burden.CensusWeights(p["weights_year"])
	if err != nil {
		return invalid("weights_year", err.Error())
	}
	key := strings.Join([]string{strings.Join(origins, ","), opt.From.String(), opt.To.String(), opt.Every.String(),
		opt.KnownOn.String(), p["weights_year"], strconv.Itoa(top), p["scenario"]}, "|")
	if b, ok := st.burdens.get(key); ok {
		writeRaw(w, b)
		return nil
	}
	series, err := burden.RunSeries(r.Context(), snap, wts.Only(origins...), opt)
	if err != nil {
		if cerr := r.Context().Err(); cerr != nil {
			return cerr
		}
		return invalid("", err.Error())
	}
	v := series.View(origins, wts.String(), top)
	v.Origins = nonNil(v.Origins)
	b, err := json.Marshal(burdenResponse{SeriesView: v, Scenario: p["scenario"]})
	if err != nil {
		return err
	}
	st.burdens.put(key, b)
	writeRaw(w, b)
	return nil
}

// burdenQuery reads the query string: each known parameter once at most.
func burdenQuery(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	q := r.URL.Query()
	names := make([]string, 0, len(q))
	for n := range q {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if i := sort.SearchStrings(burdenNames, n); i == len(burdenNames) || burdenNames[i] != n {
			return nil, &Error{Code: CodeInvalid, Field: n, Message: "unknown parameter " + strconv.Quote(n), Suggestions: burdenNames}
		}
		if len(q[n]) > 1 {
			return nil, invalid(n, "parameter given more than once")
		}
		out[n] = strings.TrimSpace(q[n][0])
	}
	return out, nil
}

func dateParam(field, text, def string) (date.Date, error) {
	if text == "" {
		text = def
	}
	d, err := date.Parse(text)
	if err != nil {
		return 0, invalid(field, err.Error())
	}
	return d, nil
}

func writeRaw(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	w.Write([]byte("\n"))
}

// seriesCache keeps the latest answers of GET /v1/burden for one loaded
// rule set (a reload starts a new one): a page asks the same series often,
// and a series of every partner takes seconds.
type seriesCache struct {
	mu    sync.Mutex
	max   int
	order []string
	byKey map[string][]byte
}

func newSeriesCache(max int) *seriesCache {
	return &seriesCache{max: max, byKey: map[string][]byte{}}
}

func (c *seriesCache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.byKey[key]
	return b, ok
}

func (c *seriesCache) put(key string, b []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, key)
	c.byKey[key] = b
}
