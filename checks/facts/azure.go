package facts

// Azure is what Azure Resource Manager said about the resources a migration
// uses: the backup storage account, the target and the DMS service. Each part
// is nil when it was not asked for or could not be read (the reason is then in
// Errors under azure.storage, azure.target or azure.dms).
type Azure struct {
	// Endpoint is the Resource Manager endpoint asked (the cloud).
	Endpoint string `json:"endpoint,omitempty"`
	// Subscription is the subscription the names were resolved in.
	Subscription string        `json:"subscription,omitempty"`
	Storage      *AzureStorage `json:"storage,omitempty"`
	// Exactly one of the target parts is set, matching plan.target.kind.
	ManagedInstance *AzureManagedInstance `json:"managedInstance,omitempty"`
	SQLVM           *AzureSQLVM           `json:"sqlVirtualMachine,omitempty"`
	SQLServer       *AzureSQLServer       `json:"sqlServer,omitempty"`
	DMS             *AzureDMS             `json:"dms,omitempty"`
}

// AzureStorage is a storage account's network rules
// (Microsoft.Storage/storageAccounts).
type AzureStorage struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location,omitempty"`
	// PublicNetworkAccess is Enabled, Disabled or SecuredByPerimeter; ""
	// when ARM left it out (the account then follows networkAcls).
	PublicNetworkAccess string `json:"publicNetworkAccess,omitempty"`
	// DefaultAction is networkAcls.defaultAction: Allow or Deny.
	DefaultAction string `json:"defaultAction,omitempty"`
	// Bypass is networkAcls.bypass, e.g. "AzureServices, Logging".
	Bypass              string                 `json:"bypass,omitempty"`
	VirtualNetworkRules []AzureVNetRule        `json:"virtualNetworkRules"`
	IPRules             []string               `json:"ipRules"`
	ResourceAccessRules []AzureResourceRule    `json:"resourceAccessRules"`
	PrivateEndpoints    []AzurePrivateEndpoint `json:"privateEndpoints"`
}

// AzureVNetRule admits one subnet.
type AzureVNetRule struct {
	SubnetID string `json:"subnetId"`
	Action   string `json:"action,omitempty"` // Allow
	// State is Succeeded, or e.g. NetworkSourceDeleted when the subnet is gone.
	State string `json:"state,omitempty"`
}

// AzureResourceRule admits one Azure resource instance (or a wildcard of
// them) through its managed identity.
type AzureResourceRule struct {
	TenantID   string `json:"tenantId,omitempty"`
	ResourceID string `json:"resourceId"`
}

// AzurePrivateEndpoint is one private endpoint connection of the account.
type AzurePrivateEndpoint struct {
	ID string `json:"id"`
	// Status is Approved, Pending, Rejected or Disconnected.
	Status string `json:"status,omitempty"`
}

// AzureManagedInstance is a Microsoft.Sql/managedInstances resource.
type AzureManagedInstance struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Exists is false when Resource Manager answered 404 for it.
	Exists            bool   `json:"exists"`
	Location          string `json:"location,omitempty"`
	State             string `json:"state,omitempty"`             // Ready, Creating, Stopped ...
	ProvisioningState string `json:"provisioningState,omitempty"` // Succeeded, Updating ...
	SKU               string `json:"sku,omitempty"`               // GP_Gen5, BC_Gen5 ...
	Tier              string `json:"tier,omitempty"`              // GeneralPurpose, BusinessCritical
	VCores            int    `json:"vCores,omitempty"`
	StorageSizeGB     int64  `json:"storageSizeGB,omitempty"`
	// GeneralPurposeV2 is the next-gen General Purpose flag; nil when ARM did
	// not report it.
	GeneralPurposeV2 *bool  `json:"generalPurposeV2,omitempty"`
	SubnetID         string `json:"subnetId,omitempty"`
	// StorageUsedMB is the instance's latest storage_space_used_mb (Azure
	// Monitor, maximum), system and existing databases included; nil when
	// not read (StorageUsedError says why).
	StorageUsedMB    *int64 `json:"storageUsedMB,omitempty"`
	StorageUsedError string `json:"storageUsedError,omitempty"`
	// Databases on the instance now; nil when they could not be listed
	// (DatabasesError says why).
	Databases      []string `json:"databases"`
	DatabasesError string   `json:"databasesError,omitempty"`
}

// AzureSQLVM is a Microsoft.SqlVirtualMachine/sqlVirtualMachines resource:
// the SQL IaaS Agent extension's registration of a VM. Registered is false
// when ARM answered that the VM has none.
type AzureSQLVM struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Registered        bool   `json:"registered"`
	ProvisioningState string `json:"provisioningState,omitempty"`
	// Management is sqlManagement: Full, LightWeight or NoAgent; "" when
	// not reported.
	Management       string `json:"management,omitempty"`
	ImageOffer       string `json:"imageOffer,omitempty"` // e.g. SQL2022-WS2022
	ImageSKU         string `json:"imageSku,omitempty"`   // Enterprise, Standard ...
	VirtualMachineID string `json:"virtualMachineId,omitempty"`
	// Location and SubnetIDs come from the virtual machine and its network
	// interfaces; SubnetIDs is nil when they could not be read
	// (SubnetsError says why).
	Location     string   `json:"location,omitempty"`
	SubnetIDs    []string `json:"subnetIds"`
	SubnetsError string   `json:"subnetsError,omitempty"`
}

// AzureSQLServer is a logical server (Microsoft.Sql/servers) and the
// migration's target databases on it.
type AzureSQLServer struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Exists    bool            `json:"exists"`
	Databases []AzureDatabase `json:"databases"`
}

// AzureDatabase is one target database; Exists is false when ARM answered
// 404 for it, or when it could not be read (Error says why: then whether it
// exists is unknown).
type AzureDatabase struct {
	Name             string `json:"name"`
	Exists           bool   `json:"exists"`
	Error            string `json:"error,omitempty"`
	Status           string `json:"status,omitempty"`           // Online, Paused ...
	ServiceObjective string `json:"serviceObjective,omitempty"` // currentServiceObjectiveName
	Tier             string `json:"tier,omitempty"`
	MaxSizeBytes     int64  `json:"maxSizeBytes,omitempty"`
}

// AzureDMS is a Microsoft.DataMigration/sqlMigrationServices resource and
// its self-hosted integration runtime.
type AzureDMS struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Exists            bool   `json:"exists"`
	ProvisioningState string `json:"provisioningState,omitempty"`
	// IntegrationRuntimeState: Online, NeedRegistration, Offline, Limited ...
	IntegrationRuntimeState string `json:"integrationRuntimeState,omitempty"`
	// IntegrationRuntime names the runtime the service's monitoring data
	// reports; Nodes are its registered nodes, nil when not read (the list
	// needs the monitoringData action, which Reader lacks).
	IntegrationRuntime string   `json:"integrationRuntime,omitempty"`
	Nodes              []string `json:"nodes"`
	NodesError         string   `json:"nodesError,omitempty"`
}
