package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodCSV = "id,hts,origin,entry_date,value\na,9503.00.00.90,JP,2025-06-01,1000\n"

// A failed or interrupted batch leaves an existing -o file as it was, and
// no temporary file behind; a good run replaces it.
func TestBatchOutputReplacedOnlyOnSuccess(t *testing.T) {
	dir := t.TempDir()
	out := writeFile(t, dir, "duties.csv", "the previous results\n")
	for _, in := range []struct{ name, body string }{
		{"typo.csv", "id,hts,origin,entry_date,value,steel_valu\na,9503.00.00.90,JP,2025-06-01,1000,1\n"},
		{"broken.json", `[{"hts":"9503.00.00.90","origin":"JP","entry_date":"2025-06-01","value":1000}, {"hts":`},
		{"empty.csv", ""},
	} {
		_, errOut, code := runLevy(t, "batch", writeFile(t, dir, in.name, in.body), "-o", out, "--no-progress")
		if code != ExitUsage {
			t.Errorf("%s: exit %d, want %d; %s", in.name, code, ExitUsage, errOut)
		}
		if b, _ := os.ReadFile(out); string(b) != "the previous results\n" {
			t.Errorf("%s: -o file now holds %q", in.name, b)
		}
	}
	var a context.CancelFunc
	ctx, a := context.WithCancel(context.Background())
	a()
	var o, e bytes.Buffer
	if code := Run(ctx, []string{"batch", writeFile(t, dir, "good.csv", goodCSV), "-o", out, "--no-progress"}, strings.NewReader(""), &o, &e); code != ExitInterrupted {
		t.Errorf("interrupted batch: exit %d, want %d; %s", code, ExitInterrupted, e.String())
	}
	if b, _ := os.ReadFile(out); string(b) != "the previous results\n" {
		t.Errorf("interrupted: -o file now holds %q", b)
	}
	if _, errOut, code := runLevy(t, "batch", filepath.Join(dir, "good.csv"), "-o", out, "--no-progress"); code != 0 {
		t.Fatalf("good batch: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "id,duty,fees") {
		t.Errorf("good batch: -o file holds %q", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// batch reads gzipped input whatever its name and writes OUT.gz gzipped.
func TestBatchGzip(t *testing.T) {
	dir := t.TempDir()
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(goodCSV))
	zw.Close()
	in := writeFile(t, dir, "lines.csv.gz", zb.String())
	stdout, errOut, code := runLevy(t, "batch", in, "--no-progress")
	if code != 0 || !strings.Contains(stdout, "a,100.00,") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	out := filepath.Join(dir, "duties.csv.gz")
	if _, errOut, code := runLevy(t, "batch", in, "-o", out, "--no-progress"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("output is not gzipped: %v", err)
	}
	var b bytes.Buffer
	b.ReadFrom(zr)
	if !strings.Contains(b.String(), "a,100.00,") {
		t.Errorf("output %q", b.String())
	}
}

// TestExitCodes checks each code of the README's table.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() }) // after the parallel subtests
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ok", []string{"batch", writeFile(t, dir, "ok.csv", goodCSV), "--no-progress"}, ExitOK, ""},
		{"rows failed", []string{"batch", writeFile(t, dir, "bad.csv", goodCSV+"b,9503.00.00.90,JX,2025-06-01,1\n"), "--no-progress"}, ExitFailure, ""},
		{"bad csv", []string{"batch", writeFile(t, dir, "typo.csv", "hts,origin,valeu\n"), "--no-progress"}, ExitUsage, `did you mean "value"?`},
		{"unknown subcommand", []string{"measures", "lst"}, ExitUsage, `did you mean "list"?`},
		{"unknown top command", []string{"asess"}, ExitUsage, `did you mean "assess"?`},
		{"unknown flag after typo", []string{"measures", "lst", "--family", "x"}, ExitUsage, `did you mean "list"?`},
		{"chapter 99 product", []string{"assess", "--hts", "9903.94.41", "--origin", "JP", "--entry-date", "2025-09-20", "--value", "1"}, ExitUsage, "chapter 99"},
		{"unknown hts", []string{"assess", "--hts", "9503.00.00.99", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1"}, ExitNotFound, "9503.00.00.90"},
		{"bad rules", []string{"measures", "check", "testdata/badrules"}, ExitData, "bad.yaml"},
		{"output not writable", []string{"batch", filepath.Join(dir, "ok.csv"), "-o", filepath.Join(dir, "no", "such", "dir.csv"), "--no-progress"}, ExitOutput, "cannot write"},
		{"port in use", []string{"serve", "--addr", ln.Addr().String()}, ExitListen, "cannot listen"},
		{"short admin token", []string{"serve", "--admin-token-file", writeFile(t, dir, "token", "short\n")}, ExitUsage, "at least 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := runLevy(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q; stderr:\n%s", code, tt.code, tt.want, errOut)
			}
		})
	}
}

