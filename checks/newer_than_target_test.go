package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestNewerThanTarget(t *testing.T) {
	plan := func(kind, v string) facts.Plan {
		p := salesPlan
		p.Target = facts.PlanTarget{Kind: kind, Version: v}
		return p
	}
	b2019 := rfull("s/full.bak", 10, 20, "F1")
	b2019.version = 904
	b2025 := b2019
	b2025.version = 998
	noDBV := b2019
	noDBV.version, noDBV.major = 1, 16 // 1 is no released version: fall back to the major
	tests := []struct {
		name string
		plan facts.Plan
		b    rb
		want string
	}{
		{"vm newer", plan(facts.KindVM, "2017"), b2019, "fail database:Sales: 1 backup newer than target SQL Server 2017: s/full.bak (SQL Server 2019, database version 904)"},
		{"vm same", plan(facts.KindVM, "2019"), b2019, "pass database:Sales: backups are from SQL Server 2019, restorable on target SQL Server 2019"},
		{"vm 2008 R2 target", plan(facts.KindVM, "2008 R2"), chainOK[0], "pass database:Sales: backups are from SQL Server 2008 R2"},
		{"vm 2008 target", plan(facts.KindVM, "2008"), chainOK[0], "fail database:Sales: 1 backup newer than target SQL Server 2008"},
		{"vm unknown target", plan(facts.KindVM, "vNext"), b2019, "skip database:Sales: target version \"vNext\" is not a known"},
		{"mi 2022 policy 2025 backup", plan(facts.KindMI, "2022"), b2025, "fail database:Sales: 1 backup newer than target SQL Managed Instance (SQL Server 2022 update policy)"},
		{"mi 2025 policy", plan(facts.KindMI, "2025"), b2025, "pass database:Sales"},
		{"mi autd", plan(facts.KindMI, "always-up-to-date"), b2025, "pass database:Sales"},
		{"mi no policy old backup", plan(facts.KindMI, ""), b2019, "pass database:Sales: backups are from SQL Server 2019, which every SQL Managed Instance update policy restores"},
		{"mi no policy 2025 backup", plan(facts.KindMI, ""), b2025, "skip database:Sales: the plan gives no SQL Managed Instance update policy"},
		{"major fallback", plan(facts.KindVM, "2019"), noDBV, "fail database:Sales: 1 backup newer than target SQL Server 2019: s/full.bak (SQL Server 2022, database version 957)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runWant(t, NewerThanTarget, rfacts(tt.plan, tt.b), tt.want) })
	}
	unknown := b2019
	unknown.version, unknown.major = 950, -1
	f := rfacts(plan(facts.KindVM, "2019"), unknown)
	f.Storage.Files[0].Backup.Sets[0].Unknown = []string{"softwareMajor"}
	runWant(t, NewerThanTarget, f, "skip database:Sales: the backups' SQL Server version is unknown")
	// A backup of unknown version could be a 2025 one, which the default
	// (2022) update policy refuses: the pass says it was not decided.
	lg := rlog("s/log1.trn", 20, 30)
	lg.version, lg.major = 950, -1
	b2019.version, b2019.major = 904, 15
	f = rfacts(plan(facts.KindMI, ""), b2019, lg)
	f.Storage.Files[1].Backup.Sets[0].Unknown = []string{"softwareMajor"}
	runWant(t, NewerThanTarget, f, "pass database:Sales: every SQL Managed Instance update policy restores (1 with unknown version not decided)")
	runWant(t, NewerThanTarget, rfacts(plan(facts.KindDB, ""), b2019), "skip -: does not apply to target kind sqldb")
}
