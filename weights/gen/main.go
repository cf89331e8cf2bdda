// Command gen compiles the Census Bureau's imports by HTS-10 × country into
// levy's compact format and records the sources beside it:
//
//	go generate ./weights     # runs: go run ./gen -in ../../shared/data/imports -out census
//
// It reads us_imports_hts10_by_country_YYYY.csv.gz for each year asked,
// keeps the imports for consumption (con_val_usd) of every row with a
// positive value, and writes census_YYYY.lvi and SOURCES.json in -out.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/weights"
)

func main() {
	in := flag.String("in", "../../shared/data/imports", "directory of the Census CSV files")
	out := flag.String("out", "census", "directory to write the compiled files and SOURCES.json to")
	years := flag.String("years", "2024,2025", "years to compile, comma-separated")
	vintage := flag.String("vintage", "Census International Trade API (timeseries/intltrade/imports/hs), annual figures retrieved in August 2026 "+
		"through a public extraction of every HTS-10 × country row (github.com/FelipeRamon123/united-states-census-imports-api-showcase, commit 3c274b2b7f6b); "+
		"the 2024 figures include Census's later revisions", "how and when the figures were retrieved")
	flag.Parse()
	if err := run(*in, *out, *years, *vintage); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// SourceName is the name of the Census file of a year.
func sourceName(year int) string { return fmt.Sprintf("us_imports_hts10_by_country_%d.csv.gz", year) }

func run(in, out, years, vintage string) error {
	rec := weights.Sources{
		Publisher: "U.S. Census Bureau, Foreign Trade Division (public domain)",
		Dataset:   "U.S. imports for consumption (customs value, whole dollars; Census CON_VAL, the extraction's CONSUMPTION_IMPORTS_USD) by 10-digit HTS statistical number × country of origin, annual",
		Vintage:   vintage,
		License:   "US government work, public domain (17 U.S.C. 105)",
		Rebuild:   "go generate ./weights (see docs/WEIGHTS.md)",
	}
	for _, ys := range strings.Split(years, ",") {
		year, err := strconv.Atoi(strings.TrimSpace(ys))
		if err != nil {
			return fmt.Errorf("-years: %q is not a year", ys)
		}
		src := filepath.Join(in, sourceName(year))
		raw, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		t, st, err := weights.ReadCensus(bytes.NewReader(raw), "con_val_usd", "consumption")
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		if t.Year != year {
			return fmt.Errorf("%s holds year %d", src, t.Year)
		}
		var buf bytes.Buffer
		if err := weights.Encode(&buf, t); err != nil {
			return err
		}
		name := weights.CensusFile(year)
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		rec.Files = append(rec.Files, weights.Source{Year: year, File: name, SHA256: sum(buf.Bytes()), Bytes: buf.Len(),
			From: sourceName(year), FromSHA256: sum(raw), FromRows: st.Rows, Column: "con_val_usd",
			Rows: len(t.Rows), Dropped: st.Dropped, Codes: len(t.Codes), Countries: len(t.Countries), Value: strconv.FormatUint(t.Total(), 10)})
		fmt.Printf("%s: %d rows of %d kept, %d codes, %d countries, $%d, %d bytes\n", name, len(t.Rows), st.Rows, len(t.Codes), len(t.Countries), t.Total(), buf.Len())
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "SOURCES.json"), append(b, '\n'), 0o644)
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
