package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// withChecksums marks the backups at paths as taken WITH CHECKSUM.
func withChecksums(f *facts.Facts, paths ...string) *facts.Facts {
	for i := range f.Storage.Files {
		for _, p := range paths {
			if f.Storage.Files[i].Path == p {
				f.Storage.Files[i].Backup.Sets[0].HasBackupChecksums = true
			}
		}
	}
	return f
}

func TestFullBackupChecksums(t *testing.T) {
	older := rfull("s/old.bak", 2, 5, "F0")
	hr := rb{path: "h/hr.bak", typ: facts.TypeFull, first: 3, last: 4, guid: "H1", db: "HR", family: "fam-h"}
	unknown := rfacts(salesPlan, chainOK...)
	unknown.Storage.Files[0].Backup.Sets[0].Unknown = []string{"hasBackupChecksums"}
	lrs := salesPlan
	lrs.Method = "lrs"
	testCheck(t, FullBackupChecksums, []tcase{
		{"restore base without", rfacts(salesPlan, chainOK...), []string{"fail file:s/full.bak: the restore starts from was taken without CHECKSUM"}},
		{"restore base with", withChecksums(rfacts(salesPlan, chainOK...), "s/full.bak"), []string{"pass file:s/full.bak"}},
		// An older full the restore does not start from is not judged.
		{"older full without", withChecksums(rfacts(salesPlan, withBackups(chainOK, older)...), "s/full.bak"), []string{"pass file:s/full.bak"}},
		// Nor is another database's full elsewhere in the container.
		{"unplanned database", withChecksums(rfacts(salesPlan, withBackups(chainOK, hr)...), "s/full.bak"), []string{"pass file:s/full.bak"}},
		{"lrs", rfacts(lrs, chainOK...), []string{"warn file:s/full.bak"}},
		{"unknown", unknown, []string{"skip file:s/full.bak"}},
		// With nothing planned every database found counts.
		{"ad hoc", rfacts(facts.ResolvedPlan{}, withBackups(chainOK, hr)...), []string{"fail file:s/full.bak", "fail file:h/hr.bak"}},
	})
}
