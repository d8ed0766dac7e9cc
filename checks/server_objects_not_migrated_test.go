package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestServerObjectsNotMigrated(t *testing.T) {
	testCheck(t, ServerObjectsNotMigrated, []tcase{
		{"some", objs(facts.ServerObjects{Logins: []string{"app"}, ServerRoles: []string{}, Credentials: []string{"azure"}, Audits: []string{}, LinkedServers: nil}),
			[]string{"pass server:audits", "warn server:credentials", "skip server:linkedServers", "warn server:logins", "pass server:serverRoles"}},
		// sys.servers shows a login only the linked servers it is mapped to.
		{"linked servers hidden", objs(facts.ServerObjects{Logins: []string{}, ServerRoles: []string{}, Credentials: []string{}, Audits: []string{},
			Unread: map[string]string{"linkedServers": "not read (needs ALTER ANY LINKED SERVER)"}}),
			[]string{"pass server:audits", "pass server:credentials", "error server:linkedServers: ALTER ANY LINKED SERVER", "pass server:logins", "pass server:serverRoles"}},
		{"not collected", with(srv(""), func(f *facts.Facts) {
			f.Server.Objects = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcServerObjects, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "x"}}
		}), []string{"error -"}},
	})
}
