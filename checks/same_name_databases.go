package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/restore"
)

// SameNameDatabases is check DMS310: backups of different databases (or of
// different recovery forks of one) under one name cannot form one restore.
var SameNameDatabases = &check.Check{
	ID:       "DMS310",
	Title:    "Backups with the database's name all come from one database",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: backups from multiple databases in one folder; RESTORE fails on a backup set of another database or recovery fork",
	Doc: "Two databases can share a name: one dropped and re-created, one on another server, or a copy " +
		"restored elsewhere (a new recovery fork). Their backups carry the same database name but a different " +
		"family GUID, creation date or recovery fork ID, and cannot be restored into one database. DMS restores " +
		"every backup in the folder, so mixing them fails the migration.",
	Fix:   "Keep only one database's backups in the folder (the evidence gives each one's family GUID and recovery fork).",
	Link:  linkHeaderOnly,
	Basis: check.Own("backups that share a database name but not its FamilyGUID and recovery fork are different databases and form no single restore"),
	Run: func(p *check.Pass) {
		type key struct{ db, folder string }
		by := map[key][]restore.Sequence{}
		var order []key
		for _, pl := range usableSequences(p) {
			if pl.Status == restore.StatusNoBackups {
				continue
			}
			k := key{strings.ToLower(pl.Database), pl.Folder}
			if _, ok := by[k]; !ok {
				order = append(order, k)
			}
			by[k] = append(by[k], pl)
		}
		for _, k := range order {
			ps := by[k]
			name := ps[0].Database
			if len(ps) == 1 {
				p.Pass(name, check.DatabaseObject(ps[0].Database), "every backup of the database comes from one database and recovery fork", lineageEv(ps[0], nil))
				continue
			}
			sameFamily := true
			var parts []string
			for _, pl := range ps {
				if !strings.EqualFold(pl.FamilyGUID, ps[0].FamilyGUID) {
					sameFamily = false
				}
				f := "-"
				if len(pl.Steps) > 0 {
					f = pl.Steps[0].File()
				} else if len(pl.Unused) > 0 {
					f = pl.Unused[0].File()
				}
				parts = append(parts, fmt.Sprintf("family %s fork %s (%s)", orDash(pl.FamilyGUID), orDash(pl.RecoveryForkID), f))
			}
			what := "different databases (family GUID or creation date differ)"
			if sameFamily {
				what = "different recovery forks of the database (restored copies)"
			}
			p.Fail(name, check.DatabaseObject(ps[0].Database), fmt.Sprintf("backups named %s come from %d %s: %s", name, len(ps), what, strings.Join(parts, "; ")),
				check.Ev{"lineages": fmt.Sprint(len(ps))})
		}
	},
}
