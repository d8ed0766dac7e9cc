package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSourceVersion(t *testing.T) {
	ver := func(v string, major int) *facts.Facts {
		return with(srv(""), func(f *facts.Facts) { f.Server.Version, f.Server.Major = v, major })
	}
	testCheck(t, SourceVersion, []tcase{
		{"2005", ver("9.00.5000.00", 9), []string{"fail server"}},
		{"2008 R2", ver("10.50.6000.34", 10), []string{"pass server"}},
		{"future", ver("18.0.1.0", 18), []string{"pass server"}},
		{"unreadable version", ver("banana", 0), []string{"skip server"}},
	})
}
