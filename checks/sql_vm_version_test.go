package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSQLVMVersion(t *testing.T) {
	// The source (srv) is SQL Server 2019, 15.0.2000.5.
	testCheck(t, SQLVMVersion, []tcase{
		{"newer", azVM(func(v *facts.AzureSQLVM) {}), []string{"pass azure:vm1: SQL Server 2022"}},
		{"same", azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "SQL2019-WS2019" }), []string{"pass azure:vm1"}},
		{"older", azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "SQL2017-WS2016" }), []string{"warn azure:vm1: SQL Server 2017 (SQL2017-WS2016), older than the source's SQL Server 2019"}},
		{"offer with a service pack", azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "SQL2016SP2-WS2016" }), []string{"warn azure:vm1: SQL Server 2016 (SQL2016SP2-WS2016)"}},
		{"2008 R2 offer", azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "SQL2008R2SP3-WS2008R2SP1" }), []string{"warn azure:vm1: SQL Server 2008 R2 (SQL2008R2SP3-WS2008R2SP1)"}},
		{"custom image", azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "" }), []string{"skip azure:vm1"}},
		{"live target decides", with(azVM(func(v *facts.AzureSQLVM) { v.ImageOffer = "SQL2017-WS2016" }), func(f *facts.Facts) {
			f.Target = &facts.TargetServer{Version: "16.0.1000.6", Major: 16}
		}), []string{"skip azure:vm1: DMS503"}},
		{"not registered", azVM(func(v *facts.AzureSQLVM) { v.Registered = false }), []string{"skip target: DMS607"}},
	})
}
