package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestManagedInstanceStorage(t *testing.T) {
	// 64 GB reserved = 65536 MB; the source's system databases are 100 MB.
	mk := func(dbs ...facts.Database) *facts.Facts {
		f := azMI(append(system(), dbs...)...)
		return f
	}
	testCheck(t, ManagedInstanceStorage, []tcase{
		{"fits", mk(sized("Sales", 40000, 5000)), []string{"pass azure:mi1: need 45000 MB, with system databases about 45100 MB, of the 65536 MB"}},
		{"too big", mk(sized("Sales", 60000, 6000)), []string{"fail azure:mi1: need 66000 MB; the instance reserves 65536 MB (64 GB)"}},
		{"fits only without system databases", mk(sized("Sales", 60000, 5500)), []string{"warn azure:mi1"}},
		{"other databases on the instance", with(mk(sized("Sales", 100, 10)), func(f *facts.Facts) {
			f.Azure.ManagedInstance.Databases = []string{"Legacy", "Sales"}
		}), []string{"skip azure:mi1: already holds 1 database"}},
		{"databases not listed", with(mk(sized("Sales", 100, 10)), func(f *facts.Facts) {
			f.Azure.ManagedInstance.Databases = nil
			f.Azure.ManagedInstance.DatabasesError = "forbidden"
		}), []string{"skip azure:mi1: forbidden"}},
		{"too big even unlisted", with(mk(sized("Sales", 70000, 0)), func(f *facts.Facts) { f.Azure.ManagedInstance.Databases = nil }),
			[]string{"fail azure:mi1"}},
		{"system sizes unknown", azMI(sized("Sales", 100, 10)), []string{"skip azure:mi1: system databases is not known"}},
		{"size unknown", mk(facts.Database{Name: "Sales"}), []string{"skip azure:mi1: size unknown"}},
		{"azure monitor: fits", with(mk(sized("Sales", 40000, 5000)), func(f *facts.Facts) {
			used := int64(20000)
			f.Azure.ManagedInstance.StorageUsedMB = &used
			f.Azure.ManagedInstance.Databases = []string{"Legacy"}
		}), []string{"pass azure:mi1: uses 20000 of its 65536 MB (Azure Monitor), leaving 45536"}},
		{"azure monitor: full", with(mk(sized("Sales", 40000, 6000)), func(f *facts.Facts) {
			used := int64(20000)
			f.Azure.ManagedInstance.StorageUsedMB = &used
		}), []string{"fail azure:mi1: already uses 20000 of its 65536 MB (Azure Monitor), leaving 45536; the databases need 46000 MB"}},
		{"azure monitor without source system sizes", with(azMI(sized("Sales", 100, 10)), func(f *facts.Facts) {
			used := int64(300)
			f.Azure.ManagedInstance.StorageUsedMB = &used
		}), []string{"pass azure:mi1"}},
		{"storage size not reported", with(mk(sized("Sales", 1, 1)), func(f *facts.Facts) { f.Azure.ManagedInstance.StorageSizeGB = 0 }), []string{"skip azure:mi1"}},
	})
}
