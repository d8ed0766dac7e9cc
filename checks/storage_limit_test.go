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
		{"fits", lim(32768, db("A", 20000, 2000), db("B", 10000, 768)), []string{"pass target"}},
		{"over", lim(32768, db("A", 20000, 2000), db("B", 10000, 769)), []string{"fail target"}},
		{"no limit", lim(0, db("A", 1, 1)), []string{"skip target"}},
		{"size unknown", lim(100, facts.Database{Name: "A"}), []string{"skip target"}},
	})
}
