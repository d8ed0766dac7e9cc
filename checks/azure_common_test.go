package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
)

const (
	tSubnet = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/mi"
	tMIID   = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1"
)

// azMI is a migration to a Ready General Purpose Managed Instance in
// westeurope, with a storage account in the same region that denies by
// default and has no rules.
func azMI(dbs ...facts.Database) *facts.Facts {
	f := srv(facts.KindMI, dbs...)
	f.Plan.Storage.Kind = facts.StorageBlob
	f.Azure = &facts.Azure{
		Storage: &facts.AzureStorage{Name: "backups1", Location: "westeurope", DefaultAction: "Deny", PublicNetworkAccess: "Enabled",
			VirtualNetworkRules: []facts.AzureVNetRule{}, IPRules: []string{}, ResourceAccessRules: []facts.AzureResourceRule{}, PrivateEndpoints: []facts.AzurePrivateEndpoint{}},
		ManagedInstance: &facts.AzureManagedInstance{ID: tMIID, Name: "mi1", Exists: true, Location: "West Europe", State: "Ready", ProvisioningState: "Succeeded",
			Tier: "GeneralPurpose", SKU: "GP_Gen5", VCores: 8, StorageSizeGB: 64, SubnetID: tSubnet, Databases: []string{}},
	}
	return f
}

// sized is a source database with data and log sizes in MB.
func sized(name string, dataMB, logMB int64, files ...facts.DatabaseFile) facts.Database {
	if files == nil {
		files = []facts.DatabaseFile{{LogicalName: name, Type: "ROWS"}, {LogicalName: name + "_log", Type: "LOG"}}
	}
	return facts.Database{Name: name, DataBytes: dataMB << 20, LogBytes: logMB << 20, Files: files}
}

// system is master, model and msdb of 100 MB in all.
func system() []facts.Database {
	return []facts.Database{sized("master", 10, 5), sized("model", 10, 5), sized("msdb", 60, 10)}
}

func bp(b bool) *bool { return &b }
