package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// sharedContainer is a real shared container: the planned Sales in s/, and
// other teams' backups (a bad one among them) in other folders.
func sharedContainer(dbs ...facts.PlanDatabase) fx {
	nock := set("Ops", facts.TypeFull, false)
	return fx{kind: facts.KindVM, version: "2014", method: "lrs", dbs: dbs, files: []facts.File{
		bf("s/sales.bak", full("Sales")), bf("s/sales.trn", logb("Sales")),
		bf("ops/ops.bak", nock), bf("ops/hr.bak", full("HR")),
		bf("ops/two.bak", full("Ops"), logb("Ops")),
		{Path: "ops/cut.bak", Size: 10, BlobType: facts.BlockBlob, ReadErrorKind: "truncated", ReadError: "truncated at offset 10"},
		bf("ops/ops.TRN", logb("Ops")),
	}}
}

var salesInS = facts.PlanDatabase{Name: "Sales", Folder: "s"}

// Rule 1: storage checks judge only what the planned databases' restores
// read; the rest of a shared container is listed (DMS211), never blocking.
func TestPlannedScope(t *testing.T) {
	testCheck(t, OneDatabasePerFolder, []tcase{
		{"planned folder only", sharedContainer(salesInS).facts(), []string{"pass folder:s", "warn folder:ops: not blocking"}},
		{"nothing planned: all", sharedContainer().facts(), []string{"pass folder:s", "fail folder:ops"}},
	})
	testCheck(t, ReadableBackups, []tcase{
		{"planned folder only", sharedContainer(salesInS).facts(), []string{"pass folder:s", "warn file:ops/cut.bak: not blocking"}},
		{"nothing planned: all", sharedContainer().facts(), []string{"pass folder:s", "pass folder:ops", "fail file:ops/cut.bak"}},
	})
	testCheck(t, OneBackupSetPerFile, []tcase{
		{"planned folder only", sharedContainer(salesInS).facts(), []string{"pass folder:s", "warn file:ops/two.bak: not blocking"}},
	})
	testCheck(t, PageBlobsForOldVM, []tcase{
		{"planned folder only", sharedContainer(salesInS).facts(), []string{"fail file:s/sales.bak", "fail file:s/sales.trn"}},
	})
	mi := sharedContainer(salesInS)
	mi.kind, mi.version = facts.KindMI, "2022"
	testCheck(t, LRSNaming, []tcase{
		{"planned folder only", mi.facts(), []string{"warn file:s/sales.trn"}},
	})
	// What lies outside is listed at info severity: never blocking.
	for _, c := range []*check.Check{OneDatabasePerFolder, ReadableBackups, OneBackupSetPerFile} {
		for _, fd := range findings(c, sharedContainer(salesInS).facts()) {
			if strings.Contains(fd.Object, "ops") && (fd.Severity != check.Info || fd.Blocking(check.Warning)) {
				t.Errorf("%s %s blocks: %+v", c.ID, fd.Object, fd)
			}
		}
	}
	// A planned database without a folder: the folder its backups are in.
	loose := sharedContainer(facts.PlanDatabase{Name: "HR"})
	testCheck(t, OneBackupSetPerFile, []tcase{
		{"loose database", loose.facts(), []string{"fail file:ops/two.bak", "pass folder:ops"}},
	})
}

// unread is a file storage failed to return (503s, resets, timeouts).
func unread(path string) facts.File {
	size := int64(1 << 20)
	if strings.HasSuffix(path, "link.trn") {
		size = 0 // a dangling symbolic link in a share
	}
	return facts.File{Path: path, Size: size, BlobType: facts.BlockBlob, ReadErrorKind: readErrorIO, ReadError: "GET: 503 Server Busy after 4 tries"}
}

// Rule 19: a file whose header could not be read is unknown: an error
// (exit 3), never "cannot be restored", and never a changed verdict.
func TestStorageReadErrorsAreUnknown(t *testing.T) {
	withUnread := func(f *facts.Facts, paths ...string) *facts.Facts {
		for _, p := range paths {
			for i := range f.Storage.Files {
				if f.Storage.Files[i].Path == p {
					f.Storage.Files[i] = unread(p)
				}
			}
		}
		return f
	}
	gap := withUnread(rfacts(salesPlan, chainOK...), "s/log3.trn")
	testCheck(t, ReadableBackups, []tcase{
		{"io error", gap, []string{"error file:s/log3.trn: could not be read from storage", "pass folder:s"}},
		// A dangling link or unlistable folder in a share: listed with size 0.
		{"dangling link", withUnread(rfacts(salesPlan, withBackups(chainOK, rlog("s/link.trn", 1, 2))...), "s/link.trn"),
			[]string{"error file:s/link.trn", "pass folder:s"}},
		{"out of scope", withUnread(rfacts(salesPlan, withBackups(chainOK, rfull("x/other.bak", 1, 2, "X"))...), "x/other.bak"), []string{"pass folder:s", "warn file:x/other.bak: not blocking"}},
	})
	testCheck(t, BrokenLogChain, []tcase{
		{"log unread", gap, []string{"error database:Sales: 1 file could not be read from storage"}},
	})
	testCheck(t, NoFullBackup, []tcase{
		{"full unread", withUnread(rfacts(salesPlan, chainOK...), "s/full.bak"), []string{"error database:Sales"}},
	})
	testCheck(t, FullBackupChecksums, []tcase{
		{"full unread", withUnread(rfacts(salesPlan, chainOK...), "s/full.bak"), []string{"error database:Sales"}},
	})
	testCheck(t, PlannedDatabaseBackups, []tcase{
		{"all unread", withUnread(rfacts(salesPlan, chainOK...), "s/full.bak", "s/log1.trn", "s/log2.trn", "s/diff.bak", "s/log3.trn"),
			[]string{"error database:Sales"}},
	})
	testCheck(t, OneDatabasePerFolder, []tcase{
		{"one database and an unread file", gap, []string{"error folder:s"}},
	})
	testCheck(t, FlatFolders, []tcase{
		{"unread nested file", withUnread(rfacts(salesPlan, withBackups(chainOK, rlog("s/old/x.trn", 1, 2))...), "s/old/x.trn"), []string{"error database:Sales"}},
	})
	// The run is not ready: an error is never a pass.
	for _, fd := range check.Run([]*check.Check{BrokenLogChain, ReadableBackups}, gap) {
		if fd.Status == check.StatusFail {
			t.Errorf("a storage read error became a failure: %s %s", fd.CheckID, fd.Message)
		}
	}
}
