package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func azDMS(kind string, fn func(d *facts.AzureDMS)) *facts.Facts {
	f := srv(kind)
	f.Plan.Storage.Kind = facts.StorageShare
	d := &facts.AzureDMS{ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataMigration/sqlMigrationServices/dms1", Name: "dms1",
		Exists: true, ProvisioningState: "Succeeded", IntegrationRuntimeState: "Online", IntegrationRuntime: "ir1", Nodes: []string{"HOST1"}}
	fn(d)
	f.Azure = &facts.Azure{DMS: d}
	return f
}

func TestDMSServiceReady(t *testing.T) {
	testCheck(t, DMSServiceReady, []tcase{
		{"provisioned", azDMS(facts.KindMI, func(d *facts.AzureDMS) {}), []string{"pass azure:dms1"}},
		{"missing", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.Exists = false }), []string{"fail azure:dms1: answered 404"}},
		{"failed", azDMS(facts.KindDB, func(d *facts.AzureDMS) { d.ProvisioningState = "Failed" }), []string{"fail azure:dms1: Failed"}},
		{"provisioning", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.ProvisioningState = "Provisioning" }), []string{"fail azure:dms1: Provisioning"}},
		{"updating", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.ProvisioningState = "Updating" }), []string{"warn azure:dms1: Updating"}},
		{"state not known", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.ProvisioningState = "SomethingNew" }), []string{"skip azure:dms1: provisioning state SomethingNew is not one dmsready knows"}},
		{"state not reported", azDMS(facts.KindVM, func(d *facts.AzureDMS) { d.ProvisioningState = "" }), []string{"skip azure:dms1"}},
		{"log replay service", with(azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.Exists = false }), func(f *facts.Facts) { f.Plan.Method = "lrs" }),
			[]string{"skip azure:dms1: Log Replay Service"}},
		{"not asked", srv(facts.KindMI), []string{"skip -: not collected: azure.dms (no azure section in the plan"}},
		{"azure section without dms", with(srv(facts.KindMI), func(f *facts.Facts) {
			f.Plan.Azure = &facts.PlanAzure{Subscription: "s", Target: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"}
		}), []string{"skip -: not collected: azure.dms (no azure.dms)"}},
	})
}
