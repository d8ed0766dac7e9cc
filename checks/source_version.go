package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// SourceVersion is check DMS415: DMS takes SQL Server 2008 and newer.
var SourceVersion = &check.Check{
	ID:       "DMS415",
	Title:    "Source SQL Server version is supported",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcServer},
	Prevents: "SqlVersionOutOfRange: source SQL Server older than 2008",
	Doc:      "DMS migrates from SQL Server 2008 and newer, on Windows or Linux.",
	Fix:      "Upgrade the source to a supported version first, or move the database with another method.",
	Link:     linkKnownIssues,
	Basis:    check.Documented("Microsoft, DMS known issues: SqlVersionOutOfRange for sources older than SQL Server 2008"),
	Run: func(p *check.Pass) {
		s := p.Facts.Server
		ev := check.Ev{"version": s.Version}
		r, ok := sqlrelease.ByMajor(s.Major)
		switch {
		case s.Major <= 0:
			p.Skip("", check.ObjectServer, fmt.Sprintf("source version %q unreadable", s.Version))
		case s.Major < sqlrelease.SQL2008.Major:
			p.Fail("", check.ObjectServer, fmt.Sprintf("SQL Server %s is older than 2008", s.Version), ev)
		case !ok:
			p.Pass("", check.ObjectServer, fmt.Sprintf("SQL Server %s (a release newer than dmsready knows)", s.Version), ev)
		default:
			p.Pass("", check.ObjectServer, fmt.Sprintf("SQL Server %d (%s) is supported", r.Year, s.Version), ev)
		}
	},
}
