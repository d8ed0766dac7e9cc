package sqlrelease

import (
	"slices"
	"testing"
)

// TestTable holds the table to what is known of every release: versions
// rise with the releases, no database version belongs to two releases, a
// release writes one of its own versions, and a new database gets the
// release's own compatibility level (major × 10).
func TestTable(t *testing.T) {
	seen := map[int]string{}
	for i, r := range All {
		if i > 0 {
			p := All[i-1]
			if r.Major < p.Major || r.DBVersions[0] <= p.MaxDBVersion() || r.Year < p.Year {
				t.Errorf("%s does not follow %s", r.Name, p.Name)
			}
		}
		if !slices.IsSorted(r.DBVersions) || !slices.IsSorted(r.CompatLevels) {
			t.Errorf("%s: versions not sorted", r.Name)
		}
		for _, v := range r.DBVersions {
			if o, ok := seen[v]; ok {
				t.Errorf("database version %d in %s and %s", v, o, r.Name)
			}
			seen[v] = r.Name
		}
		if !slices.Contains(r.DBVersions, r.Writes) {
			t.Errorf("%s writes %d, not one of its versions", r.Name, r.Writes)
		}
		if r.DefaultCompatLevel() != r.Major*10 {
			t.Errorf("%s: default compatibility level %d", r.Name, r.DefaultCompatLevel())
		}
	}
	if All[len(All)-1].Year != 2025 {
		t.Error("the table ends before SQL Server 2025")
	}
}

func TestLookups(t *testing.T) {
	for v, want := range map[int]string{957: "SQL Server 2022", 661: "SQL Server 2008 R2", 660: "SQL Server 2008 R2",
		655: "SQL Server 2008", 869: "SQL Server 2017", 998: "SQL Server 2025", 611: "SQL Server 2005"} {
		if r, ok := ByDBVersion(v); !ok || r.Name != want {
			t.Errorf("ByDBVersion(%d) = %q, want %q", v, r.Name, want)
		}
	}
	if r, ok := ByDBVersion(950); ok {
		t.Errorf("preview version 950 = %s", r.Name)
	}
	for in, want := range map[string]string{
		"2008 R2": "SQL Server 2008 R2", "2008R2": "SQL Server 2008 R2", "10.50": "SQL Server 2008 R2", "10.50.1600.1": "SQL Server 2008 R2",
		"2008": "SQL Server 2008", "10.0.5500": "SQL Server 2008", "10": "SQL Server 2008",
		"SQL Server 2019": "SQL Server 2019", "16.0.1000.6": "SQL Server 2022", "17": "SQL Server 2025", "2025": "SQL Server 2025",
		"2005": "SQL Server 2005", "9.00.5000": "SQL Server 2005",
		"2020": "", "2030": "", "banana": "", "": "", "18.0": "",
	} {
		r, ok := Parse(in)
		if ok != (want != "") || r.Name != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, r.Name, ok, want)
		}
	}
	for in, want := range map[string]string{"2022": "2022", "SQL Server 2025": "2025", "Always-up-to-date": "always-up-to-date",
		"AUTD": "always-up-to-date", "always up to date": "always-up-to-date", "2019": "", "": ""} {
		p, ok := PolicyFor(in)
		if ok != (want != "") || p.Key != want {
			t.Errorf("PolicyFor(%q) = %q, %v; want %q", in, p.Key, ok, want)
		}
	}
}

func TestRestores(t *testing.T) {
	for _, tc := range []struct {
		r    Release
		v    int
		want bool
	}{
		{SQL2019, SQL2022.Writes, false},
		{SQL2022, SQL2022.Writes, true},
		{SQL2022, SQL2008R2.Writes, true},
		{SQL2008, SQL2008R2.Writes, false},
		{SQL2008R2, SQL2008.Writes, true},
		// Older than Oldest: not judged, so never said to restore.
		{SQL2012, SQL2005.Writes, false},
		{SQL2025, 950, false},
	} {
		if got := tc.r.Restores(tc.v); got != tc.want {
			t.Errorf("%s restores %d: %v, want %v", tc.r.Name, tc.v, got, tc.want)
		}
	}
	if got := SQL2008R2.RestoresFrom(); len(got) != 2 || got[0].Name != SQL2008.Name || got[1].Name != SQL2008R2.Name {
		t.Errorf("SQL Server 2008 R2 restores from %v", got)
	}
	for _, p := range Policies {
		if p.UpTo.MaxDBVersion() < EveryPolicy.MaxDBVersion() {
			t.Errorf("policy %s restores less than EveryPolicy", p.Key)
		}
	}
}
