package checks

import "testing"

func TestMissingStripe(t *testing.T) {
	s1 := rfull("s/new1.bak", 60, 70, "F2")
	s1.famCount, s1.famSeq = 3, 1
	s2 := s1
	s2.path, s2.famSeq = "s/new2.bak", 2
	s3 := s1
	s3.path, s3.famSeq = "s/new3.bak", 3
	testCheck(t, MissingStripe, []tcase{
		{"complete", rfacts(salesPlan, withBackups(chainOK, s1, s2, s3)...), []string{"pass database:Sales: every backup set has all its files (1 striped set in the sequence)"}},
		{"stripe missing", rfacts(salesPlan, withBackups(chainOK, s1, s3)...), []string{"fail file:s/new1.bak: full backup striped over 3 files: media family 2 missing (present: s/new1.bak, s/new3.bak)"}},
	})
}
