package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestPageBlobsForOldVM(t *testing.T) {
	page := bf("db/p.bak", full("db"))
	page.BlobType = facts.PageBlob
	block := bf("db/b.bak", full("db"))
	notBackup := facts.File{Path: "db/readme.txt", BlobType: facts.BlockBlob, ReadErrorKind: "not-backup"}
	files := []facts.File{page, block, notBackup}
	testCheck(t, PageBlobsForOldVM, []tcase{
		{"2014 VM", fx{kind: facts.KindVM, version: "2014", files: files}.facts(), []string{"fail file:db/b.bak", "pass folder:db"}},
		{"2012 VM by build", fx{kind: facts.KindVM, version: "11.0.7001", files: files}.facts(), []string{"fail file:db/b.bak", "pass folder:db"}},
		{"2016 VM", fx{kind: facts.KindVM, version: "2016", files: files}.facts(), []string{"pass target"}},
		{"2014 share", fx{kind: facts.KindVM, version: "2014", files: files, st: func(st *facts.Storage) { st.Kind = facts.StorageShare }}.facts(), []string{"fail storage"}},
		{"unknown version", fx{kind: facts.KindVM, files: files}.facts(), []string{"skip target"}},
		{"managed instance", fx{kind: facts.KindMI, version: "2014", files: files}.facts(), []string{"skip -"}},
		{"no headers: by name", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak", BlobType: facts.BlockBlob}, {Path: "y.txt", BlobType: facts.BlockBlob}}}.facts(), []string{"fail file:x.bak"}},
		// A listing that did not report the blob type decides nothing.
		{"blob type unknown", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak"}}}.facts(), []string{"skip file:x.bak"}},
		// A block blob whose header read failed may be a backup the target
		// cannot restore: its folder is undecided, not passed.
		{"unread block blob", fx{kind: facts.KindVM, version: "2014", files: []facts.File{page,
			{Path: "db/u.bak", Size: 4096, BlobType: facts.BlockBlob, ReadErrorKind: facts.ReadIOError, ReadError: "503"},
			{Path: "db/pu.bak", Size: 4096, BlobType: facts.PageBlob, ReadErrorKind: facts.ReadIOError, ReadError: "503"}}}.facts(),
			[]string{"error folder:db: 1 file could not be read from storage (a transient or access error, not a bad backup), so this is undecided: db/u.bak"}},
		// A year that is no SQL Server release is unknown.
		{"target version 2020", fx{kind: facts.KindVM, version: "2020"}.facts(), []string{"skip target"}},
	})
}
