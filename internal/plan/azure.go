package plan

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/redact"
)

// Azure is the optional azure section: where the migration's Azure resources
// are, so dmsready can read them from Azure Resource Manager. Each resource
// is a full resource ID or a name in ResourceGroup.
type Azure struct {
	Subscription  string `yaml:"subscription"`
	ResourceGroup string `yaml:"resourceGroup"`
	// Target is the Managed Instance (sqlmi), the SQL virtual machine (sqlvm)
	// or the logical server (sqldb), by target.kind.
	Target string `yaml:"target"`
	// StorageAccount defaults to the account of storage.location.
	StorageAccount string `yaml:"storageAccount"`
	// DMS is the Microsoft.DataMigration/sqlMigrationServices resource.
	DMS string `yaml:"dms"`
	// Auth pins one credential: default (DefaultAzureCredential), cli,
	// managed-identity, workload-identity or environment.
	Auth string `yaml:"auth"`
	// ClientID picks a user-assigned managed identity.
	ClientID string `yaml:"clientId"`
	// Cloud is public (default), usgov or china; Endpoint overrides its
	// Resource Manager endpoint (Audience its token audience).
	Cloud    string        `yaml:"cloud"`
	Endpoint string        `yaml:"endpoint"`
	Audience string        `yaml:"audience"`
	Timeout  time.Duration `yaml:"timeout"`
	KeyPos   map[string]Pos
}

// Enabled reports whether the plan asks for Azure Resource Manager at all.
func (a *Azure) Enabled() bool {
	return a.Subscription != "" || a.Target != "" || a.StorageAccount != "" || a.DMS != ""
}

// Resource types dmsready reads, by what they are in the plan.
const (
	TypeManagedInstance = "Microsoft.Sql/managedInstances"
	TypeSQLVM           = "Microsoft.SqlVirtualMachine/sqlVirtualMachines"
	TypeSQLServer       = "Microsoft.Sql/servers"
	TypeStorageAccount  = "Microsoft.Storage/storageAccounts"
	TypeDMS             = "Microsoft.DataMigration/sqlMigrationServices"
)

// TargetType is the resource type of target kind k.
func TargetType(k string) string {
	switch k {
	case facts.KindMI:
		return TypeManagedInstance
	case facts.KindVM:
		return TypeSQLVM
	case facts.KindDB:
		return TypeSQLServer
	}
	return ""
}

// ResourceID is a parsed ARM resource ID of a top-level resource.
type ResourceID struct {
	Subscription, ResourceGroup, Type, Name string
}

func (r ResourceID) String() string {
	return "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/" + r.Type + "/" + r.Name
}

// ParseResourceID reads /subscriptions/S/resourceGroups/G/providers/NS/type/name.
func ParseResourceID(s string) (ResourceID, error) {
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) != 8 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") || !strings.EqualFold(parts[4], "providers") {
		return ResourceID{}, fmt.Errorf("%q is not a resource ID like /subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>", s)
	}
	for _, p := range parts {
		if p == "" {
			return ResourceID{}, fmt.Errorf("%q has an empty segment", s)
		}
	}
	return ResourceID{Subscription: parts[1], ResourceGroup: parts[3], Type: parts[5] + "/" + parts[6], Name: parts[7]}, nil
}

func isID(s string) bool { return strings.HasPrefix(s, "/") }

// resolve turns a name or ID into an ID of type typ; "" when v is empty.
func (a *Azure) resolve(v, typ string) (string, error) {
	if v == "" {
		return "", nil
	}
	if isID(v) {
		id, err := ParseResourceID(v)
		if err != nil {
			return "", err
		}
		if !strings.EqualFold(id.Type, typ) {
			return "", fmt.Errorf("%q is a %s, want a %s", v, id.Type, typ)
		}
		return v, nil
	}
	if strings.Contains(v, "/") {
		return "", fmt.Errorf("%q: give a name or a full resource ID starting with /subscriptions/", v)
	}
	sub := a.subscription()
	switch {
	case sub == "":
		return "", fmt.Errorf("%q is a name: give azure.subscription too (or a full resource ID)", v)
	case a.ResourceGroup == "":
		return "", fmt.Errorf("%q is a name: give azure.resourceGroup too (or a full resource ID)", v)
	}
	return ResourceID{Subscription: sub, ResourceGroup: a.ResourceGroup, Type: typ, Name: v}.String(), nil
}

// subscription is the one given, else the one of the first full ID.
func (a *Azure) subscription() string {
	if a.Subscription != "" {
		return a.Subscription
	}
	for _, v := range []string{a.Target, a.StorageAccount, a.DMS} {
		if id, err := ParseResourceID(v); err == nil {
			return id.Subscription
		}
	}
	return ""
}

