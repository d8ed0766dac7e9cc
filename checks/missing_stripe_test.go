package checks

import "testing"

func TestMissingStripe(t *testing.T) {
	s1 := rfull("s/new1.bak", 60, 70, "F2")
	s1.famCount, s1.famSeq = 3, 1
	s2 := s1
	s2.path, s2.famSeq = "s/new2.bak", 2
	s3 := s1
	s3.path, s3.famSeq = "s/new3.bak", 3
	o1 := rfull("s/old1.bak", 2, 5, "F0")
	o1.famCount, o1.famSeq = 2, 1
	// A full whose media header has no RAID stream: the family count is
	// unknown (the reader says so), so whether stripes are missing is too.
	unk := rfacts(salesPlan, chainOK...)
	for i := range unk.Storage.Files {
		if m := unk.Storage.Files[i].Backup; unk.Storage.Files[i].Path == "s/full.bak" {
			m.MediaSetID, m.FamilyCount, m.FamilySequence = "", 0, 0
			m.Unknown = []string{"mediaSetId", "familyCount", "familySequence"}
		}
	}
	testCheck(t, MissingStripe, []tcase{
		{"family count unknown", unk, []string{"skip database:Sales: whether every backup set has all its files is unknown: the media family count of s/full.bak was not read"}},
		{"complete", rfacts(salesPlan, withBackups(chainOK, s1, s2, s3)...), []string{"pass database:Sales: every backup set has all its files (1 striped set in the sequence)"}},
		{"stripe missing", rfacts(salesPlan, withBackups(chainOK, s1, s3)...), []string{"fail file:s/new1.bak: full backup striped over 3 files: media family 2 missing (present: s/new1.bak, s/new3.bak)"}},
		// A striped full older than the one the restore starts from is not
		// restored: information, not blocking.
		{"old stripe missing", rfacts(salesPlan, withBackups(chainOK, o1)...), []string{"warn file:s/old1.bak: the restore does not use it", "pass database:Sales"}},
	})
}

func TestMissingStripeOutsideRangeIsInfo(t *testing.T) {
	o1 := rfull("s/old1.bak", 2, 5, "F0")
	o1.famCount, o1.famSeq = 2, 1
	for _, fd := range findings(MissingStripe, rfacts(salesPlan, withBackups(chainOK, o1)...)) {
		if fd.Object == "file:s/old1.bak" && (fd.Severity != "info" || fd.Blocking("info") == false || fd.Blocking("warning")) {
			t.Errorf("old stripe: %+v", fd)
		}
	}
}
