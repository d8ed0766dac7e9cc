package checks

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

const (
	linkKnownIssues = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio"
	linkReserved    = "https://learn.microsoft.com/sql/t-sql/language-elements/reserved-keywords-transact-sql"
)

// ReservedDatabaseName: Azure SQL Database refuses database names that are
// T-SQL reserved words, and names breaking Azure's naming rules.
var ReservedDatabaseName = &check.Check{
	ID:       "DMS101",
	Title:    "Database name is valid on Azure SQL Database",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcPlan},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: database names with SQL Server reserved words aren't valid",
	Doc: "Azure SQL Database migrations fail for databases whose name is a T-SQL reserved keyword " +
		"(`TABLE`, `USER`, `BACKUP` ...). Azure also rejects names longer than 128 characters, names " +
		"containing `< > * % & : \\ / ?` `;` or control characters, names ending in a period or a space, " +
		"and the system names master, model and tempdb.",
	Fix: "Give the target database a different name in the plan (`targetName:`) or rename the " +
		"source database before the migration.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		for _, d := range p.Facts.Databases() {
			name := d.TargetDBName()
			obj := "database:" + d.Name
			if why := invalidAzureDBName(name); why != "" {
				p.Fail(d.Name, obj, fmt.Sprintf("target name %q %s", name, why), check.Ev{"targetName": name})
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("target name %q is a valid Azure SQL Database name", name), nil)
		}
	},
}

func invalidAzureDBName(name string) string {
	switch {
	case name == "":
		return "is empty"
	case len([]rune(name)) > 128:
		return "is longer than 128 characters"
	case reservedWords[strings.ToUpper(name)]:
		return "is a T-SQL reserved keyword"
	case strings.ContainsAny(name, "<>*%&:\\/?;"):
		return "contains a character Azure SQL Database rejects (< > * % & : \\ / ? ;)"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "ends with a period or a space"
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "contains a control character"
		}
	}
	switch strings.ToLower(name) {
	case "master", "model", "tempdb":
		return "is a system database name"
	}
	return ""
}

// reservedWords are the T-SQL reserved keywords (Microsoft's list, 185 entries).
var reservedWords = func() map[string]bool {
	m := map[string]bool{"WITHIN GROUP": true}
	for _, w := range strings.Fields(`ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK
BROWSE BULK BY CASCADE CASE CHECK CHECKPOINT CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE
CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC DISK
DISTINCT DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL
FETCH FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP HAVING
HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL
LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON OPEN
OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN PRECISION
PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES REPLICATION RESTORE
RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA SECURITYAUDIT SELECT
SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER
SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER
TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR
WHEN WHERE WHILE WITH WRITETEXT`) {
		m[w] = true
	}
	return m
}()

// VMTargetVersion: DMS does not migrate to SQL Server 2008 or older on Azure VMs.
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
	Fix:  "Migrate to a VM running SQL Server 2012 or newer (2016 or newer lets backups sit in block blobs).",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		v := p.Plan().Target.Version
		if v == "" {
			p.Skip("", "target", "the plan gives no target version")
			return
		}
		year, ok := ReleaseYear(v)
		if !ok {
			p.Skip("", "target", fmt.Sprintf("target version %q is not a known SQL Server release", v))
			return
		}
		ev := check.Ev{"targetVersion": v}
		if year <= 2008 {
			p.Fail("", "target", fmt.Sprintf("target SQL Server %d is 2008 or older", year), ev)
			return
		}
		p.Pass("", "target", fmt.Sprintf("target SQL Server %d is supported", year), ev)
	},
}

// ReleaseYear maps a version as plans write it ("2014", "2008R2", "12",
// "12.0.6024.0", "10.50") to the release year (2008 R2 maps to 2008).
func ReleaseYear(v string) (int, bool) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	s = strings.TrimPrefix(s, "SQLSERVER")
	s = strings.TrimPrefix(s, "SQL")
	if strings.HasSuffix(s, "R2") {
		s = strings.TrimSuffix(s, "R2")
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 2000 && n <= 2100 {
		// A year that is no release (a typo, a future one) is unknown,
		// never a supported target.
		return n, releaseYears[n]
	}
	major, minor := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		major, minor = s[:i], s[i+1:]
		if j := strings.IndexByte(minor, '.'); j >= 0 {
			minor = minor[:j]
		}
	}
	n, err := strconv.Atoi(major)
	if err != nil {
		return 0, false
	}
	_ = minor
	year, ok := majorYear[n]
	return year, ok
}

var releaseYears = map[int]bool{2000: true, 2005: true, 2008: true, 2012: true, 2014: true, 2016: true, 2017: true, 2019: true, 2022: true, 2025: true}

var majorYear = map[int]int{9: 2005, 10: 2008, 11: 2012, 12: 2014, 13: 2016, 14: 2017, 15: 2019, 16: 2022, 17: 2025}

// DuplicateTargetName: two plan entries restoring onto the same target name
// collide; DMS cannot overwrite a database.
var DuplicateTargetName = &check.Check{
	ID:       "DMS103",
	Title:    "Each target database name is used once",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcPlan},
	Prevents: "Limitation: overwriting existing databases using DMS in the target isn't supported",
	Doc: "Two databases in one plan that map to the same target database name cannot both be " +
		"migrated: the second restore would have to overwrite the first, which DMS does not do. " +
		"Target database names are compared case-insensitively, as SQL Server does with the default collations.",
	Fix:  "Give each database a distinct `targetName:` in the plan.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		byName := map[string][]string{}
		dbs := p.Plan().Databases
		for _, d := range dbs {
			k := strings.ToLower(d.TargetDBName())
			byName[k] = append(byName[k], d.Name)
		}
		for _, d := range dbs {
			obj := "database:" + d.Name
			if others := byName[strings.ToLower(d.TargetDBName())]; len(others) > 1 {
				p.Fail(d.Name, obj, fmt.Sprintf("target name %q is also used by %s", d.TargetDBName(), strings.Join(exclude(others, d.Name), ", ")),
					check.Ev{"targetName": d.TargetDBName()})
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("target name %q is unique in the plan", d.TargetDBName()), nil)
		}
	},
}

func exclude(names []string, one string) []string {
	var out []string
	dropped := false
	for _, n := range names {
		if n == one && !dropped {
			dropped = true
			continue
		}
		out = append(out, n)
	}
	return out
}
