package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestAgentJobsAndSSIS(t *testing.T) {
	testCheck(t, AgentJobsAndSSIS, []tcase{
		{"jobs", objs(facts.ServerObjects{AgentJobs: []string{"Nightly"}, SSISPackages: nil, Unread: map[string]string{"ssisPackages": "no SSISDB access"}}),
			[]string{"warn server:agentJobs", "skip server:ssisPackages"}},
		{"msdb denied", with(objs(facts.ServerObjects{Logins: []string{}}), func(f *facts.Facts) {
			f.Server.BackupHistory = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcBackupHistory, Kind: "permission", Permission: "db_datareader in msdb", Message: "229"}}
		}), []string{"error -"}},
	})
}
