package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"time"
)

func ip(n int) *int { return &n }

func tp(s string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return &t
}

// srv builds facts with a server holding dbs, for target kind.
func srv(kind string, dbs ...facts.Database) *facts.Facts {
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.Plan{Target: facts.PlanTarget{Kind: kind}},
		Server: &facts.Server{Version: "15.0.2000.5", Major: 15, Databases: dbs, Certificates: []facts.Certificate{}, BackupHistory: []facts.BackupHistory{},
			Objects: &facts.ServerObjects{}}}
}

func with(f *facts.Facts, fn func(f *facts.Facts)) *facts.Facts { fn(f); return f }

func hist(db, typ, start string, sums, copyOnly bool, dev string) facts.BackupHistory {
	return facts.BackupHistory{Database: db, Type: typ, Start: tp(start), HasChecksums: sums, IsCopyOnly: copyOnly, PhysicalDevices: []string{dev}}
}

func tgt(kind string, t facts.TargetServer, dbs ...facts.Database) *facts.Facts {
	f := srv(kind, dbs...)
	f.Target = &t
	return f
}
