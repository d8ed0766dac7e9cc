package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestPageBlobsForOldVM(t *testing.T) {
	page := bf("db/p.bak", full("db"))
	page.BlobType = facts.PageBlob
	block := bf("db/b.bak", full("db"))
	notBackup := facts.File{Path: "db/readme.txt", BlobType: facts.BlockBlob, ReadErrorKind: "not-backup"}
	files := []facts.File{page, block, notBackup}
	runStorageCases(t, PageBlobsForOldVM, []storageCase{
		{"2014 VM", fx{kind: facts.KindVM, version: "2014", files: files}, "file:db/b.bak=fail folder:db=pass"},
		{"2012 VM by build", fx{kind: facts.KindVM, version: "11.0.7001", files: files}, "file:db/b.bak=fail folder:db=pass"},
		{"2016 VM", fx{kind: facts.KindVM, version: "2016", files: files}, "target=pass"},
		{"2014 share", fx{kind: facts.KindVM, version: "2014", files: files, st: func(st *facts.Storage) { st.Kind = facts.StorageShare }}, "storage=fail"},
		{"unknown version", fx{kind: facts.KindVM, files: files}, "target=skip"},
		{"managed instance", fx{kind: facts.KindMI, version: "2014", files: files}, "-=skip"},
		{"no headers: by name", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak", BlobType: facts.BlockBlob}, {Path: "y.txt", BlobType: facts.BlockBlob}}}, "file:x.bak=fail"},
		// A listing that did not report the blob type decides nothing.
		{"blob type unknown", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak"}}}, "file:x.bak=skip"},
	})
}

func TestPageBlobsUnknownRelease(t *testing.T) {
	f := planFacts(facts.KindVM, "2020")
	f.Storage = &facts.Storage{Files: []facts.File{}}
	if got := outcome(check.Run([]*check.Check{PageBlobsForOldVM}, f)); got != "skip target" {
		t.Errorf("target version 2020: got %q, want a skip", got)
	}
}
