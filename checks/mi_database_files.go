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
	Prevents: "Managed Instance restore failure: more than one log file, FILESTREAM / FileTable data, or memory-optimized (In-Memory OLTP) data on General Purpose",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; In-Memory OLTP is available in the Business Critical tier only. `sys.master_files` lists " +
		"In-Memory OLTP containers as FILESTREAM files (type 2) just like FILESTREAM data, so dmsready reads the " +
		"filegroup of each such file from the database's `sys.filegroups` (type FD FILESTREAM, FX memory-optimized). " +
		"More than one LOG file or any FILESTREAM/FileTable file fails. Memory-optimized data fails when Resource " +
		"Manager says the instance is General Purpose, passes on Business Critical, and warns (naming the tier " +
		"needed) when the tier is not known, as DMS604 decides. A filegroup query that failed is an error and one " +
		"not run is a skip: the file is never guessed to be one or the other. DMS311 checks the same in the backup itself.",
	Fix: "Remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then `ALTER DATABASE ... REMOVE FILE`), " +
		"move FILESTREAM/FileTable data out, and choose the Business Critical tier for memory-optimized data.",
	Link: linkMIRestore,
	Basis: check.Documented("Microsoft, Managed Instance T-SQL differences (RESTORE): one log file, no FILESTREAM or FileTable; " +
		"Microsoft, in-memory technologies in Azure SQL Managed Instance: In-Memory OLTP is available in the Business Critical tier; " +
		"Microsoft, sys.data_spaces / sys.filegroups: type FD = FILESTREAM data filegroup, FX = memory-optimized tables filegroup"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if len(d.Files) == 0 {
				p.Skip(d.Name, obj, "the database's file list was not collected")
				return
			}
			var logs, fs, mem, unknown []string
			for _, f := range d.Files {
				switch strings.ToUpper(f.Type) {
				case "LOG":
					logs = append(logs, f.LogicalName)
				case "FILESTREAM":
					switch f.FilegroupType {
					case facts.FilegroupFILESTREAM:
						fs = append(fs, f.LogicalName)
					case facts.FilegroupMemoryOptimized:
						mem = append(mem, f.LogicalName)
					default:
						unknown = append(unknown, f.LogicalName)
					}
				}
			}
			ev := check.Ev{"logFiles": strings.Join(logs, ", ")}
			for k, v := range map[string][]string{"filestreamFiles": fs, "memoryOptimizedFiles": mem, "filegroupUnknownFiles": unknown} {
				if len(v) > 0 {
					ev[k] = strings.Join(v, ", ")
				}
			}
			if t := miTier(p); t != "" && len(mem) > 0 {
				ev["tier"] = t
			}
			n := reportMI(p, d.Name, obj, "", miFileProblems(p, logs, fs, mem), ev)
			if len(unknown) > 0 {
				why := d.FilegroupsError
				if why == "" {
					why = "the filegroup types were not collected"
				}
				msg := fmt.Sprintf("cannot tell whether FILESTREAM-type files (%s) are FILESTREAM/FileTable data or In-Memory OLTP containers "+
					"(sys.master_files shows both as FILESTREAM): %s", strings.Join(unknown, ", "), why)
				if d.FilegroupsFailed {
					p.Error(d.Name, obj, msg, ev)
				} else {
					p.Skip(d.Name, obj, msg)
				}
				n++
			}
			if n == 0 {
				msg := fmt.Sprintf("%s, one log file and no FILESTREAM", count(len(d.Files)-len(logs)-len(mem), "data file", "data files"))
				if len(mem) > 0 {
					msg += fmt.Sprintf("; memory-optimized data (%s), which the Business Critical instance restores", strings.Join(mem, ", "))
				}
				p.Pass(d.Name, obj, msg+": a layout Managed Instance restores", ev)
			}
		})
	},
}
