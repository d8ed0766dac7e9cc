package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// Releases as the checks use them; the numbers live in package sqlrelease.

// releaseOf names the release that writes database version v.
func releaseOf(v int) string {
	if r, ok := sqlrelease.ByDBVersion(v); ok {
		return r.Name
	}
	return fmt.Sprintf("database version %d", v)
}

// shortName is a release as the docs list it: "2008 R2", "2019".
func shortName(r sqlrelease.Release) string {
	return strings.TrimPrefix(r.Name, "SQL Server ")
}

// judgedDBVersions lists the database versions the restore checks decide,
// "655 = 2008, 661 = 2008 R2, ...", for the checks' docs.
func judgedDBVersions() string {
	var s []string
	for _, r := range sqlrelease.All {
		if r.Judged() {
			s = append(s, fmt.Sprintf("%d = %s", r.MaxDBVersion(), shortName(r)))
		}
	}
	return strings.Join(s, ", ")
}

// backupDBVersion is the header's internal database version when it is a
// judged release's, else the one its server version writes; 0 when unknown.
func backupDBVersion(s *facts.BackupSet) int {
	if s == nil {
		return 0
	}
	if r, ok := sqlrelease.ByDBVersion(s.DatabaseVersion); ok && r.Judged() && !isUnknown(s.Unknown, "databaseVersion") {
		return s.DatabaseVersion
	}
	if isUnknown(s.Unknown, "softwareMajor") {
		return 0
	}
	if s.SoftwareMajor == sqlrelease.SQL2008.Major {
		// 2008 and 2008 R2 share the major: the minor decides, and a 10.0
		// is trusted only when the minor and the build were read.
		if s.SoftwareMinor == sqlrelease.SQL2008R2.Minor {
			return sqlrelease.SQL2008R2.Writes
		}
		if s.SoftwareMinor == 0 && !isUnknown(s.Unknown, "softwareMinor") && s.SoftwareVersion != "" {
			return sqlrelease.SQL2008.Writes
		}
		return 0
	}
	return serverDBVersion(s.SoftwareMajor)
}

// serverDBVersion is the database version a server of this major version
// writes; 0 for 10 (2008 and 2008 R2 share it and write different ones) and
// for releases whose restores are not judged.
func serverDBVersion(major int) int {
	r, ok := sqlrelease.ByMajor(major)
	if !ok || !r.Judged() || major == sqlrelease.SQL2008.Major {
		return 0
	}
	return r.Writes
}

// restoreTarget is what the target restores: the highest internal database
// version (0 when unknown, with the reason why).
type restoreTarget struct {
	limit int
	name  string
	why   string
	// anyPolicy: a SQL Managed Instance whose update policy is not given;
	// every policy restores up to sqlrelease.EveryPolicy.
	anyPolicy bool
}

func targetDBVersion(t facts.PlanTarget) restoreTarget {
	v := strings.TrimSpace(t.Version)
	switch t.Kind {
	case facts.KindVM:
		if v == "" {
			return restoreTarget{why: "the plan gives no target SQL Server version"}
		}
		r, ok := sqlrelease.Parse(v)
		if !ok || !r.Judged() {
			return restoreTarget{name: v, why: fmt.Sprintf("target version %q is not a known SQL Server release", v)}
		}
		return restoreTarget{limit: r.MaxDBVersion(), name: r.Name}
	case facts.KindMI:
		if v == "" {
			return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
				why: "the plan gives no SQL Managed Instance update policy (target.version)"}
		}
		if p, ok := sqlrelease.PolicyFor(v); ok {
			return restoreTarget{limit: p.UpTo.MaxDBVersion(), name: "SQL Managed Instance (" + p.Name + ")"}
		}
		return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
			why: fmt.Sprintf("update policy %q is not one of %s", v, sqlrelease.PolicyKeys())}
	}
	return restoreTarget{name: t.Kind, why: "not a restore target"}
}

// sourceDBVersion is the database version the source server writes, from
// its product version: 2008 and 2008 R2 share major 10 and are told apart
// by the minor ("10.50.6000.34" is 2008 R2). 0 when unknown.
func sourceDBVersion(s *facts.Server) int {
	if s.Major != sqlrelease.SQL2008.Major {
		return serverDBVersion(s.Major)
	}
	parts := strings.SplitN(s.Version, ".", 3)
	if len(parts) < 2 {
		return 0
	}
	minor, err := strconv.Atoi(parts[1])
	if err != nil {
		return 0
	}
	if r, ok := sqlrelease.ByVersion(s.Major, minor); ok {
		return r.Writes
	}
	return 0
}
