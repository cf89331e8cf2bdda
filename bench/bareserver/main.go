// Command bareserver is the floor that levy serve is compared with: a bare
// net/http server whose GET /v1/assess reads the same query parameters and
// answers a small JSON object, with no tariff work at all.
//
//	go run ./bench/bareserver -addr 127.0.0.1:8399
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8399", "listen address (loopback)")
	flag.Parse()
	log.SetFlags(0)
	if host, _, err := net.SplitHostPort(*addr); err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("bareserver: %s is not a loopback address", *addr)
	}
	type answer struct {
		HTS       string `json:"hts"`
		Origin    string `json:"origin"`
		EntryDate string `json:"entry_date"`
		Value     string `json:"value"`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/assess", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(answer{q.Get("hts"), q.Get("origin"), q.Get("entry_date"), q.Get("value")})
	})
	log.Fatal(http.ListenAndServe(*addr, mux))
}
