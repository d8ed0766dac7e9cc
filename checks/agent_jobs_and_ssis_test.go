package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestAgentJobsAndSSIS(t *testing.T) {
	testCheck(t, AgentJobsAndSSIS, []tcase{
		{"jobs", objs(facts.ServerObjects{AgentJobs: []string{"Nightly"}, SSISPackages: nil, Unread: map[string]string{"ssisPackages": "no SSISDB access"}}),
			// Read and refused is an error, not "none" and not a skip.
			[]string{"warn server:agentJobs", "error server:ssisPackages: no SSISDB access"}},
		{"msdb denied", with(objs(facts.ServerObjects{Logins: []string{}}), func(f *facts.Facts) {
			f.Server.BackupHistory = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcBackupHistory, Kind: "permission", Permission: "db_datareader in msdb", Message: "229"}}
		}), []string{"error -"}},
	})
}
