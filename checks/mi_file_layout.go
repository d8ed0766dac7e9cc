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
	Prevents: "Managed Instance restore failure: more than one log file, FILESTREAM / FileTable data, or memory-optimized (In-Memory OLTP) data on General Purpose",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; In-Memory OLTP is available in the Business Critical tier only. The full backup's file list " +
		"says which files the restore must create: log files are type L, and FILESTREAM, FileTable and In-Memory " +
		"OLTP containers are all type S, which the backup header does not tell apart. A type S file (or one whose " +
		"type dmsready does not decode) is classified by the source catalog's file of the same logical name when " +
		"the source was read (its filegroup type, as DMS417 reads it): FILESTREAM/FileTable fails, memory-optimized " +
		"data is decided by the tier as in DMS417. Without that, the file is FILESTREAM or an In-Memory OLTP " +
		"container: on General Purpose neither restores (fail), otherwise it is a warning that names both and " +
		"defers to DMS417, never a FILESTREAM failure.",
	Fix: "Before the final full backup: remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then " +
		"`ALTER DATABASE ... REMOVE FILE`), move FILESTREAM/FileTable data out of the database, and choose the " +
		"Business Critical tier for memory-optimized data. Read the source SQL Server to tell type S files apart.",
	Link: linkMIRestore,
	Basis: check.Documented("Microsoft, RESTORE FILELISTONLY: type S = FileStream, FileTable, or In-Memory OLTP container; " +
		"Managed Instance T-SQL differences (RESTORE): one log file, no FILESTREAM or FileTable; " +
		"in-memory technologies in Azure SQL Managed Instance: In-Memory OLTP is available in the Business Critical tier"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			obj := check.DatabaseObject(pl.Database)
			if !hasFull(pl) || pl.Steps[0].Header == nil || len(pl.Steps[0].Header.Files) == 0 {
				p.Skip(pl.Database, obj, "the full backup's file list is unknown")
				continue
			}
			full := pl.Steps[0]
			src := sourceDB(p, pl.Database)
			var logs, data, fs, mem, special []string
			for _, f := range full.Header.Files {
				switch f.Type {
				case "L":
					logs = append(logs, f.LogicalName)
					continue
				case "S", "":
				default:
					data = append(data, f.LogicalName)
					continue
				}
				// Type S, or a type code not decoded: the source says what it is.
				sf := sourceFile(src, f.LogicalName)
				switch {
				case sf != nil && f.Type == "" && strings.EqualFold(sf.Type, "ROWS"):
					data = append(data, f.LogicalName)
				case sf != nil && strings.EqualFold(sf.Type, "FILESTREAM") && sf.FilegroupType == facts.FilegroupFILESTREAM:
					fs = append(fs, f.LogicalName)
				case sf != nil && strings.EqualFold(sf.Type, "FILESTREAM") && sf.FilegroupType == facts.FilegroupMemoryOptimized:
					mem = append(mem, f.LogicalName)
				default:
					name := f.LogicalName
					if f.Type == "" {
						name += fmt.Sprintf(" (type code %d)", f.TypeCode)
					}
					special = append(special, name)
				}
			}
			ev := lineageEv(pl, check.Ev{"fullBackup": full.File(), "logFiles": strings.Join(logs, ", ")})
			for k, v := range map[string][]string{"filestreamFiles": fs, "memoryOptimizedFiles": mem, "typeSFiles": special} {
				if len(v) > 0 {
					ev[k] = strings.Join(v, ", ")
				}
			}
			n := reportMI(p, pl.Database, obj, fmt.Sprintf("full backup %s has ", full.File()), miFileProblems(p, logs, fs, mem), ev)
			if len(special) > 0 {
				what := fmt.Sprintf("full backup %s has type S files or files of a type not decoded (%s): FILESTREAM or FileTable data, "+
					"which Managed Instance does not restore, or In-Memory OLTP containers, which it restores only on Business Critical; "+
					"the backup does not say which", full.File(), strings.Join(special, ", "))
				switch {
				case miTier(p) == "GeneralPurpose":
					p.Fail(pl.Database, obj, what+", and the General Purpose instance restores neither", ev)
				case src == nil:
					p.Warn(pl.Database, obj, what+": read the source SQL Server, where DMS417 tells them apart by filegroup type", ev)
				default:
					p.Warn(pl.Database, obj, what+", and the source catalog did not say either: see DMS417", ev)
				}
				n++
			}
			if n == 0 {
				msg := fmt.Sprintf("full backup %s has %s and %s", full.File(), count(len(data), "data file", "data files"), count(len(logs), "log file", "log files"))
				if len(mem) > 0 {
					msg += fmt.Sprintf(", and memory-optimized data (%s) by the source catalog, which the Business Critical instance restores", strings.Join(mem, ", "))
				}
				p.Pass(pl.Database, obj, msg+", a layout Managed Instance restores", ev)
			}
		}
	},
}
