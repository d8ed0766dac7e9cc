package checks

import (
	"testing"

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

// TestChecksLinear: allocations per backup of a whole check run stay about
// the same as an estate grows fourfold in databases.
func TestChecksLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two synthetic estates")
	}
	perBackup := func(dbs int) float64 {
		f := restoretest.Estate(restoretest.EstateSpec{Databases: dbs, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true})
		n := testing.AllocsPerRun(1, func() { check.Run(All, f) })
		return n / float64(len(f.Storage.Files))
	}
	small, large := perBackup(50), perBackup(200)
	if large > small*1.25 {
		t.Errorf("allocations per backup: %.1f at 50 databases, %.1f at 200", small, large)
	}
}
