package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/browsertest"
)

// The HTML report in a real browser: it loads with no error and no network,
// the matrix and the restore timeline are in the DOM, and the screenshot
// shows the red of a NOT READY verdict and the green of passes.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, render(t, "html", fixture(), Options{Catalogue: catalogue()}), 0o644); err != nil {
		t.Fatal(err)
	}
	res := browsertest.Load(t, path, 1280, 1600)
	for _, want := range []string{"Readiness matrix", "<details>", "NOT READY", "Restore plan", `class="step gap"`, "sales/log_0042.trn"} {
		if !strings.Contains(res.DOM, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	red := browsertest.Count(res.Screenshot, func(r, g, b uint8) bool { return r > 180 && g < 80 && b < 80 })
	green := browsertest.Count(res.Screenshot, func(r, g, b uint8) bool { return g > 100 && r < 80 && b < 80 })
	if red == 0 || green == 0 {
		t.Errorf("screenshot has %d red and %d green pixels: the page did not render its colours", red, green)
	}
}
