package azuritetest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestModuleRoot(t *testing.T) {
	root := ModuleRoot()
	if _, err := os.Stat(filepath.Join(root, "go.mod")); root == "" || err != nil {
		t.Fatalf("ModuleRoot() = %q", root)
	}
	if b := Binary(); b != "" && filepath.Dir(filepath.Dir(filepath.Dir(b))) != root {
		t.Errorf("Binary() = %q, not under %s", b, root)
	}
	t.Chdir(t.TempDir())
	if r, b := ModuleRoot(), Binary(); r != "" || b != "" {
		t.Errorf("outside a module: root %q, binary %q", r, b)
	}
}
