package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLastFullChecksum(t *testing.T) {
	testCheck(t, LastFullChecksum, []tcase{
		{"checksums", history(hist("A", "D", "2026-01-01 00:00", false, false, "a1.bak"), hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak"),
			hist("B", "D", "2026-01-02 00:00", false, false, "b.bak")), []string{"pass database:A", "fail database:B"}},
		{"latest is without", history(hist("A", "D", "2026-01-02 00:00", false, true, "a2.bak"), hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak")),
			[]string{"fail database:A", "skip database:B"}},
		// Log Replay Service restores fulls without checksums (slower, no
		// corruption check): a warning, as DMS209 says.
		{"lrs does not require them", with(history(hist("A", "D", "2026-01-02 00:00", false, false, "a.bak")), func(f *facts.Facts) { f.Plan.Method = "lrs" }),
			[]string{"warn database:A", "skip database:B"}},
	})
}
