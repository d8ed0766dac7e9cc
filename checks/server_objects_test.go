package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestServerObjectChecks(t *testing.T) {
	objs := func(o facts.ServerObjects) *facts.Facts {
		return with(srv("", facts.Database{Name: "A"}), func(f *facts.Facts) { f.Server.Objects = &o })
	}
	runCases(t, ServerObjectsNotMigrated, []tcase{
		{"some", objs(facts.ServerObjects{Logins: []string{"app"}, ServerRoles: []string{}, Credentials: []string{"azure"}, Audits: []string{}, LinkedServers: nil}),
			"server:audits=pass server:credentials=warn server:linkedServers=skip server:logins=warn server:serverRoles=pass"},
		{"not collected", with(srv(""), func(f *facts.Facts) {
			f.Server.Objects = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcServerObjects, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "x"}}
		}), "-=error"},
	})
	runCases(t, AgentJobsAndSSIS, []tcase{
		{"jobs", objs(facts.ServerObjects{AgentJobs: []string{"Nightly"}, SSISPackages: nil, Unread: map[string]string{"ssisPackages": "no SSISDB access"}}),
			"server:agentJobs=warn server:ssisPackages=skip"},
		{"msdb denied", with(objs(facts.ServerObjects{Logins: []string{}}), func(f *facts.Facts) {
			f.Server.BackupHistory = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcBackupHistory, Kind: "permission", Permission: "db_datareader in msdb", Message: "229"}}
		}), "-=error"},
	})
}
