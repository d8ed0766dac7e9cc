package azure

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azure/armtest"
)

// IDs of the resources in the official examples.
const (
	miID        = "/subscriptions/20d7082a-0fc7-4468-82bd-542694d5042b/resourceGroups/testrg/providers/Microsoft.Sql/managedInstances/testinstance"
	stoID       = "/subscriptions/20d7082a-0fc7-4468-82bd-542694d5042b/resourceGroups/res9407/providers/Microsoft.Storage/storageAccounts/sto8596"
	dmsID       = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/testrg/providers/Microsoft.DataMigration/sqlMigrationServices/service1"
	vmID        = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/testrg/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines/testvm"
	computeVMID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/testrg/providers/Microsoft.Compute/virtualMachines/testvm"
	serverID    = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/sqlcrudtest-7398/providers/Microsoft.Sql/servers/sqlcrudtest-4645"
	testSubID   = "20d7082a-0fc7-4468-82bd-542694d5042b"
)

func testConfig(s *armtest.Server) Config {
	return Config{Credential: s.Credential(), Endpoint: s.URL(), Transport: s.Transport(),
		Retry: policy.RetryOptions{MaxRetries: 2, RetryDelay: 10 * time.Millisecond, MaxRetryDelay: 2 * time.Second}}
}

// miServer answers for a Managed Instance migration: storage account,
// instance and its databases, DMS service and its monitoring data.
func miServer(t *testing.T) *armtest.Server {
	s := armtest.New(t)
	s.Fixture(t, "GET", stoID, "storage/StorageAccountGetProperties.json", nil)
	s.Fixture(t, "GET", miID, "sql/ManagedInstanceGet.json", nil)
	s.Fixture(t, "GET", miID+"/databases", "sql/ManagedDatabaseListByManagedInstance.json", nil)
	s.Fixture(t, "GET", miID+"/providers/Microsoft.Insights/metrics", "monitor/GetMetric.json", storageUsedMetric(20480.4))
	s.Fixture(t, "GET", dmsID, "dms/GetSqlMigrationService.json", nil)
	s.Fixture(t, "POST", dmsID+"/listMonitoringData", "dms/GetMonitorDataSqlMigrationService.json", nil)
	return s
}

// storageUsedMetric turns the official metrics example (a storage account's
// BlobCapacity) into a Managed Instance's storage_space_used_mb: one series
// whose latest maximum is mb, and an older and an empty point around it.
func storageUsedMetric(mb float64) func(map[string]any) {
	return func(b map[string]any) {
		v := b["value"].([]any)[0].(map[string]any)
		v["name"] = map[string]any{"value": "storage_space_used_mb", "localizedValue": "Storage space used"}
		v["unit"] = "Count"
		v["timeseries"] = []any{map[string]any{"data": []any{
			map[string]any{"timeStamp": "2017-04-14T02:20:00Z", "maximum": 100.0},
			map[string]any{"timeStamp": "2017-04-14T02:22:00Z", "maximum": mb},
			map[string]any{"timeStamp": "2017-04-14T02:23:00Z"},
		}}}
	}
}

func miRequest() Request {
	return Request{Kind: facts.KindMI, Plan: facts.PlanAzure{Subscription: testSubID, Target: miID, StorageAccount: stoID, DMS: dmsID}}
}

