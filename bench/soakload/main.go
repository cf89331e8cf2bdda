// Command soakload drives a running `levy serve` with a bounded mix of
// valid, malformed and hostile requests while the data is reloaded (SIGHUP
// and the admin endpoint, in turn), and holds every answer to two rules: it
// is one openapi.json documents (status, Content-Type, headers, body, read
// from the server's own /openapi.json), and a valid request gets the same
// answer every time (and the worked duties where they are known). It
// samples the server's resident memory, then measures it while batches of
// growing size are streamed through POST /v1/batch. It refuses any target
// that is not a loopback address, and stops at -d or -n, whichever first.
//
//	go run ./bench/soakload -url http://127.0.0.1:18400 -pid 1234 -token-file admin.token -d 3m
//
// bench/soak starts the server and runs this program; docs/RELIABILITY.md
// records its figures.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/levy-tariff/levy/internal/apicheck"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18400", "levy serve base URL (loopback only)")
	pid := flag.Int("pid", 0, "the server's process id: its memory is sampled and SIGHUP reloads it")
	tokenFile := flag.String("token-file", "", "the server's admin token file (authorised reloads)")
	dur := flag.Duration("d", 3*time.Minute, "stop the mix after this long (at most 10m)")
	total := flag.Int("n", 1_000_000, "stop the mix after this many requests (at most 2,000,000)")
	conc := flag.Int("c", 8, "concurrent clients (at most 64)")
	reloadEvery := flag.Duration("reload-every", 10*time.Second, "reload this often during the mix")
	sweep := flag.String("sweep", "", "after the mix, stream batches of these row counts (e.g. 1000,10000,100000) and sample memory")
	seed := flag.Uint64("seed", 1, "random seed of the mix")
	flag.Parse()
	log.SetFlags(0)
	if *dur <= 0 || *dur > 10*time.Minute || *total <= 0 || *total > 2_000_000 || *conc < 1 || *conc > 64 {
		log.Fatal("soakload: -d must be in (0, 10m], -n in 1..2e6, -c in 1..64")
	}
	u, err := url.Parse(*base)
	if err != nil {
		log.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Fatalf("soakload: %s is not a loopback address", u.Hostname())
	}
	s := &soak{base: strings.TrimSuffix(*base, "/"), host: u.Host, pid: *pid, baseline: map[string]string{}, reloads: map[string]int{},
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc, DisableCompression: true}}}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			log.Fatal(err)
		}
		s.token = strings.TrimSpace(string(b))
	}
	if err := s.loadDoc(); err != nil {
		log.Fatal(err)
	}
	s.mix(*dur, *total, *conc, *reloadEvery, *seed)
	if *sweep != "" {
		s.sweep(*sweep)
	}
	if s.report() {
		os.Exit(1)
	}
}

type soak struct {
	base, host, token string
	pid               int
	client            *http.Client
	doc               *apicheck.Doc

	mu       sync.Mutex
	baseline map[string]string // valid request → its first answer
	byClass  map[string]*classStats
	problems []string
	nProblem int
	rss      []int64 // KiB, one a second
	metrics  int     // largest /metrics seen, bytes
	reloads  map[string]int
	sweepOut []string
}

type classStats struct {
	n        int
	status   map[int]int
	lat      []time.Duration
	transErr int
}

func (s *soak) loadDoc() error {
	res, err := s.client.Get(s.base + "/openapi.json")
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	s.doc, err = apicheck.Load(b)
	return err
}

// req is one request of the mix.
type req struct {
	class, name   string // class: valid, malformed, hostile
	method, path  string
	ctype         string
	body          []byte
	hdr           []string
	raw           []byte // sent as is over TCP instead (hostile)
	want          string // a valid answer must contain this
	stable        bool   // a valid answer must equal the first one
	wantStatus    int    // 0: any documented status
	allowTransErr bool   // the server may close the connection (bodies past a limit)
}

