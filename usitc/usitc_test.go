package usitc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/levy-tariff/levy/date"
)

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		name, title, file string
	}{
		{"2026HTSRev10", "HTS 2026 Revision 10", "hts_2026_revision_10_json.json"},
		{"2025HTSBasic", "HTS 2025 Basic Edition", "hts_2025_basic_edition_json.json"},
	} {
		if got := Title(tc.name); got != tc.title {
			t.Errorf("Title(%s) = %q", tc.name, got)
		}
		if got, err := ExportFile(tc.name); err != nil || got != tc.file {
			t.Errorf("ExportFile(%s) = %q, %v", tc.name, got, err)
		}
	}
	if _, err := ExportFile("HTS 2026"); err == nil {
		t.Error("bad name accepted")
	}
	if !Newer("2026HTSBasic", "2025HTSRev32") || !Newer("2026HTSRev10", "2026HTSRev9") || Newer("2026HTSRev9", "2026HTSRev9") {
		t.Error("Newer")
	}
}

func TestParseReleaseList(t *testing.T) {
	rels, err := ParseReleaseList(strings.NewReader(`[{"name":"2026HTSRev10","releaseStartDate":"06/08/2026","status":"current"},
		{"name":"2026HTSRev9","releaseStartDate":"2026-05-28"},{"name":"Notes","releaseStartDate":"x"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 2 || rels[0].Name != "2026HTSRev9" || rels[1].Start != date.MustParse("2026-06-08") || rels[1].Status != "current" {
		t.Errorf("%+v", rels)
	}
	for _, bad := range []string{``, `{}`, `[]`, `[{"name":"2026HTSRev1","releaseStartDate":"13/45/2026"}]`} {
		if _, err := ParseReleaseList(strings.NewReader(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A release list that does not answer is given up on after ListTimeout.
func TestReleasesTimeout(t *testing.T) {
	stop := make(chan bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stop }))
	defer srv.Close()
	defer close(stop)
	f := Fetcher{ReleaseList: srv.URL, ListTimeout: 200 * time.Millisecond}
	_, err := f.Releases(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot read the USITC release list") {
		t.Errorf("err %v", err)
	}
}

func FuzzParseReleaseList(f *testing.F) {
	f.Add([]byte(`[{"name":"2026HTSRev10","releaseStartDate":"06/08/2026"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rels, err := ParseReleaseList(strings.NewReader(string(b)))
		if err == nil && len(rels) == 0 {
			t.Fatal("no error and no release")
		}
	})
}
