package usitc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
)

// ArchiveRevision is one row of an archive's revisions.csv.
type ArchiveRevision struct {
	Release      string    // "2025HTSRev16"
	File         string    // the export, relative to the archive
	Start        date.Date // the release list's start date (None when blank)
	Published    date.Date // the change record's date (None when blank)
	Records      int
	Lines10      int
	SHA256       string // of the export file
	ChangeRecord string // the change record PDF, relative to the archive ("" when none)
}

// ReadRevisions reads an archive's revisions.csv: release, file,
// release_start_date, change_record_date, records, ten_digit_lines, sha256,
// change_record. Rows are returned in file order, which must be oldest
// first.
func ReadRevisions(path string) ([]ArchiveRevision, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"release", "file", "release_start_date", "change_record_date", "sha256"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no %q column (have %q)", path, need, head)
		}
	}
	var out []ArchiveRevision
	for line := 2; ; line++ {
		row, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		r := ArchiveRevision{Release: get("release"), File: get("file"), SHA256: get("sha256"), ChangeRecord: get("change_record")}
		for k, d := range map[string]*date.Date{"release_start_date": &r.Start, "change_record_date": &r.Published} {
			*d = date.None
			if v := get(k); v != "" {
				if *d, err = date.Parse(v); err != nil {
					return nil, fmt.Errorf("%s:%d: %s: %w", path, line, k, err)
				}
			}
		}
		r.Records, _ = strconv.Atoi(get("records"))
		r.Lines10, _ = strconv.Atoi(get("ten_digit_lines"))
		if r.Start == date.None && r.Published == date.None {
			return nil, fmt.Errorf("%s:%d: %s has neither a release start date nor a change record date", path, line, r.Release)
		}
		out = append(out, r)
	}
}

// Dates returns the revision's date (its start, or its change record's date
// when the release list gives none) and its publication (the change
// record's date, or its start when there is no change record).
func (r ArchiveRevision) Dates() (effective, published date.Date) {
	effective, published = r.Start, r.Published
	if effective == date.None {
		effective = published
	}
	if published == date.None {
		published = effective
	}
	return effective, published
}

// ChangeRecordText returns the text of a change record PDF as
// `pdftotext -layout` prints it (Debian's poppler-utils package).
func ChangeRecordText(ctx context.Context, pdf string) ([]byte, error) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return nil, errors.New("reading change records needs the pdftotext program (Debian: apt-get install poppler-utils)")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdftotext %s: %v: %s", pdf, err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// BuildArchive compiles every revision of an archive directory (its
// revisions.csv, exports and change records) into a schedule history.
// Each export's checksum must match the index. progress, when not nil, is
// told each revision as it is read.
func BuildArchive(ctx context.Context, dir string, progress func(ArchiveRevision)) (*hts.Builder, error) {
	revs, err := ReadRevisions(filepath.Join(dir, "revisions.csv"))
	if err != nil {
		return nil, err
	}
	b := hts.NewBuilder()
	for _, ar := range revs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(ar)
		}
		rev, s, err := readArchiveRevision(ctx, dir, ar)
		if err != nil {
			return nil, err
		}
		if err := b.Add(rev, s); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func readArchiveRevision(ctx context.Context, dir string, ar ArchiveRevision) (hts.Revision, *hts.Schedule, error) {
	path := filepath.Join(dir, ar.File)
	body, err := os.ReadFile(path)
	if err != nil {
		return hts.Revision{}, nil, err
	}
	sum := sha256.Sum256(body)
	rev := hts.Revision{Name: ar.Release, Title: Title(ar.Release), File: ar.File, SHA256: hex.EncodeToString(sum[:])}
	if ar.SHA256 != "" && !strings.EqualFold(ar.SHA256, rev.SHA256) {
		return rev, nil, fmt.Errorf("%s: sha256 %s, but revisions.csv says %s", path, rev.SHA256, ar.SHA256)
	}
	rev.Effective, rev.Published = ar.Dates()
	s, err := hts.Read(bytes.NewReader(body), path)
	if err != nil {
		return rev, nil, err
	}
	if ar.Records > 0 && s.Stats().Records != ar.Records {
		return rev, nil, fmt.Errorf("%s: %d records, but revisions.csv says %d", path, s.Stats().Records, ar.Records)
	}
	if ar.ChangeRecord != "" {
		pdf := filepath.Join(dir, ar.ChangeRecord)
		raw, err := os.ReadFile(pdf)
		if err != nil {
			return rev, nil, err
		}
		csum := sha256.Sum256(raw)
		text, err := ChangeRecordText(ctx, pdf)
		if err != nil {
			return rev, nil, err
		}
		rev.Changes, err = hts.ParseChangeRecord(bytes.NewReader(text), rev.Published)
		if err != nil {
			return rev, nil, fmt.Errorf("%s: %w", pdf, err)
		}
		rev.ChangeRecord, rev.ChangeRecordSHA256 = ar.ChangeRecord, hex.EncodeToString(csum[:])
	}
	return rev, s, nil
}