// TestJSONEverywhere runs every command with --json: what it prints on
// stdout is JSON, and an error is one JSON object on stderr.
func TestJSONEverywhere(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.csv", goodCSV)
	good := map[string][]string{
		"assess":             {"--hts", "8703.23.01.30", "--origin", "JP", "--entry-date", "2025-09-20", "--value", "40000"},
		"batch":              {ok, "--no-progress"},
		"compare":            {"--hts", "9503.00.00.90", "--origin", "JP", "--entry-date", "2025-08-15", "--value", "10000", "--scenario", "japan-35"},
		"timeline":           {"--hts", "9506.62.80.20", "--origin", "JP", "--to", "2025-12-31"},
		"hts show":           {"8703.23.01.30"},
		"hts search":         {"toys", "--limit", "2"},
		"hts history":        {"0901.11.00.45"},
		"hts diff":           {"2025HTSRev15", "2025HTSRev16", "--goods"},
		"hts revisions":      {},
		"info":               {},
		"measures check":     {},
		"measures list":      {"--family", "s232-autos"},
		"measures scenarios": {},
		"measures coverage":  {},
		"version":            {},
	}
	for name, args := range good {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, errOut, code := runLevy(t, append(append(strings.Fields(name), args...), "--json")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			dec := json.NewDecoder(strings.NewReader(stdout))
			for dec.More() {
				var v any
				if err := dec.Decode(&v); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
				}
			}
			if name == "batch" {
				var sum map[string]any
				if err := json.Unmarshal([]byte(errOut), &sum); err != nil || sum["rows"] != 1.0 {
					t.Errorf("batch summary on stderr is not one JSON object: %v %s", err, errOut)
				}
			}
		})
	}
	root := NewRoot(&App{})
	var leaves []string
	for _, c := range root.Commands() {
		if len(c.Commands()) == 0 {
			leaves = append(leaves, c.Name())
		}
		for _, s := range c.Commands() {
			leaves = append(leaves, c.Name()+" "+s.Name())
		}
	}
	for _, name := range leaves {
		switch name {
		case "help", "completion bash", "completion zsh", "completion fish", "completion powershell", "serve", "data update", "data import", "data build-history", "burden",
			"refunds import", "refunds report", "refunds cape", "refunds received":
			continue // covered elsewhere: a script, a server, the network, the shared data, a ledger
		}
		if _, ok := good[name]; !ok {
			t.Errorf("levy %s is not run with --json here", name)
		}
	}
	bad := [][]string{
		{"assess", "--hts", "9503.00.00.99", "--origin", "JP", "--entry-date", "2025-06-01", "--value", "1"},
		{"batch", filepath.Join(dir, "missing.csv")},
		{"measures", "check", "testdata/badrules"},
		{"measures", "lst"},
		{"hts", "show", "87x"},
		{"timeline", "--hts", "8703.23.01.30"},
		{"serve", "--addr", "256.0.0.1:1"},
		{"version", "--nope"},
	}
	for _, args := range bad {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			t.Parallel()
			stdout, errOut, code := runLevy(t, append(args, "--json")...)
			if args[0] == "serve" {
				// serve logs JSON lines before it fails; the error is the last.
				lines := strings.Split(strings.TrimSpace(errOut), "\n")
				errOut = lines[len(lines)-1]
			}
			var e struct {
				Error struct {
					Code    string
					Exit    int
					Message string
				}
			}
			if err := json.Unmarshal([]byte(errOut), &e); err != nil || e.Error.Exit != code || e.Error.Message == "" || code == 0 {
				t.Errorf("exit %d; stderr is not one JSON error object (%v):\n%s", code, err, errOut)
			}
			if stdout != "" {
				t.Errorf("stdout %q on error", stdout)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	stdout, errOut, code := runLevy(t, "version", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v versionView
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatal(err)
	}
	if v.Levy.Version == "" || !strings.Contains(v.Schedule.Revision, "HTS 2026 Revision 10") || v.Measures.Measures == 0 ||
		len(v.Measures.SHA256) != 64 || v.Measures.Horizon == "" {
		t.Errorf("%+v", v)
	}
	stdout, _, _ = runLevy(t, "version")
	for _, w := range []string{"levy ", "schedule  HTS 2025 Basic Edition to HTS 2026 Revision 10", "measures  embedded", "data horizon"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("version lacks %q:\n%s", w, stdout)
		}
	}
	// The digest follows the rule files.
	d1, _ := rulesDigest("")
	d2, _ := rulesDigest("testdata/badrules")
	if d1 == "" || d1 == d2 {
		t.Errorf("digests %s and %s", d1, d2)
	}
}

