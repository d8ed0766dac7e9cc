package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// DifferentialWithoutBase is check DMS306: a differential restores only onto
// its own full.
var DifferentialWithoutBase = &check.Check{
	ID:       "DMS306",
	Title:    "Differential backups have their base full backup",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: a differential backup restores only onto its own base full backup",
	Doc: "A differential backup holds the extents changed since one particular full backup, its base " +
		"(DifferentialBaseGUID = the full's BackupSetGUID, DifferentialBaseLSN = its checkpoint LSN). Restored " +
		"onto any other full it fails. A copy-only full is never a base. A differential whose base is not in the " +
		"folder cannot be used; when it is newer than the full the restore starts from, the folder misleads DMS.",
	Fix: "Upload the full backup the differential was based on, or remove the differential and rely on the " +
		"full and log backups (a copy-only full taken between does not change the base).",
	Link:  linkHeaderOnly,
	Basis: check.Documented("Microsoft, RESTORE HEADERONLY: DifferentialBaseGUID and DifferentialBaseLSN name the full a differential restores onto"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			n := 0
			for _, u := range pl.Unused {
				if u.Reason != restore.ReasonNoBase {
					continue
				}
				n++
				b := u.Backup()
				ev := lineageEv(pl, check.Ev{"differentialBaseGUID": b.DifferentialBaseGUID, "differentialBaseLSN": b.DifferentialBaseLSN.String()})
				msg := fmt.Sprintf("differential %s: %s", u.File(), u.Detail())
				if hasFull(pl) && b.LastLSN.Compare(pl.Steps[0].LastLSN) <= 0 {
					p.Warn(pl.Database, check.FileObject(u.File()), msg+"; it is older than the full backup restored and is not used", ev)
					continue
				}
				p.Fail(pl.Database, check.FileObject(u.File()), msg, ev)
			}
			if n > 0 {
				continue
			}
			for _, s := range pl.Steps {
				if s.Type == facts.TypeDifferential {
					p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("differential %s is based on full backup %s", s.File(), pl.Steps[0].File()), lineageEv(pl, nil))
					n++
				}
			}
			if n == 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "no differential backups")
			}
		}
	},
}
