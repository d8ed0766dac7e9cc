package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLogicalFileNames(t *testing.T) {
	plan := func(m map[string]string) facts.ResolvedPlan {
		p := salesPlan
		p.Databases = []facts.PlanDatabase{{Name: "Sales", Folder: "s", FileMapping: m}}
		return p
	}
	testCheck(t, LogicalFileNames, []tcase{
		{"no mapping", rfacts(salesPlan, chainOK...), []string{"skip database:Sales: the plan maps no logical file names"}},
		{"mapped", rfacts(plan(map[string]string{"Sales": "/d/s.mdf", "Sales_log": "/l/s.ldf"}), chainOK...),
			[]string{"pass database:Sales: all 2 mapped logical file names are in full backup s/full.bak"}},
		{"wrong name and case", rfacts(plan(map[string]string{"Sales_Data": "/d/s.mdf", "sales_log": "/l/s.ldf"}), chainOK...), []string{
			"fail database:Sales: mapped logical file \"Sales_Data\" is not in full backup s/full.bak (it holds Sales, Sales_log)",
			"warn database:Sales: mapped logical file \"sales_log\" is \"Sales_log\" in the backup",
		}},
		{"file list unknown", rfacts(plan(map[string]string{"x": "y"}), rfull("s/full.bak", 10, 20, "F1")),
			[]string{"skip database:Sales: the full backup's file list is unknown"}},
	})
}
