package checks

import (
	"fmt"
	"strconv"
	"strings"

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
	Doc: "DMS migrates from SQL Server 2008 and newer, on Windows or Linux. A source connection that reaches an " +
		"Azure service instead (SERVERPROPERTY('EngineEdition') 5 SQL Database, 6 Synapse, 8 Managed Instance, 11, 12) " +
		"fails: those report product version 12.0.2000.8, which would otherwise read as SQL Server 2014.",
	Fix:   "Upgrade the source to a supported version first, or move the database with another method.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues: SqlVersionOutOfRange for sources older than SQL Server 2008 (dmsready's own rule: an Azure service's EngineEdition is no SQL Server source)"),
	Run: func(p *check.Pass) {
		s := p.Facts.Server
		ev := check.Ev{"version": s.Version}
		// The minor version tells 2008 (10.0) from 2008 R2 (10.50).
		minor := 0
		if parts := strings.SplitN(s.Version, ".", 3); len(parts) > 1 {
			minor, _ = strconv.Atoi(parts[1])
		}
		r, ok := sqlrelease.ByVersion(s.Major, minor)
		cloud, isCloud := cloudEngines[s.EngineEdition]
		switch {
		case isCloud:
			ev["engineEdition"] = fmt.Sprint(s.EngineEdition)
			p.Fail("", "server", fmt.Sprintf("the source is %s (SERVERPROPERTY('EngineEdition') = %d, version %s), not a SQL Server DMS migrates from: is the source connection pointed at the target?", cloud, s.EngineEdition, s.Version), ev)
		case s.Major <= 0:
			p.Skip("", check.ObjectServer, fmt.Sprintf("source version %q unreadable", s.Version))
		case s.Major < sqlrelease.SQL2008.Major:
			p.Fail("", check.ObjectServer, fmt.Sprintf("SQL Server %s is older than 2008", s.Version), ev)
		case !ok:
			p.Pass("", check.ObjectServer, fmt.Sprintf("SQL Server %s (a release newer than dmsready knows)", s.Version), ev)
		default:
			p.Pass("", check.ObjectServer, fmt.Sprintf("%s (%s) is supported", r.Name, s.Version), ev)
		}
	},
}

// cloudEngines are the SERVERPROPERTY('EngineEdition') values of Azure
// services, which report product version 12.0.2000.8 whatever their engine.
var cloudEngines = map[int]string{
	5: "Azure SQL Database", 6: "Azure Synapse Analytics", 8: "Azure SQL Managed Instance",
	11: "Azure Synapse serverless SQL pool", 12: "a Microsoft Fabric SQL endpoint",
}
