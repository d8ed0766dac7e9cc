package checks

import (
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ContainedDatabase is check DMS414: Managed Instance restores contained
// databases only with contained database authentication on.
var ContainedDatabase = &check.Check{
	ID:       "DMS414",
	Title:    "Contained databases need contained database authentication on the target",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: 12824 The sp_configure value 'contained database authentication' must be set to 1",
	Doc: "Restoring a partially contained database fails with error 12824 unless the target's server option " +
		"`contained database authentication` is 1. dmsready cannot see the target's option from the source, " +
		"so it warns for each contained database.",
	Fix:   "On the target: `EXEC sp_configure 'contained database authentication', 1; RECONFIGURE;` before the migration.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 12824): contained database authentication must be on"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if d.Containment == "" {
				p.Skip(d.Name, obj, "containment unknown")
				return
			}
			if strings.EqualFold(d.Containment, "PARTIAL") {
				p.Warn(d.Name, obj, "partially contained: the target needs contained database authentication = 1", check.Ev{"containment": d.Containment})
				return
			}
			p.Pass(d.Name, obj, "not a contained database", nil)
		})
	},
}
