package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

func TestNewerThanTarget(t *testing.T) {
	plan := func(kind, v string) facts.ResolvedPlan {
		p := salesPlan
		p.Target = facts.PlanTarget{Kind: kind, Version: v}
		return p
	}
	b2019 := rfull("s/full.bak", 10, 20, "F1")
	b2019.version = sqlrelease.SQL2019.Writes
	b2025 := b2019
	b2025.version = sqlrelease.SQL2025.Writes
	b2005 := b2019
	b2005.version, b2005.major = sqlrelease.SQL2005.Writes, sqlrelease.SQL2005.Major
	noDBV := b2019
	noDBV.version, noDBV.major = 1, 16 // 1 is no released version: fall back to the major

	unknown := b2019
	unknown.version, unknown.major = 950, -1
	unknownVM := rfacts(plan(facts.KindVM, "2019"), unknown)
	unknownVM.Storage.Files[0].Backup.Sets[0].Unknown = []string{"softwareMajor"}
	// A backup of unknown version could be a 2025 one, which the default
	// (2022) update policy refuses: not a pass, undecided.
	lg := rlog("s/log1.trn", 20, 30)
	lg.version, lg.major = 950, -1
	known := b2019
	known.major = 15
	unknownMI := rfacts(plan(facts.KindMI, ""), known, lg)
	unknownMI.Storage.Files[1].Backup.Sets[0].Unknown = []string{"softwareMajor"}

	testCheck(t, NewerThanTarget, []tcase{
		{"vm newer", rfacts(plan(facts.KindVM, "2017"), b2019), []string{"fail database:Sales: 1 backup newer than target SQL Server 2017: s/full.bak (SQL Server 2019, database version 904)"}},
		{"vm same", rfacts(plan(facts.KindVM, "2019"), b2019), []string{"pass database:Sales: backups are from SQL Server 2019, restorable on target SQL Server 2019"}},
		{"vm 2008 R2 target", rfacts(plan(facts.KindVM, "2008 R2"), chainOK[0]), []string{"pass database:Sales: backups are from SQL Server 2008 R2"}},
		{"vm 2008 target", rfacts(plan(facts.KindVM, "2008"), chainOK[0]), []string{"fail database:Sales: 1 backup newer than target SQL Server 2008"}},
		// A 2008 R2 source to Managed Instance is decided, not skipped.
		{"mi 2022 policy, 2008 R2 backup", rfacts(plan(facts.KindMI, "2022"), chainOK[0]), []string{"pass database:Sales: backups are from SQL Server 2008 R2"}},
		{"vm unknown target", rfacts(plan(facts.KindVM, "vNext"), b2019), []string{"skip database:Sales: target version \"vNext\" is not a known"}},
		{"mi 2022 policy 2025 backup", rfacts(plan(facts.KindMI, "2022"), b2025), []string{"fail database:Sales: 1 backup newer than target SQL Managed Instance (SQL Server 2022 update policy)"}},
		{"mi 2025 policy", rfacts(plan(facts.KindMI, "2025"), b2025), []string{"pass database:Sales"}},
		{"mi autd", rfacts(plan(facts.KindMI, "always-up-to-date"), b2025), []string{"pass database:Sales"}},
		{"mi no policy old backup", rfacts(plan(facts.KindMI, ""), b2019), []string{"pass database:Sales: backups are from SQL Server 2019, which every SQL Managed Instance update policy restores"}},
		{"mi no policy 2025 backup", rfacts(plan(facts.KindMI, ""), b2025), []string{"skip database:Sales: the plan gives no SQL Managed Instance update policy"}},
		{"major fallback", rfacts(plan(facts.KindVM, "2019"), noDBV), []string{"fail database:Sales: 1 backup newer than target SQL Server 2019: s/full.bak (SQL Server 2022, database version 957)"}},
		{"version unknown", unknownVM, []string{"skip database:Sales: the backups' SQL Server version is unknown"}},
		{"mi no policy, one version unknown", unknownMI, []string{"skip database:Sales: the SQL Server version of 1 of its 2 backups is unknown, so whether the target restores them is undecided: s/log1.trn"}},
		{"vm, one version unknown", rfacts(plan(facts.KindVM, "2019"), known, lg), []string{"skip database:Sales: the SQL Server version of 1 of its 2 backups is unknown"}},
		{"sqldb", rfacts(plan(facts.KindDB, ""), known), []string{"skip -: does not apply to target kind sqldb"}},
		// A SQL Server 2005 backup (public-newer's Northwind: 9.0.1399,
		// database version 611) is known, not unknown: DMS migrates from
		// 2008 on (SqlVersionOutOfRange), whatever the target.
		{"mi 2005 backup", rfacts(plan(facts.KindMI, "2022"), b2005), []string{"fail database:Sales: 1 backup from a SQL Server older than 2008: s/full.bak (SQL Server 2005, database version 611)"}},
		{"mi no policy 2005 backup", rfacts(plan(facts.KindMI, ""), b2005), []string{"fail database:Sales: 1 backup from a SQL Server older than 2008"}},
		{"vm 2014 2005 backup", rfacts(plan(facts.KindVM, "2014"), b2005), []string{"fail database:Sales: 1 backup from a SQL Server older than 2008"}},
	})
}
