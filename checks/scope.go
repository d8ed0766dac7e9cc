package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// Backups are restored on SQL Managed Instance and SQL Server on VMs; the
// Azure SQL Database path copies data and reads no backups.
var restoreTargets = check.Targets{facts.KindMI, facts.KindVM}

var restoreNeeds = []facts.Source{facts.SrcPlan, facts.SrcBackups}

// Backups are read from storage only for Managed Instance and SQL VM
// targets; Azure SQL Database migrations copy data without backups.
var backupTargets = check.Targets{facts.KindMI, facts.KindVM}
