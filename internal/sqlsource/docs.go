package sqlsource

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// release names a major version as the docs do: "2008" (with 2008 R2), "2019".
func release(major int) string {
	r, ok := sqlrelease.ByMajor(major)
	if !ok {
		return fmt.Sprintf("major version %d", major)
	}
	return strings.TrimPrefix(r.Name, "SQL Server ")
}

func versionRange(q Query) string {
	lo := release(q.MinMajor)
	if q.MaxMajor == 0 {
		return lo + "+"
	}
	if q.MaxMajor == sqlrelease.SQL2008R2.Major {
		return "2008 and 2008 R2"
	}
	return lo + " to " + release(q.MaxMajor)
}

// grantScript is the least-privilege script: every distinct grant block of
// the queries, server-level first.
func grantScript() string {
	seen := map[string]bool{}
	var server, perDB []string
	for _, q := range Queries {
		for _, g := range q.Grant {
			if seen[g] {
				continue
			}
			seen[g] = true
			if strings.HasPrefix(g, "USE ") {
				perDB = append(perDB, strings.ReplaceAll(g, "; ", ";\n"))
			} else {
				server = append(server, g)
			}
		}
	}
	var b strings.Builder
	b.WriteString("USE master;\n")
	b.WriteString("-- Pick one: a SQL login, a Windows login, or a Microsoft Entra login (Azure targets).\n")
	b.WriteString("CREATE LOGIN [dmsready] WITH PASSWORD = N'<a strong password>', CHECK_POLICY = ON;\n")
	b.WriteString("-- CREATE LOGIN [CORP\\dmsready] FROM WINDOWS;  (then use that name below)\n")
	b.WriteString("-- CREATE LOGIN [dmsready@contoso.com] FROM EXTERNAL PROVIDER;  (Managed Instance)\n\n")
	b.WriteString("-- CONNECT ANY DATABASE needs SQL Server 2014 or newer; on 2008 R2 and 2012 leave it out and\n")
	b.WriteString("-- create a user for the login in each database instead (CREATE USER [dmsready] FOR LOGIN [dmsready]).\n")
	for _, g := range server {
		if g == grantLinked {
			// Optional and commented out: the script stays read-only by default.
			b.WriteString("-- Optional: ALTER ANY LINKED SERVER could change linked servers, so it is left out here. Without\n")
			b.WriteString("-- it sys.servers hides linked servers the login is not mapped to, and DMS406 reports an error\n")
			b.WriteString("-- naming this permission instead of a verdict. Uncomment only if that trade is acceptable.\n")
			b.WriteString("-- " + g + "\n")
			continue
		}
		b.WriteString(g + "\n")
	}
	for _, g := range perDB {
		b.WriteString("\n" + g + "\n")
	}
	b.WriteString("-- On 2008 R2 use EXEC sp_addrolemember N'<role>', N'dmsready'; instead of ALTER ROLE.\n")
	b.WriteString("-- SSISDB exists only where the SSIS catalog was created; skip that block otherwise.\n")
	return b.String()
}

// PermissionsDoc renders docs/permissions.md from Queries.
func PermissionsDoc() string {
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	w("# Permissions dmsready needs\n\n")
	w("<!-- Generated from internal/sqlsource/queries.go by `go test ./internal/sqlsource -run TestPermissionsDoc -update`. Do not edit. -->\n\n")
	w("dmsready only reads. Every statement it sends is one of the SELECTs below, on catalog views, DMVs and msdb; ")
	w("it creates no temp table and writes nothing. It connects to the source with `ApplicationIntent=ReadOnly` (not to a live target, where a Business Critical Managed Instance would send it to a read-only replica) and application name `dmsready`, ")
	w("and each statement carries its marker comment (`/* dmsready:... */`) so a trace shows what it is.\n\n")
	w("When a permission is missing, only the facts that need it are missing: the checks depending on them report ")
	w("`error` naming the permission, and every other check still runs. A login without msdb access, for example, ")
	w("loses the backup-history, Agent job and msdb SSIS checks only.\n\n")
	w("## Least-privilege login\n\nRun on the source (and, for the optional live target, on the target):\n\n```sql\n%s```\n\n", grantScript())
	w("DMS itself needs more (sysadmin or CONTROL SERVER on the source); these grants are for dmsready's checks only.\n\n")
	for _, part := range []struct {
		title  string
		target bool
	}{{"Source queries", false}, {"Target queries (optional live target)", true}} {
		w("## %s\n\n", part.title)
		w("| Marker | Feeds | SQL Server | Permission | Reads |\n|---|---|---|---|---|\n")
		for _, q := range Queries {
			if q.Target != part.target {
				continue
			}
			w("| `%s` | `%s` | %s | %s | %s |\n", q.Marker, q.Source, versionRange(q), q.Permission, strings.NewReplacer("|", "\\|", "<db>", "*db*").Replace(q.Reads))
		}
		w("\n")
	}
	w("Queries with a `-2008r2` twin are sent in the form matching the server's major version. ")
	w("Per-database queries (`<db>.sys...`) name the database with a bracket-quoted three-part name; values such as ")
	w("database names in msdb filters travel as parameters (`sp_executesql`), never spliced into the text.\n")
	return b.String()
}
