package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ServerObjectsNotMigrated is check DMS406: logins, roles, credentials,
// audits and linked servers live in master and stay behind.
var ServerObjectsNotMigrated = &check.Check{
	ID:       "DMS406",
	Title:    "Server-level objects DMS does not migrate",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcServerObjects},
	Prevents: "Limitation: server-level objects (logins, server roles, credentials, server audits, linked servers) aren't migrated with the databases",
	Doc: "DMS moves databases, not the server around them. Logins and user-defined server roles need the " +
		"separate login migration (SQL and Windows logins to Managed Instance, SQL logins to SQL Server " +
		"on Azure VM); credentials, server audits and linked servers must be recreated by hand. Database " +
		"users whose login is missing on the target are orphaned.",
	Fix: "Run the login migration (Azure Data Studio / `Microsoft.SqlServer.Migration.Login`) for logins and " +
		"server roles, and script credentials, audits and linked servers to the target.",
	Link:  linkLogins,
	Basis: check.Documented("Microsoft, DMS known issues and the login migration tutorial: logins, server roles, credentials, audits and linked servers are not migrated (which objects a default install has is dmsready's own list)"),
	Run: func(p *check.Pass) {
		serverObjects(p, "logins", "serverRoles", "credentials", "audits", "linkedServers")
	},
}
