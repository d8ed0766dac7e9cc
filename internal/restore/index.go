package restore

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/fold"
)

// The indexes here make planning linear in the number of backups. Each one
// only narrows what the planner looks at; the planner's own tests
// (isBaseOf, strings.EqualFold, inFolder) still decide, so the plans are the
// ones a full scan gives.

// fileIndex finds, once per Build, the files each database can use.
type fileIndex struct {
	files   []facts.File
	byName  map[string][]int // fold.Key(database name) -> files holding such a set
	byDir   map[string][]int // folder -> files directly in it (built on first use)
	dirOnce sync.Once        // databases are planned concurrently
}

func newFileIndex(files []facts.File) *fileIndex {
	ix := &fileIndex{files: files, byName: map[string][]int{}}
	// Files come database by database: the last name's key is reused
	// rather than folded (allocated) again for every set, and its list
	// is appended to in hand, stored back when the key changes.
	var name, k, curK string
	var cur []int
	have := false
	for i := range files {
		if files[i].Backup == nil {
			continue
		}
		sets := files[i].Backup.Sets
		for j := range sets {
			if n := sets[j].DatabaseName; n != name || k == "" {
				name, k = n, fold.Key(n)
			}
			if !have || k != curK {
				if have {
					ix.byName[curK] = cur
				}
				curK, cur, have = k, ix.byName[k], true
			}
			// Several sets of one database in one file: list the file once.
			if len(cur) == 0 || cur[len(cur)-1] != i {
				cur = append(cur, i)
			}
		}
	}
	if have {
		ix.byName[curK] = cur
	}
	return ix
}

// named is every file with a set whose database name equals name under
// strings.EqualFold, in file order.
func (ix *fileIndex) named(name string) []int { return ix.byName[fold.Key(name)] }

