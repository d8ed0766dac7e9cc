package checks

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TestEveryCheckIsPure runs the whole registry twice over the same facts
// and asserts the same findings and untouched facts; and that each check
// alone finds what it finds among all the others (the runner shares derived
// values such as the restore plans between checks, and sharing must not
// leak).
func TestEveryCheckIsPure(t *testing.T) {
	rich := srv(facts.KindMI, bigDB, smallDB, intlDB, lockedDB,
		facts.Database{Name: "Sales", RecoveryModel: "FULL", Containment: "PARTIAL", AvailabilityGroup: "AG1", EncryptionState: ip(3),
			Files: []facts.DatabaseFile{{LogicalName: "d", Type: "ROWS"}, {LogicalName: "l", Type: "LOG"}, {LogicalName: "l2", Type: "LOG"}}})
	rich.Server.BackupHistory = []facts.BackupHistory{
		hist("Sales", "D", "2026-01-01 00:00", false, false, "a.bak"), hist("Sales", "L", "2026-01-01 01:00", true, false, "nul"),
		hist("Sales", "D", "2026-01-02 00:00", true, true, "c.bak"),
	}
	rich.Server.Objects = &facts.ServerObjects{Logins: []string{"app"}, AgentJobs: []string{"Nightly"}}
	rich.Plan.Mode = "online"
	rich.Storage = fx{files: ola, st: func(st *facts.Storage) { st.SAS = &facts.SASInfo{Permissions: "rwl", Expiry: tp("2026-11-26 00:00")} }}.facts().Storage
	all := map[string]*facts.Facts{
		"server and storage": rich,
		"restore chain":      rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...),
		"empty":              {SchemaVersion: facts.SchemaVersion, CollectedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, p := range []string{"../fixtures/demo/facts.json", "../fixtures/restore/scenario.facts.json"} {
		r, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := facts.Read(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		all[filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p)] = f
	}
	for name, f := range all {
		t.Run(name, func(t *testing.T) {
			together, err := pure(All, f)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string][]check.Finding{}
			for _, x := range together {
				byID[x.CheckID] = append(byID[x.CheckID], x)
			}
			for _, c := range All {
				alone, err := pure([]*check.Check{c}, f)
				if err != nil {
					t.Fatalf("%s: %v", c.ID, err)
				}
				if !reflect.DeepEqual(alone, byID[c.ID]) {
					t.Errorf("%s alone finds\n  %v\nbut among all the checks\n  %v", c.ID, lines(alone, true), lines(byID[c.ID], true))
				}
			}
		})
	}
}

// TestMain fails the package when a registered check has no table: every
// check in All must be run through testCheck by its own test.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && runsEverything() {
		for _, c := range All {
			if !tested[c.ID] {
				println("checks: " + c.ID + " has no test table (testCheck) in its _test.go file")
				code = 1
			}
		}
	}
	os.Exit(code)
}
