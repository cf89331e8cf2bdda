package usitc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/levy-tariff/levy/hts"
)

// Fetcher downloads releases of the HTS from the USITC (or a mirror).
type Fetcher struct {
	// Client makes the requests; nil uses http.DefaultClient.
	Client *http.Client
	// ReleaseList is the release list's address; "" is DefaultReleaseList.
	ReleaseList string
	// ExportBase is the address the exports' file names are relative to;
	// "" is DefaultExportBase.
	ExportBase string
	// ListTimeout bounds the release list request (default 10 s), so that an
	// offline machine learns it is offline quickly; ExportTimeout bounds each
	// export's download (default 5 minutes).
	ListTimeout, ExportTimeout time.Duration
}

// Fetched is a release downloaded and read.
type Fetched struct {
	Release  Release
	URL      string
	Body     []byte // the export as downloaded
	Schedule *hts.Schedule
	Revision hts.Revision
}

// Releases fetches the release list.
func (f *Fetcher) Releases(ctx context.Context) ([]Release, error) {
	url := f.ReleaseList
	if url == "" {
		url = DefaultReleaseList
	}
	body, err := f.get(ctx, url, f.ListTimeout, 10*time.Second, 16<<20)
	if err != nil {
		return nil, fmt.Errorf("cannot read the USITC release list: %w", err)
	}
	rels, err := ParseReleaseList(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return rels, nil
}

// After returns the releases of rels that come after the newest revision
// of base, oldest first.
func After(rels []Release, base *hts.Schedule) []Release {
	newest := ""
	if n := len(base.Revisions); n > 0 {
		newest = base.Revisions[n-1].Name
	}
	var out []Release
	for _, r := range rels {
		if newest == "" || Newer(r.Name, newest) {
			out = append(out, r)
		}
	}
	return out
}

// Fetch downloads a release's export and reads it. It must read as a whole
// schedule: at least 90% of the records and 10-digit lines of prev (the
// revision before it), so that a truncated or wrong file is refused.
func (f *Fetcher) Fetch(ctx context.Context, rel Release, prev hts.Revision) (*Fetched, error) {
	file, err := ExportFile(rel.Name)
	if err != nil {
		return nil, err
	}
	base := f.ExportBase
	if base == "" {
		base = DefaultExportBase
	}
	url := base + "/" + file
	body, err := f.get(ctx, url, f.ExportTimeout, 5*time.Minute, 512<<20)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel.Name, err)
	}
	s, err := hts.Read(bytes.NewReader(body), file)
	if err != nil {
		return nil, fmt.Errorf("%s (%s) does not read as an HTS export: %w", rel.Name, url, err)
	}
	st := s.Stats()
	if prev.Records > 0 && (st.Records*10 < prev.Records*9 || st.Lines10*10 < prev.Lines10*9) {
		return nil, fmt.Errorf("%s (%s) holds %d records and %d 10-digit lines, far fewer than %s (%d and %d): refused as incomplete",
			rel.Name, url, st.Records, st.Lines10, prev.Title, prev.Records, prev.Lines10)
	}
	sum := sha256.Sum256(body)
	rev := hts.Revision{Name: rel.Name, Title: Title(rel.Name), File: file, SHA256: hex.EncodeToString(sum[:]),
		Effective: rel.Start, Published: rel.Start}
	return &Fetched{Release: rel, URL: url, Body: body, Schedule: s, Revision: rev}, nil
}

func (f *Fetcher) get(ctx context.Context, url string, timeout, def time.Duration, limit int64) ([]byte, error) {
	if timeout <= 0 {
		timeout = def
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "levy (US tariff engine)")
	req.Header.Set("Accept", "application/json")
	c := f.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s: larger than %d MB", url, limit>>20)
	}
	return body, nil
}
