package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ManagedInstanceTier is check DMS604: what the databases need must be in the
// instance's tier: memory-optimized data needs Business Critical, and each
// tier caps the number of databases.
var ManagedInstanceTier = &check.Check{
	ID:       "DMS604",
	Title:    "Managed Instance tier supports the databases",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget, facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Managed Instance restore failure: memory-optimized filegroup on General Purpose; more databases than the tier allows",
	Doc: "Memory-optimized (In-Memory OLTP) data restores only on the Business Critical tier; General Purpose has " +
		"neither it nor FILESTREAM. `sys.master_files` shows both as FILESTREAM files, so on General Purpose a " +
		"database with such files fails whichever they are, and on Business Critical it passes here (DMS417 tells " +
		"them apart by filegroup type and fails real FILESTREAM). An instance holds at most 100 databases (500 on next-gen General " +
		"Purpose): the migrated databases plus those already on it (listed by Resource Manager) must fit. Resource " +
		"Manager's 2023-08-01 API does not report `isGeneralPurposeV2`, so a General Purpose count between 101 and " +
		"500 is cannot tell unless the facts say which generation it is.",
	Fix: "Choose Business Critical for memory-optimized databases (or remove the memory-optimized filegroup), and " +
		"spread databases over instances to stay within the tier's database count.",
	Link:  linkMIResource,
	Basis: check.Documented("Microsoft, Managed Instance resource limits: In-Memory OLTP only on Business Critical, database count per tier"),
	Run: func(p *check.Pass) {
		mi, obj, ok := readMI(p)
		if !ok {
			return
		}
		tier := mi.Tier
		bc := strings.EqualFold(tier, "BusinessCritical")
		gp := strings.EqualFold(tier, "GeneralPurpose")
		eachSourceDB(p, func(d *facts.Database, dbObj string) {
			if d.Files == nil {
				p.Skip(d.Name, dbObj, "the database's file list was not collected")
				return
			}
			var fs []string
			for _, f := range d.Files {
				if strings.EqualFold(f.Type, "FILESTREAM") {
					fs = append(fs, f.LogicalName)
				}
			}
			ev := check.Ev{"tier": tier}
			switch {
			case len(fs) == 0:
				p.Pass(d.Name, dbObj, "no memory-optimized or FILESTREAM files: any tier restores it", ev)
			case bc:
				ev["files"] = strings.Join(fs, ", ")
				p.Pass(d.Name, dbObj, fmt.Sprintf("Business Critical restores memory-optimized data (%s); FILESTREAM itself is DMS417's", list(fs, 5)), ev)
			case gp:
				ev["files"] = strings.Join(fs, ", ")
				p.Fail(d.Name, dbObj, fmt.Sprintf("the instance is General Purpose, which restores neither memory-optimized nor FILESTREAM data (%s)", list(fs, 5)), ev)
			default:
				p.Skip(d.Name, dbObj, fmt.Sprintf("the instance's tier %q is not known", tier))
			}
		})
		limit := 100
		if gp && mi.GeneralPurposeV2 != nil && *mi.GeneralPurposeV2 {
			limit = 500
		}
		if mi.Databases == nil || (!gp && !bc) {
			p.Skip("", obj, "cannot tell the database count: the instance's databases were not listed or its tier is unknown")
			return
		}
		total := len(otherDatabases(p, mi.Databases)) + len(databases(p))
		ev := check.Ev{"databases": fmt.Sprint(total), "limit": fmt.Sprint(limit), "tier": tier}
		if gp && mi.GeneralPurposeV2 == nil && total > limit && total <= 500 {
			p.Skip("", obj, fmt.Sprintf("cannot tell: %d databases after the migration: General Purpose allows 100, next-gen General Purpose 500, and whether the instance is next-gen (isGeneralPurposeV2) is not reported", total))
			return
		}
		if total > limit {
			p.Fail("", obj, fmt.Sprintf("%d databases after the migration; the tier allows %d", total, limit), ev)
			return
		}
		p.Pass("", obj, fmt.Sprintf("%d databases after the migration, within the tier's %d", total, limit), ev)
	},
}
