package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// RecoveryModelFull is check DMS409: online migration and LRS restore log
// backups, which need the full recovery model.
var RecoveryModelFull = &check.Check{
	ID:       "DMS409",
	Title:    "Recovery model is FULL for online migration",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "Online migration requires the FULL recovery model (log backups)",
	Doc: "Online migrations (and the Log Replay Service) keep restoring log backups until cutover; a " +
		"database in SIMPLE recovery has no log backups at all, and Log Replay Service (the same technology) " +
		"requires the FULL recovery model, so BULK_LOGGED is not enough either.",
	Fix:  "`ALTER DATABASE [name] SET RECOVERY FULL`, then take a full backup to start the log chain.",
	Link: linkLRS,
	Run: func(p *check.Pass) {
		online := p.Plan().Mode == facts.ModeOnline || p.Plan().Method == facts.MethodLRS
		eachSourceDB(p, func(d *facts.Database, obj string) {
			ev := check.Ev{"recoveryModel": d.RecoveryModel}
			switch {
			case strings.EqualFold(d.RecoveryModel, "FULL"):
				p.Pass(d.Name, obj, "recovery model FULL", ev)
			case d.RecoveryModel == "":
				p.Skip(d.Name, obj, "recovery model unknown")
			case online:
				p.Fail(d.Name, obj, fmt.Sprintf("recovery model %s: online migration needs FULL", d.RecoveryModel), ev)
			case p.Plan().Mode == "":
				p.Skip(d.Name, obj, fmt.Sprintf("recovery model %s matters only online, and the plan gives no mode", d.RecoveryModel))
			default:
				p.Pass(d.Name, obj, fmt.Sprintf("recovery model %s is enough for an offline migration", d.RecoveryModel), ev)
			}
		})
	},
}
