package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestVMTargetVersion(t *testing.T) {
	var cases []tcase
	for _, v := range []string{"2008", "2008 R2", "10.50", "2005"} {
		cases = append(cases, tcase{v, planFacts(facts.KindVM, v), []string{"fail target"}})
	}
	for _, v := range []string{"2012", "2019", "16.0.1000.6"} {
		cases = append(cases, tcase{v, planFacts(facts.KindVM, v), []string{"pass target"}})
	}
	// A year that is no SQL Server release (a typo for 2019 or 2022) is
	// unknown, not a supported target.
	for _, v := range []string{"", "banana", "2020", "2030"} {
		cases = append(cases, tcase{v, planFacts(facts.KindVM, v), []string{"skip target"}})
	}
	testCheck(t, VMTargetVersion, cases)
}
