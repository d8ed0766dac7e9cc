package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
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
		"OLTP containers are all type S, which the backup header does not tell apart. A file added after the full " +
		"backup (a second log file) is created when the differential or log backup holding the change is restored: " +
		"their file lists are judged too, in restore order, when the full's passes. A type S file (or one whose " +
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
			n, l, ev := judgeMILayout(p, pl, obj, src, full, fmt.Sprintf("full backup %s has ", full.File()))
			if n == 0 {
				// A file added after the full (a second log file, a
				// FILESTREAM filegroup) is created when the differential
				// or log backup holding the change is restored: its file
				// list shows it, the full's does not.
				for _, b := range pl.Steps[1:] {
					if b.Header == nil || len(b.Header.Files) == 0 {
						continue
					}
					if n, _, _ = judgeMILayout(p, pl, obj, src, b, fmt.Sprintf("%s backup %s, restored after full backup %s, has ", b.Type, b.File(), full.File())); n > 0 {
						break
					}
				}
			}
			data, logs, mem := l.data, l.logs, l.mem
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

// miLayout is a backup's file list sorted by what Managed Instance makes
// of each file.
type miLayout struct {
	logs, data, fs, mem, special []string
}

// judgeMILayout reports what Managed Instance refuses in backup b's file
// list (prefix starts each message) and returns how many findings it made,
// the list sorted and the evidence.
func judgeMILayout(p *check.Pass, pl restore.Sequence, obj string, src *facts.Database, b restore.Backup, prefix string) (int, miLayout, check.Ev) {
	var l miLayout
	for _, f := range b.Header.Files {
		switch f.Type {
		case "L":
			l.logs = append(l.logs, f.LogicalName)
			continue
		case "S", "":
		default:
			l.data = append(l.data, f.LogicalName)
			continue
		}
		// Type S, or a type code not decoded: the source says what it is.
		sf := sourceFile(src, f.LogicalName)
		switch {
		case sf != nil && f.Type == "" && strings.EqualFold(sf.Type, "ROWS"):
			l.data = append(l.data, f.LogicalName)
		case sf != nil && strings.EqualFold(sf.Type, "FILESTREAM") && sf.FilegroupType == facts.FilegroupFILESTREAM:
			l.fs = append(l.fs, f.LogicalName)
		case sf != nil && strings.EqualFold(sf.Type, "FILESTREAM") && sf.FilegroupType == facts.FilegroupMemoryOptimized:
			l.mem = append(l.mem, f.LogicalName)
		default:
			name := f.LogicalName
			if f.Type == "" {
				name += fmt.Sprintf(" (type code %d)", f.TypeCode)
			}
			l.special = append(l.special, name)
		}
	}
	logs, fs, mem, special := l.logs, l.fs, l.mem, l.special
	ev := lineageEv(pl, check.Ev{"fullBackup": pl.Steps[0].File(), "logFiles": strings.Join(logs, ", ")})
	if b.File() != pl.Steps[0].File() {
		ev["backup"] = b.File()
	}
	for k, v := range map[string][]string{"filestreamFiles": fs, "memoryOptimizedFiles": mem, "typeSFiles": special} {
		if len(v) > 0 {
			ev[k] = strings.Join(v, ", ")
		}
	}
	n := reportMI(p, pl.Database, obj, prefix, miFileProblems(p, logs, fs, mem), ev)
	if len(special) > 0 {
		what := fmt.Sprintf("%stype S files or files of a type not decoded (%s): FILESTREAM or FileTable data, "+
			"which Managed Instance does not restore, or In-Memory OLTP containers, which it restores only on Business Critical; "+
			"the backup does not say which", prefix, strings.Join(special, ", "))
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
	return n, l, ev
}
