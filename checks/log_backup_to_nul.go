package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// LogBackupToNUL is check DMS412: a log backup to NUL discards log records
// the chain needs.
var LogBackupToNUL = &check.Check{
	ID:       "DMS412",
	Title:    "No log backups to NUL since the last full",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2007: LSN gap in the log chain (firstLsn ... is not <= lastLsn ...) after a log backup to NUL",
	Doc: "`BACKUP LOG ... TO DISK = 'NUL'` truncates the log and throws the backup away. msdb records it " +
		"like any other log backup, but no file exists, so every later log backup leaves a gap DMS cannot restore across.",
	Fix: "Stop the job writing to NUL, then take a new full backup (and keep every log backup after it) " +
		"before the migration.",
	Link: linkBackupset,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			hist := historyOf(p.Facts, d.Name)
			if len(hist) == 0 {
				p.Skip(d.Name, obj, "msdb records no backup of this database")
				return
			}
			var nul []string
			for _, h := range hist {
				// Only a log backup to NUL leaves a gap in the log chain.
				if h.Type != facts.HistoryLog {
					continue
				}
				for _, dev := range h.PhysicalDevices {
					if isNUL(dev) {
						nul = append(nul, fmt.Sprintf("%s %s", typeName(h.Type), when(h)))
						break
					}
				}
			}
			if len(nul) > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s went to NUL since the last full, breaking the chain: %s", count(len(nul), "log backup", "log backups"), list(nul, 10)),
					check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			p.Pass(d.Name, obj, "no log backups to NUL since the last full", nil)
		})
	},
}