var lines = []struct{ q, duty string }{
	{"hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=40000", `"duty":"6000.00"`},
	{"hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000", `"duty":"1980.00"`},
	{"hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=10000&known_on=2026-03-01", `"duty":"480.00"`},
	{"hts=9503.00.00.90&origin=CN&entry_date=2025-06-01&value=1000", ""},
	{"hts=9503.00.00.90&origin=MX&entry_date=2025-06-01&value=10000", ""},
	{"hts=2204.21.50.40&origin=FR&entry_date=2025-09-01&value=10000&quantity=1000&unit=liters&mode=ocean", ""},
	{"hts=9503.00.00.90&origin=JP&entry_date=2025-08-15&export_date=2025-08-01&mode=ocean&value=10000&explain=true", ""},
}

const csvBody = "id,hts,origin,entry_date,value\n1,8703.23.01.30,JP,2025-09-20,40000\n2,9506.62.80.20,JP,2025-08-20,10000\n3,9503.00.00.90,JX,2025-06-01,1\n"

// generate returns the i-th request of the mix.
func (s *soak) generate(r *rand.Rand) req {
	l := lines[r.IntN(len(lines))]
	junk := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	}
	switch k := r.IntN(100); {
	// valid: 55%
	case k < 20:
		return req{class: "valid", name: "assess get", method: "GET", path: "/v1/assess?" + l.q, want: l.duty, stable: true}
	case k < 26:
		v, _ := url.ParseQuery(l.q)
		obj := map[string]string{}
		for key := range v {
			obj[key] = v.Get(key)
		}
		b, _ := json.Marshal(obj)
		return req{class: "valid", name: "assess post", method: "POST", path: "/v1/assess", ctype: "application/json", body: b, want: l.duty, stable: true}
	case k < 31:
		return req{class: "valid", name: "batch csv", method: "POST", path: "/v1/batch", ctype: "text/csv", body: []byte(csvBody), stable: true,
			hdr: []string{"Accept", []string{"text/csv", "application/json", "application/x-ndjson"}[r.IntN(3)]}}
	case k < 34:
		return req{class: "valid", name: "batch json", method: "POST", path: "/v1/batch?known_on=2026-03-01", ctype: "application/json", stable: true,
			body: []byte(`[{"id":"a","hts":"9506.62.80.20","origin":"JP","entry_date":"2025-08-20","value":10000},{"id":"b","hts":"8703.23.01.30","origin":"JP","entry_date":"2025-09-20","value":"40000"}]`)}
	case k < 38:
		return req{class: "valid", name: "timeline", method: "GET", path: "/v1/timeline?hts=9506.62.80.20&origin=JP&from=2025-01-01&to=2026-10-31&known_on=2026-06-01", stable: true}
	case k < 41:
		return req{class: "valid", name: "compare", method: "GET", path: "/v1/compare?hts=9503.00.00.90&origin=JP&entry_date=2025-08-15&value=10000&scenario=japan-35,letters-2025-07-07", stable: true}
	case k < 45:
		return req{class: "valid", name: "hts", method: "GET", path: []string{"/v1/hts/8703.23.01.30", "/v1/hts?q=toys&limit=5", "/v1/hts?q=8703.23"}[r.IntN(3)], stable: true}
	case k < 48:
		return req{class: "valid", name: "lists", method: "GET", path: []string{"/v1/measures?family=s232-autos", "/v1/scenarios", "/v1/info", "/healthz", "/readyz", "/openapi.json", "/", "/app.js"}[r.IntN(8)]}
	case k < 50:
		return req{class: "valid", name: "metrics", method: "GET", path: "/metrics"}
	// malformed: 25%
	case k < 54:
		bad := []string{"hts=87x3.23", "hts=9903.94.41", "hts=8703.23.01.39", "origin=XX", "entry_date=2025-13-01", "value=lots", "mode=pigeon", "colour=red", "hts=9902.15.01"}
		return req{class: "malformed", name: "assess bad field", method: "GET", path: "/v1/assess?" + l.q + "&" + bad[r.IntN(len(bad))]}
	case k < 57:
		bodies := []string{`{"hts":"8703.23.01.30","origin":"JP","origin":"CN","entry_date":"2025-09-20","value":1}`, `{"hts":{"x":1}}`, `[]`, `{} {}`, `{"steel_valu":1}`, `{"hts":"8703`, junk(40)}
		return req{class: "malformed", name: "assess bad json", method: "POST", path: "/v1/assess", ctype: "application/json", body: []byte(bodies[r.IntN(len(bodies))])}
	case k < 60:
		ct := []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/xml"}[r.IntN(5)]
		return req{class: "malformed", name: "wrong content type", method: "POST", path: []string{"/v1/assess", "/v1/batch"}[r.IntN(2)], ctype: ct, body: []byte(`{"hts":"8703.23.01.30"}`)}
	case k < 64:
		bodies := []struct{ ct, b string }{{"text/csv", "hts,origin,steel_valu\n8703.23.01.30,JP,1\n"}, {"text/csv", ""}, {"text/csv", "origin\nJP\n"},
			{"application/json", `{"hts":1}`}, {"application/json", `[{"hts":"8703.23.01.30"},`}, {"application/x-ndjson", "{\n[\n"},
			{"text/csv", "hts\n\"8703\n"}, {"application/json", "[" + strings.Repeat(`{},`, 20) + "{}]"}}
		b := bodies[r.IntN(len(bodies))]
		return req{class: "malformed", name: "batch bad body", method: "POST", path: "/v1/batch", ctype: b.ct, body: []byte(b.b)}
	case k < 67:
		return req{class: "malformed", name: "timeline compare bad", method: "GET",
			path: []string{"/v1/timeline?hts=8703.23.01.30&origin=JP&from=2026-01-01&to=2025-01-01", "/v1/timeline?hts=2204.21.50.40&origin=FR",
				"/v1/compare?hts=8703.23.01.30&origin=JP&entry_date=2025-09-20&value=1&scenario=nope", "/v1/hts?q=", "/v1/hts?q=toys&limit=1000"}[r.IntN(5)]}
	case k < 70:
		return req{class: "malformed", name: "long values", method: "GET", path: "/v1/assess?hts=" + strings.Repeat("9", 1000+r.IntN(30000)) + "&origin=JP"}
	case k < 75:
		return req{class: "malformed", name: "method or path", method: []string{"DELETE", "PUT", "PATCH", "OPTIONS"}[r.IntN(4)], path: []string{"/v1/assess", "/v1/batch", "/v1/info", "/"}[r.IntN(4)]}
	// hostile: 25%
	case k < 80:
		return req{class: "hostile", name: "invented method", method: fmt.Sprintf("X%08d", r.IntN(1e8)), path: "/v1/" + url.PathEscape(junk(8))}
	case k < 84:
		p := []string{"/../../etc/passwd", "//v1//assess", "/v1/./info", "/%2e%2e/", "/v1/hts/%00", "/" + strings.Repeat("a/", 300), "/web/", "/index.html/", "/v1"}[r.IntN(9)]
		return req{class: "hostile", name: "odd path", raw: []byte("GET " + p + " HTTP/1.1\r\nHost: " + s.host + "\r\nConnection: close\r\n\r\n")}
	case k < 88:
		hdr := []string{}
		if r.IntN(2) == 0 {
			hdr = []string{"Authorization", fmt.Sprintf("Bearer %x", junk(20))}
		}
		return req{class: "hostile", name: "unauthorised reload", method: "POST", path: "/v1/admin/reload", hdr: hdr,
			ctype: []string{"", "text/plain", "application/x-www-form-urlencoded"}[r.IntN(3)], body: []byte([]string{"", "a=1"}[r.IntN(2)])}
	case k < 91:
		return req{class: "hostile", name: "body past the limit", raw: []byte("POST /v1/batch HTTP/1.1\r\nHost: " + s.host + "\r\nContent-Type: text/csv\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\nhts\n"), allowTransErr: true}
	case k < 93:
		big := "id,hts,origin,entry_date,value\n" + strings.Repeat("x,8703.23.01.30,JP,2025-09-20,1\n", 12000)
		return req{class: "hostile", name: "rows past the limit", method: "POST", path: "/v1/batch", ctype: "text/csv", body: []byte(big), allowTransErr: true}
	case k < 95:
		return req{class: "hostile", name: "many scenarios", method: "GET", path: "/v1/compare?hts=9506.62.80.20&origin=JP&entry_date=2025-08-20&value=1&scenario=" + strings.Repeat("japan-35,", 2000)}
	case k < 97:
		var b strings.Builder
		b.WriteString("GET /v1/info HTTP/1.1\r\nHost: " + s.host + "\r\nConnection: close\r\n")
		for i := range 20 + r.IntN(3000) {
			fmt.Fprintf(&b, "X-H%d: %s\r\n", i, strings.Repeat("v", 30))
		}
		b.WriteString("\r\n")
		return req{class: "hostile", name: "header flood", raw: []byte(b.String()), allowTransErr: true}
	default:
		raws := []string{"OPTIONS * HTTP/1.1\r\nHost: " + s.host + "\r\nConnection: close\r\n\r\n", "CONNECT " + s.host + " HTTP/1.1\r\nHost: " + s.host + "\r\nConnection: close\r\n\r\n",
			"GET /v1/info HTTP/9.9\r\nHost: x\r\n\r\n", "GET\r\n\r\n", junk(200) + "\r\n\r\n", "GET /v1/info HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"}
		return req{class: "hostile", name: "broken request", raw: []byte(raws[r.IntN(len(raws))]), allowTransErr: true}
	}
}

