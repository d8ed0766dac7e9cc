package checks

import (
	"testing"
)

func TestLogsWithoutFull(t *testing.T) {
	runWant(t, LogsWithoutFull, rfacts(salesPlan, chainOK...), "pass database:Sales: 1 log backup follows full backup s/full.bak")
	runWant(t, LogsWithoutFull, rfacts(salesPlan, without(chainOK, "s/full.bak")...),
		"fail database:Sales: 3 log backups but no complete full backup")
	runWant(t, LogsWithoutFull, rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), "skip database:Sales: no log backups")
}
