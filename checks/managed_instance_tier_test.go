package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestManagedInstanceTier(t *testing.T) {
	inmem := sized("Orders", 10, 1, facts.DatabaseFile{LogicalName: "Orders", Type: "ROWS"}, facts.DatabaseFile{LogicalName: "Orders_mod", Type: "FILESTREAM"},
		facts.DatabaseFile{LogicalName: "Orders_log", Type: "LOG"})
	plain := sized("Sales", 10, 1)
	tier := func(t string, dbs ...facts.Database) *facts.Facts {
		return with(azMI(dbs...), func(f *facts.Facts) { f.Azure.ManagedInstance.Tier = t })
	}
	testCheck(t, ManagedInstanceTier, []tcase{
		{"general purpose, plain", tier("GeneralPurpose", plain), []string{"pass database:Sales", "pass azure:mi1: 1 databases after the migration, within the tier's 100"}},
		{"general purpose, memory-optimized", tier("GeneralPurpose", inmem, plain),
			[]string{"fail database:Orders: General Purpose", "pass database:Sales", "pass azure:mi1"}},
		{"business critical, memory-optimized", tier("BusinessCritical", inmem), []string{"pass database:Orders: Business Critical", "pass azure:mi1"}},
		{"tier unknown", tier("", inmem), []string{"skip database:Orders", "skip azure:mi1"}},
		{"too many databases", with(tier("BusinessCritical", plain), func(f *facts.Facts) {
			for i := 0; i < 100; i++ {
				f.Azure.ManagedInstance.Databases = append(f.Azure.ManagedInstance.Databases, "db"+string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
		}), []string{"pass database:Sales", "fail azure:mi1: 101 databases after the migration; the tier allows 100"}},
		{"next-gen general purpose allows 500", with(tier("GeneralPurpose", plain), func(f *facts.Facts) {
			f.Azure.ManagedInstance.GeneralPurposeV2 = bp(true)
			for i := 0; i < 100; i++ {
				f.Azure.ManagedInstance.Databases = append(f.Azure.ManagedInstance.Databases, "db"+string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
		}), []string{"pass database:Sales", "pass azure:mi1: within the tier's 500"}},
		{"general purpose, next-gen not reported", with(tier("GeneralPurpose", plain), func(f *facts.Facts) {
			f.Azure.ManagedInstance.GeneralPurposeV2 = nil // the 2023-08-01 API has no isGeneralPurposeV2
			for i := 0; i < 100; i++ {
				f.Azure.ManagedInstance.Databases = append(f.Azure.ManagedInstance.Databases, "db"+string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
		}), []string{"pass database:Sales", "skip azure:mi1: cannot tell: 101 databases after the migration: General Purpose allows 100, next-gen General Purpose 500"}},
		{"general purpose, not next-gen", with(tier("GeneralPurpose", plain), func(f *facts.Facts) {
			f.Azure.ManagedInstance.GeneralPurposeV2 = bp(false)
			for i := 0; i < 100; i++ {
				f.Azure.ManagedInstance.Databases = append(f.Azure.ManagedInstance.Databases, "db"+string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
		}), []string{"pass database:Sales", "fail azure:mi1: 101 databases after the migration; the tier allows 100"}},
		{"databases not listed", with(tier("GeneralPurpose", plain), func(f *facts.Facts) { f.Azure.ManagedInstance.Databases = nil }),
			[]string{"pass database:Sales", "skip azure:mi1"}},
	})
}
