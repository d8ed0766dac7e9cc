package checks

import (
	"fmt"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestMIDatabaseFiles(t *testing.T) {
	db := func(types ...string) *facts.Facts {
		var files []facts.DatabaseFile
		for i, ty := range types {
			files = append(files, facts.DatabaseFile{LogicalName: fmt.Sprintf("f%d", i), Type: ty})
		}
		return &facts.Facts{Plan: facts.Plan{Target: facts.PlanTarget{Kind: facts.KindMI}, Databases: []facts.PlanDatabase{{Name: "Sales"}}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", Files: files}}}}
	}
	cases := []struct {
		f    *facts.Facts
		want string
	}{
		{db("ROWS", "LOG"), "database:Sales=pass"},
		{db("ROWS", "LOG", "LOG"), "database:Sales=fail"},
		{db("ROWS", "LOG", "FILESTREAM"), "database:Sales=fail"},
		{db("ROWS", "LOG", "LOG", "FILESTREAM"), "database:Sales=fail database:Sales=fail"},
		{db(), "database:Sales=skip"},
	}
	for i, c := range cases {
		if got := verdicts(MIDatabaseFiles, c.f); got != c.want {
			t.Errorf("case %d: got %q, want %q", i, got, c.want)
		}
	}
	vm := db("ROWS", "LOG", "LOG")
	vm.Plan.Target.Kind = facts.KindVM
	if got := verdicts(MIDatabaseFiles, vm); got != "-=skip" {
		t.Errorf("sqlvm: %q", got)
	}
}
