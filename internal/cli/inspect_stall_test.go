package cli

import (
	"bytes"
	"cmp"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// `inspect DIR` on a hung network mount: a file whose open never returns,
// or a folder entry the walk never gets past, ends inspect after --timeout
// without progress, with a clear error and exit 3; the files read before
// it are reported.
func TestInspectStalledShare(t *testing.T) {
	dir := t.TempDir()
	for _, db := range []string{"A", "B", "C"} {
		writeFile(t, filepath.Join(dir, db, db+".bak"), backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "DB" + db, Type: facts.TypeFull}}}))
	}
	stuckB := filepath.Join(dir, "B", "B.bak")
	for _, c := range []struct {
		op, path, asked string
		arg             string // inspected (default dir)
		read            bool   // a file read before the stuck call is reported
	}{
		{op: "open", path: stuckB, asked: "last asked: read " + stuckB, read: true},
		{op: "list", path: stuckB, asked: "last asked: list the entries after " + stuckB, read: true},
		{op: "stat", path: dir, asked: "last asked: look up " + dir},
		{op: "open", path: stuckB, asked: "last asked: read " + stuckB, arg: stuckB},
	} {
		arg := cmp.Or(c.arg, dir)
		t.Run(c.op+" "+filepath.Base(arg), func(t *testing.T) {
			release := make(chan struct{})
			var once sync.Once
			defer once.Do(func() { close(release) })
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
				block: func(op, path string) {
					if op == c.op && path == c.path {
						<-release
					}
				}}
			before := runtime.NumGoroutine()
			done := make(chan int, 1)
			go func() { done <- run(context.Background(), e, []string{"inspect", "--timeout", "200ms", arg}) }()
			var code int
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("inspect did not return: it waits for a share that stopped answering")
			}
			once.Do(func() { close(release) })
			// Once the stuck call returns, what was left of the run ends.
			for i := 0; runtime.NumGoroutine() > before; i++ {
				if i == 500 {
					t.Fatalf("%d goroutines, %d before: the abandoned walk or reads were left running", runtime.NumGoroutine(), before)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if code != exitSource {
				t.Errorf("code %d, want %d", code, exitSource)
			}
			if want := "dmsready inspect: the share stopped answering: nothing listed or read for 200ms (--timeout); " + c.asked; !strings.Contains(errb.String(), want) {
				t.Errorf("stderr %q, want %q", errb.String(), want)
			}
			if c.read && !strings.Contains(out.String(), "DBA") {
				t.Errorf("the file read before the stuck one is not reported:\n%s", out.String())
			}
		})
	}
}