func TestCollectManagedInstance(t *testing.T) {
	s := miServer(t)
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	mi := az.ManagedInstance
	if mi == nil || !mi.Exists || mi.State != "Ready" || mi.ProvisioningState != "Succeeded" || mi.Tier != "GeneralPurpose" ||
		mi.StorageSizeGB != 1024 || mi.VCores != 8 || !strings.HasSuffix(mi.SubnetID, "/subnets/subnet1") {
		t.Errorf("managed instance = %+v", mi)
	}
	if mi.GeneralPurposeV2 != nil {
		// The 2023-08-01 example (and API) has no isGeneralPurposeV2.
		t.Errorf("isGeneralPurposeV2 = %v, want not reported", *mi.GeneralPurposeV2)
	}
	if strings.Join(mi.Databases, ",") != "testdb1,testdb2" {
		t.Errorf("databases = %v", mi.Databases)
	}
	if mi.StorageUsedMB == nil || *mi.StorageUsedMB != 20480 {
		t.Errorf("storage used = %v (%s)", mi.StorageUsedMB, mi.StorageUsedError)
	}
	st := az.Storage
	if st == nil || st.Name != "sto8596" || st.DefaultAction != "Allow" || st.Bypass != "AzureServices" ||
		len(st.ResourceAccessRules) != 1 || st.VirtualNetworkRules == nil || len(st.VirtualNetworkRules) != 0 {
		t.Errorf("storage = %+v", st)
	}
	d := az.DMS
	if d == nil || !d.Exists || d.ProvisioningState != "Succeeded" || d.IntegrationRuntimeState != "NeedRegistration" ||
		d.IntegrationRuntime != "IntegrationRuntime1" || strings.Join(d.Nodes, ",") != "DESKTOP-6AAAAAA,DESKTOP-6AAAAAB" {
		t.Errorf("dms = %+v", d)
	}
	checkReadOnly(t, s.Requests())
}

// checkReadOnly is the recording proof: every request was a documented
// call (GETs, and POST only for listMonitoringData), with the call's API
// version and the test credential's token.
func checkReadOnly(t *testing.T, reqs []armtest.Request) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no requests recorded")
	}
	for _, r := range reqs {
		c := callFor(r.Method, r.Path)
		switch {
		case c == nil:
			t.Errorf("undocumented request %s %s", r.Method, r.Path)
		case r.Method != "GET" && !(r.Method == "POST" && strings.HasSuffix(r.Path, "/listMonitoringData")):
			t.Errorf("%s %s is not a read", r.Method, r.Path)
		case r.APIVersion != c.APIVersion:
			t.Errorf("%s %s: api-version %q, want %q", r.Method, r.Path, r.APIVersion, c.APIVersion)
		case !r.Authorized:
			t.Errorf("%s %s without the test token", r.Method, r.Path)
		}
	}
}

func TestStorageFoundByName(t *testing.T) {
	s := armtest.New(t)
	s.Fixture(t, "GET", "/subscriptions/"+testSubID+"/providers/Microsoft.Storage/storageAccounts", "storage/StorageAccountList.json", nil)
	r := Request{Kind: facts.KindMI, Plan: facts.PlanAzure{Subscription: testSubID, StorageAccount: "STO8596"}}
	az, errs := Collect(context.Background(), testConfig(s), r)
	if len(errs) > 0 || az.Storage == nil || az.Storage.Name != "sto8596" || az.Storage.DefaultAction != "Allow" {
		t.Fatalf("storage %+v errors %v", az.Storage, errs)
	}
	r.Plan.StorageAccount = "nosuchaccount"
	az, errs = Collect(context.Background(), testConfig(s), r)
	if az.Storage != nil || len(errs) != 1 || errs[0].Kind != "not-found" || !strings.Contains(errs[0].Message, "no storage account named nosuchaccount") {
		t.Fatalf("missing account: %+v %v", az.Storage, errs)
	}
	checkReadOnly(t, s.Requests())
}

func TestStorageListFollowsNextLinkOnSameHostOnly(t *testing.T) {
	s := armtest.New(t)
	list := "/subscriptions/" + testSubID + "/providers/Microsoft.Storage/storageAccounts"
	s.JSON("GET", list, 200, map[string]any{"value": []any{map[string]any{"name": "a1", "id": "x"}}, "nextLink": s.URL() + list + "?api-version=" + apiStorage + "&page=2"})
	r := Request{Kind: facts.KindMI, Plan: facts.PlanAzure{Subscription: testSubID, StorageAccount: "a1"}}
	if az, errs := Collect(context.Background(), testConfig(s), r); len(errs) > 0 || az.Storage == nil {
		// The same route answers page 2 with the same nextLink: the page
		// limit ends the loop with an error rather than spinning.
		if len(errs) != 1 || !strings.Contains(errs[0].Message, "more than 100 pages") {
			t.Fatalf("errors %v", errs)
		}
	}
	s.JSON("GET", list, 200, map[string]any{"value": []any{}, "nextLink": "https://elsewhere.example/steal"})
	_, errs := Collect(context.Background(), testConfig(s), r)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "nextLink to another host refused") {
		t.Fatalf("foreign nextLink: %v", errs)
	}
}

