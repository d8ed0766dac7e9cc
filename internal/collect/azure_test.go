package collect_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azure"
	"github.com/dmsready/dmsready/internal/azure/armtest"
	"github.com/dmsready/dmsready/internal/collect"
	"github.com/dmsready/dmsready/internal/plan"
)

var update = flag.Bool("update", false, "rewrite fixtures/arm/demo-facts.json")

const (
	demoMI  = "/subscriptions/20d7082a-0fc7-4468-82bd-542694d5042b/resourceGroups/testrg/providers/Microsoft.Sql/managedInstances/testinstance"
	demoDMS = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/testrg/providers/Microsoft.DataMigration/sqlMigrationServices/service1"
	demoSub = "20d7082a-0fc7-4468-82bd-542694d5042b"
)

// demoPlan is a Managed Instance migration whose Azure resources are the
// official examples': the storage account is found by name in the
// subscription, the instance and the DMS service by resource ID.
const demoPlan = `target:
  kind: sqlmi
azure:
  subscription: ` + demoSub + `
  storageAccount: sto8596
  target: ` + demoMI + `
  dms: ` + demoDMS + `
`

// armServer answers with the official examples; edit adjusts them for a
// scenario.
func armServer(t *testing.T, deny bool) *armtest.Server {
	s := armtest.New(t)
	s.Fixture(t, "GET", "/subscriptions/"+demoSub+"/providers/Microsoft.Storage/storageAccounts", "storage/StorageAccountList.json", func(b map[string]any) {
		if !deny {
			return
		}
		// Scenario: the account's firewall denies by default and admits
		// only another subnet (adjusted from the official example).
		for _, v := range b["value"].([]any) {
			acl, ok := v.(map[string]any)["properties"].(map[string]any)["networkAcls"].(map[string]any)
			if ok {
				acl["defaultAction"] = "Deny"
				acl["virtualNetworkRules"] = []any{map[string]any{"id": "/subscriptions/20d7082a-0fc7-4468-82bd-542694d5042b/resourceGroups/testrg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/other", "action": "Allow", "state": "Succeeded"}}
			}
		}
	})
	s.Fixture(t, "GET", demoMI, "sql/ManagedInstanceGet.json", func(b map[string]any) {
		if deny {
			// Scenario: the instance is still being created.
			b["properties"].(map[string]any)["state"] = "Creating"
		}
	})
	s.Fixture(t, "GET", demoMI+"/databases", "sql/ManagedDatabaseListByManagedInstance.json", nil)
	s.Fixture(t, "GET", demoMI+"/providers/Microsoft.Insights/metrics", "monitor/GetMetric.json", func(b map[string]any) {
		// The metrics example is a storage account's; made the instance's
		// storage_space_used_mb (adjusted: name and one series of maximums).
		v := b["value"].([]any)[0].(map[string]any)
		v["name"] = map[string]any{"value": "storage_space_used_mb", "localizedValue": "Storage space used"}
		v["timeseries"] = []any{map[string]any{"data": []any{map[string]any{"timeStamp": "2017-04-14T02:23:00Z", "maximum": 20480.0}}}}
	})
	s.Fixture(t, "GET", demoDMS, "dms/GetSqlMigrationService.json", nil)
	s.Fixture(t, "POST", demoDMS+"/listMonitoringData", "dms/GetMonitorDataSqlMigrationService.json", nil)
	return s
}

func collectDemo(t *testing.T, s *armtest.Server, planText string) *facts.Facts {
	t.Helper()
	p, err := plan.Parse("plan.yaml", []byte(planText))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := collect.Run(context.Background(), collect.Options{Plan: p,
		Now:   func() time.Time { return time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC) },
		Azure: azure.Config{Credential: s.Credential(), Endpoint: s.URL(), Transport: s.Transport(), Retry: policy.RetryOptions{MaxRetries: 1, RetryDelay: time.Millisecond}}})
	return f
}

func azureVerdicts(f *facts.Facts) []string {
	var out []string
	for _, fd := range check.Run(checks.All, f) {
		if strings.HasPrefix(fd.CheckID, "DMS6") {
			out = append(out, fmt.Sprintf("%s %s %s", fd.CheckID, fd.Status, fd.Object))
		}
	}
	sort.Strings(out)
	return out
}

