package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// StorageNetworkAccess is check DMS601: the storage account's network rules
// must let the target (its virtual network) read the backups.
var StorageNetworkAccess = &check.Check{
	ID:       "DMS601",
	Title:    "Storage account network rules let the target in",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureStorage, facts.SrcAzureTarget},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Azure SQL target resource failed to connect to storage account. Make sure the target SQL VNet is allowed under the Azure Storage firewall rules",
	Doc: "The target restores the backups straight from the storage account, over its own network. Resource " +
		"Manager reports the account's network rules; they are read in Azure Storage's order and the rule that " +
		"decides is named. Public network access Disabled lets in private endpoints only. A firewall whose default " +
		"action is Allow lets every network in. With Deny, a virtual-network rule for the target's subnet (the Managed " +
		"Instance's `subnetId`) lets it in when the target is in the account's region: a Microsoft.Storage service endpoint " +
		"carries the subnet's identity to accounts in its own region only (Microsoft.Storage.Global to any), and the " +
		"subnet's endpoints are not read, so a rule for a target in another region is cannot tell (in the same region " +
		"the rule is taken to work: the portal enables the endpoint when it adds the rule, and a subnet without one is " +
		"not detected). IP rules do not apply to traffic from the account's own region. A " +
		"resource-instance rule for the target admits it only when it authenticates with its managed identity, and an " +
		"approved private endpoint only when the target's network routes to it: both are reported as cannot tell. For " +
		"SQL Server on Azure VM the subnets are those of the VM's network interfaces; when only some of them are admitted, " +
		"which one the traffic leaves by is not known (cannot tell). A public network access value other than Enabled, " +
		"Disabled or SecuredByPerimeter is cannot tell. The trusted-services exception (`bypass`) is not counted for " +
		"the target (dmsready's own rule: it admits listed services using their managed identity, not a SAS restore). " +
		"With backups on a network share, the self-hosted integration runtime uploads them to this account and must be " +
		"let in too (its client IP, or its VM's subnet: DMS's SQL VM tutorial, storage network configuration 1a/1b); " +
		"its address is not known, so behind a Deny firewall the verdict is cannot tell.",
	Fix: "Add the target's subnet to the storage account's virtual-network rules (with the Microsoft.Storage service " +
		"endpoint on that subnet), or reach the account through a private endpoint the target's network resolves.",
	Link:  linkFirewall,
	Basis: check.Documented("Microsoft, DMS known issues (2009): the target's virtual network must be allowed by the Azure Storage firewall; Azure Storage network security: how its rules are evaluated, and a Microsoft.Storage service endpoint serves its own region only; DMS tutorial (SQL VM), storage network configuration: with share backups the integration runtime must be let in too"),
	Run: func(p *check.Pass) {
		st := p.Facts.Azure.Storage
		obj := check.AzureObject(st.Name)
		ev := check.Ev{"account": st.Name, "publicNetworkAccess": st.PublicNetworkAccess, "defaultAction": st.DefaultAction}
		var subnets []string
		var targetID, targetRegion, what, kind string
		switch {
		case azureMI(p.Facts) != nil:
			mi := azureMI(p.Facts)
			if !mi.Exists {
				p.Skip("", obj, "the Managed Instance "+mi.Name+" does not exist (DMS602)")
				return
			}
			targetID, targetRegion, what, kind = mi.ID, mi.Location, "Managed Instance "+mi.Name, "instance"
			if mi.SubnetID != "" {
				subnets = []string{mi.SubnetID}
			}
		case p.Facts.Azure.SQLVM != nil:
			v := p.Facts.Azure.SQLVM
			if !v.Registered {
				p.Skip("", obj, "the SQL VM "+v.Name+" is not registered with the SQL IaaS Agent extension (DMS607)")
				return
			}
			targetID, targetRegion, subnets, what, kind = v.VirtualMachineID, v.Location, v.SubnetIDs, "SQL VM "+v.Name, "VM"
		}
		var approved []string
		for _, pe := range st.PrivateEndpoints {
			if strings.EqualFold(pe.Status, "Approved") {
				approved = append(approved, path.Base(pe.ID))
			}
		}
		switch strings.ToLower(st.PublicNetworkAccess) {
		case "disabled":
			if len(approved) == 0 {
				ev["rule"] = "publicNetworkAccess=Disabled"
				p.Fail("", obj, "public network access is disabled and the account has no approved private endpoint: nothing reaches it", ev)
				return
			}
			ev["privateEndpoints"] = strings.Join(approved, ", ")
			p.Skip("", obj, fmt.Sprintf("cannot tell: public network access is disabled; only private endpoints (%s) reach the account, and whether the %s's network routes to one is not known", list(approved, 5), what))
			return
		case "securedbyperimeter":
			p.Skip("", obj, "cannot tell: a network security perimeter decides access, and its rules are not read")
			return
		case "enabled", "":
			// Enabled, or not set (older accounts): the firewall decides.
		default:
			p.Skip("", obj, fmt.Sprintf("cannot tell: public network access %s is not a value dmsready knows (Enabled, Disabled, SecuredByPerimeter)", st.PublicNetworkAccess))
			return
		}
		switch strings.ToLower(st.DefaultAction) {
		case "allow":
			ev["rule"] = "networkAcls.defaultAction=Allow"
			p.Pass("", obj, "the firewall's default action is Allow: every network, the target's included, is let in", ev)
			return
		case "deny":
		default:
			p.Skip("", obj, "cannot tell: the account's firewall default action is not reported")
			return
		}
		ev["rule"] = "networkAcls.defaultAction=Deny"
		if len(subnets) > 0 {
			ev["subnet"] = strings.Join(subnets, ", ")
			var allowed, rules, short []string
			for _, sn := range subnets {
				short = append(short, shortSubnet(sn))
				for _, r := range st.VirtualNetworkRules {
					if !sameID(r.SubnetID, sn) || (r.Action != "" && !strings.EqualFold(r.Action, "Allow")) {
						continue
					}
					if r.State != "" && !strings.EqualFold(r.State, "Succeeded") {
						ev["rule"], ev["ruleState"] = "virtualNetworkRules: "+r.SubnetID, r.State
						p.Skip("", obj, fmt.Sprintf("cannot tell: the virtual-network rule for the %s's subnet %s is in state %s", what, shortSubnet(sn), r.State))
						return
					}
					allowed = append(allowed, shortSubnet(sn))
					rules = append(rules, r.SubnetID)
					break
				}
			}
			switch {
			case len(allowed) == len(subnets):
				ev["rule"] = "virtualNetworkRules: " + strings.Join(rules, ", ")
				if targetRegion == "" || region(targetRegion) != region(st.Location) {
					// A Microsoft.Storage service endpoint carries the subnet's
					// identity to accounts in its own region only;
					// Microsoft.Storage.Global to any. The subnet's endpoints are
					// not read.
					where := "its region is not known"
					if targetRegion != "" {
						where = "the " + kind + " is in " + region(targetRegion)
					}
					p.Skip("", obj, fmt.Sprintf("cannot tell: a virtual-network rule names the %s's subnet %s, but %s and the account in %s: the rule applies across regions only if the subnet's service endpoint is Microsoft.Storage.Global, which is not read", what, strings.Join(allowed, ", "), where, region(st.Location)))
					return
				}
				if p.Plan().Storage.Kind == facts.StorageShare {
					p.Skip("", obj, fmt.Sprintf("cannot tell: a virtual-network rule lets the %s's subnet %s in, but the self-hosted integration runtime uploads the share's backups to this account, and its address or subnet is not known", what, strings.Join(allowed, ", ")))
					return
				}
				p.Pass("", obj, fmt.Sprintf("a virtual-network rule lets the %s's subnet %s in", what, strings.Join(allowed, ", ")), ev)
				return
			case len(allowed) > 0:
				ev["rule"] = "virtualNetworkRules: " + strings.Join(rules, ", ")
				p.Skip("", obj, fmt.Sprintf("cannot tell: virtual-network rules let the %s's subnet %s in but not all of %s, and which one its traffic leaves by is not known", what, strings.Join(allowed, ", "), strings.Join(short, ", ")))
				return
			}
		}
		for _, r := range st.ResourceAccessRules {
			if targetID != "" && (sameID(r.ResourceID, targetID) || wildcardMatch(r.ResourceID, targetID)) {
				ev["rule"] = "resourceAccessRules: " + r.ResourceID
				p.Skip("", obj, fmt.Sprintf("cannot tell: a resource-instance rule admits the %s only when it authenticates with its managed identity, not with a SAS", what))
				return
			}
		}
		if len(approved) > 0 {
			ev["privateEndpoints"] = strings.Join(approved, ", ")
			p.Skip("", obj, fmt.Sprintf("cannot tell: no rule lets the %s in over the public endpoint, but private endpoints (%s) may, if its network routes to them", what, list(approved, 5)))
			return
		}
		if len(st.IPRules) > 0 && (targetRegion == "" || region(targetRegion) != region(st.Location)) {
			ev["ipRules"] = strings.Join(st.IPRules, ", ")
			p.Skip("", obj, fmt.Sprintf("cannot tell: the %s is not known to be in the account's region (%s), so its traffic may come from a public address that the IP rules (%s) admit", what, st.Location, list(st.IPRules, 5)))
			return
		}
		if len(subnets) == 0 {
			p.Skip("", obj, fmt.Sprintf("cannot tell: the firewall denies by default and the %s's subnet is not known", what))
			return
		}
		var short []string
		for _, sn := range subnets {
			short = append(short, shortSubnet(sn))
		}
		p.Fail("", obj, fmt.Sprintf("the firewall denies by default and no virtual-network rule, resource-instance rule or private endpoint lets the %s (subnet %s) in", what, strings.Join(short, ", ")), ev)
	},
}

// shortSubnet is "vnet/subnet" of a subnet resource ID.
func shortSubnet(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) >= 10 {
		return parts[7] + "/" + parts[9]
	}
	return id
}

// wildcardMatch: resource-instance rules may name "*" for the resource name
// (every instance of that type in the group) or for the group.
func wildcardMatch(pattern, id string) bool {
	if !strings.Contains(pattern, "*") {
		return false
	}
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(id))
	return err == nil && ok
}
