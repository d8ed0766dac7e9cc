package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// DMSServiceReady is check DMS605: the Database Migration Service resource
// the migration runs in must exist and be provisioned.
var DMSServiceReady = &check.Check{
	ID:       "DMS605",
	Title:    "DMS service exists and is provisioned",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureDMS},
	Prevents: "2012: Failed to test connections using provided Integration Runtime (no usable DMS service)",
	Doc: "A DMS migration runs in an Azure Database Migration Service resource " +
		"(Microsoft.DataMigration/sqlMigrationServices). Resource Manager answers 404 when `azure.dms` names none, and " +
		"reports its provisioning state otherwise (a free string in the 2025-06-30 API; the values are those the same " +
		"API lists for migration services): Succeeded passes, Provisioning, Failed and Canceled fail, Updating warns, " +
		"and any other value is cannot tell. The Log Replay Service (`method: lrs`) " +
		"uses no DMS service.",
	Fix:   "Create the Database Migration Service (portal, `az datamigration sql-service create`) or correct `azure.dms`.",
	Link:  linkDMSService,
	Basis: check.Documented("Microsoft, DMS: a migration runs in a provisioned Database Migration Service resource (known issues 2012); the provisioning-state grouping is dmsready's own, from the API's list"),
	Run: func(p *check.Pass) {
		d := p.Facts.Azure.DMS
		obj := check.AzureObject(d.Name)
		if p.Plan().Method == facts.MethodLRS {
			p.Skip("", obj, "the Log Replay Service uses no DMS service")
			return
		}
		if !d.Exists {
			p.Fail("", obj, fmt.Sprintf("no DMS service %s: Resource Manager answered 404 for %s", d.Name, d.ID), check.Ev{"id": d.ID})
			return
		}
		ev := check.Ev{"provisioningState": d.ProvisioningState}
		switch {
		case d.ProvisioningState == "":
			p.Skip("", obj, "the service's provisioning state is not reported")
		case strings.EqualFold(d.ProvisioningState, "Succeeded"):
			p.Pass("", obj, "the DMS service is provisioned", ev)
		case strings.EqualFold(d.ProvisioningState, "Updating"):
			p.Warn("", obj, "the DMS service is provisioned, with an update in progress (provisioning state Updating)", ev)
		case strings.EqualFold(d.ProvisioningState, "Provisioning"), strings.EqualFold(d.ProvisioningState, "Failed"),
			strings.EqualFold(d.ProvisioningState, "Canceled"):
			p.Fail("", obj, fmt.Sprintf("the DMS service's provisioning state is %s, not Succeeded", d.ProvisioningState), ev)
		default:
			p.Skip("", obj, fmt.Sprintf("the DMS service's provisioning state %s is not one dmsready knows (Provisioning, Updating, Succeeded, Failed, Canceled)", d.ProvisioningState))
		}
	},
}
