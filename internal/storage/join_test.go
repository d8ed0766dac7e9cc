package storage

import (
	"os"
	"path/filepath"
	"testing"
)

// TestJoinRelIsJoin: joinRel and appendJoin give filepath.Join's path for
// every clean root, clean or not rel.
func TestJoinRelIsJoin(t *testing.T) {
	roots := []string{"/", "/srv/share", "share", ".", "..", "../x", "/a/b/c", "C:"}
	rels := []string{"a", "a/b.bak", "a/./b", "a/../b", "./a", "../a", "a//b", "a/", "/a", ".", "..", "a/.", "a/..", ".a/b..", "a/...", "db 1/x.trn"}
	for _, root := range roots {
		root = filepath.Clean(root)
		for _, rel := range rels {
			want := filepath.Join(root, filepath.FromSlash(rel))
			if got := joinRel(root, rel); got != want {
				t.Errorf("joinRel(%q, %q) = %q, want %q", root, rel, got, want)
			}
			if got := string(appendJoin([]byte("x"), root, rel)); got != "x"+want {
				t.Errorf("appendJoin(%q, %q) = %q, want %q", root, rel, got, "x"+want)
			}
		}
	}
}

// TestOpenRelAllocatesNothing: opening a share file by its listed path
// allocates nothing once the handle's buffer has grown.
func TestOpenRelAllocatesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "x.bak"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var h fileHandle
	n := testing.AllocsPerRun(50, func() {
		if err := h.openRel(dir, "db/x.bak"); err != nil {
			t.Fatal(err)
		}
		h.close()
	})
	if n > 0 {
		t.Errorf("openRel allocates %v times per file", n)
	}
	if err := h.openRel(dir, "db/missing.bak"); err == nil || err.Error() != "open "+filepath.Join(dir, "db", "missing.bak")+": no such file or directory" {
		t.Errorf("error %v", err)
	}
}
