package cli

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/internal/testenv"
)

// usitcServer serves a release list and exports the way the USITC does:
// 2026 Revisions 9 and 10 from ../shared, and a made-up Revision 11 that is
// Revision 10 with the general rate of 9503.00.00 changed to 1.5%.
func usitcServer(t *testing.T, rev11 []byte) *httptest.Server {
	t.Helper()
	read := func(name string) []byte {
		f, err := os.Open(testenv.DataFile(t, "hts/"+name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rev9, rev10 := read("hts_2026_rev_9.json.gz"), read("hts_2026_rev_10.json.gz")
	if rev11 == nil {
		var recs []map[string]any
		if err := json.Unmarshal(rev10, &recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r["htsno"] == "9503.00.00" {
				r["general"] = "1.5%"
			}
		}
		rev11, _ = json.Marshal(recs)
	}
	list := `[{"name":"2026HTSRev9","releaseStartDate":"05/28/2026","status":"archived"},
		{"name":"2026HTSRev10","releaseStartDate":"06/08/2026","status":"archived"},
		{"name":"2026HTSRev11","releaseStartDate":"07/01/2026","status":"current"},
		{"name":"somethingElse","releaseStartDate":"07/01/2026"}]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/reststop/releaseList":
			io.WriteString(w, list)
		case "/files/hts_2026_revision_9_json.json":
			w.Write(rev9)
		case "/files/hts_2026_revision_10_json.json":
			w.Write(rev10)
		case "/files/hts_2026_revision_11_json.json":
			w.Write(rev11)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDataUpdate(t *testing.T) {
	srv := usitcServer(t, nil)
	dir := t.TempDir()
	flags := []string{"--data-dir", dir, "data", "update", "--release-list", srv.URL + "/reststop/releaseList", "--export-base", srv.URL + "/files"}
	out, errOut, code := runLevy(t, flags...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "added HTS 2026 Revision 11") || strings.Contains(out, "Revision 10:") {
		t.Errorf("output %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "schedule.bin")); err != nil {
		t.Fatal(err)
	}
	// levy uses the new revision from its date on, and says so.
	out, _, _ = runLevy(t, "--data-dir", dir, "hts", "show", "9503.00.00.90", "--date", "2026-07-15")
	if !strings.Contains(out, "1.5%") || !strings.Contains(out, "HTS 2026 Revision 11") {
		t.Errorf("after the update:\n%s", out)
	}
	out, _, _ = runLevy(t, "--data-dir", dir, "hts", "show", "9503.00.00.90", "--date", "2026-06-15")
	if strings.Contains(out, "1.5%") {
		t.Errorf("the new revision applies before its date:\n%s", out)
	}
	out, _, _ = runLevy(t, "--data-dir", dir, "info")
	if !strings.Contains(out, "HTS 2026 Revision 11") || !strings.Contains(out, "data directory: "+dir) {
		t.Errorf("info:\n%s", out)
	}
	// A second run finds nothing newer.
	out, errOut, code = runLevy(t, flags...)
	if code != ExitOK || !strings.Contains(out, "up to date") {
		t.Errorf("second run: exit %d, %q %q", code, out, errOut)
	}
}

func TestDataUpdateRefusesBadExport(t *testing.T) {
	srv := usitcServer(t, []byte("<html>Access Denied</html>"))
	dir := t.TempDir()
	_, errOut, code := runLevy(t, "--data-dir", dir, "data", "update", "--release-list", srv.URL+"/reststop/releaseList", "--export-base", srv.URL+"/files")
	if code != ExitData || !strings.Contains(errOut, "2026HTSRev11") || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed update left %v", entries)
	}
}

func TestDataUpdateOffline(t *testing.T) {
	// A port nothing listens on stands for an unreachable USITC.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	_, errOut, code := runLevy(t, "--data-dir", dir, "data", "update", "--release-list", "http://"+addr+"/reststop/releaseList")
	if code != ExitData || !strings.Contains(errOut, "cannot read the USITC release list") || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an offline update left %v", entries)
	}
}
