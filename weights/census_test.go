package weights

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

func TestReadCensus(t *testing.T) {
	const head = "year,cty_code,cty_name,hts10,gen_val_usd,con_val_usd,dut_val_usd,cal_dut_usd\n"
	tab, st, err := ReadCensus(strings.NewReader(head+
		"2025,5880,JAPAN,8703230140,1,12401661040,1,1\n"+
		"2025,1220,CANADA,0101210010,1,845634,0,0\n"+
		"2025,1220,CANADA,8703230140,1,0,0,0\n"), "con_val_usd", "consumption")
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 3 || st.Dropped != 1 || tab.Year != 2025 || len(tab.Rows) != 2 || tab.Total() != 12401661040+845634 {
		t.Errorf("stats %+v, table %+v", st, tab)
	}
	if tab.Countries[0].Code != "1220" || tab.Codes[0] != "0101210010" || tab.Rows[0].Value != 845634 {
		t.Errorf("not sorted by code and country: %+v", tab)
	}
	for _, tt := range []struct{ name, in, want string }{
		{"missing column", "year,cty_code,cty_name,hts10\n", `lacks the column "con_val_usd"`},
		{"mixed years", head + "2025,5880,JAPAN,8703230140,1,1,1,1\n2024,5880,JAPAN,8703230150,1,1,1,1\n", "line 3: year 2024 in a file of 2025"},
		{"bad value", head + "2025,5880,JAPAN,8703230140,1,1.5,1,1\n", `line 2: con_val_usd "1.5"`},
		{"short code", head + "2025,5880,JAPAN,87032301,1,1,1,1\n", "line 2: hts10 \"87032301\""},
		{"two names", head + "2025,5880,JAPAN,8703230140,1,1,1,1\n2025,5880,NIPPON,8703230150,1,1,1,1\n", `line 3: country 5880 named "JAPAN" and "NIPPON"`},
		{"twice", head + "2025,5880,JAPAN,8703230140,1,1,1,1\n2025,5880,JAPAN,8703230140,1,1,1,1\n", "line 3: 8703230140 from 5880 appears twice"},
		{"broken CSV", head + "2025,5880,\"JAPAN,8703230140\n", "line 2"},
		{"empty", head, "no data rows"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadCensus(strings.NewReader(tt.in), "con_val_usd", "consumption")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestEmbeddedAgainstCensusFiles checks every embedded value against the
// Census file it was compiled from, read here independently of ReadCensus:
// the file's checksum and row count as recorded, every row of positive
// consumption value present with its value, and nothing else.
func TestEmbeddedAgainstCensusFiles(t *testing.T) {
	src, err := CensusSources()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range src.Files {
		t.Run(strconv.Itoa(f.Year), func(t *testing.T) {
			path := testenv.DataFile(t, filepath.Join("imports", f.From))
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != f.FromSHA256 {
				t.Fatalf("%s changed since the embedded copy was compiled (run go generate ./weights)", f.From)
			}
			tab, err := Census(f.Year)
			if err != nil {
				t.Fatal(err)
			}
			want := map[[2]string]uint64{}
			for _, r := range tab.Rows {
				want[[2]string{tab.Codes[r.Code], tab.Countries[r.Country].Code}] = r.Value
			}
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			zr, err := gzip.NewReader(fh)
			if err != nil {
				t.Fatal(err)
			}
			cr := csv.NewReader(zr)
			head, _ := cr.Read()
			col := map[string]int{}
			for i, h := range head {
				col[h] = i
			}
			rows, seen := 0, 0
			for {
				rec, err := cr.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				v, _ := strconv.ParseUint(rec[col["con_val_usd"]], 10, 64)
				k := [2]string{rec[col["hts10"]], rec[col["cty_code"]]}
				got, ok := want[k]
				switch {
				case v == 0 && ok:
					t.Errorf("%v: zero in the file, %d embedded", k, got)
				case v > 0 && got != v:
					t.Errorf("%v: %d in the file, %d embedded", k, v, got)
				case v > 0:
					seen++
				}
			}
			if rows != f.FromRows || seen != len(tab.Rows) {
				t.Errorf("%d rows in the file (recorded %d); %d of %d embedded rows found", rows, f.FromRows, seen, len(tab.Rows))
			}
		})
	}
}
