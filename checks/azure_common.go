package checks

import (
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// Microsoft's pages the Azure Resource Manager checks (DMS6xx) cite.
const (
	linkDMSService   = "https://learn.microsoft.com/azure/dms/migration-using-azure-data-studio"
	linkSHIR         = "https://learn.microsoft.com/azure/data-factory/create-self-hosted-integration-runtime"
	linkSQLIaaS      = "https://learn.microsoft.com/azure/azure-sql/virtual-machines/windows/sql-agent-extension-manually-register-single-vm"
	linkSQLDBOffline = "https://learn.microsoft.com/azure/dms/tutorial-sql-server-azure-sql-database-offline"
	linkDMSToVM      = "https://learn.microsoft.com/azure/dms/tutorial-sql-server-to-virtual-machine-online-ads"
	linkSQLVMVersion = "https://learn.microsoft.com/azure/azure-sql/virtual-machines/windows/change-sql-server-version"
)

// azureMI is the Managed Instance Resource Manager reported, or nil.
func azureMI(f *facts.Facts) *facts.AzureManagedInstance {
	if f.Azure == nil {
		return nil
	}
	return f.Azure.ManagedInstance
}

// readMI is the Managed Instance that exists, with its finding object, for
// the checks that judge its settings (DMS603, DMS604); otherwise it records
// the skip, leaving existence to DMS602.
func readMI(p *check.Pass) (*facts.AzureManagedInstance, string, bool) {
	mi := azureMI(p.Facts)
	if mi == nil || !mi.Exists {
		p.Skip("", check.ObjectTarget, "no Managed Instance was read (DMS602)")
		return nil, "", false
	}
	return mi, check.AzureObject(mi.Name), true
}

// sameID compares ARM resource IDs, which are case-insensitive.
func sameID(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// region normalises an Azure location ("East US 2" and "eastus2" are one).
func region(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// needsIntegrationRuntime says whether DMS runs this migration through a
// self-hosted integration runtime: backups on a network share (it reads and
// uploads them) and Azure SQL Database targets (it copies the data).
func needsIntegrationRuntime(p *check.Pass) (bool, string) {
	pl := p.Plan()
	switch {
	case pl.Target.Kind == facts.KindDB:
		return true, "an Azure SQL Database migration copies the data through it"
	case pl.Storage.Kind == facts.StorageShare:
		return true, "the backups are on a network share, which it reads and uploads"
	}
	return false, ""
}
