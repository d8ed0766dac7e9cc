package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ManagedInstanceReady is check DMS602: DMS refuses a Managed Instance that
// is not ready.
var ManagedInstanceReady = &check.Check{
	ID:       "DMS602",
	Title:    "Managed Instance exists and is ready",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2030: Azure SQL Managed Instance <Instance Name> isn't ready",
	Doc: "DMS migrates only into a Managed Instance whose state is Ready (error 2030's cause: the instance is not in " +
		"ready state). Resource Manager reports the instance's `state` (a free string: Ready, Stopped, Starting ...) " +
		"and `provisioningState`: a state other than Ready fails, " +
		"and a Ready instance with a management operation still running (provisioning state other than Succeeded, " +
		"such as Updating during a scale) warns, as does one whose last operation ended Failed, Canceled or TimedOut " +
		"(nothing is in progress then); provisioning state Deleting (or Deleted) fails. A 404 for the planned instance fails too.",
	Fix:   "Wait until the instance has finished deploying (or start a stopped instance), then migrate; check `azure.target` names the right instance.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2030): the Managed Instance must be ready (a running management operation warns: dmsready's own rule)"),
	Run: func(p *check.Pass) {
		mi := azureMI(p.Facts)
		if mi == nil {
			p.Skip("", check.ObjectTarget, "the azure target is not a Managed Instance")
			return
		}
		obj := check.AzureObject(mi.Name)
		if !mi.Exists {
			p.Fail("", obj, fmt.Sprintf("no Managed Instance %s: Resource Manager answered 404 for %s", mi.Name, mi.ID), check.Ev{"id": mi.ID})
			return
		}
		ev := check.Ev{"state": mi.State, "provisioningState": mi.ProvisioningState}
		switch {
		case mi.State == "":
			p.Skip("", obj, "the instance's state is not reported")
		case !strings.EqualFold(mi.State, "Ready"):
			p.Fail("", obj, fmt.Sprintf("the instance is %s, not Ready", mi.State), ev)
		case strings.EqualFold(mi.ProvisioningState, "Deleting"), strings.EqualFold(mi.ProvisioningState, "Deleted"):
			p.Fail("", obj, fmt.Sprintf("the instance is being deleted (provisioning state %s)", mi.ProvisioningState), ev)
		case miOperationEnded[strings.ToLower(mi.ProvisioningState)]:
			p.Warn("", obj, fmt.Sprintf("the instance is Ready, but its last management operation ended %s: check the instance's operations before migrating", mi.ProvisioningState), ev)
		case mi.ProvisioningState != "" && !strings.EqualFold(mi.ProvisioningState, "Succeeded"):
			p.Warn("", obj, fmt.Sprintf("the instance is Ready but an operation is in progress (provisioning state %s)", mi.ProvisioningState), ev)
		default:
			p.Pass("", obj, "the instance is Ready", ev)
		}
	},
}

// miOperationEnded are the Managed Instance provisioning states (2023-08-01
// ManagedInstancePropertiesProvisioningState) of an operation that has
// ended without succeeding, lowercased.
var miOperationEnded = map[string]bool{"failed": true, "canceled": true, "timedout": true}
