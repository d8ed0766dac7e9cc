package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

func TestRegistryValidWithServerChecks(t *testing.T) {
	if err := check.Validate(All); err != nil {
		t.Fatal(err)
	}
}
