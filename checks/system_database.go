package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// SystemDatabase is check DMS104: DMS migrates user databases; a system
// database (master, model, msdb, tempdb) named in the plan is not restored.
var SystemDatabase = &check.Check{
	ID:       "DMS104",
	Title:    "Only user databases are planned",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcPlan},
	Targets:  backupTargets,
	Prevents: "Managed Instance: restore of system databases isn't supported; DMS does not overwrite an existing database",
	Doc: "Azure SQL Managed Instance does not restore system databases: Microsoft's SQL Server to Managed " +
		"Instance migration overview says \"Restore of system databases isn't supported. To migrate " +
		"instance-level objects (stored in the master and msdb databases), script them by using T-SQL and then " +
		"re-create them on the target managed instance.\" A plan naming master, model, msdb or tempdb therefore " +
		"fails on Managed Instance whatever its backups look like (the restore-chain checks skip it there). Every target instance has its own system databases and DMS does not overwrite an existing " +
		"database (known issues), so a target name that is a system database's fails on both Managed Instance " +
		"and SQL Server on Azure VM. A system database restored under another name on a SQL Server VM is a " +
		"warning: Microsoft's VM migration guide migrates user databases and scripts model and the " +
		"instance-level objects, but no page says DMS refuses it (not verified). Azure SQL Database names are " +
		"DMS101's.",
	Fix: "Remove the system databases from the plan. Script the instance-level objects they hold (logins, " +
		"server roles, Agent jobs, linked servers, Database Mail, objects in model) and re-create them on the " +
		"target; DMS406 and DMS407 list what the source has.",
	Link:  linkMIMigration,
	Basis: check.Documented("Microsoft, SQL Server to SQL Managed Instance migration overview: \"Restore of system databases isn't supported\"; DMS known issues: overwriting existing databases isn't supported"),
	Run: func(p *check.Pass) {
		mi := p.Plan().Target.Kind == facts.KindMI
		for _, d := range p.Plan().Databases {
			obj := check.DatabaseObject(d.Name)
			ev := check.Ev{"targetName": d.TargetDBName()}
			switch {
			case mi && facts.IsSystemDatabase(d.Name):
				p.Fail(d.Name, obj, fmt.Sprintf("%s is a system database: Managed Instance does not restore system databases; script the instance-level objects it holds instead", d.Name), ev)
			case facts.IsSystemDatabase(d.TargetDBName()):
				p.Fail(d.Name, obj, fmt.Sprintf("target name %q is a system database's: the target has its own, and DMS does not overwrite an existing database", d.TargetDBName()), ev)
			case facts.IsSystemDatabase(d.Name):
				p.Warn(d.Name, obj, fmt.Sprintf("%s is a system database: DMS migrates user databases, and restoring it as %q is not a documented DMS migration (not verified); script the instance-level objects it holds instead", d.Name, d.TargetDBName()), ev)
			default:
				p.Pass(d.Name, obj, fmt.Sprintf("%s is a user database", d.Name), nil)
			}
		}
	},
}
