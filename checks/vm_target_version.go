package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// VMTargetVersion is check DMS102: DMS does not migrate to SQL Server 2008 or
// older on Azure VMs.
var VMTargetVersion = &check.Check{
	ID:       "DMS102",
	Title:    "SQL Server on Azure VM target version is supported",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcPlan},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "Limitation: SQL Server 2008 and below as target versions aren't supported when migrating to SQL Server on Azure Virtual Machines",
	Doc: "DMS cannot migrate to a SQL Server on Azure Virtual Machines target running SQL Server 2008 " +
		"or older. The target version comes from the plan (`target.version`). SQL Server 2008 R2 is counted " +
		"with 2008 (the page says \"2008 and below\"; not verified for R2).",
	Fix:   "Migrate to a VM running SQL Server 2012 or newer (2016 or newer lets backups sit in block blobs).",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS limitations for SQL Server on Azure VM: SQL Server 2008 and older are not supported targets"),
	Run: func(p *check.Pass) {
		v := p.Plan().Target.Version
		if v == "" {
			p.Skip("", check.ObjectTarget, "the plan gives no target version")
			return
		}
		r, ok := sqlrelease.Parse(v)
		if !ok {
			p.Skip("", check.ObjectTarget, fmt.Sprintf("target version %q is not a known SQL Server release", v))
			return
		}
		ev := check.Ev{"targetVersion": v}
		if r.Year <= sqlrelease.SQL2008.Year {
			p.Fail("", check.ObjectTarget, fmt.Sprintf("target SQL Server %d is 2008 or older", r.Year), ev)
			return
		}
		p.Pass("", check.ObjectTarget, fmt.Sprintf("target SQL Server %d is supported", r.Year), ev)
	},
}
