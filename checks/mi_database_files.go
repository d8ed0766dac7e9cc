package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// MIDatabaseFiles is check DMS417: the source catalog shows the same Managed
// Instance restore blockers as the backup's file list (DMS311), before any
// backup is taken.
var MIDatabaseFiles = &check.Check{
	ID:       "DMS417",
	Title:    "Source database files fit Managed Instance",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases, facts.SrcFiles},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Managed Instance restore failure: more than one log file, or FILESTREAM / FileTable data (and memory-optimized data on General Purpose)",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; memory-optimized (In-Memory OLTP) data needs the Business Critical tier. " +
		"`sys.master_files` lists each database's files: more than one LOG file, or any FILESTREAM file " +
		"(FILESTREAM and FileTable data, and memory-optimized containers, which `type_desc` does not tell apart), " +
		"fails here. DMS311 checks the same in the backup itself.",
	Fix: "Remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then `ALTER DATABASE ... REMOVE FILE`), " +
		"move FILESTREAM/FileTable data out, or choose Business Critical for memory-optimized data (and waive " +
		"this finding with that reason).",
	Link:  linkMIRestore,
	Basis: check.Documented("Microsoft, Managed Instance T-SQL differences (RESTORE): one log file, no FILESTREAM or FileTable"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if len(d.Files) == 0 {
				p.Skip(d.Name, obj, "the database's file list was not collected")
				return
			}
			var logs, fs []string
			for _, f := range d.Files {
				switch strings.ToUpper(f.Type) {
				case "LOG":
					logs = append(logs, f.LogicalName)
				case "FILESTREAM":
					fs = append(fs, f.LogicalName)
				}
			}
			ev := check.Ev{"logFiles": strings.Join(logs, ", ")}
			if len(fs) > 0 {
				ev["filestreamFiles"] = strings.Join(fs, ", ")
			}
			problems := miFileProblems(logs, fs)
			for _, pr := range problems {
				p.Fail(d.Name, obj, pr, ev)
			}
			if len(problems) == 0 {
				p.Pass(d.Name, obj, fmt.Sprintf("%s, one log file and no FILESTREAM: a layout Managed Instance restores", count(len(d.Files)-len(logs), "data file", "data files")), ev)
			}
		})
	},
}
