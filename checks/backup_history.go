package checks

import (
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
)

// historyOf returns a database's backup history, oldest first.
func historyOf(f *facts.Facts, db string) []facts.BackupHistory {
	var out []facts.BackupHistory
	for _, h := range f.Server.BackupHistory {
		if strings.EqualFold(h.Database, db) {
			out = append(out, h)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Start, out[j].Start
		return a != nil && b != nil && a.Before(*b)
	})
	return out
}

func when(h facts.BackupHistory) string {
	if h.Start == nil {
		return "(no date)"
	}
	return h.Start.Format("2006-01-02 15:04")
}

func typeName(t facts.HistoryType) string {
	switch t {
	case facts.HistoryFull:
		return "full"
	case facts.HistoryDifferential:
		return "differential"
	case facts.HistoryLog:
		return "log"
	}
	return "type " + string(t)
}

func isNUL(dev string) bool {
	d := strings.ToUpper(strings.TrimSpace(dev))
	return d == "NUL" || d == "NUL:" || d == `\\.\NUL`
}
