// Package sqlrelease is dmsready's one table of SQL Server releases: the
// version each reports, the internal database versions it writes into
// backups, the compatibility levels it supports, and which releases' backups
// each restore target (a SQL Server release, or a SQL Managed Instance update
// policy) restores. The checks, the backup tooling and the generated docs
// read it; nothing else spells these numbers.
package sqlrelease

import (
	"fmt"
	"strconv"
	"strings"
)

// Release is one SQL Server release.
type Release struct {
	Name  string // "SQL Server 2008 R2"
	Year  int    // 2008 for both 2008 and 2008 R2
	Major int    // SERVERPROPERTY('ProductMajorVersion'), the backup header's SoftwareMajor
	Minor int    // 50 for 2008 R2, else 0
	// DBVersions are the internal database versions found in backups from
	// this release (RESTORE HEADERONLY DatabaseVersion), lowest first.
	DBVersions []int
	// Writes is the database version the release's released builds write;
	// when a header's own database version is unknown, the server version
	// stands for this one.
	Writes int
	// CompatLevels are the database compatibility levels it supports,
	// lowest first; the last is the default for new databases.
	CompatLevels []int
}

// The releases, oldest first.
var (
	SQL2000   = Release{Name: "SQL Server 2000", Year: 2000, Major: 8, DBVersions: []int{539}, Writes: 539, CompatLevels: []int{60, 65, 70, 80}}
	SQL2005   = Release{Name: "SQL Server 2005", Year: 2005, Major: 9, DBVersions: []int{611, 612}, Writes: 611, CompatLevels: []int{70, 80, 90}}
	SQL2008   = Release{Name: "SQL Server 2008", Year: 2008, Major: 10, DBVersions: []int{655}, Writes: 655, CompatLevels: []int{80, 90, 100}}
	SQL2008R2 = Release{Name: "SQL Server 2008 R2", Year: 2008, Major: 10, Minor: 50, DBVersions: []int{660, 661}, Writes: 661, CompatLevels: []int{80, 90, 100}}
	SQL2012   = Release{Name: "SQL Server 2012", Year: 2012, Major: 11, DBVersions: []int{706}, Writes: 706, CompatLevels: []int{90, 100, 110}}
	SQL2014   = Release{Name: "SQL Server 2014", Year: 2014, Major: 12, DBVersions: []int{782}, Writes: 782, CompatLevels: []int{100, 110, 120}}
	SQL2016   = Release{Name: "SQL Server 2016", Year: 2016, Major: 13, DBVersions: []int{852}, Writes: 852, CompatLevels: []int{100, 110, 120, 130}}
	SQL2017   = Release{Name: "SQL Server 2017", Year: 2017, Major: 14, DBVersions: []int{868, 869}, Writes: 868, CompatLevels: []int{100, 110, 120, 130, 140}}
	SQL2019   = Release{Name: "SQL Server 2019", Year: 2019, Major: 15, DBVersions: []int{904}, Writes: 904, CompatLevels: []int{100, 110, 120, 130, 140, 150}}
	SQL2022   = Release{Name: "SQL Server 2022", Year: 2022, Major: 16, DBVersions: []int{957}, Writes: 957, CompatLevels: []int{100, 110, 120, 130, 140, 150, 160}}
	// SQL2025's database version 998 rests on one source (not verified).
	SQL2025 = Release{Name: "SQL Server 2025", Year: 2025, Major: 17, DBVersions: []int{998}, Writes: 998, CompatLevels: []int{100, 110, 120, 130, 140, 150, 160, 170}}
)

// All lists every release, oldest first.
var All = []Release{SQL2000, SQL2005, SQL2008, SQL2008R2, SQL2012, SQL2014, SQL2016, SQL2017, SQL2019, SQL2022, SQL2025}

// Oldest is the oldest release whose backups dmsready judges. Whether a
// target restores backups older than SQL Server 2008 (newer releases refuse
// some) is not modelled, so such backups are reported unknown, never passed.
var Oldest = SQL2008

// Version is "major.minor", as the release reports it: "10.50", "16.0".
func (r Release) Version() string { return fmt.Sprintf("%d.%d", r.Major, r.Minor) }

// MaxDBVersion is the highest database version the release writes, which is
// also the highest it restores.
func (r Release) MaxDBVersion() int { return r.DBVersions[len(r.DBVersions)-1] }

// DefaultCompatLevel is the compatibility level of a new database.
func (r Release) DefaultCompatLevel() int { return r.CompatLevels[len(r.CompatLevels)-1] }

