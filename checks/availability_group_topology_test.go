package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestAvailabilityGroupTopology(t *testing.T) {
	testCheck(t, AvailabilityGroupTopology, []tcase{
		{"ag", srv("", facts.Database{Name: "A", AvailabilityGroup: "AG1"}, facts.Database{Name: "B"}), []string{"warn database:A", "pass database:B"}},
	})
}
