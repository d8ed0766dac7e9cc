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
		"database in SIMPLE recovery has no log backups at all. To Managed Instance the restore is the Log " +
		"Replay Service, which requires the FULL recovery model, so BULK_LOGGED fails there too. To SQL " +
		"Server on Azure VM BULK_LOGGED still produces log backups and is a warning: a log backup holding " +
		"bulk-logged operations cannot be restored to a point in time (that severity is dmsready's own rule).",
	Fix:   "`ALTER DATABASE [name] SET RECOVERY FULL`, then take a full backup to start the log chain.",
	Link:  linkLRS,
	Basis: check.Documented("Microsoft, Log Replay Service: the FULL recovery model (dmsready's own rule: BULK_LOGGED to an Azure VM is a warning)"),
	Run: func(p *check.Pass) {
		online := p.Plan().Mode == facts.ModeOnline || p.Plan().Method == facts.MethodLRS
		eachSourceDB(p, func(d *facts.Database, obj string) {
			ev := check.Ev{"recoveryModel": d.RecoveryModel}
			switch {
			case strings.EqualFold(d.RecoveryModel, "FULL"):
				p.Pass(d.Name, obj, "recovery model FULL", ev)
			case d.RecoveryModel == "":
				p.Skip(d.Name, obj, "recovery model unknown")
			case online && strings.EqualFold(d.RecoveryModel, "BULK_LOGGED") && p.Plan().Target.Kind == facts.KindVM && p.Plan().Method != facts.MethodLRS:
				p.Warn(d.Name, obj, "recovery model BULK_LOGGED: log backups continue, but one holding bulk-logged operations cannot be restored to a point in time; FULL is safer", ev)
			case online && p.Plan().Target.Kind == facts.KindVM && p.Plan().Method != facts.MethodLRS:
				p.Fail(d.Name, obj, fmt.Sprintf("recovery model %s: an online migration restores log backups, which need FULL (or BULK_LOGGED)", d.RecoveryModel), ev)
			case online:
				p.Fail(d.Name, obj, fmt.Sprintf("recovery model %s: online migration to Managed Instance (Log Replay Service) needs FULL", d.RecoveryModel), ev)
			case p.Plan().Mode == "":
				p.Skip(d.Name, obj, fmt.Sprintf("recovery model %s matters only online, and the plan gives no mode", d.RecoveryModel))
			default:
				p.Pass(d.Name, obj, fmt.Sprintf("recovery model %s is enough for an offline migration", d.RecoveryModel), ev)
			}
		})
	},
}
