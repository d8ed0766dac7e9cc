package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLRSNaming(t *testing.T) {
	files := []facts.File{bf("db/full.bak", full("db")), bf("db/l1.trn", logb("db")), bf("db/l2.log", logb("db")), {Path: "db/notes.txt", ReadErrorKind: "not-backup"}}
	testCheck(t, LRSNaming, []tcase{
		{"good", fx{method: "lrs", files: []facts.File{bf("db/full.bak", full("db")), bf("db/d.diff", set("db", facts.TypeDifferential, true))}}.facts(), []string{"pass storage"}},
		{"trn", fx{method: "lrs", files: files}.facts(), []string{"warn file:db/l1.trn"}},
		{"backup in names", fx{method: "lrs", files: []facts.File{bf("SalesBackups/full.bak", full("db"))},
			st: func(st *facts.Storage) { st.Container = "sqlbackup"; st.Prefix = "nightly-backup" }}.facts(),
			[]string{"warn container:sqlbackup", "warn folder:SalesBackups", "warn location:nightly-backup"}},
		// The whole URI path counts: a parent folder named backups too
		// (LRS: "the backup URI path, container name or folder names").
		{"backup in a parent folder", fx{method: "lrs", dbs: dbs("db@backups/sales"), files: []facts.File{bf("backups/sales/full.bak", full("db"))}}.facts(),
			[]string{"warn folder:backups/sales: folder backups/sales contains \"backup\" (in backups)"}},
		{"not lrs", fx{files: files}.facts(), []string{"skip storage"}},
		{"vm", fx{kind: facts.KindVM, method: "lrs", files: files}.facts(), []string{"skip -"}},
	})
}
