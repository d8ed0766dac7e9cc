package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestStorageLimit(t *testing.T) {
	db := func(name string, data, log int64) facts.Database {
		return facts.Database{Name: name, DataBytes: data << 20, LogBytes: log << 20, Files: []facts.DatabaseFile{}}
	}
	lim := func(mb int64, dbs ...facts.Database) *facts.Facts {
		return with(srv(facts.KindMI, dbs...), func(f *facts.Facts) { f.Plan.Target.StorageLimitMB = mb })
	}
	testCheck(t, StorageLimit, []tcase{
		{"fits", lim(32768, db("A", 20000, 2000), db("B", 7000, 768)), []string{"pass target"}},
		// At the limit is never a pass; near it the target's own system databases may not fit.
		{"at the limit", lim(32768, db("A", 20000, 2000), db("B", 10000, 768)), []string{"fail target"}},
		{"over", lim(32768, db("A", 20000, 2000), db("B", 10000, 769)), []string{"fail target"}},
		{"near", lim(32768, db("A", 20000, 2000), db("B", 9000, 768)), []string{"warn target: system databases"}},
		{"near a small limit", lim(4096, db("A", 3000, 100)), []string{"warn target"}},
		{"no limit", lim(0, db("A", 1, 1)), []string{"skip target"}},
		{"size unknown", lim(100, facts.Database{Name: "A"}), []string{"skip -: not collected: server.databases.files"}},
		// A planned database missing from the source has no size, but not
		// because sys.master_files was unreadable.
		{"planned database not on the source", with(lim(32768, db("A", 1, 1)), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "A"}, {Name: "Nope"}}
		}), []string{"skip target: Nope not on the source server (see DMS416)"}},
		{"files query failed", with(lim(100, facts.Database{Name: "A"}), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcFiles, Kind: "timeout", Message: "dmsready:files: no answer"}}
		}), []string{"error -"}},
	})
}
