package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levy-tariff/levy/hts"
)

func TestDataUpdate(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "hts", "sample", "hts_2026_rev_10_sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hts_2026_revision_10_json.json":
			w.Write(sample)
		case "/hts_2026_revision_11_json.json":
			w.Write([]byte("<html>not found</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	out, errOut, code := runLevy(t, "data", "update", "--year", "2026", "--revision", "10", "--base-url", srv.URL, "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	path := strings.TrimSpace(out)
	s, err := hts.Load(path)
	if err != nil {
		t.Fatalf("saved schedule does not load: %v", err)
	}
	if _, err := s.Lookup("8703.23.01.30"); err != nil {
		t.Error(err)
	}
	for _, rev := range []string{"11", "12"} {
		_, errOut, code = runLevy(t, "data", "update", "--year", "2026", "--revision", rev, "--base-url", srv.URL, "--out", dir)
		if code != ExitData || !strings.Contains(errOut, "hts_2026_revision_"+rev) {
			t.Errorf("revision %s: exit %d, stderr %q", rev, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "hts_2026_rev_"+rev+".json.gz")); err == nil {
			t.Errorf("revision %s: a bad download was saved", rev)
		}
	}
}
