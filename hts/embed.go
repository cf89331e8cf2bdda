package hts

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
)

//go:embed sample/hts_2026_rev_10_sample.json
var sampleFS embed.FS

const samplePath = "sample/hts_2026_rev_10_sample.json"

var embedded struct {
	once sync.Once
	s    *Schedule
	err  error
}

// Embedded returns the small schedule levy carries so that it works with no
// download: the lines of the worked cases and of the main goods Japan ships
// to the US, with all their ancestors, copied from HTS 2026 Revision 10 (see
// sample/README.md). It is read once; the result is shared and must not be
// modified.
func Embedded() (*Schedule, error) {
	embedded.once.Do(func() {
		b, err := sampleFS.ReadFile(samplePath)
		if err != nil {
			embedded.err = err
			return
		}
		s, err := Read(bytes.NewReader(b), "embedded:"+samplePath)
		if err != nil {
			embedded.err = err
			return
		}
		s.Revision = fmt.Sprintf("HTS 2026 Revision 10 (embedded sample, %d lines)", len(s.Lines))
		s.Source = "embedded"
		embedded.s = s
	})
	return embedded.s, embedded.err
}
