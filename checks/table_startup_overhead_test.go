package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTableStartupOverhead(t *testing.T) {
	testCheck(t, TableStartupOverhead, []tcase{
		{"estimate", srv(facts.KindDB, bigDB, smallDB), []string{"warn database:Big", "pass database:Small"}},
		{"hours", srv(facts.KindDB, bigDB), []string{"warn database:Big: 55h33m to 138h53m"}},
	})
}
