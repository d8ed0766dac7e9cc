package checks

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

// azcase is one row of an Azure check's table: want lists every finding as
// "status object" or "status object: fragment of the message".
type azcase struct {
	name  string
	facts *facts.Facts
	want  []string
}

func testAzure(t *testing.T, c *check.Check, cases []azcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := check.Run([]*check.Check{c}, tc.facts)
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%s %s: %s", f.Status, f.Object, f.Message))
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			ok := len(got) == len(want)
			for i := 0; ok && i < len(want); i++ {
				head, frag, _ := strings.Cut(want[i], ": ")
				ok = strings.HasPrefix(got[i], head+": ") && strings.Contains(got[i], frag)
			}
			if !ok {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

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
