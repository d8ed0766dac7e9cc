package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ManagedInstanceStorage is check DMS603: the instance's reserved storage
// (from Resource Manager) must hold the migrated databases and the system
// databases.
var ManagedInstanceStorage = &check.Check{
	ID:       "DMS603",
	Title:    "Managed Instance reserved storage holds the databases",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget, facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: The managed instance has reached its storage limit. The storage usage for the managed instance can't exceed N MBs",
	Doc: "A Managed Instance's reserved storage (`storageSizeInGB` in Resource Manager) holds the data and log files " +
		"of every database on it, system databases included. The migrated databases' data and log sizes " +
		"(`sys.master_files` on the source) alone above it fail. What the instance already uses comes from Azure " +
		"Monitor (its `storage_space_used_mb` metric, latest maximum of the last hour): used plus needed above the " +
		"reserved storage fails, within it passes. Without that metric, the source's master, model and msdb stand in " +
		"for the instance's own (the databases fitting only without them warns), and databases already on the instance " +
		"(listed by Resource Manager, sizes not reported) make the answer cannot tell; a live target connection lets " +
		"DMS504 count what is used.",
	Fix: "Raise the instance's storage (in 32 GB steps, up to the tier's maximum), shrink the log files before the " +
		"last backup, or migrate fewer databases to this instance.",
	Link:  linkMIResource,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"storage usage can't exceed N MB\"; Managed Instance resource limits"),
	Run: func(p *check.Pass) {
		mi, obj, ok := readMI(p)
		if !ok {
			return
		}
		if mi.StorageSizeGB <= 0 {
			p.Skip("", obj, "the instance's storage size is not reported")
			return
		}
		need, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			p.Skip("", obj, "size unknown (sys.master_files not read) for "+list(unknown, 10))
			return
		}
		limit := mi.StorageSizeGB * 1024
		sys, sysKnown := sourceSystemMB(p.Facts)
		ev := check.Ev{"needMB": fmt.Sprint(need), "reservedMB": fmt.Sprint(limit), "tier": mi.Tier}
		if sysKnown {
			ev["systemMB"] = fmt.Sprint(sys)
		}
		if need > limit {
			p.Fail("", obj, fmt.Sprintf("the databases need %d MB; the instance reserves %d MB (%d GB)", need, limit, mi.StorageSizeGB), ev)
			return
		}
		if mi.StorageUsedMB != nil {
			used := *mi.StorageUsedMB
			ev["usedMB"] = fmt.Sprint(used)
			if used+need > limit {
				p.Fail("", obj, fmt.Sprintf("the instance already uses %d of its %d MB (Azure Monitor), leaving %d; the databases need %d MB", used, limit, limit-used, need), ev)
				return
			}
			p.Pass("", obj, fmt.Sprintf("the databases need %d MB; the instance uses %d of its %d MB (Azure Monitor), leaving %d", need, used, limit, limit-used), ev)
			return
		}
		if !sysKnown {
			p.Skip("", obj, fmt.Sprintf("cannot tell: the databases need %d MB of %d MB, and the size of the system databases is not known", need, limit))
			return
		}
		if need+sys > limit {
			p.Warn("", obj, fmt.Sprintf("the databases need %d MB of %d MB; with system databases the size of the source's (%d MB) they do not fit", need, limit, sys), ev)
			return
		}
		if mi.Databases == nil {
			p.Skip("", obj, "cannot tell: the databases already on the instance were not listed: "+mi.DatabasesError)
			return
		}
		if others := otherDatabases(p, mi.Databases); len(others) > 0 {
			ev["otherDatabases"] = strings.Join(others, ", ")
			p.Skip("", obj, fmt.Sprintf("cannot tell: the databases need %d MB (+%d MB system) of %d MB, but the instance already holds %s whose sizes Resource Manager does not report", need, sys, limit, count(len(others), "database", "databases")))
			return
		}
		p.Pass("", obj, fmt.Sprintf("the databases need %d MB, with system databases about %d MB, of the %d MB reserved", need, need+sys, limit), ev)
	},
}

// sourceSystemMB is master, model and msdb on the source (data and log),
// the estimate of the instance's own.
func sourceSystemMB(f *facts.Facts) (int64, bool) {
	// The collector keeps them apart from the databases to migrate
	// (SystemDatabases); facts built otherwise may list them among the
	// databases. Each counts once, the first found.
	mb := map[string]int64{}
	for _, list := range [][]facts.Database{f.Server.SystemDatabases, f.Server.Databases} {
		for _, d := range list {
			n := strings.ToLower(d.Name)
			if _, seen := mb[n]; seen || (n != "master" && n != "model" && n != "msdb") {
				continue
			}
			if d.Files == nil {
				return 0, false
			}
			mb[n] = mib(d.DataBytes + d.LogBytes)
		}
	}
	return mb["master"] + mb["model"] + mb["msdb"], len(mb) == 3
}

// otherDatabases are the instance's databases that are not migration targets.
func otherDatabases(p *check.Pass, onInstance []string) []string {
	ours := map[string]bool{}
	for _, d := range databases(p) {
		ours[strings.ToLower(d.TargetDBName())] = true
	}
	var out []string
	for _, n := range onInstance {
		if !ours[strings.ToLower(n)] && !facts.IsSystemDatabase(n) {
			out = append(out, n)
		}
	}
	return out
}
