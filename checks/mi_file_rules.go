package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// miFinding is one thing a Managed Instance restore makes of a database's
// file list.
type miFinding struct {
	fail bool // else a warning
	msg  string
}

// miTier is the target Managed Instance's service tier as Resource Manager
// reported it (DMS604's source), or "" when not read.
func miTier(p *check.Pass) string {
	mi := azureMI(p.Facts)
	if mi == nil || !mi.Exists {
		return ""
	}
	switch {
	case strings.EqualFold(mi.Tier, "BusinessCritical"):
		return "BusinessCritical"
	case strings.EqualFold(mi.Tier, "GeneralPurpose"):
		return "GeneralPurpose"
	}
	return ""
}

// miFileProblems names what a Managed Instance restore refuses in a
// database's file list: DMS311 reads it from the backup, DMS417 from the
// source catalog. filestream is FILESTREAM or FileTable data (never
// supported), inMemory In-Memory OLTP containers (Business Critical only:
// a fail on General Purpose and, with the tier unknown, a warning naming
// the tier needed, as DMS604 decides with the tier known).
func miFileProblems(p *check.Pass, logs, filestream, inMemory []string) []miFinding {
	var out []miFinding
	if len(logs) > 1 {
		out = append(out, miFinding{true, fmt.Sprintf("%d log files (%s): Managed Instance restores one", len(logs), strings.Join(logs, ", "))})
	}
	if len(filestream) > 0 {
		out = append(out, miFinding{true, fmt.Sprintf("FILESTREAM or FileTable data (%s): Managed Instance supports neither", strings.Join(filestream, ", "))})
	}
	if len(inMemory) > 0 {
		switch miTier(p) {
		case "GeneralPurpose":
			out = append(out, miFinding{true, fmt.Sprintf("memory-optimized (In-Memory OLTP) data (%s): the instance is General Purpose, which has no In-Memory OLTP; it needs Business Critical", strings.Join(inMemory, ", "))})
		case "BusinessCritical":
		default:
			out = append(out, miFinding{false, fmt.Sprintf("memory-optimized (In-Memory OLTP) data (%s): Managed Instance restores it only on the Business Critical tier, and the instance's tier is not known here (DMS604 checks it when the plan's azure section names the instance)", strings.Join(inMemory, ", "))})
		}
	}
	return out
}

// report emits the findings; it returns how many.
func reportMI(p *check.Pass, db, obj, prefix string, fs []miFinding, ev check.Ev) int {
	for _, f := range fs {
		if f.fail {
			p.Fail(db, obj, prefix+f.msg, ev)
		} else {
			p.Warn(db, obj, prefix+f.msg, ev)
		}
	}
	return len(fs)
}

// sourceFile is the source catalog's file of a logical name, or nil.
func sourceFile(d *facts.Database, logical string) *facts.DatabaseFile {
	if d == nil {
		return nil
	}
	for i := range d.Files {
		if d.Files[i].LogicalName == logical {
			return &d.Files[i]
		}
	}
	for i := range d.Files {
		if strings.EqualFold(d.Files[i].LogicalName, logical) {
			return &d.Files[i]
		}
	}
	return nil
}
