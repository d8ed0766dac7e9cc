package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// AgentJobsAndSSIS is check DMS407: Agent jobs and SSIS packages sit in msdb
// and SSISDB.
var AgentJobsAndSSIS = &check.Check{
	ID:       "DMS407",
	Title:    "SQL Agent jobs and SSIS packages DMS does not migrate",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcServerObjects, facts.SrcBackupHistory},
	Prevents: "Limitation: SQL Server Agent jobs and SSIS packages aren't migrated",
	Doc: "SQL Agent jobs (msdb) and SSIS packages (msdb and the SSISDB catalog) stay on the source. Jobs that " +
		"back up, maintain or load the migrated databases stop when the source is retired.",
	Fix: "Script the jobs to the target (Managed Instance and VMs have SQL Agent; Azure SQL Database needs " +
		"elastic jobs), and redeploy SSIS packages to Azure-SSIS integration runtime or the target's SSISDB.",
	Link:  linkMILimits,
	Basis: check.Documented("Microsoft, DMS known issues: SQL Server Agent jobs and SSIS packages aren't migrated"),
	Run: func(p *check.Pass) {
		serverObjects(p, "agentJobs", "ssisPackages")
	},
}
