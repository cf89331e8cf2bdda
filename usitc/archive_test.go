package usitc_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/usitc"
)

// The embedded schedule history is exactly what levy's own build makes of
// the USITC files it records: every export and change record, read again.
func TestEmbeddedMatchesArchive(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "data", "hts")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		testenv.Require(t, "pdftotext (Debian: poppler-utils), to read the change records")
	}
	b, err := usitc.BuildArchive(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var built, embedded bytes.Buffer
	if err := b.Schedule().WritePack(&built); err != nil {
		t.Fatal(err)
	}
	s, err := hts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WritePack(&embedded); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(built.Bytes(), embedded.Bytes()) {
		t.Errorf("the embedded history (%d bytes) is not what %s builds (%d bytes): rebuild it with go generate ./hts", embedded.Len(), dir, built.Len())
	}
}

func TestBuildArchiveErrors(t *testing.T) {
	if _, err := usitc.BuildArchive(context.Background(), t.TempDir(), nil); err == nil {
		t.Error("an empty directory built")
	}
}
