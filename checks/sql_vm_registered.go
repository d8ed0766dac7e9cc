package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// SQLVMRegistered is check DMS607: DMS migrates to SQL Server on Azure VM
// only through the SQL IaaS Agent extension, registered in full mode.
var SQLVMRegistered = &check.Check{
	ID:       "DMS607",
	Title:    "SQL Server VM is registered with the SQL IaaS Agent extension in full mode",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "Limitation: the target SQL Server on Azure VM must be registered with the SQL IaaS Agent extension in full management mode",
	Doc: "DMS restores to SQL Server on Azure VM through the SQL IaaS Agent extension, which it needs in full mode. " +
		"Registration is the Microsoft.SqlVirtualMachine/sqlVirtualMachines resource: a 404 for `azure.target` means " +
		"the VM is not registered (or the name is wrong). Its `sqlManagement` must be Full; LightWeight and NoAgent " +
		"fail (DMS's SQL VM tutorial: an existing VM must be registered in Full management mode), and a mode " +
		"Resource Manager does not report, or one outside that list, is cannot tell. A registration whose provisioning state is " +
		"not Succeeded fails.",
	Fix:   "Register the VM with the SQL IaaS Agent extension (portal: SQL virtual machines; or `az sql vm create`) and upgrade it to full mode.",
	Link:  linkDMSToVM,
	Basis: check.Documented("Microsoft, DMS limitations and tutorial for SQL Server on Azure VM: the SQL IaaS Agent extension in full management mode"),
	Run: func(p *check.Pass) {
		v := p.Facts.Azure.SQLVM
		if v == nil {
			p.Skip("", check.ObjectTarget, "the azure target is not a SQL virtual machine")
			return
		}
		obj := check.AzureObject(v.Name)
		if !v.Registered {
			p.Fail("", obj, fmt.Sprintf("%s is not registered with the SQL IaaS Agent extension: Resource Manager has no %s", v.Name, v.ID), check.Ev{"id": v.ID})
			return
		}
		ev := check.Ev{"sqlManagement": v.Management, "provisioningState": v.ProvisioningState}
		switch {
		case v.ProvisioningState != "" && !strings.EqualFold(v.ProvisioningState, "Succeeded"):
			p.Fail("", obj, fmt.Sprintf("the registration's provisioning state is %s, not Succeeded", v.ProvisioningState), ev)
		case strings.EqualFold(v.Management, "Full"):
			p.Pass("", obj, "registered with the SQL IaaS Agent extension in full mode", ev)
		case v.Management == "":
			p.Skip("", obj, "registered with the SQL IaaS Agent extension; its management mode is not reported")
		case strings.EqualFold(v.Management, "LightWeight"), strings.EqualFold(v.Management, "NoAgent"):
			p.Fail("", obj, fmt.Sprintf("registered in %s mode; DMS needs full mode", v.Management), ev)
		default:
			p.Skip("", obj, fmt.Sprintf("registered with the SQL IaaS Agent extension; its management mode %s is not one dmsready knows (Full, LightWeight, NoAgent)", v.Management))
		}
	},
}