// The serve help shows a loopback default and says what exposing means.
func TestServeHelpSafeDefaults(t *testing.T) {
	stdout, _, _ := runLevy(t, "serve", "--help")
	if strings.Contains(stdout, "0.0.0.0:8080") {
		t.Error("serve --help suggests listening on every interface")
	}
	for _, w := range []string{"127.0.0.1:8080", "exposes the", "--admin-token-file", "Authorization: Bearer"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("serve --help lacks %q", w)
		}
	}
}

func TestAdminToken(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		file, env, want, err string
	}{
		{"", "", "", ""},
		{"", "0123456789abcdef0123", "0123456789abcdef0123", ""},
		{writeFile(t, dir, "ok", "  0123456789abcdef\n"), "ignored-because-the-file-wins", "0123456789abcdef", ""},
		{writeFile(t, dir, "empty", "\n"), "", "", "is empty"},
		{writeFile(t, dir, "two", "0123456789 abcdef0123\n"), "", "", "one word"},
		{"", "short", "", "at least 16"},
		{filepath.Join(dir, "missing"), "", "", "no such file"},
	} {
		got, err := adminToken(tc.file, tc.env)
		if got != tc.want || (tc.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("adminToken(%q, %q) = %q, %v; want %q, %q", tc.file, tc.env, got, err, tc.want, tc.err)
		}
	}
}

// The README's exit code table and the codes levy uses are the same.
func TestExitCodesMatchREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Split(l, "|"); len(f) > 2 && strings.TrimSpace(f[0]) == "" {
			if c := strings.TrimSpace(f[1]); c != "" && strings.Trim(c, "0123456789") == "" {
				table = append(table, c)
			}
		}
	}
	codes := []int{ExitOK, ExitFailure, ExitUsage, ExitNotFound, ExitData, ExitOutput, ExitListen, ExitInterrupted}
	var want []string
	for _, c := range codes {
		want = append(want, strconv.Itoa(c))
		if c != ExitOK && exitNames[c] == "" {
			t.Errorf("exit code %d has no name for JSON errors", c)
		}
	}
	if strings.Join(table, ",") != strings.Join(want, ",") {
		t.Errorf("README exit codes %v, levy's %v", table, want)
	}
}
