package checks

import (
	"time"

	"github.com/dmsready/dmsready/checks/facts"
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
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: kind}},
		Server: &facts.Server{Version: "15.0.2000.5", Major: 15, Databases: dbs, Certificates: []facts.Certificate{}, BackupHistory: []facts.BackupHistory{},
			Objects: &facts.ServerObjects{}}}
}

func with(f *facts.Facts, fn func(f *facts.Facts)) *facts.Facts { fn(f); return f }

func hist(db string, typ facts.HistoryType, start string, sums, copyOnly bool, dev string) facts.BackupHistory {
	return facts.BackupHistory{Database: db, Type: typ, Start: tp(start), HasChecksums: sums, IsCopyOnly: copyOnly, PhysicalDevices: []string{dev}}
}

func tgt(kind string, t facts.TargetServer, dbs ...facts.Database) *facts.Facts {
	f := srv(kind, dbs...)
	f.Target = &t
	return f
}

// history is a server with databases A and B and backup history hs.
func history(hs ...facts.BackupHistory) *facts.Facts {
	return with(srv(facts.KindMI, facts.Database{Name: "A"}, facts.Database{Name: "B"}), func(f *facts.Facts) { f.Server.BackupHistory = hs })
}

// objs is a server with database A and server objects o.
func objs(o facts.ServerObjects) *facts.Facts {
	return with(srv("", facts.Database{Name: "A"}), func(f *facts.Facts) { f.Server.Objects = &o })
}

// Databases by their table statistics.
var (
	bigDB    = facts.Database{Name: "Big", Tables: &facts.TableStats{Count: 100001}}
	smallDB  = facts.Database{Name: "Small", Tables: &facts.TableStats{Count: 12}}
	intlDB   = facts.Database{Name: "Intl", Tables: &facts.TableStats{Count: 2, NonASCIINames: []string{"dbo.Bestellungen_ä"}}}
	lockedDB = facts.Database{Name: "Locked", TablesError: "permission denied (needs CONNECT ANY DATABASE)"}
)