// storageAccount is the account's ID; a bare name when no resource group is
// given, for the collector to find in the subscription (as it does the
// container URL's account).
func (a *Azure) storageAccount() (string, error) {
	v := a.StorageAccount
	if v != "" && !isID(v) && a.ResourceGroup == "" && !strings.Contains(v, "/") {
		return v, nil
	}
	return a.resolve(v, TypeStorageAccount)
}

// Clouds dmsready knows by name: Resource Manager endpoint and token audience.
var Clouds = map[string][2]string{
	"public": {"https://management.azure.com", "https://management.core.windows.net/"},
	"usgov":  {"https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net/"},
	"china":  {"https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn/"},
}

// AuthKinds are the credentials azure.auth can pin.
var AuthKinds = []string{"default", "cli", "managed-identity", "workload-identity", "environment"}

func (p *Document) validateAzure(errs *Errors) {
	a := &p.Azure
	if !a.Enabled() {
		for _, k := range []string{"resourceGroup", "auth", "clientId", "cloud", "endpoint", "audience"} {
			if _, ok := a.KeyPos[k]; ok {
				p.errAt(errs, a.KeyPos, k, "azure.%s: the azure section names no resource: give azure.subscription with azure.target, azure.storageAccount or azure.dms", k)
				return
			}
		}
		return
	}
	if a.Auth != "" && !contains(AuthKinds, a.Auth) {
		p.errAt(errs, a.KeyPos, "auth", "azure.auth %q: want %s or %s", a.Auth, strings.Join(AuthKinds[:len(AuthKinds)-1], ", "), AuthKinds[len(AuthKinds)-1])
	}
	if a.Cloud != "" {
		if _, ok := Clouds[a.Cloud]; !ok {
			p.errAt(errs, a.KeyPos, "cloud", "azure.cloud %q: want public, usgov or china (or give azure.endpoint)", a.Cloud)
		}
	}
	if a.Endpoint != "" {
		if u, err := url.Parse(a.Endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
			p.errAt(errs, a.KeyPos, "endpoint", "azure.endpoint %q: want an https URL like https://management.azure.com", a.Endpoint)
		}
	}
	if a.Timeout < 0 {
		p.errAt(errs, a.KeyPos, "timeout", "azure.timeout must not be negative")
	}
	if a.Target != "" {
		if typ := TargetType(p.Target.Kind); typ != "" {
			if _, err := a.resolve(a.Target, typ); err != nil {
				p.errAt(errs, a.KeyPos, "target", "azure.target: %v", err)
			}
		}
	}
	if _, err := a.storageAccount(); err != nil {
		p.errAt(errs, a.KeyPos, "storageAccount", "azure.storageAccount: %v", err)
	}
	if a.StorageAccount != "" && p.Storage.Location != "" && !redact.IsURL(p.Storage.Location) {
		p.errAt(errs, a.KeyPos, "storageAccount", "azure.storageAccount: the backups are on a share (storage.location), not in a storage account")
	}
	if _, err := a.resolve(a.DMS, TypeDMS); err != nil {
		p.errAt(errs, a.KeyPos, "dms", "azure.dms: %v", err)
	}
	if a.subscription() == "" {
		p.errAt(errs, a.KeyPos, "subscription", "azure: no subscription: give azure.subscription")
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// accountFromURL is the storage account of a blob container URL
// (https://<account>.blob.<suffix>/<container>, or .dfs.), or "".
func accountFromURL(loc string) string {
	if !redact.IsURL(loc) {
		return ""
	}
	u, err := url.Parse(loc)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	name, rest, ok := strings.Cut(host, ".")
	// A Data Lake Storage (dfs) URL names the same account; storage reads
	// it through the blob endpoint.
	if !ok || !strings.HasPrefix(rest, "blob.") && !strings.HasPrefix(rest, "dfs.") {
		return "" // an emulator or a custom domain: the account is not in the host
	}
	return name
}

// azureFacts is the azure section as the facts carry it: names resolved to
// resource IDs; the storage account, when not given, is the container's
// account name, which the collector finds in the subscription.
func (p *Document) azureFacts() *facts.PlanAzure {
	a := &p.Azure
	if !a.Enabled() {
		return nil
	}
	fa := &facts.PlanAzure{Subscription: a.subscription(), Auth: a.Auth, Cloud: a.Cloud, Endpoint: a.Endpoint}
	if fa.Auth == "" {
		fa.Auth = "default"
	}
	fa.Target, _ = a.resolve(a.Target, TargetType(p.Target.Kind))
	fa.StorageAccount, _ = a.storageAccount()
	if fa.StorageAccount == "" {
		fa.StorageAccount = accountFromURL(p.Storage.Location)
	}
	fa.DMS, _ = a.resolve(a.DMS, TypeDMS)
	return fa
}
