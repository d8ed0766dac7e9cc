// Package azure reads, from Azure Resource Manager, what only Azure knows
// about a migration: the backup storage account's network rules, the target
// (Managed Instance, SQL virtual machine, logical server and its databases)
// and the DMS service with its self-hosted integration runtime. It only
// reads: every request is one of Calls, GETs and one documented read-only
// POST, and a pipeline policy refuses anything else before it leaves.
package azure

import (
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
)

// Call is one Resource Manager request dmsready makes. docs/permissions.md
// is generated from Calls.
type Call struct {
	Name   string
	Method string // GET, or POST for a documented read-only list action
	// Path is the request path with {placeholders}.
	Path       string
	APIVersion string
	// Permission is the Azure RBAC action that allows the call; Role the
	// smallest built-in role holding it.
	Permission, Role string
	Feeds            facts.Source
	Reads            string
	// Query is sent after api-version (fixed, never from input).
	Query string
	// Doc is Microsoft's REST reference for the call.
	Doc string
}

// API versions: the newest stable ones whose examples the tests replay.
const (
	apiStorage = "2025-01-01"
	apiSQL     = "2023-08-01"
	apiSQLVM   = "2023-10-01"
	apiDMS     = "2025-06-30"
	apiCompute = "2024-03-01"
	apiNetwork = "2024-05-01"
	apiMetrics = "2018-01-01"
)

const roleReader = "Reader"

