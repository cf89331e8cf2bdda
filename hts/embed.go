package hts

import (
	"bytes"
	_ "embed"
	"sync"
)

// The embedded history is built from the USITC exports and change records
// of every revision levy holds; docs/SCHEDULE.md says how to rebuild it.
//
//go:generate go run ../cmd/levy data build-history ../../shared/data/hts --out history/schedule.bin --sources history/SOURCES.md
//go:embed history/schedule.bin
var embeddedPack []byte

var embedded struct {
	once sync.Once
	s    *Schedule
	err  error
}

// Embedded returns the schedule levy carries so that it works with no
// download: every revision of the HTS from the 2025 Basic Edition on, as a
// dated history (history/SOURCES.md lists each revision with its dates and
// the checksums of the files it was compiled from). It is read once; the
// result is shared and must not be modified.
func Embedded() (*Schedule, error) {
	embedded.once.Do(func() {
		embedded.s, embedded.err = ReadPack(bytes.NewReader(embeddedPack), "embedded")
		if embedded.err == nil {
			embedded.s.Source = "embedded"
		}
	})
	return embedded.s, embedded.err
}

// ReadEmbedded reads the embedded history anew, as Embedded does once; it
// is for measuring how long that takes.
func ReadEmbedded() (*Schedule, error) {
	s, err := ReadPack(bytes.NewReader(embeddedPack), "embedded")
	if err == nil {
		s.Source = "embedded"
	}
	return s, err
}
