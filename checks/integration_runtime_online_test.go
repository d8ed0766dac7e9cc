package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestIntegrationRuntimeOnline(t *testing.T) {
	testCheck(t, IntegrationRuntimeOnline, []tcase{
		{"online", azDMS(facts.KindMI, func(d *facts.AzureDMS) {}), []string{"pass azure:dms1: online; 1 registered node (HOST1)"}},
		{"needs registration", azDMS(facts.KindDB, func(d *facts.AzureDMS) { d.IntegrationRuntimeState, d.Nodes = "NeedRegistration", []string{} }),
			[]string{"fail azure:dms1: no integration runtime node is registered with this DMS service (a runtime registered to an Azure Data Factory"}},
		{"offline", azDMS(facts.KindVM, func(d *facts.AzureDMS) { d.IntegrationRuntimeState = "Offline" }), []string{"fail azure:dms1: registered but offline"}},
		{"limited", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.IntegrationRuntimeState = "Limited" }), []string{"warn azure:dms1"}},
		{"state unknown, no nodes", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.IntegrationRuntimeState, d.Nodes = "", []string{} }), []string{"fail azure:dms1"}},
		{"state and nodes unknown", azDMS(facts.KindMI, func(d *facts.AzureDMS) {
			d.IntegrationRuntimeState, d.Nodes, d.NodesError = "", nil, "needs Microsoft.DataMigration/sqlMigrationServices/monitoringData/action"
		}), []string{"skip azure:dms1: nodes not listed"}},
		{"blob backups need none", with(azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.IntegrationRuntimeState = "Offline" }), func(f *facts.Facts) {
			f.Plan.Storage.Kind = facts.StorageBlob
		}), []string{"skip azure:dms1: no self-hosted integration runtime is needed"}},
		{"sql database always needs one", with(azDMS(facts.KindDB, func(d *facts.AzureDMS) { d.IntegrationRuntimeState = "Offline" }), func(f *facts.Facts) {
			f.Plan.Storage.Kind = ""
		}), []string{"fail azure:dms1"}},
		{"service missing", azDMS(facts.KindMI, func(d *facts.AzureDMS) { d.Exists = false }), []string{"skip azure:dms1: DMS605"}},
	})
}