// do sends one request and checks its answer.
func (s *soak) do(q req) {
	t0 := time.Now()
	var status int
	var h http.Header
	var body []byte
	var err error
	path := q.path
	if q.raw != nil {
		status, h, body, path, err = s.sendRaw(q.raw)
	} else {
		status, h, body, err = s.send(q.method, q.path, q.ctype, q.body, q.hdr...)
		// A valid request told to wait does, as a client should, and then
		// must get its answer.
		for try := 0; q.class == "valid" && err == nil && status == 429 && try < 20; try++ {
			for _, e := range s.doc.Check(q.method, q.path, status, h, body) {
				s.problem("%s: %v", q.class, e)
			}
			s.count("valid request told to wait (429)")
			wait, _ := strconv.Atoi(h.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
			status, h, body, err = s.send(q.method, q.path, q.ctype, q.body, q.hdr...)
		}
	}
	if err == nil && q.raw != nil && protocolReject(status, h) {
		// net/http's own answer to a request it cannot parse, before any
		// handler runs (see the document's description).
		q.class = "protocol"
	}
	s.record(q, status, time.Since(t0), err)
	switch {
	case err != nil && q.allowTransErr:
		return
	case err != nil:
		s.problem("%s %s %.80s: %v", q.class, q.method, q.path, err)
		return
	case q.class == "protocol":
		return
	case status >= 500:
		s.problem("%s %s %.80s: %d %.200s", q.class, q.method, q.path, status, body)
		return
	}
	method := q.method
	if q.raw != nil {
		method = strings.SplitN(string(q.raw), " ", 2)[0]
	}
	if method == "HEAD" {
		body = nil
	}
	for _, e := range s.doc.Check(method, path, status, h, body) {
		s.problem("%s: %v", q.class, e)
	}
	if q.class != "valid" {
		return
	}
	if status >= 300 {
		s.problem("valid %s %.100s: %d %.200s", q.method, q.path, status, body)
		return
	}
	if q.want != "" && !bytes.Contains(body, []byte(q.want)) {
		s.problem("valid %s: answer lacks %s: %.200s", q.path, q.want, body)
	}
	if q.path == "/metrics" {
		s.mu.Lock()
		s.metrics = max(s.metrics, len(body))
		s.mu.Unlock()
	}
	if q.stable {
		key := q.method + " " + q.path + " " + string(q.body) + " " + strings.Join(q.hdr, " ")
		s.mu.Lock()
		first, seen := s.baseline[key]
		if !seen {
			s.baseline[key] = string(body)
		}
		s.mu.Unlock()
		if seen && first != string(body) {
			s.problem("valid %s %.100s: the answer changed: %.200s", q.method, q.path, body)
		}
	}
}

// protocolReject reports whether an answer is net/http's own plain-text
// refusal of a request it cannot parse: 400 (malformed), 431 (headers past
// the limit), 501 (an unsupported Transfer-Encoding), 505 (an HTTP version
// it does not speak).
func protocolReject(status int, h http.Header) bool {
	switch status {
	case 400, 431, 501, 505:
		return strings.HasPrefix(h.Get("Content-Type"), "text/plain")
	}
	return false
}

func (s *soak) send(method, path, ctype string, body []byte, hdr ...string) (int, http.Header, []byte, error) {
	rq, err := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	if ctype != "" {
		rq.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		rq.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := s.client.Do(rq)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

// sendRaw writes bytes to a new connection and reads one answer.
func (s *soak) sendRaw(raw []byte) (int, http.Header, []byte, string, error) {
	c, err := net.DialTimeout("tcp", s.host, 5*time.Second)
	if err != nil {
		return 0, nil, nil, "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := c.Write(raw); err != nil {
		return 0, nil, nil, "", err
	}
	path := ""
	if f := strings.Fields(strings.SplitN(string(raw), "\r\n", 2)[0]); len(f) >= 2 {
		path = f[1]
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, nil, nil, path, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, path, err
}

func (s *soak) record(q req, status int, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byClass == nil {
		s.byClass = map[string]*classStats{}
	}
	c := s.byClass[q.class]
	if c == nil {
		c = &classStats{status: map[int]int{}}
		s.byClass[q.class] = c
	}
	c.n++
	if err != nil {
		c.transErr++
		return
	}
	c.status[status]++
	c.lat = append(c.lat, d)
}

func (s *soak) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nProblem++
	if len(s.problems) < 40 {
		s.problems = append(s.problems, fmt.Sprintf(format, args...))
	}
}

// mix runs the clients, the reloads and the memory sampler.
func (s *soak) mix(d time.Duration, total, conc int, reloadEvery time.Duration, seed uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var sent atomic.Int64
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			for ctx.Err() == nil && sent.Add(1) <= int64(total) {
				s.do(s.generate(r))
			}
		})
	}
	wg.Go(func() { s.sample(ctx, time.Second, &s.rss) })
	wg.Go(func() { s.reloadLoop(ctx, reloadEvery) })
	wg.Wait()
}

