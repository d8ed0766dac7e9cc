// Command customcheck is dmsready with one in-house check: the team's
// runbook wants every backup compressed, so that the copy to Azure fits the
// migration window. It shows what a team writes to build its own dmsready
// without forking: one check over the public facts, and checker.Main.
//
//	go build -o dmsready-contoso ./examples/customcheck
//	./dmsready-contoso check --plan migration.yaml
//	./dmsready-contoso explain DMS901
package main

import (
	"fmt"
	"slices"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/checker"
	"github.com/dmsready/dmsready/checks/facts"
)

// CompressedBackups is the in-house check. In-house IDs come from
// DMS900-DMS999, which dmsready's own checks never use.
var CompressedBackups = &check.Check{
	ID:       "DMS901",
	Title:    "Backups are compressed (Contoso runbook)",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcBackups},
	Prevents: "Contoso migration runbook 4.2: uncompressed backups do not fit the copy window",
	Doc: "Contoso copies backups to Azure over a 1 Gbit/s link in a fixed window; an uncompressed " +
		"backup is typically three to four times larger and misses the window.",
	Fix:  "Take the backups `WITH COMPRESSION` (or set the server's `backup compression default`).",
	Link: "https://learn.microsoft.com/sql/relational-databases/backup-restore/backup-compression-sql-server",
	// Where the rule comes from: here the team's own runbook.
	Basis: check.Documented("Contoso migration runbook 4.2: every backup is taken WITH COMPRESSION"),
	Run: func(p *check.Pass) {
		for _, f := range p.Facts.Storage.Files {
			m := f.Backup
			if m == nil {
				continue // not a backup: other checks report it
			}
			db := ""
			if len(m.Sets) > 0 {
				db = m.Sets[0].DatabaseName
			}
			obj := "file:" + f.Path
			switch {
			case slices.Contains(m.Unknown, "compressed"):
				// A value the reader could not decode is unknown, never guessed.
				p.Skip(db, obj, "whether the backup is compressed could not be read")
			case m.Compressed:
				p.Pass(db, obj, "backup is compressed", nil)
			default:
				p.Warn(db, obj, fmt.Sprintf("backup is not compressed (%d bytes)", f.Size), check.Ev{"size": fmt.Sprint(f.Size)})
			}
		}
	},
}

func main() { checker.Main(CompressedBackups) }