// Calls is every request dmsready can send to Resource Manager.
var Calls = []Call{
	{Name: "storage-account", Method: "GET", APIVersion: apiStorage,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{account}",
		Permission: "Microsoft.Storage/storageAccounts/read", Role: roleReader, Feeds: facts.SrcAzureStorage,
		Reads: "location, properties.publicNetworkAccess, networkAcls (defaultAction, bypass, virtualNetworkRules, ipRules, resourceAccessRules), privateEndpointConnections (status)",
		Doc:   "https://learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties"},
	{Name: "storage-accounts", Method: "GET", APIVersion: apiStorage,
		Path:       "/subscriptions/{subscription}/providers/Microsoft.Storage/storageAccounts",
		Permission: "Microsoft.Storage/storageAccounts/read", Role: roleReader + " on the subscription", Feeds: facts.SrcAzureStorage,
		Reads: "the same fields, to find the container's account by name when azure.storageAccount is not given (follows nextLink)",
		Doc:   "https://learn.microsoft.com/rest/api/storagerp/storage-accounts/list"},
	{Name: "managed-instance", Method: "GET", APIVersion: apiSQL,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Sql/managedInstances/{instance}",
		Permission: "Microsoft.Sql/managedInstances/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "location, sku (name, tier), properties.state, provisioningState, vCores, storageSizeInGB, subnetId (isGeneralPurposeV2 is read too, but this API version does not report it)",
		Doc:   "https://learn.microsoft.com/rest/api/sql/managed-instances/get"},
	{Name: "managed-databases", Method: "GET", APIVersion: apiSQL,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Sql/managedInstances/{instance}/databases",
		Permission: "Microsoft.Sql/managedInstances/databases/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "the names of the databases already on the instance (follows nextLink)",
		Doc:   "https://learn.microsoft.com/rest/api/sql/managed-databases/list-by-instance"},
	{Name: "managed-instance-storage-used", Method: "GET", APIVersion: apiMetrics,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Sql/managedInstances/{instance}/providers/Microsoft.Insights/metrics",
		Query:      "metricnames=storage_space_used_mb&aggregation=Maximum",
		Permission: "Microsoft.Insights/metrics/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "the instance's storage_space_used_mb metric over the last hour (Azure Monitor's default), its latest maximum",
		Doc:   "https://learn.microsoft.com/rest/api/monitor/metrics/list"},
	{Name: "sql-virtual-machine", Method: "GET", APIVersion: apiSQLVM,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.SqlVirtualMachine/sqlVirtualMachines/{vm}",
		Permission: "Microsoft.SqlVirtualMachine/sqlVirtualMachines/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "properties.provisioningState, sqlManagement, sqlImageOffer, sqlImageSku, virtualMachineResourceId; a 404 means the VM is not registered with the SQL IaaS Agent extension",
		Doc:   "https://learn.microsoft.com/rest/api/sqlvm/sql-virtual-machines/get"},
	{Name: "virtual-machine", Method: "GET", APIVersion: apiCompute,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{vm}",
		Permission: "Microsoft.Compute/virtualMachines/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "location, properties.networkProfile.networkInterfaces (ids), of the VM the SQL IaaS Agent registration names",
		Doc:   "https://learn.microsoft.com/rest/api/compute/virtual-machines/get"},
	{Name: "network-interface", Method: "GET", APIVersion: apiNetwork,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/networkInterfaces/{nic}",
		Permission: "Microsoft.Network/networkInterfaces/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "properties.ipConfigurations[].properties.subnet.id: the VM's subnets, for the storage firewall",
		Doc:   "https://learn.microsoft.com/rest/api/virtualnetwork/network-interfaces/get"},
	{Name: "sql-server", Method: "GET", APIVersion: apiSQL,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Sql/servers/{server}",
		Permission: "Microsoft.Sql/servers/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "that the logical server exists (id, name)",
		Doc:   "https://learn.microsoft.com/rest/api/sql/servers/get"},
	{Name: "sql-database", Method: "GET", APIVersion: apiSQL,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Sql/servers/{server}/databases/{database}",
		Permission: "Microsoft.Sql/servers/databases/read", Role: roleReader, Feeds: facts.SrcAzureTarget,
		Reads: "per target database: sku.tier, properties.status, currentServiceObjectiveName, maxSizeBytes; a 404 means it does not exist",
		Doc:   "https://learn.microsoft.com/rest/api/sql/databases/get"},
	{Name: "dms-service", Method: "GET", APIVersion: apiDMS,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataMigration/sqlMigrationServices/{service}",
		Permission: "Microsoft.DataMigration/sqlMigrationServices/read", Role: roleReader, Feeds: facts.SrcAzureDMS,
		Reads: "properties.provisioningState, integrationRuntimeState",
		Doc:   "https://learn.microsoft.com/rest/api/datamigration/sql-migration-services/get"},
	{Name: "dms-monitoring-data", Method: "POST", APIVersion: apiDMS,
		Path:       "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataMigration/sqlMigrationServices/{service}/listMonitoringData",
		Permission: "Microsoft.DataMigration/sqlMigrationServices/monitoringData/action",
		Role:       "not in Reader: a custom role with this action (Contributor on the service also has it); without it the nodes are not listed and the runtime's state alone decides",
		Feeds:      facts.SrcAzureDMS,
		Reads:      "the integration runtime's name and its registered nodes (nodeName); a read-only POST: ARM has no GET for it, it changes nothing",
		Doc:        "https://learn.microsoft.com/rest/api/datamigration/sql-migration-services/list-monitoring-data"},
}

// callFor returns the call whose path template matches path (case-insensitive
// on the fixed segments), or nil.
func callFor(method, path string) *Call {
	got := strings.Split(strings.Trim(path, "/"), "/")
	for i := range Calls {
		c := &Calls[i]
		if c.Method != method {
			continue
		}
		want := strings.Split(strings.Trim(c.Path, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		ok := true
		for j, w := range want {
			if strings.HasPrefix(w, "{") {
				if got[j] == "" {
					ok = false
				}
				continue
			}
			if !strings.EqualFold(w, got[j]) {
				ok = false
				break
			}
		}
		if ok {
			return c
		}
	}
	return nil
}

func call(name string) *Call {
	for i := range Calls {
		if Calls[i].Name == name {
			return &Calls[i]
		}
	}
	panic("azure: no call " + name)
}
