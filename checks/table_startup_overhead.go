package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// Per-table start-up of the data copy: "a few seconds" (Microsoft); dmsready
// brackets it with 2 to 5 seconds.
const (
	startupLowSec  = 2
	startupHighSec = 5
	manyTables     = 1000
)

func duration(sec int) string {
	h, m := sec/3600, (sec%3600)/60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%ds", sec)
}

// TableStartupOverhead estimates the data copy's per-table start-up.
var TableStartupOverhead = &check.Check{
	ID:       "DMS405",
	Title:    "Data-copy start-up time for many tables",
	Severity: check.Info,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: each table takes a few seconds of Azure Data Factory start-up",
	Doc: "The Azure SQL Database data copy starts an Azure Data Factory copy per table, which costs a few " +
		"seconds each. From 1,000 tables dmsready estimates the total at 2 to 5 seconds per table so the " +
		"cutover window can include it.",
	Fix:   "Plan the downtime window with the estimate, or migrate very large table sets in batches.",
	Link:  linkDBLimits,
	Basis: check.Documented("Microsoft, DMS known issues (Azure SQL Database): a couple of seconds of start-up per table (the estimate range is dmsready's own)"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			lo, hi := t.Count*startupLowSec, t.Count*startupHighSec
			ev := check.Ev{"tables": fmt.Sprint(t.Count), "startupLowSeconds": fmt.Sprint(lo), "startupHighSeconds": fmt.Sprint(hi)}
			msg := fmt.Sprintf("%s: about %s to %s of data-copy start-up", count(t.Count, "table", "tables"), duration(lo), duration(hi))
			if t.Count >= manyTables {
				p.Warn(d.Name, obj, msg, ev)
				return
			}
			p.Pass(d.Name, obj, msg, ev)
		})
	},
}
