package cli

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// outFile is an output file written to a temporary file beside its path
// and renamed over it only when the command succeeds: a failed or
// interrupted run leaves an existing file as it was, never truncated.
// A name ending in .gz is written gzipped.
type outFile struct {
	path string
	tmp  *os.File
	gz   *gzip.Writer
	w    io.Writer
}

func createOut(path string) (*outFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, withCode(ExitOutput, fmt.Errorf("cannot write %s: %w", path, err))
	}
	// CreateTemp makes the file private; an output file is an ordinary one.
	_ = tmp.Chmod(0o644)
	o := &outFile{path: path, tmp: tmp, w: tmp}
	if strings.HasSuffix(path, ".gz") {
		o.gz = gzip.NewWriter(tmp)
		o.w = o.gz
	}
	return o, nil
}

func (o *outFile) Write(p []byte) (int, error) { return o.w.Write(p) }

// commit finishes the file and puts it in place.
func (o *outFile) commit() error {
	err := o.finish()
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
		return withCode(ExitOutput, fmt.Errorf("writing %s: %w", o.path, err))
	}
	return nil
}

func (o *outFile) finish() error {
	if o.gz != nil {
		if err := o.gz.Close(); err != nil {
			o.tmp.Close()
			return err
		}
	}
	if err := o.tmp.Sync(); err != nil {
		o.tmp.Close()
		return err
	}
	return o.tmp.Close()
}

// abort removes the temporary file; the path keeps what it held.
func (o *outFile) abort() {
	o.tmp.Close()
	os.Remove(o.tmp.Name())
}

// openIn opens an input file, "-" for standard input, and reads it
// through gzip when it starts with gzip's magic number, whatever its
// name. size is the file's size on disk, -1 when unknown or gzipped.
func openIn(app *App, name string) (r io.Reader, size int64, closeFn func(), err error) {
	var in io.Reader = app.Stdin
	size, closeFn = -1, func() {}
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, 0, nil, withCode(ExitUsage, err)
		}
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in, closeFn = f, func() { f.Close() }
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, 0, nil, withCode(ExitUsage, fmt.Errorf("%s: %w", name, err))
		}
		return zr, -1, closeFn, nil // progress counts bytes unpacked: the size on disk says nothing
	}
	return br, size, closeFn, nil
}
