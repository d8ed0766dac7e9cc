package plan

import (
	"strings"
	"testing"
)

const miID = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Sql/managedInstances/mi1"

func TestAzureSection(t *testing.T) {
	p, err := Parse("p.yaml", []byte(`target: {kind: sqlmi}
storage:
  location: https://backups1.blob.core.windows.net/dbs
azure:
  subscription: sub1
  resourceGroup: rg1
  target: mi1
  dms: /subscriptions/sub2/resourceGroups/rg2/providers/Microsoft.DataMigration/sqlMigrationServices/dms1
  auth: cli
`))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Facts().Azure
	if a == nil || a.Target != miID || a.StorageAccount != "backups1" || a.Auth != "cli" || a.Subscription != "sub1" ||
		a.DMS != "/subscriptions/sub2/resourceGroups/rg2/providers/Microsoft.DataMigration/sqlMigrationServices/dms1" {
		t.Fatalf("azure = %+v", a)
	}
	// The subscription may come from a resource ID; the storage account
	// from the container URL; auth defaults to DefaultAzureCredential.
	p, err = Parse("p.yaml", []byte("target: {kind: sqlmi}\nazure:\n  target: "+miID+"\n  storageAccount: acct\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Facts().Azure; a.Subscription != "sub1" || a.StorageAccount != "acct" || a.Auth != "default" {
		t.Errorf("azure = %+v", a)
	}
	// No azure section: nothing in the facts, and the digest is unchanged.
	p, _ = Parse("p.yaml", []byte("target: {kind: sqlmi}\n"))
	if p.Facts().Azure != nil {
		t.Error("azure facts without an azure section")
	}
}

func TestAzureSectionErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"target: {kind: sqlmi}\nazure:\n  subscription: s\n  target: mi1\n", "p.yaml:4:11: azure.target: \"mi1\" is a name: give azure.resourceGroup too"},
		{"target: {kind: sqlvm}\nazure:\n  target: " + miID + "\n", "is a Microsoft.Sql/managedInstances, want a Microsoft.SqlVirtualMachine/sqlVirtualMachines"},
		{"target: {kind: sqlmi}\nazure:\n  target: /subscriptions/x\n", "is not a resource ID"},
		{"target: {kind: sqlmi}\nazure:\n  subscription: s\n  auth: password\n", "azure.auth \"password\": want default, cli, managed-identity, workload-identity or environment"},
		{"target: {kind: sqlmi}\nazure:\n  subscription: s\n  endpoint: http://127.0.0.1:1\n", "azure.endpoint \"http://127.0.0.1:1\": want an https URL"},
		{"target: {kind: sqlmi}\nazure:\n  subscription: s\n  cloud: mars\n", "azure.cloud \"mars\""},
		{"target: {kind: sqlmi}\nazure:\n  auth: cli\n", "the azure section names no resource"},
		{"target: {kind: sqlmi}\nazure:\n  storageAccount: acct\n", "azure: no subscription"},
		{"target: {kind: sqlmi}\nstorage: {location: /srv/backups}\nazure:\n  subscription: s\n  storageAccount: acct\n", "the backups are on a share"},
		{"target: {kind: sqlmi}\nazure:\n  subscription: s\n  password: x\n", "unknown key \"azure.password\""},
	}
	for _, c := range cases {
		_, err := Parse("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.yaml, err, c.want)
		}
	}
}

func TestAzureFlags(t *testing.T) {
	p := &Document{Target: Target{Kind: "sqlmi"}}
	p.Apply(Overrides{AzureSubscription: "sub1", AzureResourceGroup: "rg1", AzureTarget: "mi1", AzureAuth: "bogus"})
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "--azure-auth: azure.auth \"bogus\"") {
		t.Fatalf("flag error = %v", err)
	}
	p.Azure.Auth = "managed-identity"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if a := p.Facts().Azure; a.Target != miID {
		t.Errorf("azure = %+v", a)
	}
}

func TestAccountFromURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://backups1.blob.core.windows.net/dbs":        "backups1",
		"https://Backups1.blob.core.chinacloudapi.cn/dbs/x": "backups1",
		"http://127.0.0.1:10000/devstoreaccount1/dbs":       "",
		"https://lake1.dfs.core.windows.net/dbs":            "lake1", // read through its blob endpoint
		"/srv/share":                                        "",
	} {
		if got := accountFromURL(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