// Judged reports whether dmsready judges restores of this release's backups
// (see Oldest).
func (r Release) Judged() bool { return r.MaxDBVersion() >= Oldest.MaxDBVersion() }

// Restores reports whether a server of release r restores a backup of
// database version v: v is a judged release's and no newer than r's.
func (r Release) Restores(v int) bool {
	b, ok := ByDBVersion(v)
	return ok && b.Judged() && v <= r.MaxDBVersion()
}

// RestoresFrom lists the judged releases whose backups r restores, oldest
// first.
func (r Release) RestoresFrom() []Release {
	var out []Release
	for _, b := range All {
		if b.Judged() && b.MaxDBVersion() <= r.MaxDBVersion() {
			out = append(out, b)
		}
	}
	return out
}

// ByDBVersion finds the release that writes database version v.
func ByDBVersion(v int) (Release, bool) {
	for _, r := range All {
		for _, d := range r.DBVersions {
			if d == v {
				return r, true
			}
		}
	}
	return Release{}, false
}

// ByVersion finds a release by its major and minor version; the minor
// matters only for 10 (2008 is 10.0, 2008 R2 is 10.50).
func ByVersion(major, minor int) (Release, bool) {
	for _, r := range All {
		if r.Major == major && (major != SQL2008R2.Major || (minor >= SQL2008R2.Minor) == (r.Minor == SQL2008R2.Minor)) {
			return r, true
		}
	}
	return Release{}, false
}

// ByMajor finds a release by its major version alone; 10 is SQL Server
// 2008 (R2 shares its year and major).
func ByMajor(major int) (Release, bool) { return ByVersion(major, 0) }

// Parse reads a release as plans write it: a year ("2014", "2008 R2",
// "SQL Server 2019"), a major version ("12") or a build ("12.0.6024.0",
// "10.50.1600"). A year that is no release (a typo, a future one) is
// unknown.
func Parse(v string) (Release, bool) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	s = strings.TrimPrefix(s, "SQLSERVER")
	s = strings.TrimPrefix(s, "SQL")
	r2 := strings.HasSuffix(s, "R2")
	s = strings.TrimSuffix(s, "R2")
	if n, err := strconv.Atoi(s); err == nil && n >= 2000 && n <= 2100 {
		for _, r := range All {
			if r.Year == n && (r.Minor == 50) == r2 {
				return r, true
			}
		}
		return Release{}, false
	}
	major, minor := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		major, minor = s[:i], s[i+1:]
		if j := strings.IndexByte(minor, '.'); j >= 0 {
			minor = minor[:j]
		}
	}
	n, err := strconv.Atoi(major)
	if err != nil {
		return Release{}, false
	}
	m, _ := strconv.Atoi(minor)
	return ByVersion(n, m)
}

// Policy is a SQL Managed Instance update policy: which SQL Server release's
// backups it restores.
type Policy struct {
	Key  string // as the plan writes it (target.version)
	Name string
	// UpTo is the newest release whose backups the policy restores.
	UpTo Release
}

// Policies are the SQL Managed Instance update policies. Every policy
// restores up to SQL Server 2022; Always-up-to-date follows the newest
// release (here SQL Server 2025).
var Policies = []Policy{
	{Key: "2022", Name: "SQL Server 2022 update policy", UpTo: SQL2022},
	{Key: "2025", Name: "SQL Server 2025 update policy", UpTo: SQL2025},
	{Key: "always-up-to-date", Name: "Always-up-to-date update policy", UpTo: SQL2025},
}

// EveryPolicy is the newest release whose backups every update policy
// restores.
var EveryPolicy = SQL2022

// PolicyFor reads an update policy as plans write it ("2022",
// "SQL Server 2025", "Always-up-to-date", "AUTD").
func PolicyFor(v string) (Policy, bool) {
	k := strings.NewReplacer("-", "", " ", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(v)))
	k = strings.TrimPrefix(strings.TrimPrefix(k, "sqlserver"), "sql")
	if k == "autd" {
		k = "alwaysuptodate"
	}
	for _, p := range Policies {
		if strings.ReplaceAll(p.Key, "-", "") == k {
			return p, true
		}
	}
	return Policy{}, false
}

// PolicyKeys lists the policies as plans write them: "2022, 2025,
// always-up-to-date".
func PolicyKeys() string {
	keys := make([]string, len(Policies))
	for i, p := range Policies {
		keys[i] = p.Key
	}
	return strings.Join(keys, ", ")
}
