package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestServerObjectsNotMigrated(t *testing.T) {
	testCheck(t, ServerObjectsNotMigrated, []tcase{
		{"some", objs(facts.ServerObjects{Logins: []string{"app"}, ServerRoles: []string{}, Credentials: []string{"azure"}, Audits: []string{}, LinkedServers: nil}),
			[]string{"pass server:audits", "warn server:credentials", "skip server:linkedServers", "warn server:logins", "pass server:serverRoles"}},
		{"not collected", with(srv(""), func(f *facts.Facts) {
			f.Server.Objects = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcServerObjects, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "x"}}
		}), []string{"error -"}},
	})
}
