package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
)

func planFacts(kind, version string, dbs ...facts.PlanDatabase) *facts.Facts {
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.ResolvedPlan{
		Target: facts.PlanTarget{Kind: kind, Version: version}, Databases: dbs}}
}