func TestSQLVirtualMachine(t *testing.T) {
	s := armtest.New(t)
	s.Fixture(t, "GET", vmID, "sqlvm/GetSqlVirtualMachine.json", nil)
	// The registration names the VM; the VM names its network interface
	// (the compute example's NIC id, braces and all).
	s.Fixture(t, "GET", computeVMID, "compute/VirtualMachine_Get.json", nil)
	s.Fixture(t, "GET", "/subscriptions/{subscription-id}/resourceGroups/myResourceGroup/providers/Microsoft.Network/networkInterfaces/{myNIC}", "network/NetworkInterfaceGet.json", nil)
	r := Request{Kind: facts.KindVM, Plan: facts.PlanAzure{Subscription: "s", Target: vmID}}
	az, errs := Collect(context.Background(), testConfig(s), r)
	v := az.SQLVM
	if len(errs) > 0 || v == nil || !v.Registered || v.Management != "Full" || v.ImageOffer != "SQL2022-WS2022" || v.ImageSKU != "Enterprise" {
		t.Fatalf("sql vm %+v errors %v", v, errs)
	}
	if v.Location != "West US" || len(v.SubnetIDs) != 1 || v.SubnetIDs[0] != "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/rg1-vnet/subnets/default" {
		t.Errorf("vm network: %q %v %s", v.Location, v.SubnetIDs, v.SubnetsError)
	}
	checkReadOnly(t, s.Requests())
	// Without Reader on the network interface the subnets are unknown, and
	// the error names the permission; the registration is still read.
	s.Forbid("GET", "/subscriptions/{subscription-id}/resourceGroups/myResourceGroup/providers/Microsoft.Network/networkInterfaces/{myNIC}", "Microsoft.Network/networkInterfaces/read")
	az, errs = Collect(context.Background(), testConfig(s), r)
	if len(errs) > 0 || az.SQLVM == nil || !az.SQLVM.Registered || az.SQLVM.SubnetIDs != nil || !strings.Contains(az.SQLVM.SubnetsError, "Microsoft.Network/networkInterfaces/read (Reader)") {
		t.Fatalf("nic forbidden: %+v %v", az.SQLVM, errs)
	}
	// Not registered with the SQL IaaS Agent extension: ARM has no such resource.
	r.Plan.Target = strings.Replace(vmID, "testvm", "othervm", 1)
	az, errs = Collect(context.Background(), testConfig(s), r)
	if len(errs) > 0 || az.SQLVM == nil || az.SQLVM.Registered || az.SQLVM.Name != "othervm" {
		t.Fatalf("unregistered: %+v %v", az.SQLVM, errs)
	}
	checkReadOnly(t, s.Requests())
}

func TestSQLDatabaseTarget(t *testing.T) {
	s := armtest.New(t)
	s.Fixture(t, "GET", serverID, "sql/ServerGet.json", nil)
	s.Fixture(t, "GET", serverID+"/databases/testdb", "sql/GetVCoreDatabase.json", nil)
	r := Request{Kind: facts.KindDB, Plan: facts.PlanAzure{Subscription: "s", Target: serverID}, TargetDatabases: []string{"testdb", "missing"}}
	az, errs := Collect(context.Background(), testConfig(s), r)
	srv := az.SQLServer
	if len(errs) > 0 || srv == nil || !srv.Exists || len(srv.Databases) != 2 {
		t.Fatalf("server %+v errors %v", srv, errs)
	}
	if d := srv.Databases[0]; !d.Exists || d.ServiceObjective != "BC_Gen5_2" || d.Tier != "BusinessCritical" || d.MaxSizeBytes != 268435456000 || d.Status != "Online" {
		t.Errorf("testdb = %+v", d)
	}
	if d := srv.Databases[1]; d.Exists || d.Name != "missing" {
		t.Errorf("missing = %+v", d)
	}
	checkReadOnly(t, s.Requests())
}

