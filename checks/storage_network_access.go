package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// StorageNetworkAccess: the storage account's network rules must let the
// target (its virtual network) read the backups.
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
		"Instance's `subnetId`) lets it in; IP rules do not apply to traffic from the account's own region. A " +
		"resource-instance rule for the target admits it only when it authenticates with its managed identity, and an " +
		"approved private endpoint only when the target's network routes to it: both are reported as cannot tell. For " +
		"SQL Server on Azure VM the subnets are those of the VM's network interfaces; when only some of them are admitted, " +
		"which one the traffic leaves by is not known (cannot tell).",
	Fix: "Add the target's subnet to the storage account's virtual-network rules (with the Microsoft.Storage service " +
		"endpoint on that subnet), or reach the account through a private endpoint the target's network resolves.",
	Link:  linkFirewall,
	Basis: check.Documented("Microsoft, DMS known issues (2009): the target's virtual network must be allowed by the Azure Storage firewall; Azure Storage network security: how its rules are evaluated"),
	Run: func(p *check.Pass) {
		st := p.Facts.Azure.Storage
		obj := azureObj(st.Name)
		ev := check.Ev{"account": st.Name, "publicNetworkAccess": st.PublicNetworkAccess, "defaultAction": st.DefaultAction}
		var subnets []string
		var targetID, targetRegion, what string
		switch {
		case azureMI(p.Facts) != nil:
			mi := azureMI(p.Facts)
			if !mi.Exists {
				p.Skip("", obj, "the Managed Instance "+mi.Name+" does not exist (DMS602)")
				return
			}
			targetID, targetRegion, what = mi.ID, mi.Location, "Managed Instance "+mi.Name
			if mi.SubnetID != "" {
				subnets = []string{mi.SubnetID}
			}
		case p.Facts.Azure.SQLVM != nil:
			v := p.Facts.Azure.SQLVM
			if !v.Registered {
				p.Skip("", obj, "the SQL VM "+v.Name+" is not registered with the SQL IaaS Agent extension (DMS607)")
				return
			}
			targetID, targetRegion, subnets, what = v.VirtualMachineID, v.Location, v.SubnetIDs, "SQL VM "+v.Name
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
