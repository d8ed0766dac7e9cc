package check

import (
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
)

// Nothing is what Unverified returns when no database was planned and no
// check decided anything about a database from collected facts.
const Nothing = "-"

// Unverified lists the planned databases (f.Plan.Databases) about which no
// check decided anything from the source server's facts or the backups: no
// pass, warn or fail of a check that reads more than the plan, the live
// target and Azure Resource Manager (which describe the target). With no database planned, it is [Nothing] when no such check
// decided anything at all. A run with something unverified is incomplete,
// never ready: skipped checks (no source given, a section missing from a
// facts file) verify nothing.
func Unverified(all []*Check, f *facts.Facts, fs []Finding) []string {
	reads := map[string]bool{}
	for _, c := range all {
		for _, s := range c.Needs {
			if s != facts.SrcPlan && !facts.SrcTarget.Covers(s) && !facts.SrcAzure.Covers(s) {
				reads[c.ID] = true
			}
		}
	}
	verified := map[string]bool{}
	some := false
	for _, fd := range fs {
		if !reads[fd.CheckID] {
			continue
		}
		switch fd.Status {
		case StatusPass, StatusWarn, StatusFail:
			// Only a verdict about a database verifies a migration: an
			// empty container's listing or a valid SAS, alone, is READY
			// on nothing.
			if fd.Database != "" {
				some = true
			}
			verified[strings.ToLower(fd.Database)] = true
		}
	}
	if len(f.Plan.Databases) == 0 {
		if some {
			return nil
		}
		return []string{Nothing}
	}
	var out []string
	for _, d := range f.Plan.Databases {
		if !verified[strings.ToLower(d.Name)] {
			out = append(out, d.Name)
		}
	}
	return out
}
