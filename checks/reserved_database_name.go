package checks

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ReservedDatabaseName is check DMS101: Azure SQL Database refuses database
// names that are T-SQL reserved words, and names breaking Azure's naming
// rules.
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
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (Azure SQL Database limitations): \"Database names with SQL Server reserved words aren't valid\"; the reserved keywords list"),
	Run: func(p *check.Pass) {
		for _, d := range databases(p) {
			name := d.TargetDBName()
			obj := check.DatabaseObject(d.Name)
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
