//go:build !linux

package storage

import "os"

// readDir lists the open folder f as f.ReadDir(-1) does.
func readDir(f *os.File, _ string, _ *walkState) ([]dirent, error) {
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	out := make([]dirent, len(ents))
	for i, d := range ents {
		out[i] = dirent{name: d.Name(), typ: d.Type()}
	}
	return out, nil
}

// walkState is what a walk reuses (nothing here but its watch: see
// readdir_linux.go).
type walkState struct {
	wt   *watch // nil: not watched (Walk)
	path []dirOnPath
	out  *outside
}
