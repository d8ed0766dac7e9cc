package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestLRSNaming(t *testing.T) {
	files := []facts.File{bf("db/full.bak", full("db")), bf("db/l1.trn", logb("db")), bf("db/l2.log", logb("db")), {Path: "db/notes.txt", ReadErrorKind: "not-backup"}}
	runStorageCases(t, LRSNaming, []storageCase{
		{"good", fx{method: "lrs", files: []facts.File{bf("db/full.bak", full("db")), bf("db/d.diff", set("db", facts.TypeDifferential, true))}}, "storage=pass"},
		{"trn", fx{method: "lrs", files: files}, "file:db/l1.trn=warn"},
		{"backup in names", fx{method: "lrs", files: []facts.File{bf("SalesBackups/full.bak", full("db"))},
			st: func(st *facts.Storage) { st.Container = "sqlbackup"; st.Prefix = "nightly-backup" }},
			"container:sqlbackup=warn folder:SalesBackups=warn location:nightly-backup=warn"},
		{"not lrs", fx{files: files}, "storage=skip"},
		{"vm", fx{kind: facts.KindVM, method: "lrs", files: files}, "-=skip"},
	})
}
