package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// objectKinds are the server objects DMS leaves behind, with their JSON field name.
func objectKinds(o *facts.ServerObjects) []struct {
	field, label string
	names        []string
} {
	return []struct {
		field, label string
		names        []string
	}{
		{"logins", "logins", o.Logins},
		{"serverRoles", "user-defined server roles", o.ServerRoles},
		{"credentials", "credentials", o.Credentials},
		{"audits", "server audits", o.Audits},
		{"linkedServers", "linked servers", o.LinkedServers},
		{"agentJobs", "SQL Agent jobs", o.AgentJobs},
		{"ssisPackages", "SSIS packages", o.SSISPackages},
	}
}

func serverObjects(p *check.Pass, fields ...string) {
	o := p.Facts.Server.Objects
	for _, k := range objectKinds(o) {
		want := false
		for _, f := range fields {
			want = want || f == k.field
		}
		if !want {
			continue
		}
		obj := check.ServerObject(k.field)
		switch {
		case k.names == nil && o.Unread[k.field] != "":
			// Read and refused (a permission, SSISDB access): not "none".
			p.Error("", obj, k.label+": "+o.Unread[k.field], nil)
		case k.names == nil:
			p.Skip("", obj, k.label+": not collected")
		case len(k.names) > 0:
			p.Warn("", obj, fmt.Sprintf("%s not migrated with the databases (%d): %s", k.label, len(k.names), list(k.names, 20)),
				check.Ev{"count": fmt.Sprint(len(k.names))})
		default:
			p.Pass("", obj, "no "+k.label, nil)
		}
	}
}
