package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/plan"
)

// Request is what to read: the plan's azure section (resource IDs), the
// target kind, and for Azure SQL Database the target database names.
type Request struct {
	Plan            facts.PlanAzure
	Kind            string
	TargetDatabases []string
}

// Collect reads every resource the request names. Each failure is recorded
// against its part (azure.storage, azure.target, azure.dms); the other parts
// are still read.
func Collect(ctx context.Context, cfg Config, r Request) (*facts.Azure, []facts.SourceError) {
	var errs []facts.SourceError
	fail := func(err error) {
		for _, s := range r.sources() {
			errs = append(errs, sourceError(s, err))
		}
	}
	cl, err := newClient(cfg)
	if err != nil {
		fail(fmt.Errorf("azure credential: %w", err))
		return nil, errs
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	az := &facts.Azure{Endpoint: cl.endpoint, Subscription: r.Plan.Subscription}
	// The parts are read at once, each writing its own fields and error:
	// a call that stalls costs its own part the budget, not the others.
	var wg sync.WaitGroup
	var perr [3]error
	if r.Plan.StorageAccount != "" {
		wg.Go(func() {
			var s *facts.AzureStorage
			if s, perr[0] = cl.storage(ctx, r.Plan.Subscription, r.Plan.StorageAccount); perr[0] == nil {
				az.Storage = s
			}
		})
	}
	if r.Plan.Target != "" {
		wg.Go(func() { perr[1] = cl.target(ctx, az, r) })
	}
	if r.Plan.DMS != "" {
		wg.Go(func() {
			var d *facts.AzureDMS
			if d, perr[2] = cl.dms(ctx, r.Plan.DMS); perr[2] == nil {
				az.DMS = d
			}
		})
	}
	wg.Wait()
	for i, src := range []facts.Source{facts.SrcAzureStorage, facts.SrcAzureTarget, facts.SrcAzureDMS} {
		if perr[i] != nil {
			errs = append(errs, sourceError(src, perr[i]))
		}
	}
	return az, errs
}

func (r Request) sources() []facts.Source {
	var out []facts.Source
	if r.Plan.StorageAccount != "" {
		out = append(out, facts.SrcAzureStorage)
	}
	if r.Plan.Target != "" {
		out = append(out, facts.SrcAzureTarget)
	}
	if r.Plan.DMS != "" {
		out = append(out, facts.SrcAzureDMS)
	}
	return out
}

func notFound(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.status == http.StatusNotFound
}

func nameOf(id string) string {
	if r, err := plan.ParseResourceID(id); err == nil {
		return r.Name
	}
	return id
}

// storageAccount holds the fields read of Microsoft.Storage/storageAccounts.
type storageAccount struct {
	ID, Name, Location string
	Properties         struct {
		PublicNetworkAccess string `json:"publicNetworkAccess"`
		NetworkACLs         *struct {
			Bypass              string `json:"bypass"`
			DefaultAction       string `json:"defaultAction"`
			VirtualNetworkRules []struct {
				ID     string `json:"id"`
				Action string `json:"action"`
				State  string `json:"state"`
			} `json:"virtualNetworkRules"`
			IPRules []struct {
				Value string `json:"value"`
			} `json:"ipRules"`
			ResourceAccessRules []struct {
				TenantID   string `json:"tenantId"`
				ResourceID string `json:"resourceId"`
			} `json:"resourceAccessRules"`
		} `json:"networkAcls"`
		PrivateEndpointConnections []struct {
			ID         string `json:"id"`
			Properties struct {
				PrivateEndpoint struct {
					ID string `json:"id"`
				} `json:"privateEndpoint"`
				State struct {
					Status string `json:"status"`
				} `json:"privateLinkServiceConnectionState"`
			} `json:"properties"`
		} `json:"privateEndpointConnections"`
	} `json:"properties"`
}

func (a *storageAccount) facts() *facts.AzureStorage {
	s := &facts.AzureStorage{ID: a.ID, Name: a.Name, Location: a.Location, PublicNetworkAccess: a.Properties.PublicNetworkAccess,
		VirtualNetworkRules: []facts.AzureVNetRule{}, IPRules: []string{}, ResourceAccessRules: []facts.AzureResourceRule{},
		PrivateEndpoints: []facts.AzurePrivateEndpoint{}}
	if n := a.Properties.NetworkACLs; n != nil {
		s.DefaultAction, s.Bypass = n.DefaultAction, n.Bypass
		for _, v := range n.VirtualNetworkRules {
			s.VirtualNetworkRules = append(s.VirtualNetworkRules, facts.AzureVNetRule{SubnetID: v.ID, Action: v.Action, State: v.State})
		}
		for _, ip := range n.IPRules {
			s.IPRules = append(s.IPRules, ip.Value)
		}
		for _, rr := range n.ResourceAccessRules {
			s.ResourceAccessRules = append(s.ResourceAccessRules, facts.AzureResourceRule{TenantID: rr.TenantID, ResourceID: rr.ResourceID})
		}
	}
	for _, pe := range a.Properties.PrivateEndpointConnections {
		id := pe.Properties.PrivateEndpoint.ID
		if id == "" {
			id = pe.ID
		}
		s.PrivateEndpoints = append(s.PrivateEndpoints, facts.AzurePrivateEndpoint{ID: id, Status: pe.Properties.State.Status})
	}
	return s
}

// storage reads the account by ID, or finds it by name in the subscription.
func (cl *client) storage(ctx context.Context, sub, v string) (*facts.AzureStorage, error) {
	if strings.HasPrefix(v, "/") {
		var a storageAccount
		if err := cl.do(ctx, call("storage-account"), v, &a); err != nil {
			return nil, err
		}
		return a.facts(), nil
	}
	c := call("storage-accounts")
	var found *storageAccount
	err := cl.list(ctx, c, "/subscriptions/"+sub+"/providers/Microsoft.Storage/storageAccounts", func(p *listPage) error {
		for _, raw := range p.Value {
			var a storageAccount
			if err := json.Unmarshal(raw, &a); err != nil {
				return &apiError{call: c, err: fmt.Errorf("decoding the answer: %w", err)}
			}
			if strings.EqualFold(a.Name, v) && found == nil {
				found = &a
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, &apiError{call: c, status: http.StatusNotFound, code: "NotInSubscription",
			msg: fmt.Sprintf("no storage account named %s in subscription %s (give azure.storageAccount as a resource ID if it is in another)", v, sub)}
	}
	return found.facts(), nil
}

type managedInstance struct {
	ID, Name, Location string
	SKU                struct{ Name, Tier string } `json:"sku"`
	Properties         struct {
		State             string `json:"state"`
		ProvisioningState string `json:"provisioningState"`
		VCores            int    `json:"vCores"`
		StorageSizeInGB   int64  `json:"storageSizeInGB"`
		// Not in the 2023-08-01 ManagedInstanceProperties: nil unless a
		// newer service answer carries it (DMS604 then cannot tell
		// General Purpose's 100 from next-gen's 500 databases).
		IsGeneralPurposeV2 *bool  `json:"isGeneralPurposeV2"`
		SubnetID           string `json:"subnetId"`
	} `json:"properties"`
}

type sqlVM struct {
	ID, Name   string
	Properties struct {
		ProvisioningState        string `json:"provisioningState"`
		SQLManagement            string `json:"sqlManagement"`
		SQLImageOffer            string `json:"sqlImageOffer"`
		SQLImageSku              string `json:"sqlImageSku"`
		VirtualMachineResourceID string `json:"virtualMachineResourceId"`
	} `json:"properties"`
}

type sqlDatabase struct {
	SKU        struct{ Tier string } `json:"sku"`
	Properties struct {
		Status                      string `json:"status"`
		CurrentServiceObjectiveName string `json:"currentServiceObjectiveName"`
		MaxSizeBytes                int64  `json:"maxSizeBytes"`
	} `json:"properties"`
}

// target reads the Managed Instance, SQL VM or logical server.
func (cl *client) target(ctx context.Context, az *facts.Azure, r Request) error {
	id := r.Plan.Target
	switch r.Kind {
	case facts.KindMI:
		var m managedInstance
		err := cl.do(ctx, call("managed-instance"), id, &m)
		if notFound(err) {
			az.ManagedInstance = &facts.AzureManagedInstance{ID: id, Name: nameOf(id)}
			return nil
		}
		if err != nil {
			return err
		}
		mi := &facts.AzureManagedInstance{ID: m.ID, Name: m.Name, Exists: true, Location: m.Location,
			State: m.Properties.State, ProvisioningState: m.Properties.ProvisioningState, SKU: m.SKU.Name, Tier: m.SKU.Tier,
			VCores: m.Properties.VCores, StorageSizeGB: m.Properties.StorageSizeInGB, GeneralPurposeV2: m.Properties.IsGeneralPurposeV2,
			SubnetID: m.Properties.SubnetID}
		// Azure Monitor and the database list are read at once: one
		// stalling costs its own field only.
		var wg sync.WaitGroup
		wg.Go(func() {
			if used, err := cl.storageUsed(ctx, id); err != nil {
				se := sourceError(facts.SrcAzureTarget, err)
				mi.StorageUsedError = se.Message
				if se.Permission != "" {
					mi.StorageUsedError += " (needs " + se.Permission + ")"
				}
			} else {
				mi.StorageUsedMB = used
			}
		})
		defer wg.Wait()
		dbs := []string{}
		err = cl.list(ctx, call("managed-databases"), id+"/databases", func(p *listPage) error {
			for _, raw := range p.Value {
				var d struct{ Name string }
				if err := json.Unmarshal(raw, &d); err != nil {
					return err
				}
				dbs = append(dbs, d.Name)
			}
			return nil
		})
		if err != nil {
			se := sourceError(facts.SrcAzureTarget, err)
			mi.DatabasesError = se.Message
			if se.Permission != "" {
				mi.DatabasesError += " (needs " + se.Permission + ")"
			}
		} else {
			mi.Databases = dbs
		}
		wg.Wait()
		az.ManagedInstance = mi
	case facts.KindVM:
		var v sqlVM
		err := cl.do(ctx, call("sql-virtual-machine"), id, &v)
		if notFound(err) {
			az.SQLVM = &facts.AzureSQLVM{ID: id, Name: nameOf(id)}
			return nil
		}
		if err != nil {
			return err
		}
		az.SQLVM = &facts.AzureSQLVM{ID: v.ID, Name: v.Name, Registered: true, ProvisioningState: v.Properties.ProvisioningState,
			Management: v.Properties.SQLManagement, ImageOffer: v.Properties.SQLImageOffer, ImageSKU: v.Properties.SQLImageSku,
			VirtualMachineID: v.Properties.VirtualMachineResourceID}
		if err := cl.vmSubnets(ctx, az.SQLVM); err != nil {
			se := sourceError(facts.SrcAzureTarget, err)
			az.SQLVM.SubnetIDs, az.SQLVM.SubnetsError = nil, se.Message
			if se.Permission != "" {
				az.SQLVM.SubnetsError += " (needs " + se.Permission + ")"
			}
		}
	case facts.KindDB:
		var s struct{ ID, Name string }
		err := cl.do(ctx, call("sql-server"), id, &s)
		if notFound(err) {
			az.SQLServer = &facts.AzureSQLServer{ID: id, Name: nameOf(id), Databases: []facts.AzureDatabase{}}
			return nil
		}
		if err != nil {
			return err
		}
		srv := &facts.AzureSQLServer{ID: s.ID, Name: s.Name, Exists: true, Databases: []facts.AzureDatabase{}}
		for _, name := range r.TargetDatabases {
			var d sqlDatabase
			err := cl.do(ctx, call("sql-database"), id+"/databases/"+url.PathEscape(name), &d)
			if notFound(err) {
				srv.Databases = append(srv.Databases, facts.AzureDatabase{Name: name})
				continue
			}
			if err != nil {
				// This database alone is unknown; the server and the
				// other databases still answer.
				se := sourceError(facts.SrcAzureTarget, err)
				if se.Permission != "" {
					se.Message += " (needs " + se.Permission + ")"
				}
				srv.Databases = append(srv.Databases, facts.AzureDatabase{Name: name, Error: se.Message})
				continue
			}
			srv.Databases = append(srv.Databases, facts.AzureDatabase{Name: name, Exists: true, Status: d.Properties.Status,
				ServiceObjective: d.Properties.CurrentServiceObjectiveName, Tier: d.SKU.Tier, MaxSizeBytes: d.Properties.MaxSizeBytes})
		}
		az.SQLServer = srv
	default:
		return fmt.Errorf("azure.target needs target.kind sqlmi, sqlvm or sqldb")
	}
	return nil
}

// dms reads the DMS service, then its integration runtime's nodes.
func (cl *client) dms(ctx context.Context, id string) (*facts.AzureDMS, error) {
	var s struct {
		ID, Name   string
		Properties struct {
			ProvisioningState       string `json:"provisioningState"`
			IntegrationRuntimeState string `json:"integrationRuntimeState"`
		} `json:"properties"`
	}
	err := cl.do(ctx, call("dms-service"), id, &s)
	if notFound(err) {
		return &facts.AzureDMS{ID: id, Name: nameOf(id)}, nil
	}
	if err != nil {
		return nil, err
	}
	d := &facts.AzureDMS{ID: s.ID, Name: s.Name, Exists: true, ProvisioningState: s.Properties.ProvisioningState,
		IntegrationRuntimeState: s.Properties.IntegrationRuntimeState}
	var m struct {
		Name  string
		Nodes []struct {
			NodeName string `json:"nodeName"`
		}
	}
	if err := cl.do(ctx, call("dms-monitoring-data"), id+"/listMonitoringData", &m); err != nil {
		se := sourceError(facts.SrcAzureDMS, err)
		d.NodesError = se.Message
		if se.Permission != "" {
			d.NodesError += " (needs " + se.Permission + ")"
		}
		return d, nil
	}
	d.IntegrationRuntime = m.Name
	if m.Nodes == nil {
		// No nodes field (or null): unknown, not "none registered".
		d.NodesError = "the monitoring data did not list the runtime's nodes"
		return d, nil
	}
	d.Nodes = []string{}
	for _, n := range m.Nodes {
		d.Nodes = append(d.Nodes, n.NodeName)
	}
	return d, nil
}

// vmSubnets reads the VM behind a SQL IaaS Agent registration and the
// subnets of its network interfaces: where its traffic to storage leaves.
func (cl *client) vmSubnets(ctx context.Context, v *facts.AzureSQLVM) error {
	if v.VirtualMachineID == "" {
		return fmt.Errorf("the registration names no virtual machine")
	}
	var vm struct {
		Location   string `json:"location"`
		Properties struct {
			NetworkProfile struct {
				NetworkInterfaces []struct {
					ID string `json:"id"`
				} `json:"networkInterfaces"`
			} `json:"networkProfile"`
		} `json:"properties"`
	}
	if err := cl.do(ctx, call("virtual-machine"), v.VirtualMachineID, &vm); err != nil {
		return err
	}
	v.Location = vm.Location
	subnets := []string{}
	seen := map[string]bool{}
	for i, n := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if i == 8 {
			break // Azure allows 8 NICs on most sizes; more is not a VM shape
		}
		var nic struct {
			Properties struct {
				IPConfigurations []struct {
					Properties struct {
						Subnet struct {
							ID string `json:"id"`
						} `json:"subnet"`
					} `json:"properties"`
				} `json:"ipConfigurations"`
			} `json:"properties"`
		}
		if err := cl.do(ctx, call("network-interface"), n.ID, &nic); err != nil {
			return err
		}
		for _, ipc := range nic.Properties.IPConfigurations {
			id := ipc.Properties.Subnet.ID
			if id != "" && !seen[strings.ToLower(id)] {
				seen[strings.ToLower(id)] = true
				subnets = append(subnets, id)
			}
		}
	}
	v.SubnetIDs = subnets
	return nil
}

// storageUsed is the instance's latest reported storage_space_used_mb; an
// error when Azure Monitor has no data point for it.
func (cl *client) storageUsed(ctx context.Context, id string) (*int64, error) {
	var m struct {
		Value []struct {
			Name struct {
				Value string `json:"value"`
			} `json:"name"`
			Timeseries []struct {
				Data []struct {
					TimeStamp string   `json:"timeStamp"`
					Maximum   *float64 `json:"maximum"`
				} `json:"data"`
			} `json:"timeseries"`
		} `json:"value"`
	}
	c := call("managed-instance-storage-used")
	if err := cl.do(ctx, c, id+"/providers/Microsoft.Insights/metrics", &m); err != nil {
		return nil, err
	}
	var latest string
	var val *float64
	for _, v := range m.Value {
		if !strings.EqualFold(v.Name.Value, "storage_space_used_mb") {
			continue
		}
		for _, ts := range v.Timeseries {
			for _, d := range ts.Data {
				// ISO 8601 UTC stamps compare as strings.
				if d.Maximum != nil && d.TimeStamp >= latest {
					latest, val = d.TimeStamp, d.Maximum
				}
			}
		}
	}
	if val == nil {
		return nil, &apiError{call: c, err: errors.New("no storage_space_used_mb value from Azure Monitor in the last hour")}
	}
	mb := int64(*val + 0.5)
	return &mb, nil
}
