package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestNonASCIITableNames(t *testing.T) {
	testCheck(t, NonASCIITableNames, []tcase{
		// A Latin-1 accent is one byte in a Windows code page: at most a warning.
		{"mixed", srv(facts.KindDB, smallDB, intlDB, lockedDB), []string{"warn database:Intl", "skip database:Locked", "pass database:Small"}},
		{"double-byte", srv(facts.KindDB,
			facts.Database{Name: "Jp", Tables: &facts.TableStats{Count: 2, NonASCIINames: []string{"dbo.Bestellungen_ä", "dbo.注文"}}},
			facts.Database{Name: "Ru", Tables: &facts.TableStats{Count: 1, NonASCIINames: []string{"dbo.Заказы"}}},
			facts.Database{Name: "Fr", Tables: &facts.TableStats{Count: 1, NonASCIINames: []string{"dbo.Café"}}}),
			[]string{"fail database:Jp: dbo.注文", "fail database:Ru", "warn database:Fr"}},
		{"other targets", srv(facts.KindMI, intlDB), []string{"skip -"}},
		// A table query that failed is undecided: an error, not a skip.
		{"query failed", srv(facts.KindDB, facts.Database{Name: "Denied", TablesError: "dmsready:tables: permission denied", TablesFailed: true}),
			[]string{"error database:Denied: table list could not be read"}},
	})
}
