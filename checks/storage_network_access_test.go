package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

const vmSubnet = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet2/subnets/vms"

func TestStorageNetworkAccess(t *testing.T) {
	st := func(fn func(s *facts.AzureStorage)) *facts.Facts {
		return with(azMI(), func(f *facts.Facts) { fn(f.Azure.Storage) })
	}
	vmFacts := func(fn func(s *facts.AzureStorage)) *facts.Facts {
		f := srv(facts.KindVM)
		f.Azure = &facts.Azure{Storage: azMI().Azure.Storage, SQLVM: &facts.AzureSQLVM{Name: "vm1", Registered: true, Location: "westeurope",
			VirtualMachineID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", SubnetIDs: []string{vmSubnet}}}
		fn(f.Azure.Storage)
		return f
	}
	testCheck(t, StorageNetworkAccess, []tcase{
		{"allow by default", st(func(s *facts.AzureStorage) { s.DefaultAction = "Allow" }),
			[]string{"pass azure:backups1: default action is Allow"}},
		{"vnet rule for the subnet", st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: "/subscriptions/S/resourceGroups/NET/providers/Microsoft.Network/virtualNetworks/VNET1/subnets/MI", Action: "Allow", State: "Succeeded"}}
		}), []string{"pass azure:backups1: a virtual-network rule lets the Managed Instance mi1's subnet vnet1/mi in"}},
		{"vnet rule for another subnet", st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: tSubnet + "x", Action: "Allow", State: "Succeeded"}}
		}), []string{"fail azure:backups1: denies by default and no virtual-network rule"}},
		{"denied, nothing else", st(func(s *facts.AzureStorage) {}), []string{"fail azure:backups1: subnet vnet1/mi"}},
		{"rule whose subnet is gone", st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: tSubnet, State: "NetworkSourceDeleted"}}
		}), []string{"skip azure:backups1: in state NetworkSourceDeleted"}},
		{"public access disabled, no endpoint", st(func(s *facts.AzureStorage) { s.PublicNetworkAccess = "Disabled"; s.DefaultAction = "Allow" }),
			[]string{"fail azure:backups1: public network access is disabled"}},
		{"public access disabled, private endpoint", st(func(s *facts.AzureStorage) {
			s.PublicNetworkAccess = "Disabled"
			s.PrivateEndpoints = []facts.AzurePrivateEndpoint{{ID: "/x/privateEndpoints/pe1", Status: "Approved"}}
		}), []string{"skip azure:backups1: cannot tell: public network access is disabled; only private endpoints (pe1)"}},
		{"pending private endpoint does not count", st(func(s *facts.AzureStorage) {
			s.PrivateEndpoints = []facts.AzurePrivateEndpoint{{ID: "/x/privateEndpoints/pe1", Status: "Pending"}}
		}), []string{"fail azure:backups1"}},
		{"resource-instance rule for the instance", st(func(s *facts.AzureStorage) {
			s.ResourceAccessRules = []facts.AzureResourceRule{{ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/*"}}
		}), []string{"skip azure:backups1: managed identity"}},
		{"ip rules, same region", st(func(s *facts.AzureStorage) { s.IPRules = []string{"203.0.113.0/24"} }),
			[]string{"fail azure:backups1"}},
		{"ip rules, other region", with(st(func(s *facts.AzureStorage) { s.IPRules = []string{"203.0.113.0/24"} }), func(f *facts.Facts) {
			f.Azure.ManagedInstance.Location = "northeurope"
		}), []string{"skip azure:backups1: IP rules (203.0.113.0/24)"}},
		{"public network access value not known", st(func(s *facts.AzureStorage) { s.PublicNetworkAccess = "SomethingNew"; s.DefaultAction = "Allow" }),
			[]string{"skip azure:backups1: cannot tell: public network access SomethingNew"}},
		{"vnet rule, instance in another region", with(st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: tSubnet, Action: "Allow", State: "Succeeded"}}
		}), func(f *facts.Facts) { f.Azure.ManagedInstance.Location = "eastus" }),
			[]string{"skip azure:backups1: cannot tell: a virtual-network rule names the Managed Instance mi1's subnet vnet1/mi, but the instance is in eastus and the account in westeurope"}},
		{"vnet rule, instance region not known", with(st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: tSubnet, Action: "Allow", State: "Succeeded"}}
		}), func(f *facts.Facts) { f.Azure.ManagedInstance.Location = "" }),
			[]string{"skip azure:backups1: cannot tell: a virtual-network rule names"}},
		{"share backups: the runtime uploads too", with(st(func(s *facts.AzureStorage) {
			s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: tSubnet, Action: "Allow", State: "Succeeded"}}
		}), func(f *facts.Facts) { f.Plan.Storage.Kind = facts.StorageShare }),
			[]string{"skip azure:backups1: cannot tell: a virtual-network rule lets the Managed Instance mi1's subnet vnet1/mi in, but the self-hosted integration runtime uploads the share's backups"}},
		{"share backups, allow", with(st(func(s *facts.AzureStorage) { s.DefaultAction = "Allow" }), func(f *facts.Facts) { f.Plan.Storage.Kind = facts.StorageShare }),
			[]string{"pass azure:backups1: default action is Allow"}},
		{"default action not reported", st(func(s *facts.AzureStorage) { s.DefaultAction = "" }), []string{"skip azure:backups1"}},
		{"perimeter", st(func(s *facts.AzureStorage) { s.PublicNetworkAccess = "SecuredByPerimeter" }), []string{"skip azure:backups1: perimeter"}},
		{"instance missing", with(azMI(), func(f *facts.Facts) { f.Azure.ManagedInstance.Exists = false }), []string{"skip azure:backups1: DMS602"}},
		{"vm, allow", vmFacts(func(s *facts.AzureStorage) { s.DefaultAction = "Allow" }), []string{"pass azure:backups1"}},
		{"vm, deny, its subnet allowed", vmFacts(func(s *facts.AzureStorage) { s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: vmSubnet}} }),
			[]string{"pass azure:backups1: SQL VM vm1's subnet vnet2/vms in"}},
		{"vm, deny, nothing", vmFacts(func(s *facts.AzureStorage) {}), []string{"fail azure:backups1: (subnet vnet2/vms)"}},
		{"vm, two subnets, one allowed", with(vmFacts(func(s *facts.AzureStorage) { s.VirtualNetworkRules = []facts.AzureVNetRule{{SubnetID: vmSubnet}} }), func(f *facts.Facts) {
			f.Azure.SQLVM.SubnetIDs = append(f.Azure.SQLVM.SubnetIDs, tSubnet)
		}), []string{"skip azure:backups1: but not all of vnet2/vms, vnet1/mi"}},
		{"vm, deny: subnets not read", with(vmFacts(func(s *facts.AzureStorage) {}), func(f *facts.Facts) { f.Azure.SQLVM.SubnetIDs = nil }),
			[]string{"skip azure:backups1: SQL VM vm1's subnet is not known"}},
		{"vm not registered", with(vmFacts(func(s *facts.AzureStorage) {}), func(f *facts.Facts) { f.Azure.SQLVM.Registered = false }),
			[]string{"skip azure:backups1: DMS607"}},
		{"no azure storage facts", srv(facts.KindMI), []string{"skip -: not collected: azure.storage, azure.target"}},
		{"storage read failed", with(azMI(), func(f *facts.Facts) {
			f.Azure.Storage = nil
			f.AddError(facts.SourceError{Source: facts.SrcAzureStorage, Kind: "permission", Message: "denied", Permission: "Microsoft.Storage/storageAccounts/read (Reader)"})
		}), []string{"error -: needs Microsoft.Storage/storageAccounts/read (Reader)"}},
		{"sql database target", with(azMI(), func(f *facts.Facts) { f.Plan.Target.Kind = facts.KindDB }), []string{"skip -: does not apply"}},
	})
}
