package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// StorageLimit is check DMS413: Managed Instance storage covers data and log
// of every database.
var StorageLimit = &check.Check{
	ID:       "DMS413",
	Title:    "Databases fit the Managed Instance storage limit",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: storage usage can't exceed N MB (Managed Instance storage limit)",
	Doc: "A Managed Instance's reserved storage holds the data and log files of every database on it. " +
		"Restoring databases whose files exceed what is left fails with \"storage usage can't exceed N MB\". " +
		"The limit comes from the plan (`target.storageLimitMB`); with a live target connection DMS504 " +
		"also counts what the instance already uses.",
	Fix: "Raise the instance's storage (32 GB steps; the maximum depends on tier and vCores), shrink the " +
		"log files before the last backup, or migrate fewer databases to this instance.",
	Link: linkMIResource,
	Run: func(p *check.Pass) {
		limit := p.Plan().Target.StorageLimitMB
		if limit <= 0 {
			p.Skip("", check.ObjectTarget, "the plan gives no target storage limit (target.storageLimitMB)")
			return
		}
		total, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			p.Skip("", check.ObjectTarget, "size unknown (sys.master_files not read: VIEW ANY DEFINITION missing or query failed) for "+list(unknown, 10))
			return
		}
		ev := check.Ev{"totalMB": fmt.Sprint(total), "limitMB": fmt.Sprint(limit)}
		if total > limit {
			p.Fail("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB (data and log), over the %d MB limit", total, limit), ev)
			return
		}
		p.Pass("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB of the %d MB limit", total, limit), ev)
	},
}
