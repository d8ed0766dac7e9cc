package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TestProvisionalHeaderUndecided: when only the provisional header of a
// set was read (the first of appended compressed sets), the planner builds
// no sequence and every restore check says undecided (an error), never a
// pass, a fail, or a crash on an empty sequence.
func TestProvisionalHeaderUndecided(t *testing.T) {
	f := rfacts(salesPlan, chainOK...)
	for i := range f.Storage.Files {
		if f.Storage.Files[i].Path == "s/full.bak" {
			f.Storage.Files[i].Backup.Sets[0].Provisional = true
		}
	}
	fs, err := pure(restoreChecks(), f)
	if err != nil {
		t.Fatal(err)
	}
	undecided := 0
	for _, fd := range fs {
		if strings.Contains(fd.Message, "crashed") {
			t.Errorf("%s crashed: %s", fd.CheckID, fd.Message)
		}
		switch fd.CheckID {
		case "DMS301", "DMS302", "DMS303", "DMS304", "DMS306", "DMS309":
			if fd.Status == check.StatusPass || fd.Status == check.StatusFail {
				t.Errorf("%s %s on a sequence built from a provisional header: %s", fd.CheckID, fd.Status, fd.Message)
			}
		}
		if fd.Status == check.StatusError && strings.Contains(fd.Message, "undecided") && strings.Contains(fd.Message, "s/full.bak") {
			undecided++
		}
	}
	if undecided == 0 {
		t.Errorf("no undecided error naming s/full.bak: %+v", fs)
	}
}

// TestUnknownLSNUndecided: a backup of the database whose LSNs or backup
// type the reader could not decode cannot be placed in the chain, so no
// restore check may pass (or fail) as if it were not there: DMS restores
// every file of the folder, and that one could end the chain or break it.
func TestUnknownLSNUndecided(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(*facts.BackupSet)
	}{
		{"lastLSN unknown", func(s *facts.BackupSet) { s.Unknown = []string{"lastLSN"} }},
		{"no LSNs", func(s *facts.BackupSet) { s.FirstLSN, s.LastLSN = facts.LSN{}, facts.LSN{} }},
		{"type unknown", func(s *facts.BackupSet) { s.BackupType, s.BackupTypeCode = "", 0 }},
	} {
		f := rfacts(salesPlan, chainOK...)
		for i := range f.Storage.Files {
			if f.Storage.Files[i].Path == "s/log3.trn" {
				c.mod(&f.Storage.Files[i].Backup.Sets[0])
			}
		}
		fs, err := pure(restoreChecks(), f)
		if err != nil {
			t.Fatal(err)
		}
		undecided := 0
		for _, fd := range fs {
			switch fd.CheckID {
			case "DMS301", "DMS302", "DMS303", "DMS304", "DMS306", "DMS309":
				if fd.Status == check.StatusPass || fd.Status == check.StatusFail {
					t.Errorf("%s: %s %s with s/log3.trn not placed: %s", c.name, fd.CheckID, fd.Status, fd.Message)
				}
			}
			if fd.Status == check.StatusError && strings.Contains(fd.Message, "undecided") && strings.Contains(fd.Message, "s/log3.trn") {
				undecided++
			}
		}
		if undecided == 0 {
			t.Errorf("%s: no undecided error naming s/log3.trn", c.name)
		}
	}
}
