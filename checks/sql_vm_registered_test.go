package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func azVM(fn func(v *facts.AzureSQLVM)) *facts.Facts {
	f := srv(facts.KindVM)
	v := &facts.AzureSQLVM{ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines/vm1", Name: "vm1",
		Registered: true, ProvisioningState: "Succeeded", Management: "Full", ImageOffer: "SQL2022-WS2022", ImageSKU: "Enterprise"}
	fn(v)
	f.Azure = &facts.Azure{SQLVM: v}
	return f
}

func TestSQLVMRegistered(t *testing.T) {
	testCheck(t, SQLVMRegistered, []tcase{
		{"full", azVM(func(v *facts.AzureSQLVM) {}), []string{"pass azure:vm1"}},
		{"not registered", azVM(func(v *facts.AzureSQLVM) { v.Registered = false }), []string{"fail azure:vm1: not registered with the SQL IaaS Agent extension"}},
		{"lightweight", azVM(func(v *facts.AzureSQLVM) { v.Management = "LightWeight" }), []string{"fail azure:vm1: LightWeight mode"}},
		{"no agent", azVM(func(v *facts.AzureSQLVM) { v.Management = "NoAgent" }), []string{"fail azure:vm1: NoAgent mode"}},
		{"mode not known", azVM(func(v *facts.AzureSQLVM) { v.Management = "SomethingNew" }), []string{"skip azure:vm1: management mode SomethingNew is not one dmsready knows"}},
		{"mode not reported", azVM(func(v *facts.AzureSQLVM) { v.Management = "" }), []string{"skip azure:vm1"}},
		{"failed registration", azVM(func(v *facts.AzureSQLVM) { v.ProvisioningState = "Failed" }), []string{"fail azure:vm1: Failed"}},
	})
}
