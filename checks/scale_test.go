package checks

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// TestSourceDBIndexIsEqualFold: the per-run index finds what the scan with
// strings.EqualFold found, the first match in server order.
func TestSourceDBIndexIsEqualFold(t *testing.T) {
	f := &facts.Facts{Server: &facts.Server{Databases: []facts.Database{
		{Name: "Sales", State: "first"}, {Name: "SALES", State: "second"}, {Name: "Kelvin"}, {Name: "straße"},
	}}}
	p := &check.Pass{Facts: f}
	for name, want := range map[string]string{"sales": "Sales", "ſALES": "Sales", "\u212aelvin": "Kelvin", "STRASSE": "", "Straße": "straße", "x": ""} {
		d := sourceDB(p, name)
		switch {
		case want == "" && d != nil:
			t.Errorf("%q: found %q", name, d.Name)
		case want != "" && (d == nil || d.Name != want || (want == "Sales" && d.State != "first")):
			t.Errorf("%q: got %+v, want %s", name, d, want)
		}
	}
}

// TestChecksLinear: a whole check run stays linear as an estate grows
// fourfold in databases: allocations per backup about the same, and the
// rows walked per backup (files of the storage, rows of the backup
// history, counted by scan and scanHistory) exactly the same, so no check
// walks them once per database. Counting walks catches what allocations
// alone missed: a per-database walk that allocates nothing (unreadIn,
// looking for failed reads on an estate that has none) made the run
// quadratic in CPU while its allocations stayed linear. The estate has
// failed reads and backup history so that those paths run too.
func TestChecksLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two synthetic estates")
	}
	type cost struct{ allocs, walked float64 }
	measure := func(dbs int) cost {
		f := linearEstate(dbs)
		var rows atomic.Int64
		scanned = func(n int) { rows.Add(int64(n)) }
		defer func() { scanned = nil }()
		fs := check.Run(All, f)
		for _, want := range []struct{ id, text string }{
			{"DMS205", "could not be read from storage"}, {"DMS301", "could not be read from storage"},
			{"DMS411", ""}, {"DMS412", ""},
		} {
			if !hasFinding(fs, want.id, want.text) {
				t.Fatalf("%d databases: no %s finding saying %q: the estate no longer exercises that path", dbs, want.id, want.text)
			}
		}
		walked := float64(rows.Load())
		size := float64(len(f.Storage.Files) + len(f.Server.BackupHistory))
		n := testing.AllocsPerRun(1, func() { check.Run(All, f) })
		return cost{n / float64(len(f.Storage.Files)), walked / size}
	}
	small, large := measure(50), measure(200)
	if large.walked > small.walked*1.01 {
		t.Errorf("rows walked per row of the estate: %.1f at 50 databases, %.1f at 200: a check walks every file (or history row) once per database", small.walked, large.walked)
	}
	if large.allocs > small.allocs*1.25 {
		t.Errorf("allocations per backup: %.1f at 50 databases, %.1f at 200", small.allocs, large.allocs)
	}
}

// linearEstate is the benchmark's estate of dbs databases × 100 backups,
// with a failed read in every tenth database's folder and twenty rows of
// backup history per database.
func linearEstate(dbs int) *facts.Facts {
	f := restoretest.Estate(restoretest.EstateSpec{Databases: dbs, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true})
	f.Server.BackupHistory = []facts.BackupHistory{}
	for d := range dbs {
		db := fmt.Sprintf("db%05d", d)
		if d%10 == 0 {
			f.Storage.Files = append(f.Storage.Files, facts.File{Path: db + "/LOG/" + db + "_unread.trn", ReadErrorKind: readErrorIO, ReadError: "connection reset"})
		}
		for i := range 20 {
			at := time.Date(2025, 1, 1, i, 0, 0, 0, time.UTC)
			h := facts.BackupHistory{Database: db, Type: facts.HistoryLog, Start: &at, HasChecksums: true, PhysicalDevices: []string{db + ".trn"}}
			if i == 0 {
				h.Type = facts.HistoryFull
			}
			if i == 7 {
				h.IsCopyOnly = true
			}
			f.Server.BackupHistory = append(f.Server.BackupHistory, h)
		}
	}
	return f
}

func hasFinding(fs []check.Finding, id, text string) bool {
	for _, x := range fs {
		if x.CheckID == id && x.Status != check.StatusSkip && strings.Contains(x.Message, text) {
			return true
		}
	}
	return false
}

// TestCommonFolder: commonFolder is the common prefix of strings.Split,
// joined, for every pair of short paths over a, b and "/".
func TestCommonFolder(t *testing.T) {
	split := func(a, b string) string {
		x, y := strings.Split(a, "/"), strings.Split(b, "/")
		n := 0
		for n < len(x) && n < len(y) && x[n] == y[n] {
			n++
		}
		return strings.Join(x[:n], "/")
	}
	var all []string
	var gen func(s string)
	gen = func(s string) {
		all = append(all, s)
		if len(s) < 5 {
			for _, c := range []string{"a", "b", "/"} {
				gen(s + c)
			}
		}
	}
	gen("")
	for _, a := range all {
		for _, b := range all {
			if got, want := commonFolder(a, b), split(a, b); got != want {
				t.Fatalf("commonFolder(%q, %q) = %q, want %q", a, b, got, want)
			}
		}
	}
}
