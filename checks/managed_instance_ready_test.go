package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestManagedInstanceReady(t *testing.T) {
	mi := func(fn func(m *facts.AzureManagedInstance)) *facts.Facts {
		return with(azMI(), func(f *facts.Facts) { fn(f.Azure.ManagedInstance) })
	}
	testCheck(t, ManagedInstanceReady, []tcase{
		{"ready", mi(func(m *facts.AzureManagedInstance) {}), []string{"pass azure:mi1"}},
		{"creating", mi(func(m *facts.AzureManagedInstance) { m.State, m.ProvisioningState = "Creating", "Creating" }), []string{"fail azure:mi1: is Creating, not Ready"}},
		{"stopped", mi(func(m *facts.AzureManagedInstance) { m.State = "Stopped" }), []string{"fail azure:mi1: Stopped"}},
		{"scaling", mi(func(m *facts.AzureManagedInstance) { m.ProvisioningState = "Updating" }), []string{"warn azure:mi1: provisioning state Updating"}},
		// A Ready instance whose last operation failed (a scale that
		// rolled back) has nothing in progress; one being deleted will
		// not be there to migrate into.
		{"last operation failed", mi(func(m *facts.AzureManagedInstance) { m.ProvisioningState = "Failed" }), []string{"warn azure:mi1: last management operation ended Failed"}},
		{"being deleted", mi(func(m *facts.AzureManagedInstance) { m.ProvisioningState = "Deleting" }), []string{"fail azure:mi1: being deleted"}},
		{"state unknown", mi(func(m *facts.AzureManagedInstance) { m.State = "" }), []string{"skip azure:mi1"}},
		{"404", mi(func(m *facts.AzureManagedInstance) { m.Exists = false }), []string{"fail azure:mi1: answered 404"}},
		{"forbidden", with(srv(facts.KindMI), func(f *facts.Facts) {
			f.AddError(facts.SourceError{Source: facts.SrcAzureTarget, Kind: "permission", Message: "managed-instance: HTTP 403 AuthorizationFailed", Permission: "Microsoft.Sql/managedInstances/read (Reader)"})
		}), []string{"error -: (needs Microsoft.Sql/managedInstances/read (Reader))"}},
	})
}