// in is every file directly in folder (its path is folder+"/"+name, with
// no further "/"), in file order: DMS reads no subfolder.
func (ix *fileIndex) in(folder string) []int {
	ix.dirOnce.Do(func() {
		ix.byDir = map[string][]int{}
		for i := range ix.files {
			d := ix.files[i].Dir()
			ix.byDir[d] = append(ix.byDir[d], i)
		}
	})
	return ix.byDir[folder]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// baseKey is the LSN isBaseOf matches against a full's checkpoint or first
// LSN when GUIDs do not decide.
func baseKey(d Backup) (facts.LSN, bool) {
	if !d.DifferentialBaseLSN.IsZero() {
		return d.DifferentialBaseLSN, true
	}
	if !d.DatabaseBackupLSN.IsZero() {
		return d.DatabaseBackupLSN, true
	}
	return facts.LSN{}, false
}

// fullKeys are the LSNs of a full that a differential's baseKey may equal
// (isBaseOf: its CheckpointLSN or its FirstLSN), zero ones left out.
func fullKeys(f Backup) []facts.LSN {
	var out []facts.LSN
	if !f.CheckpointLSN.IsZero() {
		out = append(out, f.CheckpointLSN)
	}
	if !f.FirstLSN.IsZero() && f.FirstLSN != f.CheckpointLSN {
		out = append(out, f.FirstLSN)
	}
	return out
}

// newBaseFinder returns a test for "some full in fulls is the base of d",
// in constant time per differential. Non-ASCII GUIDs (never written by SQL
// Server) fall back to the scan, where EqualFold and ToLower could differ.
func newBaseFinder(fulls, diffs []Backup) func(Backup) bool {
	slow := false
	guids := map[string]bool{}
	ckptAll := map[facts.LSN]bool{}
	ckptNoGUID := map[facts.LSN]bool{}
	for _, f := range fulls {
		slow = slow || !isASCII(f.BackupSetGUID)
		if f.BackupSetGUID != "" {
			guids[strings.ToLower(f.BackupSetGUID)] = true
		}
		for _, l := range fullKeys(f) {
			ckptAll[l] = true
			if f.BackupSetGUID == "" {
				ckptNoGUID[l] = true
			}
		}
	}
	for _, d := range diffs {
		slow = slow || !isASCII(d.DifferentialBaseGUID)
	}
	if slow {
		return func(d Backup) bool {
			for _, f := range fulls {
				if isBaseOf(f, d) {
					return true
				}
			}
			return false
		}
	}
	return func(d Backup) bool {
		k, ok := baseKey(d)
		if d.DifferentialBaseGUID != "" {
			// Fulls with a GUID decide by GUID; fulls without by LSN.
			return guids[strings.ToLower(d.DifferentialBaseGUID)] || ok && ckptNoGUID[k]
		}
		return ok && ckptAll[k]
	}
}

// diffIndex finds the differentials of a full without scanning them all.
type diffIndex struct {
	diffs      []Backup
	byGUID     map[string][]int    // lower(base GUID) -> diffs with that base
	byLSNNoGUI map[facts.LSN][]int // base LSN -> diffs without a base GUID
	byLSNAll   map[facts.LSN][]int // base LSN -> every diff
	slow       bool
}

func newDiffIndex(diffs []Backup) *diffIndex {
	dx := &diffIndex{diffs: diffs, byGUID: map[string][]int{}, byLSNNoGUI: map[facts.LSN][]int{}, byLSNAll: map[facts.LSN][]int{}}
	for i, d := range diffs {
		dx.slow = dx.slow || !isASCII(d.DifferentialBaseGUID)
		if d.DifferentialBaseGUID != "" {
			g := strings.ToLower(d.DifferentialBaseGUID)
			dx.byGUID[g] = append(dx.byGUID[g], i)
		}
		if k, ok := baseKey(d); ok {
			dx.byLSNAll[k] = append(dx.byLSNAll[k], i)
			if d.DifferentialBaseGUID == "" {
				dx.byLSNNoGUI[k] = append(dx.byLSNNoGUI[k], i)
			}
		}
	}
	return dx
}

// latest is the differential buildChain restores on full: the first, in
// diffs order, of those with the greatest LastLSN past the full's; nil if none.
func (dx *diffIndex) latest(full Backup) *Backup {
	var cand []int
	switch {
	case dx.slow || !isASCII(full.BackupSetGUID):
		cand = make([]int, len(dx.diffs))
		for i := range cand {
			cand[i] = i
		}
	case full.BackupSetGUID != "":
		cand = append(cand, dx.byGUID[strings.ToLower(full.BackupSetGUID)]...)
		for _, l := range fullKeys(full) {
			cand = append(cand, dx.byLSNNoGUI[l]...)
		}
	default:
		for _, l := range fullKeys(full) {
			cand = append(cand, dx.byLSNAll[l]...)
		}
	}
	// In diffs order, each once (a diff can match both keys).
	sort.Ints(cand)
	cand = slices.Compact(cand)
	var diff *Backup
	for _, i := range cand {
		d := &dx.diffs[i]
		if isBaseOf(full, *d) && d.LastLSN.Compare(full.LastLSN) > 0 && (diff == nil || d.LastLSN.Compare(diff.LastLSN) > 0) {
			diff = d
		}
	}
	return diff
}

// reachWalk gives, for any starting point, the LSN buildChain's log walk
// ends at. The walk from cur skips logs ending at or before cur, applies
// the first log ending after cur if it starts at or before cur, and stops
// there otherwise; after applying log j it continues exactly as a walk from
// logs[j].LastLSN would (logs are sorted by LastLSN). So reach[j], the end
// of the walk after applying log j, is computed once for every j, from the
// last log back.
type reachWalk struct {
	logs  []Backup
	reach []facts.LSN
}

func newReachWalk(logs []Backup, buf []facts.LSN) *reachWalk {
	w := &reachWalk{logs: logs, reach: slices.Grow(buf[:0], len(logs))[:len(logs)]}
	for j := len(logs) - 1; j >= 0; j-- {
		c := logs[j].LastLSN
		w.reach[j] = c
		if k := w.next(c); k < len(logs) && logs[k].FirstLSN.Compare(c) <= 0 {
			w.reach[j] = w.reach[k]
		}
	}
	return w
}

// next is the index of the first log ending after c.
func (w *reachWalk) next(c facts.LSN) int {
	return sort.Search(len(w.logs), func(i int) bool { return w.logs[i].LastLSN.Compare(c) > 0 })
}

// from is where the walk from cur ends.
func (w *reachWalk) from(cur facts.LSN) facts.LSN {
	if k := w.next(cur); k < len(w.logs) && w.logs[k].FirstLSN.Compare(cur) <= 0 {
		return w.reach[k]
	}
	return cur
}