func (s *soak) reloadLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if i%2 == 0 && s.pid > 0 {
			if err := syscall.Kill(s.pid, syscall.SIGHUP); err == nil {
				s.count("SIGHUP")
			}
			continue
		}
		if s.token == "" {
			continue
		}
		q := req{class: "reload", method: "POST", path: "/v1/admin/reload", hdr: []string{"Authorization", "Bearer " + s.token}}
		status, h, body, err := s.send(q.method, q.path, "", nil, q.hdr...)
		s.record(q, status, 0, err)
		switch {
		case err != nil:
			s.problem("reload: %v", err)
		case status == 200:
			s.count("POST ok")
		case status == 429:
			s.count("POST 429")
		default:
			s.problem("reload: %d %.200s", status, body)
		}
		for _, e := range s.doc.Check(q.method, q.path, status, h, body) {
			s.problem("reload: %v", e)
		}
	}
}

func (s *soak) count(k string) {
	s.mu.Lock()
	s.reloads[k]++
	s.mu.Unlock()
}

// sample reads the server's resident memory (KiB) every interval.
func (s *soak) sample(ctx context.Context, every time.Duration, into *[]int64) {
	if s.pid <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if kb := rssKB(s.pid); kb > 0 {
			s.mu.Lock()
			*into = append(*into, kb)
			s.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}

// sweep streams one CSV batch of each size and samples memory while it
// runs: flat memory means the peak does not grow with the body.
func (s *soak) sweep(sizes string) {
	row := "x,8703.23.01.30,JP,2025-09-20,40000\n"
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || n > 2_000_000 {
			log.Fatalf("soakload: -sweep %q: row counts from 1 to 2,000,000", f)
		}
		time.Sleep(2 * time.Second) // each batch starts from the server's resting memory
		before := rssKB(s.pid)
		ctx, cancel := context.WithCancel(context.Background())
		var peak []int64
		done := make(chan struct{})
		go func() { s.sample(ctx, 20*time.Millisecond, &peak); close(done) }()
		pr, pw := io.Pipe()
		go func() {
			w := bufio.NewWriterSize(pw, 64<<10)
			w.WriteString("id,hts,origin,entry_date,value\n")
			for range n {
				w.WriteString(row)
			}
			w.Flush()
			pw.Close()
		}()
		rq, _ := http.NewRequest("POST", s.base+"/v1/batch", pr)
		rq.Header.Set("Content-Type", "text/csv")
		rq.Header.Set("Accept", "text/csv")
		t0 := time.Now()
		res, err := (&http.Client{Timeout: 10 * time.Minute}).Do(rq)
		rows := 0
		if err == nil {
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if bytes.HasPrefix(sc.Bytes(), []byte("x,6000.00,")) {
					rows++
				}
			}
			res.Body.Close()
		}
		el := time.Since(t0)
		cancel()
		<-done
		mx := before
		for _, v := range peak {
			mx = max(mx, v)
		}
		line := fmt.Sprintf("sweep %d rows (%.1f MB of CSV): %d rows answered in %.2f s, server RSS %.1f MB before, peak %.1f MB",
			n, float64(n*len(row))/1e6, rows, el.Seconds(), float64(before)/1024, float64(mx)/1024)
		if err != nil || rows != n {
			s.problem("sweep %d rows: %d answered, %v", n, rows, err)
		}
		s.sweepOut = append(s.sweepOut, line)
	}
}

