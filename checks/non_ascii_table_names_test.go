package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestNonASCIITableNames(t *testing.T) {
	testCheck(t, NonASCIITableNames, []tcase{
		{"mixed", srv(facts.KindDB, smallDB, intlDB, lockedDB), []string{"fail database:Intl", "skip database:Locked", "pass database:Small"}},
		{"other targets", srv(facts.KindMI, intlDB), []string{"skip -"}},
	})
}