func TestThrottledThenServed(t *testing.T) {
	s := miServer(t)
	s.Throttle("GET", miID, 1, "1")
	start := time.Now()
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	if len(errs) > 0 || az.ManagedInstance == nil || !az.ManagedInstance.Exists {
		t.Fatalf("after one 429: %+v %v", az.ManagedInstance, errs)
	}
	if time.Since(start) < time.Second {
		t.Error("Retry-After: 1 was not waited for")
	}
	n := 0
	for _, r := range s.Requests() {
		if r.Path == miID {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d requests for the instance, want 2 (one 429, one retry)", n)
	}
}

func TestThrottlingIsBounded(t *testing.T) {
	s := miServer(t)
	s.Throttle("GET", miID, 100, "0")
	_, errs := Collect(context.Background(), testConfig(s), miRequest())
	if len(errs) != 1 || errs[0].Source != facts.SrcAzureTarget || errs[0].Kind != "timeout" || !strings.Contains(errs[0].Message, "429") {
		t.Fatalf("errors = %+v", errs)
	}
	n := 0
	for _, r := range s.Requests() {
		if r.Path == miID {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d tries, want 3 (MaxRetries 2)", n)
	}
	// A Retry-After beyond MaxRetryDelay is not waited for at all.
	s2 := miServer(t)
	s2.Throttle("GET", miID, 1, "3600")
	start := time.Now()
	_, errs = Collect(context.Background(), testConfig(s2), miRequest())
	if len(errs) != 1 || errs[0].Kind != "timeout" || time.Since(start) > 30*time.Second {
		t.Fatalf("long Retry-After: %+v after %v", errs, time.Since(start))
	}
}

func TestForbiddenNamesThePermission(t *testing.T) {
	s := miServer(t)
	s.Forbid("GET", miID, "Microsoft.Sql/managedInstances/read")
	s.Forbid("POST", dmsID+"/listMonitoringData", "Microsoft.DataMigration/sqlMigrationServices/monitoringData/action")
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	if len(errs) != 1 {
		t.Fatalf("errors = %+v", errs)
	}
	e := errs[0]
	if e.Source != facts.SrcAzureTarget || e.Kind != "permission" || e.Permission != "Microsoft.Sql/managedInstances/read (Reader)" ||
		!strings.Contains(e.Message, "AuthorizationFailed") {
		t.Errorf("error = %+v", e)
	}
	// The other parts are still read; the runtime's nodes say what is missing.
	if az.Storage == nil || az.DMS == nil || az.DMS.Nodes != nil || !strings.Contains(az.DMS.NodesError, "monitoringData/action") {
		t.Errorf("storage %+v dms %+v", az.Storage, az.DMS)
	}
}

func TestNotFoundIsAFact(t *testing.T) {
	s := armtest.New(t)
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	if az.ManagedInstance == nil || az.ManagedInstance.Exists || az.ManagedInstance.Name != "testinstance" ||
		az.DMS == nil || az.DMS.Exists || az.DMS.Name != "service1" {
		t.Errorf("mi %+v dms %+v", az.ManagedInstance, az.DMS)
	}
	// A storage account named by ID that is not there is an error: the plan
	// points at nothing, and no check can say whether the target gets in.
	if len(errs) != 1 || errs[0].Source != facts.SrcAzureStorage || errs[0].Kind != "not-found" {
		t.Errorf("errors = %+v", errs)
	}
}

func TestReadOnlyPolicyRefusesWrites(t *testing.T) {
	s := armtest.New(t)
	cl, err := newClient(testConfig(s))
	if err != nil {
		t.Fatal(err)
	}
	put := &Call{Name: "write", Method: "PUT", APIVersion: apiSQL}
	err = cl.do(context.Background(), put, miID, &struct{}{})
	if err == nil || !strings.Contains(err.Error(), "refused PUT") {
		t.Fatalf("PUT: %v", err)
	}
	// A POST to anything but the documented list action is refused too.
	post := &Call{Name: "register", Method: "POST", APIVersion: apiSQL}
	err = cl.do(context.Background(), post, "/subscriptions/s/providers/Microsoft.Sql/register", &struct{}{})
	if err == nil || !strings.Contains(err.Error(), "refused POST") {
		t.Fatalf("POST register: %v", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestNoAmbientCredential(t *testing.T) {
	// In a test binary no credential chain is ever built, whatever auth says.
	for _, auth := range append([]string{""}, "default", "cli", "managed-identity", "workload-identity", "environment", "password") {
		if c, err := (Config{Auth: auth}).credential(); err == nil || c != nil || !strings.Contains(err.Error(), "must give Config.Credential") {
			t.Errorf("auth %q: %v, %v", auth, c, err)
		}
	}
	// The test credential is used as given: no azidentity chain is built.
	s := armtest.New(t)
	c, err := testConfig(s).credential()
	if err != nil || c != s.Credential() {
		t.Errorf("credential = %v, %v", c, err)
	}
}

func TestCloudConfig(t *testing.T) {
	c := Config{Cloud: "usgov"}.cloudConfig()
	if c.Services["resourceManager"].Endpoint != "https://management.usgovcloudapi.net" {
		t.Errorf("usgov = %+v", c.Services)
	}
	c = Config{Endpoint: "https://127.0.0.1:8443/", Audience: "https://aud/"}.cloudConfig()
	if rm := c.Services["resourceManager"]; rm.Endpoint != "https://127.0.0.1:8443" || rm.Audience != "https://aud/" {
		t.Errorf("custom = %+v", rm)
	}
}

// The SDK's automatic resource-provider registration answers a 409
// MissingSubscriptionRegistration with a POST .../register, a write: it is
// off, so the 409 is reported and nothing is registered.
func TestNoProviderRegistration(t *testing.T) {
	s := armtest.New(t)
	s.JSON("GET", miID, 409, map[string]any{"error": map[string]any{"code": "MissingSubscriptionRegistration",
		"message": "The subscription is not registered to use namespace 'Microsoft.Sql'."}})
	s.JSON("POST", "/subscriptions/"+testSubID+"/providers/Microsoft.Sql/register", 200, map[string]any{"registrationState": "Registered"})
	s.JSON("GET", "/subscriptions/"+testSubID+"/providers/Microsoft.Sql", 200, map[string]any{"registrationState": "Registered"})
	_, errs := Collect(context.Background(), testConfig(s), Request{Kind: facts.KindMI, Plan: facts.PlanAzure{Subscription: testSubID, Target: miID}})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "MissingSubscriptionRegistration") {
		t.Fatalf("errors = %+v", errs)
	}
	checkReadOnly(t, s.Requests())
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests, want the one GET: %+v", n, s.Requests())
	}
}

// Without Azure Monitor read access the instance is still read; what it uses
// is unknown, and why names the permission.
func TestStorageUsedForbidden(t *testing.T) {
	s := miServer(t)
	s.Forbid("GET", miID+"/providers/Microsoft.Insights/metrics", "Microsoft.Insights/metrics/read")
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	mi := az.ManagedInstance
	if len(errs) > 0 || mi == nil || !mi.Exists || mi.StorageUsedMB != nil || !strings.Contains(mi.StorageUsedError, "Microsoft.Insights/metrics/read (Reader)") {
		t.Fatalf("mi %+v errors %v", mi, errs)
	}
	checkReadOnly(t, s.Requests())
}

// hostTransport sends every request for the public Resource Manager host
// (with or without its default port) to the loopback server, so a test can
// use https://management.azure.com as the endpoint, as a real run does.
type hostTransport struct {
	s     *armtest.Server
	mu    sync.Mutex
	hosts []string // the Host of each request, as sent
}

func (h *hostTransport) Do(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, r.URL.Host)
	h.mu.Unlock()
	u, _ := url.Parse(h.s.URL())
	r.URL.Host, r.Host = u.Host, ""
	return h.s.Transport().Do(r)
}

// Resource Manager's nextLinks may name the default port
// (https://management.azure.com:443/...&$skiptoken=...: Azure SDK for
// Java's RestProxyTests.doesNotChangeEncodedPath keeps such a Compute
// nextLink as is). It is the same host: the second page of the instance's
// databases must be read, not refused.
func TestNextLinkWithDefaultPort(t *testing.T) {
	s := miServer(t)
	list := miID + "/databases"
	s.Fixture(t, "GET", list, "sql/ManagedDatabaseListByManagedInstance.json", func(b map[string]any) {
		b["nextLink"] = "https://management.azure.com:443" + list + "?api-version=" + apiSQL + "&$skiptoken=p2"
	})
	s.Page("GET", list, "p2", 200, map[string]any{"value": []any{map[string]any{"name": "Sales", "id": list + "/Sales"}}})
	ht := &hostTransport{s: s}
	cfg := testConfig(s)
	cfg.Endpoint, cfg.Transport = "https://management.azure.com", ht
	az, errs := Collect(context.Background(), cfg, miRequest())
	mi := az.ManagedInstance
	if len(errs) > 0 || mi == nil || mi.DatabasesError != "" || strings.Join(mi.Databases, ",") != "testdb1,testdb2,Sales" {
		t.Fatalf("databases %v (%s), errors %v", mi.Databases, mi.DatabasesError, errs)
	}
	if ht.hosts[len(ht.hosts)-1] == "" {
		t.Fatal("no request recorded")
	}
	checkReadOnly(t, s.Requests())
	// Another host, or another port, is still refused; so is a nextLink
	// that is no URL (it panicked: the refusal named the nil URL's host).
	for _, next := range []string{"https://management.azure.com:8443", "https://elsewhere.example", "https://[::1"} {
		s.Fixture(t, "GET", list, "sql/ManagedDatabaseListByManagedInstance.json", func(b map[string]any) {
			b["nextLink"] = next + list + "?api-version=" + apiSQL + "&$skiptoken=p2"
		})
		az, _ = Collect(context.Background(), cfg, miRequest())
		if mi := az.ManagedInstance; mi.Databases != nil || !strings.Contains(mi.DatabasesError, "nextLink") || !strings.Contains(mi.DatabasesError, "refused") {
			t.Errorf("%s: databases %v (%s)", next, mi.Databases, mi.DatabasesError)
		}
	}
}

// A monitoring-data answer without a nodes field says nothing about the
// nodes: they are unknown (nil), not "none registered", which DMS606 fails
// when the runtime's state is not reported either. An empty list is none.
func TestMonitoringDataWithoutNodes(t *testing.T) {
	s := miServer(t)
	s.Fixture(t, "GET", dmsID, "dms/GetSqlMigrationService.json", func(b map[string]any) {
		delete(b["properties"].(map[string]any), "integrationRuntimeState")
	})
	s.Fixture(t, "POST", dmsID+"/listMonitoringData", "dms/GetMonitorDataSqlMigrationService.json", func(b map[string]any) {
		delete(b, "nodes")
	})
	az, errs := Collect(context.Background(), testConfig(s), miRequest())
	if d := az.DMS; len(errs) > 0 || d == nil || d.Nodes != nil || d.NodesError == "" || d.IntegrationRuntime != "IntegrationRuntime1" {
		t.Fatalf("dms %+v errors %v", d, errs)
	}
	s.Fixture(t, "POST", dmsID+"/listMonitoringData", "dms/GetMonitorDataSqlMigrationService.json", func(b map[string]any) {
		b["nodes"] = []any{}
	})
	az, _ = Collect(context.Background(), testConfig(s), miRequest())
	if d := az.DMS; d.Nodes == nil || len(d.Nodes) != 0 || d.NodesError != "" {
		t.Fatalf("empty nodes: %+v", d)
	}
}

// One target database Resource Manager does not answer for (403 on it
// alone, or a 5xx after the retries) leaves that database unknown, naming
// why; the server and the other databases are still read, not lost with it.
func TestSQLDatabaseOneFails(t *testing.T) {
	s := armtest.New(t)
	s.Fixture(t, "GET", serverID, "sql/ServerGet.json", nil)
	s.Fixture(t, "GET", serverID+"/databases/testdb", "sql/GetVCoreDatabase.json", nil)
	s.Forbid("GET", serverID+"/databases/hr", "Microsoft.Sql/servers/databases/read")
	s.JSON("GET", serverID+"/databases/payroll", 503, map[string]any{"error": map[string]any{"code": "ServiceUnavailable", "message": "try later"}})
	r := Request{Kind: facts.KindDB, Plan: facts.PlanAzure{Subscription: "s", Target: serverID}, TargetDatabases: []string{"testdb", "hr", "payroll", "missing"}}
	az, errs := Collect(context.Background(), testConfig(s), r)
	srv := az.SQLServer
	if len(errs) > 0 || srv == nil || !srv.Exists || len(srv.Databases) != 4 {
		t.Fatalf("server %+v errors %v", srv, errs)
	}
	if d := srv.Databases[0]; !d.Exists || d.Status != "Online" || d.Error != "" {
		t.Errorf("testdb = %+v", d)
	}
	if d := srv.Databases[1]; d.Exists || !strings.Contains(d.Error, "Microsoft.Sql/servers/databases/read (Reader)") {
		t.Errorf("hr = %+v", d)
	}
	if d := srv.Databases[2]; d.Exists || !strings.Contains(d.Error, "503") {
		t.Errorf("payroll = %+v", d)
	}
	if d := srv.Databases[3]; d.Exists || d.Error != "" {
		t.Errorf("missing = %+v", d)
	}
	checkReadOnly(t, s.Requests())
}

// A Resource Manager call that stalls costs only its own part: the target
// is an error naming the timeout, and the storage account and the DMS
// service, which answer, are still read within the same budget.
func TestStalledCallCostsItsPartOnly(t *testing.T) {
	s := miServer(t)
	s.Hang("GET", miID)
	cfg := testConfig(s)
	cfg.Timeout = time.Second
	az, errs := Collect(context.Background(), cfg, miRequest())
	if az.Storage == nil || az.DMS == nil || !az.DMS.Exists || az.DMS.Nodes == nil {
		t.Errorf("storage %+v dms %+v", az.Storage, az.DMS)
	}
	if len(errs) != 1 || errs[0].Source != facts.SrcAzureTarget || errs[0].Kind != "timeout" {
		t.Fatalf("errors = %+v", errs)
	}
}

// Azure Monitor stalling on the instance's storage metric costs that
// metric only: the databases on the instance are still listed.
func TestStalledMetricCostsItselfOnly(t *testing.T) {
	s := miServer(t)
	s.Hang("GET", miID+"/providers/Microsoft.Insights/metrics")
	cfg := testConfig(s)
	cfg.Timeout = time.Second
	az, errs := Collect(context.Background(), cfg, miRequest())
	mi := az.ManagedInstance
	if len(errs) > 0 || mi == nil || mi.StorageUsedMB != nil || mi.StorageUsedError == "" || strings.Join(mi.Databases, ",") != "testdb1,testdb2" {
		t.Fatalf("mi %+v errors %v", mi, errs)
	}
}
