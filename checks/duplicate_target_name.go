package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// DuplicateTargetName is check DMS103: two plan entries restoring onto the
// same target name collide; DMS cannot overwrite a database.
var DuplicateTargetName = &check.Check{
	ID:       "DMS103",
	Title:    "Each target database name is used once",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcPlan},
	Prevents: "Limitation: overwriting existing databases using DMS in the target isn't supported",
	Doc: "Two databases in one plan that map to the same target database name cannot both be " +
		"migrated: the second restore would have to overwrite the first, which DMS does not do. " +
		"Target database names are compared case-insensitively, as SQL Server does with the default collations.",
	Fix:   "Give each database a distinct `targetName:` in the plan.",
	Link:  linkKnownIssues,
	Basis: check.Own("two planned databases restored under one target name collide, and DMS does not overwrite a database (known issues)"),
	Run: func(p *check.Pass) {
		byName := map[string][]string{}
		dbs := p.Plan().Databases
		for _, d := range dbs {
			k := strings.ToLower(d.TargetDBName())
			byName[k] = append(byName[k], d.Name)
		}
		for _, d := range dbs {
			obj := check.DatabaseObject(d.Name)
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
