package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
	"github.com/dmsready/dmsready/internal/inspect"
)

func runInspect(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, append([]string{"inspect"}, args...))
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func lsn(t *testing.T, s string) facts.LSN {
	l, err := facts.ParseLSN(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestInspectFileAndFolder(t *testing.T) {
	dir := t.TempDir()
	full := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "Sales", Checksums: true,
		FirstLSN: lsn(t, "39000000048800071"), LastLSN: lsn(t, "39000000051800001")}}})
	log := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "Sales", Type: facts.TypeLog,
		FirstLSN: lsn(t, "39000000051800001"), LastLSN: lsn(t, "39000000060000001")}}})
	writeFile(t, filepath.Join(dir, "FULL", "sales.bak"), full)
	writeFile(t, filepath.Join(dir, "LOG", "sales_1.trn"), log)
	writeFile(t, filepath.Join(dir, "README.txt"), []byte("not a backup"))

	code, out, errs := runInspect(t, filepath.Join(dir, "FULL", "sales.bak"))
	if code != exitReady || !strings.Contains(out, "Sales") || !strings.Contains(out, "39000000048800071") || errs != "" {
		t.Fatalf("file: code %d\n%s\n%s", code, out, errs)
	}

	code, out, errs = runInspect(t, "--files", dir)
	if code != exitReady {
		t.Fatalf("folder: code %d, stderr %s", code, errs)
	}
	for _, want := range []string{"sales.bak", "sales_1.trn", "log", "39000000060000001"} {
		if !strings.Contains(out, want) {
			t.Errorf("folder output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, `C:\data\Sales.mdf`) || !strings.Contains(out, "2 backup set(s) in 2 file(s)") {
		t.Errorf("folder output:\n%s", out)
	}
	if !strings.Contains(errs, "README.txt: not a SQL Server backup") || !strings.Contains(errs, "(skipped)") {
		t.Errorf("stderr: %s", errs)
	}

	code, out, _ = runInspect(t, "--format", "json", dir)
	if code != exitReady {
		t.Fatalf("json: code %d", code)
	}
	var rep struct {
		Files []struct {
			Path  string `json:"path"`
			Error string `json:"error"`
			Media *struct {
				Sets []map[string]any `json:"sets"`
			} `json:"media"`
		} `json:"files"`
		MediaSets []any `json:"mediaSets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Files) != 3 || rep.MediaSets == nil {
		t.Fatalf("json: %+v", rep)
	}
	got := rep.Files[0].Media.Sets[0]
	if got["firstLSN"] != "39000000048800071" || got["hasBackupChecksums"] != true || got["databaseName"] != "Sales" {
		t.Errorf("json set: %v", got)
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.bak")
	writeFile(t, junk, []byte("hello, this is no backup at all"))
	b := backuptest.Bytes(backuptest.Spec{})
	cut := filepath.Join(dir, "cut.bak")
	writeFile(t, cut, b[:3000])
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{junk}, exitSource, "not a SQL Server backup"},
		{[]string{cut}, exitSource, "truncated at offset"},
		{[]string{filepath.Join(dir, "missing.bak")}, exitSource, "missing.bak"},
		{[]string{}, exitUsage, "Usage"},
		{[]string{"--format", "xml", junk}, exitUsage, "unknown --format"},
		{[]string{"--bogus"}, exitUsage, "bogus"},
	} {
		code, _, errs := runInspect(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: code %d stderr %q, want %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}

func TestInspectStripes(t *testing.T) {
	dir := t.TempDir()
	for seq := 1; seq <= 3; seq++ {
		b := backuptest.Bytes(backuptest.Spec{FamilyCount: 3, FamilySequence: seq, MediaSetID: "167B3D68-2FBD-4967-AD59-5E1CEE43A82C"})
		writeFile(t, filepath.Join(dir, "s"+string(rune('0'+seq))+".bak"), b)
	}
	code, out, _ := runInspect(t, dir)
	if code != exitReady || !strings.Contains(out, "striped media set 167B3D68-2FBD-4967-AD59-5E1CEE43A82C: families [1 2 3] of 3 (complete)") {
		t.Errorf("code %d:\n%s", code, out)
	}
	code, out, _ = runInspect(t, filepath.Join(dir, "s2.bak"))
	if code != exitReady || !strings.Contains(out, "families [2] of 3 (INCOMPLETE)") {
		t.Errorf("code %d:\n%s", code, out)
	}
}

func TestInspectURL(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "Blobby", DataBytes: 200000}}})
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("sig") != "SECRETSIG" {
			http.Error(w, "AuthenticationFailed", http.StatusForbidden)
			return
		}
		ranges = append(ranges, r.Header.Get("Range"))
		http.ServeContent(w, r, "x.bak", time.Time{}, bytes.NewReader(b))
	}))
	defer srv.Close()

	url := srv.URL + "/c/x.bak?sv=2022-11-02&sp=r&sig=SECRETSIG"
	code, out, errs := runInspect(t, url)
	if code != exitReady || !strings.Contains(out, "Blobby") {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, "SECRETSIG") || !strings.Contains(out, "sig=REDACTED") {
		t.Errorf("signature shown or not redacted:\n%s\n%s", out, errs)
	}
	for _, r := range ranges {
		if !strings.HasPrefix(r, "bytes=") {
			t.Errorf("unranged request %q", r)
		}
	}
	if len(ranges) > 4 {
		t.Errorf("%d requests for one file: %v", len(ranges), ranges)
	}

	code, out, errs = runInspect(t, srv.URL+"/c/x.bak?sv=1&sig=WRONGSECRET")
	if code != exitSource || strings.Contains(out+errs, "WRONGSECRET") || !strings.Contains(errs, "403") {
		t.Errorf("forbidden: code %d\n%s\n%s", code, out, errs)
	}
}

// TestInspectSamples runs inspect over the real corpus when it is present
// (../shared/samples from the module root).
func TestInspectSamples(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "samples")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("backup samples not found at %s: %v", dir, err)
	}
	code, out, errs := runInspect(t, "--files", filepath.Join(dir, "cake-sqlserver"))
	if code != exitReady || !strings.Contains(out, "families [1 2 3] of 3 (complete)") || !strings.Contains(out, "CakeRestoreTest") {
		t.Errorf("cake-sqlserver: code %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runInspect(t, "--format", "json", filepath.Join(dir, "appveyor-lab", "compressed", "SharePoint_Config.bak"))
	if code != exitReady || !strings.Contains(out, `"compressed": true`) || !strings.Contains(out, `"databaseName": "SharePoint_Config"`) {
		t.Errorf("compressed: code %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = runInspect(t, dir)
	if code != exitReady {
		t.Errorf("whole corpus: code %d\n%s", code, errs)
	}
}

// TestInspectURLErrorOnce: the reader's error already names the (redacted)
// URL; the line printed for it must not repeat it.
func TestInspectURLErrorOnce(t *testing.T) {
	r := runBin(t, nil, "inspect", "http://127.0.0.1:1/c/x.bak?sv=1&sig=s3cr3t")
	if r.code != exitSource || strings.Count(r.stderr, "127.0.0.1:1/c/x.bak") != 1 || strings.Contains(r.stderr, "s3cr3t") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestInspectAppendedCompressedSets: inspect on a compressed file with
// three appended sets lists the sets it read and says plainly that more
// exist; --deep lists all three, with progress on stderr.
func TestInspectAppendedCompressedSets(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "appended.bak")
	writeFile(t, p, backuptest.Bytes(backuptest.Spec{Compressed: true, BlockSize: 4096, Sets: []backuptest.Set{
		{DatabaseName: "Orders", DataBytes: 50000}, {DatabaseName: "Orders", DataBytes: 50000}, {DatabaseName: "Orders", DataBytes: 50000}}}))
	code, out, errs := runInspect(t, p)
	if code != exitReady || !strings.Contains(out, "holds at least 3 backup sets, 2 read") || !strings.Contains(out, "2 backup set(s) in 1 file(s)") {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "BLOCK") || !strings.Contains(out, " 4096 ") {
		t.Errorf("no block size column:\n%s", out)
	}
	code, out, errs = runInspect(t, "--deep", p)
	if code != exitReady || strings.Contains(out, "holds at least") || !strings.Contains(out, "3 backup set(s) in 1 file(s)") {
		t.Fatalf("--deep: code %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "appended.bak: read 100%") {
		t.Errorf("--deep progress: %q", errs)
	}
}

// TestInspectTableDropsHeaders: the table keeps each file's rows, not its
// decoded headers (at 100,000 files those were most of inspect's memory).
func TestInspectTableDropsHeaders(t *testing.T) {
	var out bytes.Buffer
	tab := newTable(&out, true)
	freed := make(chan struct{})
	func() {
		m := &facts.BackupMedia{Sets: []facts.BackupSet{{Position: 1, DatabaseName: "Sales", Files: []facts.BackupFile{{LogicalName: "Sales"}}}}}
		runtime.SetFinalizer(m, func(*facts.BackupMedia) { close(freed) })
		tab.add(inspected{Path: "a.bak", Media: m})
	}()
	for range 50 {
		runtime.GC()
		select {
		case <-freed:
			tab.flush()
			if !strings.Contains(out.String(), "a.bak") || !strings.Contains(out.String(), "Sales") {
				t.Errorf("table lost its rows:\n%s", out.String())
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("the table holds each file's decoded headers until the end")
}

// TestInspectedIsFile: the JSON report writes each inspected result as an
// inspect.File; a field added to inspected must be added there (and to its
// encoder) too, or it would silently be left out of the report.
func TestInspectedIsFile(t *testing.T) {
	var exported []reflect.StructField
	it := reflect.TypeFor[inspected]()
	for i := range it.NumField() {
		if f := it.Field(i); f.IsExported() {
			f.Index, f.Offset = nil, 0
			exported = append(exported, f)
		}
	}
	var want []reflect.StructField
	ft := reflect.TypeFor[inspect.File]()
	for i := range ft.NumField() {
		f := ft.Field(i)
		f.Index, f.Offset = nil, 0
		want = append(want, f)
	}
	if !reflect.DeepEqual(exported, want) {
		t.Errorf("inspected's exported fields:\n%+v\ninspect.File's:\n%+v", exported, want)
	}
}

// TestInspectPathsAsJoin: a folder's files are named filepath.Join(arg,
// rel) however the folder is spelled (inspectArg concatenates where that
// is the same).
func TestInspectPathsAsJoin(t *testing.T) {
	root := t.TempDir()
	b := backuptest.Bytes(backuptest.Spec{})
	for _, rel := range []string{"a/x.bak", "a/b/y.bak", "a/b/c/z.bak", "a/...bak/w.bak"} {
		writeFile(t, filepath.Join(root, "top", filepath.FromSlash(rel)), b)
	}
	t.Chdir(root)
	for _, arg := range []string{"top", "top/", "top//", "./top", "top/a/..", "top/a/../", ".", "./", filepath.Join(root, "top"), root + "/top/", "/" + root + "//top/."} {
		code, out, errs := runInspect(t, "--format", "json", arg)
		if code != exitReady {
			t.Fatalf("%s: exit %d: %s", arg, code, errs)
		}
		var rep struct{ Files []struct{ Path string } }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, f := range rep.Files {
			got = append(got, f.Path)
		}
		base := arg
		for _, rel := range []string{"a/...bak/w.bak", "a/b/c/z.bak", "a/b/y.bak", "a/x.bak"} {
			if arg == "." || arg == "./" {
				rel = "top/" + rel
			}
			want = append(want, filepath.Join(base, filepath.FromSlash(rel)))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", arg, got, want)
		}
	}
}

// TestInspectFolderOrder: a folder's files come sorted by path, all of
// them, though they are yielded as the walk goes: names that sort before
// a folder's own entries ("a.bak", "a b", "a-b/…" against "a/…") at every
// level, an entry that cannot be read, several arguments in their order.
func TestInspectFolderOrder(t *testing.T) {
	root := t.TempDir()
	b := backuptest.Bytes(backuptest.Spec{})
	rels := []string{"a/x.bak", "a/b/y.bak", "a/b.bak", "a/b-/c.bak", "a/b/z/q.bak", "a/b z", "a.bak", "a-b/z.bak", "a b",
		"a!/w", "ab", "b/a0", "b.bak/a", "b0", "b/a.bak/c", "b/a/c", "b/a-/c", "zz/zz/zz/zz.bak", "zz/zz.bak"}
	for _, rel := range rels {
		writeFile(t, filepath.Join(root, "top", filepath.FromSlash(rel)), b)
	}
	if err := os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "top", "a", "b.link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	rels = append(rels, "a/b.link")
	one := filepath.Join(root, "top", "ab")
	t.Chdir(root)
	for _, args := range [][]string{{"top"}, {"."}, {filepath.Join(root, "top")}, {"top/b", one, "top/a"}} {
		_, out, _ := runInspect(t, append([]string{"--format", "json"}, args...)...)
		var rep struct{ Files []struct{ Path string } }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		var got, want []string
		for _, f := range rep.Files {
			got = append(got, f.Path)
		}
		for _, arg := range args {
			var paths []string
			for _, rel := range rels {
				full := filepath.Join(root, "top", filepath.FromSlash(rel))
				abs, _ := filepath.Abs(arg)
				if r, err := filepath.Rel(abs, full); err == nil && !strings.HasPrefix(r, "..") {
					if r == "." {
						paths = append(paths, arg)
					} else {
						paths = append(paths, filepath.Join(arg, r))
					}
				}
			}
			slices.Sort(paths)
			want = append(want, paths...)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v:\n got %q\nwant %q", args, got, want)
		}
	}
}

// inspectArg lists the next folder while this one's files are yielded:
// the jobs still come sorted, an entry that could not be listed in a
// later folder still comes at its place, and stopping (yield false or
// ctx cancelled) ends the walk's goroutine before inspectArg returns.
func TestInspectArgWalksAhead(t *testing.T) {
	root := t.TempDir()
	var want []string
	bad := map[string]bool{}
	for d := range 12 {
		for f := range 25 {
			p := filepath.Join(root, "d"+strconv.Itoa(d), "f"+strconv.Itoa(f)+".bak")
			writeFile(t, p, nil)
			want = append(want, p)
		}
		if d%3 == 2 {
			p := filepath.Join(root, "d"+strconv.Itoa(d), "f1.link")
			if err := os.Symlink(filepath.Join(root, "missing"), p); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			want = append(want, p)
			bad[p] = true
		}
	}
	slices.Sort(want)
	settled := func(before int) {
		t.Helper()
		for range 100 {
			if runtime.NumGoroutine() <= before {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("%d goroutines, %d before: the walk was left running", runtime.NumGoroutine(), before)
	}

	before := runtime.NumGoroutine()
	var got []string
	ok := inspectArg(context.Background(), root, func(j inspectJob) bool {
		got = append(got, j.jobPath())
		if bad[j.jobPath()] != (j.done != nil && j.done.Error != "") {
			t.Errorf("%s: error %v, want %v", j.jobPath(), j.done, bad[j.jobPath()])
		}
		return true
	}, nil)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("ok %v, got %q\nwant %q", ok, got, want)
	}
	settled(before)

	for _, k := range []int{1, 30, len(want) - 1} {
		n := 0
		if inspectArg(context.Background(), root, func(inspectJob) bool { n++; return n < k }, nil) {
			t.Errorf("stopped at %d: inspectArg said it went on", k)
		}
		if n != k {
			t.Errorf("stopped at %d: %d yielded", k, n)
		}
		settled(before)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var last inspectJob
	n := 0
	inspectArg(ctx, root, func(j inspectJob) bool {
		if n++; n == 30 {
			cancel()
		}
		last = j
		return true
	}, nil)
	if n >= len(want) || last.done == nil || !strings.Contains(last.done.Error, "context canceled") {
		t.Errorf("cancelled at 30: %d yielded, last %+v", n, last)
	}
	settled(before)
}