// report prints the figures and says whether anything failed.
func (s *soak) report() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var classes []string
	all := 0
	for c, st := range s.byClass {
		classes = append(classes, c)
		all += st.n
	}
	sort.Strings(classes)
	fmt.Printf("soak requests: %d\n", all)
	for _, c := range classes {
		st := s.byClass[c]
		var codes []string
		var ks []int
		for k := range st.status {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		fives := 0
		for _, k := range ks {
			codes = append(codes, fmt.Sprintf("%d×%d", k, st.status[k]))
			if k >= 500 {
				fives += st.status[k]
			}
		}
		slices.Sort(st.lat)
		pct := func(p float64) float64 {
			if len(st.lat) == 0 {
				return 0
			}
			return float64(st.lat[min(len(st.lat)-1, int(p*float64(len(st.lat))))].Microseconds()) / 1000
		}
		if c == "protocol" {
			fmt.Printf("soak protocol (net/http's own plain-text refusals before any handler): %d requests; statuses %s\n", st.n, strings.Join(codes, " "))
			continue
		}
		fmt.Printf("soak %s: %d requests, 5xx %d, connection closed by the server %d, p50 %.2f ms, p99 %.2f ms; statuses %s\n",
			c, st.n, fives, st.transErr, pct(.5), pct(.99), strings.Join(codes, " "))
	}
	var rk []string
	for k, v := range s.reloads {
		rk = append(rk, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(rk)
	fmt.Printf("soak reloads and waits: %s\n", strings.Join(rk, ", "))
	if n := len(s.rss); n > 0 {
		mb := func(i int) float64 { return float64(s.rss[min(n-1, i)]) / 1024 }
		fmt.Printf("soak server RSS: %.1f MB after warm-up (10%%), %.1f at 25%%, %.1f at 50%%, %.1f at 75%%, %.1f MB at the end, %.1f MB at most (%d samples)\n",
			mb(n/10), mb(n/4), mb(n/2), mb(3*n/4), mb(n-1), float64(slices.Max(s.rss))/1024, n)
	}
	fmt.Printf("soak largest /metrics: %.1f KB\n", float64(s.metrics)/1024)
	for _, l := range s.sweepOut {
		fmt.Println("soak " + l)
	}
	fmt.Printf("soak problems: %d\n", s.nProblem)
	for _, p := range s.problems {
		fmt.Println("  " + p)
	}
	if s.metrics > 200<<10 {
		fmt.Println("  /metrics grew past 200 KB")
		return true
	}
	return s.nProblem > 0
}
