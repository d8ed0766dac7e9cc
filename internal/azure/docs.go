package azure

import (
	"fmt"
	"strings"
)

// PermissionsDoc renders the Azure Resource Manager part of
// docs/permissions.md from Calls.
func PermissionsDoc() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("## Azure Resource Manager (optional `azure:` section)\n\n")
	w("<!-- Generated from internal/azure/calls.go by the same test. -->\n\n")
	w("With an `azure:` section (or the `--azure-*` flags) dmsready reads the migration's Azure resources from Resource Manager. " +
		"It signs in with azidentity: `DefaultAzureCredential` unless `azure.auth` pins one credential " +
		"(`cli`, `managed-identity`, `workload-identity`, `environment`). Every request is one of the calls below: " +
		"GETs, and one documented read-only POST where Resource Manager has no GET. A pipeline policy refuses any other " +
		"method or path before it leaves the process, and the automatic resource-provider registration (a POST) is " +
		"turned off. Throttled requests (429) are retried at most 3 times, honouring `Retry-After` up to 60 seconds.\n\n")
	w("The built-in **Reader** role on the resources (or their resource groups) allows every GET. Finding the storage " +
		"account by name (when `azure.storageAccount` is not a resource ID) lists the subscription's accounts: Reader on " +
		"the subscription. The DMS service's monitoring data needs one action Reader lacks; without it the runtime's " +
		"nodes are not listed and its reported state alone decides. A missing permission makes the checks that need it " +
		"report `error` naming the action and role; the other checks still run.\n\n")
	w("```json\n")
	w("{\n  \"Name\": \"dmsready reader\",\n  \"IsCustom\": true,\n  \"Description\": \"What dmsready reads from Azure Resource Manager\",\n")
	w("  \"Actions\": [\n")
	var acts []string
	seen := map[string]bool{}
	for _, c := range Calls {
		if !seen[c.Permission] {
			seen[c.Permission] = true
			acts = append(acts, "    \""+c.Permission+"\"")
		}
	}
	w("%s\n  ],\n  \"AssignableScopes\": [\"/subscriptions/<subscription id>\"]\n}\n```\n\n", strings.Join(acts, ",\n"))
	w("(Reader plus this custom role, or this role alone, is enough.)\n\n")
	w("| Call | Request | API version | Feeds | Permission | Role | Reads |\n|---|---|---|---|---|---|---|\n")
	for _, c := range Calls {
		w("| [`%s`](%s) | %s `%s` | %s | `%s` | `%s` | %s | %s |\n", c.Name, c.Doc, c.Method, c.Path, c.APIVersion, c.Feeds, c.Permission, c.Role, c.Reads)
	}
	return b.String()
}
