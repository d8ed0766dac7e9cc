package checks

import (
	"testing"
)

func TestCopyOnlyInChain(t *testing.T) {
	testCheck(t, CopyOnlyInChain, []tcase{
		{"copy-only", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-02 00:00", true, true, "c.bak"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), []string{"warn database:A", "pass database:B"}},
	})
}