// TestAzureDemo collects from the loopback Resource Manager answering with
// the official examples as they are, and checks. Its facts are
// kept as fixtures/arm/demo-facts.json, so that
//
//	dmsready check --facts fixtures/arm/demo-facts.json
//
// shows the Azure checks offline (go test ./internal/collect -run
// TestAzureDemo -update rewrites it).
func TestAzureDemo(t *testing.T) {
	s := armServer(t, false)
	f := collectDemo(t, s, demoPlan)
	if len(f.Errors) > 0 {
		t.Fatalf("errors: %+v", f.Errors)
	}
	want := []string{
		"DMS601 pass azure:sto8596",
		"DMS602 pass azure:testinstance",
		"DMS603 skip -", // no source server: sizes unknown
		"DMS604 skip -",
		"DMS605 pass azure:service1",
		"DMS606 skip azure:service1", // no backups on a share: no runtime needed
		"DMS607 skip -",
		"DMS608 skip -",
		"DMS609 skip -",
		"DMS610 skip -", // no databases planned
	}
	if got := azureVerdicts(f); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	b := golden(t, f, "demo-facts.json")
	// Offline, the facts file judges as the live run did.
	back, err := facts.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := azureVerdicts(back); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("offline verdicts differ:\n%s", strings.Join(got, "\n"))
	}
}

// TestAzureDemoBlocked is the scenario that blocks, kept as
// fixtures/arm/demo-blocked-facts.json for `dmsready check --facts`.
func TestAzureDemoBlocked(t *testing.T) {
	s := armServer(t, true)
	s.Forbid("POST", demoDMS+"/listMonitoringData", "Microsoft.DataMigration/sqlMigrationServices/monitoringData/action")
	got := map[string]check.Finding{}
	blocked := collectDemo(t, s, demoPlan)
	for _, fd := range check.Run(checks.All, blocked) {
		got[fd.CheckID] = fd
	}
	golden(t, blocked, "demo-blocked-facts.json")
	// Backups on a share: DMS needs the runtime, which needs registration.
	share := strings.Replace(demoPlan, "  storageAccount: sto8596\n", "", 1) + "storage:\n  location: ../../fixtures/demo/backups\n"
	for _, fd := range check.Run(checks.All, collectDemo(t, s, share)) {
		if fd.CheckID == "DMS606" {
			got[fd.CheckID] = fd
		}
	}
	if fd := got["DMS601"]; fd.Status != check.StatusFail || !strings.Contains(fd.Message, "subnet vnet1/subnet1") {
		t.Errorf("DMS601 = %+v", fd)
	}
	if fd := got["DMS602"]; fd.Status != check.StatusFail || !strings.Contains(fd.Message, "Creating") {
		t.Errorf("DMS602 = %+v", fd)
	}
	if fd := got["DMS606"]; fd.Status != check.StatusFail || !strings.Contains(fd.Message, "no integration runtime node is registered") ||
		!strings.Contains(fd.Evidence["nodesError"], "monitoringData/action") {
		t.Errorf("DMS606 = %+v", fd)
	}
}

// golden keeps f as fixtures/arm/<name> (-update rewrites it) and returns
// its JSON. The random loopback port is replaced, so the file is stable.
func golden(t *testing.T, f *facts.Facts, name string) []byte {
	t.Helper()
	f.Azure.Endpoint = "https://armtest.invalid"
	var b bytes.Buffer
	if err := facts.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(armtest.Root(t), "fixtures", "arm", name)
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(old, b.Bytes()) {
		t.Errorf("fixtures/arm/%s is stale (%v): go test ./internal/collect -run TestAzureDemo -update", name, err)
	}
	return b.Bytes()
}

// A principal without Reader gets an error finding that names the role.
func TestAzureForbidden(t *testing.T) {
	s := armServer(t, false)
	s.Forbid("GET", demoMI, "Microsoft.Sql/managedInstances/read")
	f := collectDemo(t, s, demoPlan)
	for _, fd := range check.Run(checks.All, f) {
		if fd.CheckID == "DMS602" {
			if fd.Status != check.StatusError || fd.Evidence["permission"] != "Microsoft.Sql/managedInstances/read (Reader)" {
				t.Errorf("DMS602 = %+v", fd)
			}
			return
		}
	}
	t.Error("no DMS602 finding")
}

// A run without the test credential signs in as nobody: every Azure part is
// an error, and no request leaves for Azure.
func TestAzureNeedsExplicitCredentialInTests(t *testing.T) {
	p, err := plan.Parse("plan.yaml", []byte(demoPlan))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := collect.Run(context.Background(), collect.Options{Plan: p})
	for _, src := range []facts.Source{facts.SrcAzureStorage, facts.SrcAzureTarget, facts.SrcAzureDMS} {
		e := f.ErrorFor(src)
		if e == nil || e.Kind != "login-failed" || !strings.Contains(e.Message, "must give Config.Credential") {
			t.Errorf("%s: %+v", src, e)
		}
	}
}
