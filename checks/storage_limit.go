package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// StorageLimit is check DMS413: Managed Instance storage covers data and log
// of every database.
var StorageLimit = &check.Check{
	ID:       "DMS413",
	Title:    "Databases fit the Managed Instance storage limit",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases, facts.SrcFiles},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: storage usage can't exceed N MB (Managed Instance storage limit)",
	Doc: "A Managed Instance's reserved storage holds the data and log files of every database on it, " +
		"its own system databases included. Restoring databases whose files reach what is left fails with " +
		"\"storage usage can't exceed N MB\". The limit comes from the plan (`target.storageLimitMB`): " +
		"databases that need the limit or more fail; within 5% of it (at least 1 GB) they warn, since the " +
		"instance's system databases take part of it (that margin is dmsready's own estimate). With a live " +
		"target connection DMS504 counts what the instance actually uses.",
	Fix: "Raise the instance's storage (32 GB steps; the maximum depends on tier and vCores), shrink the " +
		"log files before the last backup, or migrate fewer databases to this instance.",
	Link:  linkMIResource,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"storage usage can't exceed N MB\"; Managed Instance resource limits (the margin for system databases is dmsready's own)"),
	Run: func(p *check.Pass) {
		limit := p.Plan().Target.StorageLimitMB
		if limit <= 0 {
			p.Skip("", check.ObjectTarget, "the plan gives no target storage limit (target.storageLimitMB)")
			return
		}
		total, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			var absent, unread []string
			for _, n := range unknown {
				if sourceDB(p, n) == nil {
					absent = append(absent, n)
				} else {
					unread = append(unread, n)
				}
			}
			var why []string
			if len(absent) > 0 {
				if p.Facts.ErrorFor(facts.SrcDatabaseList) != nil {
					why = append(why, list(absent, 10)+" "+notOnSource(p)+" (see DMS416)")
				} else {
					why = append(why, list(absent, 10)+" not on the source server (see DMS416)")
				}
			}
			if len(unread) > 0 {
				why = append(why, "size unknown (sys.master_files not read: VIEW ANY DEFINITION missing or query failed) for "+list(unread, 10))
			}
			p.Skip("", check.ObjectTarget, strings.Join(why, "; "))
			return
		}
		ev := check.Ev{"totalMB": fmt.Sprint(total), "limitMB": fmt.Sprint(limit)}
		switch {
		case total >= limit:
			p.Fail("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB (data and log), at or over the %d MB limit", total, limit), ev)
		case total+systemMarginMB(limit) > limit:
			p.Warn("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB of the %d MB limit, leaving %d MB for the instance's own system databases (master, model, msdb, tempdb), which count against it too", total, limit, limit-total), ev)
		default:
			p.Pass("", check.ObjectTarget, fmt.Sprintf("the databases need %d MB of the %d MB limit", total, limit), ev)
		}
	},
}

// systemMarginMB is the room dmsready wants left for a Managed Instance's
// own system databases: 5% of the limit, at least 1 GB. Microsoft gives no
// figure; this is dmsready's own estimate.
func systemMarginMB(limit int64) int64 {
	m := limit / 20
	if m < 1024 {
		m = 1024
	}
	return m
}
