package checks

import (
	"fmt"
	"github.com/dmsready/dmsready/checks/facts"
	"strconv"
	"strings"
)

// ReleaseYear maps a version as plans write it ("2014", "2008R2", "12",
// "12.0.6024.0", "10.50") to the release year (2008 R2 maps to 2008).
func ReleaseYear(v string) (int, bool) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	s = strings.TrimPrefix(s, "SQLSERVER")
	s = strings.TrimPrefix(s, "SQL")
	if strings.HasSuffix(s, "R2") {
		s = strings.TrimSuffix(s, "R2")
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 2000 && n <= 2100 {
		// A year that is no release (a typo, a future one) is unknown,
		// never a supported target.
		return n, releaseYears[n]
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
		return 0, false
	}
	_ = minor
	year, ok := majorYear[n]
	return year, ok
}

var releaseYears = map[int]bool{2000: true, 2005: true, 2008: true, 2012: true, 2014: true, 2016: true, 2017: true, 2019: true, 2022: true, 2025: true}

var majorYear = map[int]int{9: 2005, 10: 2008, 11: 2012, 12: 2014, 13: 2016, 14: 2017, 15: 2019, 16: 2022, 17: 2025}

// dbVersions maps the internal database versions of released SQL Server
// versions to a release name; anything else (previews) is unknown.
var dbVersions = map[int]string{
	655: "SQL Server 2008", 660: "SQL Server 2008 R2", 661: "SQL Server 2008 R2", 706: "SQL Server 2012",
	782: "SQL Server 2014", 852: "SQL Server 2016", 868: "SQL Server 2017", 869: "SQL Server 2017",
	904: "SQL Server 2019", 957: "SQL Server 2022", 998: "SQL Server 2025",
}

// yearDBVersion is the highest internal database version a release restores.
var yearDBVersion = map[int]int{2008: 655, 2012: 706, 2014: 782, 2016: 852, 2017: 869, 2019: 904, 2022: 957, 2025: 998}

// majorDBVersion is the lowest internal version a server major writes, used
// when the header's database version is unknown.
var majorDBVersion = map[int]int{11: 706, 12: 782, 13: 852, 14: 868, 15: 904, 16: 957, 17: 998}

func releaseOf(v int) string {
	if r, ok := dbVersions[v]; ok {
		return r
	}
	return fmt.Sprintf("database version %d", v)
}

// backupDBVersion is the header's internal database version when it is a
// released one, else derived from the server version; 0 when unknown.
func backupDBVersion(s *facts.BackupSet) int {
	if s == nil {
		return 0
	}
	if _, ok := dbVersions[s.DatabaseVersion]; ok && !isUnknown(s.Unknown, "databaseVersion") {
		return s.DatabaseVersion
	}
	if isUnknown(s.Unknown, "softwareMajor") {
		return 0
	}
	if s.SoftwareMajor == 10 {
		if s.SoftwareMinor == 50 {
			return 661
		}
		if s.SoftwareMinor == 0 && !isUnknown(s.Unknown, "softwareMinor") && s.SoftwareVersion != "" {
			return 655
		}
		return 0
	}
	return majorDBVersion[s.SoftwareMajor]
}

// target is what the target restores: the highest internal database version
// (0 when unknown, with the reason why).
type restoreTarget struct {
	limit int
	name  string
	why   string
	// anyPolicy: a SQL Managed Instance whose update policy is not given;
	// every policy restores up to SQL Server 2022.
	anyPolicy bool
}

func targetDBVersion(t facts.PlanTarget) restoreTarget {
	v := strings.TrimSpace(t.Version)
	switch t.Kind {
	case facts.KindVM:
		if v == "" {
			return restoreTarget{why: "the plan gives no target SQL Server version"}
		}
		unknown := restoreTarget{name: v, why: fmt.Sprintf("target version %q is not a known SQL Server release", v)}
		year, ok := ReleaseYear(v)
		if !ok {
			return unknown
		}
		u := strings.ToUpper(v)
		if year == 2008 && (strings.Contains(u, "R2") || strings.HasPrefix(u, "10.5")) {
			return restoreTarget{limit: 661, name: "SQL Server 2008 R2"}
		}
		l, ok := yearDBVersion[year]
		if !ok {
			return unknown
		}
		return restoreTarget{limit: l, name: fmt.Sprintf("SQL Server %d", year)}
	case facts.KindMI:
		k := strings.NewReplacer("-", "", " ", "", "_", "").Replace(strings.ToLower(v))
		k = strings.TrimPrefix(strings.TrimPrefix(k, "sqlserver"), "sql")
		switch k {
		case "2022":
			return restoreTarget{limit: 957, name: "SQL Managed Instance (SQL Server 2022 update policy)"}
		case "2025":
			return restoreTarget{limit: 998, name: "SQL Managed Instance (SQL Server 2025 update policy)"}
		case "alwaysuptodate", "autd":
			return restoreTarget{limit: 998, name: "SQL Managed Instance (Always-up-to-date update policy)"}
		case "":
			return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
				why: "the plan gives no SQL Managed Instance update policy (target.version)"}
		}
		return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
			why: fmt.Sprintf("update policy %q is not one of 2022, 2025, always-up-to-date", v)}
	}
	return restoreTarget{name: t.Kind, why: "not a restore target"}
}
