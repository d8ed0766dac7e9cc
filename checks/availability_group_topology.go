package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// AvailabilityGroupTopology is check DMS408: only the database moves, not its
// replicas.
var AvailabilityGroupTopology = &check.Check{
	ID:       "DMS408",
	Title:    "Availability group topology is not reproduced",
	Severity: check.Info,
	Needs:    []facts.Source{facts.SrcDatabases},
	Prevents: "Limitation: DMS migrates databases, not availability group configuration",
	Doc: "A database in an Always On availability group arrives on the target as a standalone database: " +
		"listeners, replicas and failover settings are not migrated. Backups may also be taken on a " +
		"secondary replica, so read msdb backup history on every replica. Membership comes from " +
		"`sys.databases.replica_id`, so it is known even when the login cannot see the group itself " +
		"(`sys.availability_groups` needs VIEW ANY DEFINITION); the group is then reported unnamed.",
	Fix: "Plan high availability on the target (Business Critical or failover groups for Managed Instance, " +
		"a new availability group for VMs) and repoint clients from the listener.",
	Link:  linkMILimits,
	Basis: check.Documented("Microsoft, DMS known issues: high availability and disaster recovery topology is not reproduced on the target"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if d.AvailabilityGroup != "" {
				p.Warn(d.Name, obj, fmt.Sprintf("member of availability group %s, which the migration does not reproduce", d.AvailabilityGroup),
					check.Ev{"availabilityGroup": d.AvailabilityGroup})
				return
			}
			if d.InAvailabilityGroup {
				// sys.databases.replica_id says member; the group's name is
				// in views the login may not read.
				p.Warn(d.Name, obj, "member of an availability group, which the migration does not reproduce (the group's name is hidden from the login: sys.availability_groups needs VIEW ANY DEFINITION)",
					check.Ev{"permission": "VIEW ANY DEFINITION"})
				return
			}
			p.Pass(d.Name, obj, "not in an availability group", nil)
		})
	},
}
