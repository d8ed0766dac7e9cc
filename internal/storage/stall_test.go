package storage

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// stuck is a Config.block hook that makes one call (op on path) never
// return until the test ends, as a stale hard mount does; reached is
// closed when that call is made.
func stuck(t *testing.T, op, path string) (hook func(op, path string), reached chan struct{}) {
	release := make(chan struct{})
	reached = make(chan struct{})
	var once sync.Once
	t.Cleanup(func() {
		close(release)
		noScanLeft(t)
	})
	return func(o, p string) {
		if o == op && p == path {
			once.Do(func() { close(reached) })
			<-release
		}
	}, reached
}

// noScanLeft fails when a goroutine of the scan is still running once the
// stuck call has returned: abandoned calls must wind down, not leak.
func noScanLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		all := string(buf[:runtime.Stack(buf, true)])
		var left []string
		for _, g := range strings.Split(all, "\n\n") {
			if strings.Contains(g, "internal/storage.Collect") || strings.Contains(g, "internal/storage.(*watch)") ||
				strings.Contains(g, "internal/storage.walkDir") || strings.Contains(g, "internal/storage.statBounded") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d goroutines of the scan left after the stuck call returned:\n%s", len(left), strings.Join(left, "\n\n"))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// collectBounded runs Collect, failing the test (rather than hanging the
// suite) when it does not return.
func collectBounded(t *testing.T, ctx context.Context, cfg Config) (*facts.Storage, []facts.SourceError) {
	t.Helper()
	type out struct {
		st   *facts.Storage
		errs []facts.SourceError
	}
	ch := make(chan out, 1)
	go func() {
		st, errs := Collect(ctx, cfg)
		ch <- out{st, errs}
	}()
	select {
	case o := <-ch:
		return o.st, o.errs
	case <-time.After(30 * time.Second):
		t.Fatal("Collect did not return: it waits for a share that stopped answering")
		return nil, nil
	}
}

// stallShare is a share of db1 (one batch of readers' work: localBatch
// files), then db2 (one file, large enough to be read twice: opened, then
// read again) and db3 in the next batch.
func stallShare(t *testing.T) string {
	dir := t.TempDir()
	var files []layoutFile
	for i := range localBatch {
		files = append(files, layoutFile{path: fmt.Sprintf("db1/log%02d.trn", i), data: fakeFile("db1", 3000)})
	}
	files = append(files, layoutFile{path: "db2/full.bak", data: fakeFile("db2", 100<<10)},
		layoutFile{path: "db3/full.bak", data: fakeFile("db3", 5000)})
	writeLocal(t, dir, files)
	return dir
}

// A share file whose read never returns (a hung CIFS/NFS hard mount):
// Collect gives up after the request timeout without progress, names the
// share and the file it was reading, and keeps every other file's result.
func TestShareStalledRead(t *testing.T) {
	dir := stallShare(t)
	for _, op := range []string{"open", "read"} {
		t.Run(op, func(t *testing.T) {
			hook, _ := stuck(t, op, "db2/full.bak")
			cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv,
				RequestTimeout: 200 * time.Millisecond, Concurrency: 2, block: hook}
			st, errs := collectBounded(t, context.Background(), cfg)
			if len(errs) != 1 || errs[0].Source != facts.SrcBackups || errs[0].Kind != facts.ErrTimeout ||
				!strings.Contains(errs[0].Message, "the share stopped answering: nothing listed or read for 200ms; last asked: read db2/full.bak") {
				t.Fatalf("errors = %+v, want a backups timeout naming db2/full.bak", errs)
			}
			if st == nil || len(st.Files) != localBatch+2 {
				t.Fatalf("files = %+v, want the listing kept", st)
			}
			for _, f := range st.Files[:localBatch] {
				if f.Backup == nil || f.ReadErrorKind != "" {
					t.Errorf("%s = %+v, want its header read", f.Path, f)
				}
			}
			// Behind the stuck file on its reader: never read, and said so.
			if f := fileByPath(st, "db3/full.bak"); f == nil || f.Backup != nil || f.ReadErrorKind != ReadErrorIO ||
				!strings.Contains(f.ReadError, "the share stopped answering") {
				t.Errorf("db3/full.bak = %+v, want an io-error saying the share stopped answering", f)
			}
			f := fileByPath(st, "db2/full.bak")
			if f == nil || f.Backup != nil || f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "did not return within 200ms") {
				t.Errorf("stuck file = %+v, want an io-error saying its read did not return", f)
			}
			if st.HeadersRead {
				t.Error("headersRead = true with a read that never returned")
			}
		})
	}
}

