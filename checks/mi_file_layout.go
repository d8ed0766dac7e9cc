package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// MIFileLayout is check DMS311: a Managed Instance restore refuses some file
// layouts outright, and the full backup's file list (RESTORE FILELISTONLY)
// shows them.
var MIFileLayout = &check.Check{
	ID:       "DMS311",
	Title:    "Managed Instance can restore the backup's files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Managed Instance restore failure: more than one log file, or FILESTREAM / FileTable data (and memory-optimized data on General Purpose)",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; memory-optimized (In-Memory OLTP) data needs the Business Critical tier. The full " +
		"backup's file list says which files the restore must create: log files are type L, and FILESTREAM, " +
		"FileTable and memory-optimized containers are type S (the header does not tell these apart, so a type S " +
		"file fails here; waive it with a reason for a memory-optimized database going to Business Critical).",
	Fix: "Before the final full backup: remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then " +
		"`ALTER DATABASE ... REMOVE FILE`), move FILESTREAM/FileTable data out of the database, or choose the " +
		"Business Critical tier for memory-optimized data.",
	Link:  linkMIRestore,
	Basis: check.Documented("Microsoft, Managed Instance T-SQL differences (RESTORE): one log file, no FILESTREAM or FileTable, memory-optimized data only on Business Critical"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			if !hasFull(pl) || pl.Steps[0].Header == nil || len(pl.Steps[0].Header.Files) == 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "the full backup's file list is unknown")
				continue
			}
			full := pl.Steps[0]
			var logs, special, data []string
			for _, f := range full.Header.Files {
				switch f.Type {
				case "L":
					logs = append(logs, f.LogicalName)
				case "S":
					special = append(special, f.LogicalName)
				default:
					data = append(data, f.LogicalName)
				}
			}
			ev := lineageEv(pl, check.Ev{"fullBackup": full.File(), "logFiles": strings.Join(logs, ", ")})
			if len(special) > 0 {
				ev["typeSFiles"] = strings.Join(special, ", ")
			}
			problems := miFileProblems(logs, special)
			for _, pr := range problems {
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("full backup %s has %s", full.File(), pr), ev)
			}
			if len(problems) == 0 {
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("full backup %s has %s and %s, a layout Managed Instance restores",
					full.File(), count(len(data), "data file", "data files"), count(len(logs), "log file", "log files")), ev)
			}
		}
	},
}
