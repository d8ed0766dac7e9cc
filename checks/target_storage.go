package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TargetStorage is check DMS504: the instance's free storage must hold the
// new databases.
var TargetStorage = &check.Check{
	ID:       "DMS504",
	Title:    "Managed Instance has storage for the databases",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTargetStorage, facts.SrcDatabases, facts.SrcFiles},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: storage usage can't exceed N MB (Managed Instance storage limit)",
	Doc: "Managed Instance storage holds every database's data and log files. The live target reports " +
		"what it already uses and its reserved storage (`sys.server_resource_stats`); the migrated " +
		"databases' data and log sizes must fit in the difference.",
	Fix:   "Raise the instance's reserved storage, shrink source log files before the last backup, or migrate fewer databases.",
	Link:  linkMIResource,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"storage usage can't exceed N MB\"; Managed Instance resource limits"),
	Run: func(p *check.Pass) {
		t := p.Facts.Target
		if !t.StorageKnown {
			p.Skip("", check.ObjectTarget, "the target's storage use was not read (Managed Instance only, needs VIEW SERVER STATE)")
			return
		}
		need, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			p.Skip("", check.ObjectTarget, "size unknown for "+list(unknown, 10))
			return
		}
		free := t.StorageLimitMB - t.StorageUsedMB
		ev := check.Ev{"needMB": fmt.Sprint(need), "usedMB": fmt.Sprint(t.StorageUsedMB), "limitMB": fmt.Sprint(t.StorageLimitMB)}
		if need >= free {
			p.Fail("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB; the instance uses %d of %d MB, leaving %d", need, t.StorageUsedMB, t.StorageLimitMB, free), ev)
			return
		}
		p.Pass("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB of the %d MB free", need, free), ev)
	},
}