// A folder whose listing never returns: the listing is a timeout error
// naming the folder, not an empty or partial share.
func TestShareStalledListing(t *testing.T) {
	dir := stallShare(t)
	hook, _ := stuck(t, "readdir", "db2")
	cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv,
		RequestTimeout: 200 * time.Millisecond, block: hook}
	st, errs := collectBounded(t, context.Background(), cfg)
	if len(errs) != 1 || errs[0].Source != facts.SrcStorage || errs[0].Kind != facts.ErrTimeout ||
		!strings.Contains(errs[0].Message, "last asked: list folder db2/") {
		t.Fatalf("errors = %+v, want a storage timeout naming folder db2/", errs)
	}
	if st == nil || st.Files != nil {
		t.Errorf("files = %+v, want none (the listing did not finish)", st.Files)
	}
}

// Ctrl-C does not wait for a call that never returns either.
func TestShareStalledCanceled(t *testing.T) {
	dir := stallShare(t)
	hook, reached := stuck(t, "read", "db2/full.bak")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-reached
		cancel()
	}()
	// A timeout far longer than the test: only the cancellation ends it.
	cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv,
		RequestTimeout: time.Hour, Concurrency: 1, block: hook}
	st, errs := collectBounded(t, ctx, cfg)
	if len(errs) != 1 || errs[0].Kind != facts.ErrCanceled {
		t.Fatalf("errors = %+v, want canceled", errs)
	}
	if f := fileByPath(st, "db2/full.bak"); f == nil || f.ReadErrorKind != "canceled" {
		t.Errorf("stuck file = %+v, want canceled", f)
	}
	for _, f := range st.Files {
		if f.ReadErrorKind == readPending {
			t.Errorf("%s left pending in the facts", f.Path)
		}
	}
}

// A slow share that keeps answering is not a stalled one: each call
// takes longer than a tick, but the whole scan takes longer than the
// timeout, and nothing is given up.
func TestShareSlowIsNotStalled(t *testing.T) {
	dir := stallShare(t)
	slow := func(op, path string) { time.Sleep(30 * time.Millisecond) }
	cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv,
		RequestTimeout: 300 * time.Millisecond, Concurrency: 1, block: slow}
	st, errs := collectBounded(t, context.Background(), cfg)
	if len(errs) != 0 || !st.HeadersRead {
		t.Fatalf("errors = %+v, want none", errs)
	}
	for _, f := range st.Files {
		if f.Backup == nil {
			t.Errorf("%s not read: %s", f.Path, f.ReadError)
		}
	}
}

// With AZURE_STORAGE_CONNECTION_STRING set, a bare location is looked up
// first (a local folder, or a container): on a hung mount that look-up
// does not hang Collect either.
func TestShareStalledLookup(t *testing.T) {
	dir := stallShare(t)
	hook, _ := stuck(t, "stat", dir)
	env := func(k string) string {
		if k == "AZURE_STORAGE_CONNECTION_STRING" {
			return "UseDevelopmentStorage=true"
		}
		return ""
	}
	cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: env,
		RequestTimeout: 200 * time.Millisecond, block: hook}
	st, errs := collectBounded(t, context.Background(), cfg)
	if len(errs) != 0 || st.Kind != facts.StorageShare || !strings.Contains(st.LocationNote, "did not answer within 200ms") {
		t.Errorf("errors %+v, storage %+v: want the folder read as a share, the note saying why", errs, st)
	}
}
