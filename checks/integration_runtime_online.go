package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// IntegrationRuntimeOnline is check DMS606: when DMS needs a self-hosted
// integration runtime, one must be registered with this DMS service and
// online.
var IntegrationRuntimeOnline = &check.Check{
	ID:       "DMS606",
	Title:    "Self-hosted integration runtime is registered with the DMS service and online",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureDMS},
	Prevents: "2014: Integration Runtime <IR Name> ... isn't online; 2012: Failed to test connections using provided Integration Runtime; limitation: a self-hosted integration runtime created from Azure Data Factory can't be used",
	Doc: "DMS reaches a network share of backups, and an Azure SQL Database migration reaches the source, through a " +
		"self-hosted integration runtime registered with the DMS service itself (with the service's authentication " +
		"key): a runtime created in Azure Data Factory cannot be used. Resource Manager reports the service's " +
		"`integrationRuntimeState`: Online passes; NeedRegistration (no node registered with this service, for " +
		"instance because the node was registered to a Data Factory) and Offline fail; Limited (some nodes offline) " +
		"warns. The registered nodes come from the service's monitoring data (a read-only POST that Reader does not " +
		"allow; without it the state alone decides). Backups in a blob container going to Managed Instance or SQL " +
		"Server on Azure VM need no runtime, and the check does not apply.",
	Fix: "Install the integration runtime on a machine that reaches the source (and the share), register it with this " +
		"DMS service's authentication key (not a Data Factory's), and make sure the node shows Online.",
	Link:  linkSHIR,
	Basis: check.Documented("Microsoft, DMS known issues (2012, 2014): the self-hosted integration runtime must be registered with the DMS service and online"),
	Run: func(p *check.Pass) {
		d := p.Facts.Azure.DMS
		obj := check.AzureObject(d.Name)
		need, why := needsIntegrationRuntime(p)
		if !need {
			p.Skip("", obj, "no self-hosted integration runtime is needed: the backups are not on a network share and the target is not Azure SQL Database")
			return
		}
		if p.Plan().Method == facts.MethodLRS {
			p.Skip("", obj, "the Log Replay Service uses no integration runtime")
			return
		}
		if !d.Exists {
			p.Skip("", obj, "the DMS service does not exist (DMS605)")
			return
		}
		ev := check.Ev{"integrationRuntimeState": d.IntegrationRuntimeState, "needed": why}
		nodes := "nodes not listed"
		switch {
		case d.Nodes != nil:
			ev["nodes"] = strings.Join(d.Nodes, ", ")
			nodes = count(len(d.Nodes), "registered node", "registered nodes")
			if len(d.Nodes) > 0 {
				nodes += " (" + list(d.Nodes, 5) + ")"
			}
		case d.NodesError != "":
			ev["nodesError"] = d.NodesError
		}
		if d.IntegrationRuntime != "" {
			ev["integrationRuntime"] = d.IntegrationRuntime
		}
		switch strings.ToLower(d.IntegrationRuntimeState) {
		case "online":
			p.Pass("", obj, "the integration runtime is online; "+nodes, ev)
		case "needregistration":
			p.Fail("", obj, "no integration runtime node is registered with this DMS service (a runtime registered to an Azure Data Factory cannot be used); "+nodes, ev)
		case "offline":
			p.Fail("", obj, "the integration runtime is registered but offline; "+nodes, ev)
		case "limited":
			p.Warn("", obj, "the integration runtime is limited: some of its nodes are offline; "+nodes, ev)
		case "":
			if d.Nodes != nil && len(d.Nodes) == 0 {
				p.Fail("", obj, "no integration runtime node is registered with this DMS service", ev)
				return
			}
			p.Skip("", obj, "the integration runtime's state is not reported; "+nodes)
		default:
			p.Skip("", obj, fmt.Sprintf("the integration runtime's state %s is not one dmsready knows; %s", d.IntegrationRuntimeState, nodes))
		}
	},
}
