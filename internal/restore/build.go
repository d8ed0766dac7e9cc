package restore

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// ReasonCovered marks a log whose records an earlier restored log already
// holds.
const ReasonCovered = "covered"

// Build plans the restore of every database the facts name (the plan's list,
// else the source's databases, else the names in the backup headers). A plan
// database with a folder sees only the files directly in that folder (DMS
// reads no subfolder); one without sees every file. Databases are told apart by header (name,
// FamilyGUID, recovery fork), never by file name: a name with two lineages
// yields two plans. Nil when no storage was listed.
func Build(f *facts.Facts) []Sequence {
	if f == nil || f.Storage == nil {
		return nil
	}
	ix := newFileIndex(f.Storage.Files)
	dbs := f.Databases()
	// Each database is planned on its own, so they are planned at once
	// (at most GOMAXPROCS), and joined in the databases' order.
	each := make([][]Sequence, len(dbs))
	var next atomic.Int64
	work := func() {
		var sc scratch
		for {
			i := int(next.Add(1)) - 1
			if i >= len(dbs) {
				return
			}
			each[i] = buildDB(&sc, f.Storage.Files, ix, dbs[i])
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), len(dbs)); workers > 1 {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(work)
		}
		wg.Wait()
	} else {
		work()
	}
	n := 0
	for _, s := range each {
		n += len(s)
	}
	var out []Sequence
	if n > 0 {
		out = make([]Sequence, 0, n)
	}
	for _, s := range each {
		out = append(out, s...)
	}
	return out
}

// scratch is one worker's buffers, reused from lineage to lineage: what
// planning needs only while it runs (the database's stripes, its sets and
// their copies by type, the grouping map, the unused list before it is
// sorted) is allocated once per worker, not once per lineage, so Build's
// garbage is bounded by its largest lineage, not by the estate. What a
// Sequence keeps is copied out of it at exactly its length.
type scratch struct {
	mine []occ
	// group's
	by   map[gkey]int
	byN  int // the most keys by has held
	gs   []grp
	m    []occ
	seen famSeen
	sets []Backup
	// planLineage's
	fulls, allFulls, diffs, baseDiffs, byLatest []Backup
	unused                                      []Unused
	steps                                       []Backup
	reach                                       []facts.LSN
	ptrs                                        []*Backup
	idx                                         []int32
}

// occ is one backup set as found in one file (one stripe of it).
type occ struct {
	path  string
	media *facts.BackupMedia
	set   *facts.BackupSet
}

// inFolder reports whether DMS reads f for a database whose folder is
// folder: a file directly in it. DMS reads one flat folder per database and
// never a subfolder (dms-rules: flat, no nesting; DMS204 fails a nested
// layout), so a backup below the folder is neither restored nor able to
// break the restore. No folder: every file (the database's backups are
// found by header wherever they lie).
func inFolder(f *facts.File, folder string) bool {
	folder = strings.Trim(folder, "/")
	return folder == "" || f.Dir() == folder
}

// buildDB plans one database. It visits only the files that can matter:
// for a scoped database every file directly in its folder, otherwise the files
// holding a set of its name (the index finds both without a scan).
func buildDB(sc *scratch, files []facts.File, ix *fileIndex, d facts.PlanDatabase) []Sequence {
	var foreign []Unused
	scoped := strings.Trim(d.Folder, "/") != ""
	var cand []int
	if scoped {
		cand = ix.in(strings.Trim(d.Folder, "/"))
	} else {
		cand = ix.named(d.Name)
	}
	mine := sc.mine[:0]
	defer func() { sc.mine = mine[:0] }()
	for _, i := range cand {
		fl := &files[i]
		if !inFolder(fl, d.Folder) {
			continue
		}
		if fl.Backup == nil {
			if scoped && fl.ReadError != "" {
				foreign = append(foreign, NewUnused(Backup{Files: []string{fl.Path}}, ReasonUnreadable, "header not read: "+fl.ReadError))
			}
			continue
		}
		for j := range fl.Backup.Sets {
			s := &fl.Backup.Sets[j]
			if !strings.EqualFold(s.DatabaseName, d.Name) {
				if scoped {
					b := Backup{Type: setType(s), Files: []string{fl.Path}, FirstLSN: s.FirstLSN, LastLSN: s.LastLSN, Header: s}
					u := NewUnused(b, ReasonOtherDatabase, fmt.Sprintf("a backup of database %s, not %s", s.DatabaseName, d.Name))
					u.Database = s.DatabaseName
					foreign = append(foreign, u)
				}
				continue
			}
			if fl.ReadError != "" && (s.Provisional || !transient(fl.ReadErrorKind)) {
				// Its header decoded, then the file ended or broke: the
				// restore would fail on it. That holds for a final header
				// copy too (a file cut inside its last set's trailer, or
				// broken after a set it holds). A storage error or a
				// cancel says nothing about the backup (the checks report
				// those files as undecided).
				b := Backup{Type: setType(s), Files: []string{fl.Path}, FirstLSN: s.FirstLSN, LastLSN: s.LastLSN, Header: s}
				foreign = append(foreign, NewUnused(b, ReasonUnreadable, "cannot be restored: "+fl.ReadError))
				continue
			}
			if isTrue(fl.Backup.PasswordProtected) || isTrue(s.PasswordProtected) {
				// RESTORE reads it only WITH MEDIAPASSWORD (or PASSWORD),
				// which DMS and the Log Replay Service have no way to give.
				b := Backup{Type: setType(s), Files: []string{fl.Path}, FirstLSN: s.FirstLSN, LastLSN: s.LastLSN, Header: s}
				what := "backup set"
				if isTrue(fl.Backup.PasswordProtected) {
					what = "media set"
				}
				foreign = append(foreign, NewUnused(b, ReasonPassword, "cannot be restored by DMS: its "+what+" has a password, which RESTORE needs and DMS cannot give"))
				continue
			}
			mine = append(mine, occ{path: fl.Path, media: fl.Backup, set: s})
		}
	}
	nested := nestedFiles(files, ix, d)
	if len(mine) == 0 {
		p := Sequence{Database: d.Name, Folder: d.Folder, Status: StatusNoBackups, Steps: []Backup{}, Unused: foreign, Nested: nested}
		// Backups of the database were found, but every one is cut short
		// or broken: there is nothing to restore, yet saying "no backup
		// was found" would contradict the files listed.
		var cut, locked []string
		for _, u := range foreign {
			switch {
			case u.Reason == ReasonUnreadable && u.Header() != nil:
				cut = append(cut, u.File()+" ("+strings.TrimPrefix(u.Detail(), "cannot be restored: ")+")")
			case u.Reason == ReasonPassword:
				locked = append(locked, u.File())
			}
		}
		switch {
		case len(locked) > 0:
			msg := "no full backup that can be restored: every backup of the database found cannot be restored by DMS: " + passwordNote(locked)
			if len(cut) > 0 {
				msg += "; broken past its header: " + strings.Join(cut, "; ")
			}
			p.Status = StatusNoFull
			p.Issues = []Issue{{Kind: KindNoFull, Message: msg}}
		case len(cut) > 0:
			p.Status = StatusNoFull
			p.Issues = []Issue{{Kind: KindNoFull, Message: "no full backup that can be restored: every backup of the database found is broken past its header: " + strings.Join(cut, "; ")}}
		}
		return []Sequence{p}
	}
	var plans []Sequence
	for _, lin := range lineages(mine) {
		p := planLineage(sc, lin)
		p.Database, p.Folder, p.Nested = d.Name, d.Folder, nested
		if p.Status == StatusNoFull {
			// A full backup left out for its password is among the
			// files: say so, not only that none is.
			var locked []string
			for _, u := range foreign {
				if u.Reason == ReasonPassword && u.Type() == facts.TypeFull {
					locked = append(locked, u.File())
				}
			}
			if len(locked) > 0 {
				for i := range p.Issues {
					if p.Issues[i].Kind == KindNoFull {
						p.Issues[i].Message += "; " + passwordNote(locked)
					}
				}
			}
		}
		// p.Unused is the scratch's (nil when the plan lists none): the
		// next lineage reuses it.
		if p.Unused != nil || len(foreign) > 0 {
			u := make([]Unused, len(p.Unused)+len(foreign))
			copy(u[copy(u, p.Unused):], foreign)
			p.Unused = u
		}
		plans = append(plans, p)
	}
	return plans
}

// nestedFiles lists the files below d's folder (not directly in it) that
// hold a backup set of d: DMS does not read them. Nil without a folder.
func nestedFiles(files []facts.File, ix *fileIndex, d facts.PlanDatabase) []string {
	folder := strings.Trim(d.Folder, "/")
	if folder == "" {
		return nil
	}
	var out []string
	for _, i := range ix.named(d.Name) {
		fl := &files[i]
		if !strings.HasPrefix(fl.Dir(), folder+"/") {
			continue
		}
		for j := range fl.Backup.Sets {
			if strings.EqualFold(fl.Backup.Sets[j].DatabaseName, d.Name) {
				out = append(out, fl.Path)
				break
			}
		}
	}
	return out
}

// passwordNote names the backups left out for a password.
func passwordNote(files []string) string {
	return strings.Join(files, ", ") + " " + plural(len(files), "has", "have") + " a media or backup set password (RESTORE ... WITH MEDIAPASSWORD), which DMS cannot give"
}

// transient reports a read error that is the storage's or the run's, not
// the backup's.
func transient(k facts.ReadErrorKind) bool {
	return k == facts.ReadIOError || k == facts.ReadCanceled
}

// identity is what tells two databases of one name apart: FamilyGUID (kept
// across restores), else the creation date; and the recovery fork, which a
// restore WITH RECOVERY starts anew. The creation date is only a fallback:
// headers store local times, so one database's date can shift by an hour
// across a daylight-saving change, while a restored copy also gets a new fork.
func identity(s *facts.BackupSet) string {
	id := strings.ToLower(s.FamilyGUID)
	if id == "" && s.DatabaseCreationDate != nil {
		id = s.DatabaseCreationDate.UTC().Format("2006-01-02T15:04:05")
	}
	return id + "|" + strings.ToLower(s.RecoveryForkID)
}

func lineages(occs []occ) [][]occ {
	type raw struct {
		fam, fork string
		created   *time.Time
	}
	ids := map[raw]string{}
	key := func(o occ) string {
		r := raw{o.set.FamilyGUID, o.set.RecoveryForkID, nil}
		if r.fam == "" {
			r.created = o.set.DatabaseCreationDate
		}
		k, ok := ids[r]
		if !ok {
			k = identity(o.set)
			ids[r] = k
		}
		return k
	}
	// Most databases have one lineage: occs itself, not a copy. A set
	// whose raw identity equals the first's has its key (no lookup).
	one := len(occs) > 0
	for i := 1; one && i < len(occs); i++ {
		a, b := occs[i].set, occs[0].set
		if a.FamilyGUID == b.FamilyGUID && a.RecoveryForkID == b.RecoveryForkID && (a.FamilyGUID != "" || a.DatabaseCreationDate == b.DatabaseCreationDate) {
			continue
		}
		one = key(occs[i]) == key(occs[0])
	}
	if one {
		return [][]occ{occs}
	}
	by := map[string][]occ{}
	var keys []string
	for _, o := range occs {
		k := key(o)
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], o)
	}
	sort.Strings(keys)
	out := make([][]occ, 0, len(keys))
	for _, k := range keys {
		out = append(out, by[k])
	}
	return out
}

func setType(s *facts.BackupSet) string {
	if s.BackupType != "" {
		return s.BackupType
	}
	switch s.BackupTypeCode {
	case 1:
		return facts.TypeFull
	case 2:
		return facts.TypeLog
	case 5:
		return facts.TypeDifferential
	}
	return ""
}

// group collects the stripes of each backup set: one BackupSetGUID (the same
// on every stripe), else one media set and position.
// gkey groups stripes by BackupSetGUID, else media set and position, else
// file and position: a struct, not a joined string, so no key allocates.
type gkey struct {
	by  byte // 'g', 'm' or 'f'
	id  string
	pos int
	// A short ASCII id is lowercased in place, into low (its length in
	// n, id ""): a GUID is grouped without a lowercased copy allocated
	// per set. A longer or non-ASCII one is strings.ToLower'd into id.
	n   int8
	low [40]byte
}

// lowerKey is the key of id compared as strings.ToLower(id), with pos.
func lowerKey(by byte, id string, pos int) gkey {
	k := gkey{by: by, pos: pos, n: -1}
	if !isASCII(id) {
		// Lowered, it may be ASCII (the Kelvin sign is a k).
		id = strings.ToLower(id)
		if !isASCII(id) {
			k.id = id
			return k
		}
	}
	if len(id) > len(k.low) {
		k.id = strings.ToLower(id) // ASCII: lowering twice is lowering once
		return k
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		k.low[i] = c
	}
	k.n = int8(len(id))
	return k
}

// grp is one set's stripes: most sets have one, kept inline.
type grp struct {
	first occ
	more  []occ
}

// group collects the stripes of each backup set (see above); sets is the
// scratch's, valid until the next call.
func group(sc *scratch, occs []occ) (sets []Backup, dups []Unused) {
	key := func(o occ) gkey {
		if g := o.set.BackupSetGUID; g != "" {
			return lowerKey('g', g, 0)
		}
		if o.media.MediaSetID != "" {
			return lowerKey('m', o.media.MediaSetID, o.set.Position)
		}
		return gkey{by: 'f', id: o.path, pos: o.set.Position}
	}
	// A map that once held far more keys than this lineage needs would
	// cost its size again on every clear: it is dropped for a fresh one.
	if sc.by == nil || sc.byN > 4*len(occs)+1024 {
		sc.by, sc.byN = make(map[gkey]int, len(occs)), 0
	} else {
		clear(sc.by)
	}
	by := sc.by
	defer func() { sc.byN = max(sc.byN, len(by)) }()
	gs := sc.gs[:0]
	sets = sc.sets[:0]
	for _, o := range occs {
		k := key(o)
		if i, ok := by[k]; ok {
			gs[i].more = append(gs[i].more, o)
			continue
		}
		by[k] = len(gs)
		gs = append(gs, grp{first: o})
	}
	// Buffers shared by all the groups: the stripes of the one at hand,
	// the families seen in it, and every set's Files (each set gets its
	// own capped slice of one array: nothing appends to another's; the
	// Sequence keeps them, so the array is not the scratch's).
	m, seen := sc.m[:0], sc.seen[:0]
	files := make([]string, 0, len(occs))
	for gi := range gs {
		m = append(m[:0], gs[gi].first)
		m = append(m, gs[gi].more...)
		if len(m) > 1 {
			sort.SliceStable(m, func(i, j int) bool {
				if m[i].media.FamilySequence != m[j].media.FamilySequence {
					return m[i].media.FamilySequence < m[j].media.FamilySequence
				}
				return m[i].path < m[j].path
			})
		}
		b := fromHeader(m[0].set, nil, 0)
		seen = seen[:0]
		from := len(files)
		for _, o := range m {
			if o.media.FamilyCount > b.FamilyCount {
				b.FamilyCount = o.media.FamilyCount
			}
			seq := o.media.FamilySequence
			if first, ok := seen.get(seq); ok && seq > 0 {
				d := b
				d.Files = []string{o.path}
				dups = append(dups, NewUnused(d, ReasonDuplicate, fmt.Sprintf("another copy of %s (media family %d of the same backup set)", first, seq)))
				continue
			}
			seen.set(seq, o.path)
			files = append(files, o.path)
		}
		b.Files = files[from:len(files):len(files)]
		// Family numbers are 1..FamilyCount; an unknown count or sequence
		// leaves completeness undecided rather than guessed.
		if first0, _ := seen.get(0); b.FamilyCount > 1 && first0 == "" {
			for n := 1; n <= b.FamilyCount; n++ {
				if _, ok := seen.get(n); !ok {
					b.MissingFamilies = append(b.MissingFamilies, n)
				}
			}
		}
		sets = append(sets, b)
	}
	// The groups' extra stripes are dropped, not kept past the lineage.
	for i := range gs {
		gs[i].more = nil
	}
	sc.gs, sc.m, sc.seen, sc.sets = gs[:0], m[:0], seen[:0], sets[:0]
	stableSort(sets, func(a, b *Backup) bool { return backupLess(a, b) }, &sc.idx)
	return sets, dups
}

// famSeen maps a media family sequence to the first stripe seen with it
// (a map's semantics; a set has few stripes).
type famSeen []struct {
	seq  int
	path string
}

func (f famSeen) get(seq int) (string, bool) {
	for _, e := range f {
		if e.seq == seq {
			return e.path, true
		}
	}
	return "", false
}

func (f *famSeen) set(seq int, path string) {
	for i := range *f {
		if (*f)[i].seq == seq {
			(*f)[i].path = path
			return
		}
	}
	*f = append(*f, struct {
		seq  int
		path string
	}{seq, path})
}

// backupLess orders by LastLSN, then FirstLSN, regular before copy-only,
// then file: the order the log chain is walked in.
func backupLess(a, b *Backup) bool {
	if c := a.LastLSN.Compare(b.LastLSN); c != 0 {
		return c < 0
	}
	if c := a.FirstLSN.Compare(b.FirstLSN); c != 0 {
		return c < 0
	}
	if isTrue(a.CopyOnly) != isTrue(b.CopyOnly) {
		return !isTrue(a.CopyOnly)
	}
	return a.File() < b.File()
}

// setName names a backup set for a message: its first file, and its
// position when the file holds several sets.
func setName(b Backup) string {
	if b.Position > 1 {
		return fmt.Sprintf("%s (backup set %d)", b.File(), b.Position)
	}
	return b.File()
}

// sameSet tells backup sets apart even when one file holds several: by
// BackupSetGUID, first file and position.
func sameSet(a, b *Backup) bool {
	return a.BackupSetGUID == b.BackupSetGUID && a.File() == b.File() && a.Position == b.Position
}

func unknownLSN(s *facts.BackupSet) bool {
	for _, u := range s.Unknown {
		if u == "firstLSN" || u == "lastLSN" {
			return true
		}
	}
	// Every real backup has both; zero means the reader found none.
	return s.LastLSN.IsZero() || s.FirstLSN.IsZero()
}

func isTrue(b *bool) bool { return b != nil && *b }

// isBaseOf reports whether full is the differential base of diff. The base
// GUID (the full's BackupSetGUID) decides when both sides carry one;
// otherwise the LSNs do: DifferentialBaseLSN, else DatabaseBackupLSN, equal
// to the full's CheckpointLSN (dbatools) or its FirstLSN (Microsoft's
// RESTORE HEADERONLY page: "DifferentialBaseLSN ... equal to the FirstLSN
// of the base"); the two differ when the full's checkpoint came after it
// started.
func isBaseOf(full, diff Backup) bool {
	if full.BackupSetGUID != "" && diff.DifferentialBaseGUID != "" {
		return strings.EqualFold(full.BackupSetGUID, diff.DifferentialBaseGUID)
	}
	match := func(l facts.LSN) bool {
		return !l.IsZero() && (l == full.CheckpointLSN || l == full.FirstLSN)
	}
	if !diff.DifferentialBaseLSN.IsZero() {
		return match(diff.DifferentialBaseLSN)
	}
	return match(diff.DatabaseBackupLSN)
}

// planLineage plans one lineage. Its Unused is sc's (nil when empty on the
// paths that never listed one): the caller copies it out.
func planLineage(sc *scratch, occs []occ) (p Sequence) {
	s0 := occs[0].set
	p = Sequence{FamilyGUID: s0.FamilyGUID, RecoveryForkID: s0.RecoveryForkID, CreationDate: s0.DatabaseCreationDate, Steps: []Backup{}}
	sets, dups := group(sc, occs)
	for _, d := range dups {
		p.Issues = append(p.Issues, Issue{Kind: KindDuplicate, Files: []string{d.File()},
			Message: fmt.Sprintf("%s is %s", d.File(), d.Detail())})
	}

	fulls, allFulls, diffs := sc.fulls[:0], sc.allFulls[:0], sc.diffs[:0]
	defer func() { sc.fulls, sc.allFulls, sc.diffs = fulls[:0], allFulls[:0], diffs[:0] }()
	provisional := false
	// The logs are kept in sets' own array (a subsequence, still in
	// backupLess order): b is a copy, and logs never pass the set at hand.
	logs := sets[:0]
	p.Unused = append(sc.unused[:0], dups...)
	defer func() {
		if cap(p.Unused) > 0 {
			sc.unused = p.Unused[:0]
		}
		// Only a chain's plan listed its Unused before any was found.
		if len(p.Unused) == 0 && p.Status != StatusReady && p.Status != StatusBroken {
			p.Unused = nil
		}
	}()
	for _, b := range sets {
		if isTrue(b.CopyOnly) {
			p.Issues = append(p.Issues, Issue{Kind: KindCopyOnly, Files: b.Files,
				Message: fmt.Sprintf("%s is a copy-only %s backup", b.File(), b.Type)})
		}
		if unknownLSN(b.Header) {
			p.Unused = append(p.Unused, NewUnused(b, ReasonUnknownLSN, "its first or last LSN could not be read, so it cannot be placed in the chain"))
			continue
		}
		if b.Header.Provisional {
			// Its LastLSN is the estimate written before the data: a
			// chain built on it could show a gap that is not there, or
			// hide one. The sequence stays undecided (see below).
			p.Issues = append(p.Issues, Issue{Kind: KindProvisional, Files: b.Files,
				Message: fmt.Sprintf("%s: only the header copy written before the data was read; its LastLSN may differ from the final one, so the restore sequence is undecided (dmsready inspect --deep reads every set's final header)", setName(b))})
			p.Unused = append(p.Unused, NewUnused(b, ReasonProvisional, "only its provisional header was read: its LastLSN is not final"))
			provisional = true
			continue
		}
		if b.Type == facts.TypeFull {
			allFulls = append(allFulls, b)
		}
		if len(b.MissingFamilies) > 0 {
			p.Issues = append(p.Issues, Issue{Kind: KindMissingStripe, Files: b.Files,
				Message: fmt.Sprintf("%s backup %s is striped over %d files but media famil%s %s %s missing",
					b.Type, b.File(), b.FamilyCount, plural(len(b.MissingFamilies), "y", "ies"), ints(b.MissingFamilies),
					plural(len(b.MissingFamilies), "is", "are"))})
			p.Unused = append(p.Unused, NewUnused(b, ReasonIncomplete, fmt.Sprintf("media famil%s %s of %d missing", plural(len(b.MissingFamilies), "y", "ies"), ints(b.MissingFamilies), b.FamilyCount)))
			continue
		}
		switch b.Type {
		case facts.TypeFull:
			fulls = append(fulls, b)
		case facts.TypeDifferential:
			diffs = append(diffs, b)
		case facts.TypeLog:
			logs = append(logs, b)
		default:
			if b.Type == "" {
				p.Unused = append(p.Unused, NewUnused(b, ReasonUnknownType, fmt.Sprintf("its backup type (code %d) could not be read", b.Header.BackupTypeCode)))
				continue
			}
			p.Unused = append(p.Unused, NewUnused(b, ReasonUnsupported, fmt.Sprintf("a %s backup: file and partial backups are not planned", b.Type)))
		}
	}
	if provisional {
		p.Status = StatusUndecided
		sortUnused(p.Unused, &sc.idx)
		return p
	}
	// Differentials whose full is nowhere in the files can never be restored.
	baseDiffs := sc.baseDiffs[:0]
	defer func() { sc.baseDiffs = baseDiffs[:0] }()
	hasBase := newBaseFinder(allFulls, diffs)
	for _, d := range diffs {
		if hasBase(d) {
			baseDiffs = append(baseDiffs, d)
			continue
		}
		base := d.DifferentialBaseGUID
		switch {
		case base != "":
		case !d.DifferentialBaseLSN.IsZero():
			base = "with checkpoint LSN " + d.DifferentialBaseLSN.String()
		case !d.DatabaseBackupLSN.IsZero():
			base = "with checkpoint LSN " + d.DatabaseBackupLSN.String()
		default:
			base = "(base unknown)"
		}
		p.Issues = append(p.Issues, Issue{Kind: KindNoBase, Files: d.Files,
			Message: fmt.Sprintf("differential %s needs full backup %s, which is not among the files", d.File(), base)})
		p.Unused = append(p.Unused, NewUnused(d, ReasonNoBase, fmt.Sprintf("its full backup %s is not among the files", base)))
	}

	if len(fulls) == 0 {
		p.Status = StatusNoFull
		msg := "no full backup of the database is among the files"
		if len(allFulls) > 0 {
			msg = "no complete full backup: every full backup is missing stripes"
		}
		p.Issues = append(p.Issues, Issue{Kind: KindNoFull, Message: msg})
		for _, bs := range [][]Backup{baseDiffs, logs} {
			for _, b := range bs {
				p.Unused = append(p.Unused, NewUnused(b, ReasonNoFull, "no complete full backup to restore it onto"))
			}
		}
		sortUnused(p.Unused, &sc.idx)
		return p
	}

	// Try fulls latest first; an older one wins only by reaching further,
	// and nothing reaches past the last LSN of any backup present.
	var top facts.LSN
	for _, bs := range [][]Backup{fulls, baseDiffs, logs} {
		for i := range bs {
			if bs[i].LastLSN.Compare(top) > 0 {
				top = bs[i].LastLSN
			}
		}
	}
	byLatest := append(sc.byLatest[:0], fulls...)
	defer func() { sc.byLatest = byLatest[:0] }()
	stableSort(byLatest, func(a, b *Backup) bool { return b.CheckpointLSN.Less(a.CheckpointLSN) }, &sc.idx)
	// The chain of each full is not built to compare them: where it ends
	// depends only on the point its full (or differential) restores to,
	// so one walk of the logs, from the end, gives every full's reach.
	dx := newDiffIndex(baseDiffs)
	rw := newReachWalk(logs, sc.reach)
	defer func() { sc.reach = rw.reach[:0] }()
	pick, pickReach := -1, facts.LSN{}
	for i, f := range byLatest {
		if pick >= 0 && pickReach == top {
			break
		}
		anchor := f
		if d := dx.latest(f); d != nil {
			anchor = *d
		}
		if r := rw.from(anchor.LastLSN); pick < 0 || r.Compare(pickReach) > 0 {
			pick, pickReach = i, r
		}
	}
	full := byLatest[pick]
	diff := dx.latest(full)
	// The Details name the same full each time: built once, shared.
	name := setName(full)
	var older, newer, olderDiff, otherDiff string
	for _, f := range fulls {
		if sameSet(&f, &full) {
			continue
		}
		if f.CheckpointLSN.Compare(full.CheckpointLSN) > 0 {
			if newer == "" {
				newer = fmt.Sprintf("a newer full backup, but the chain from %s reaches further", name)
			}
			p.Unused = append(p.Unused, NewUnused(f, ReasonSuperseded, newer))
			continue
		}
		if older == "" {
			older = fmt.Sprintf("an older full backup than %s", name)
		}
		p.Unused = append(p.Unused, NewUnused(f, ReasonSuperseded, older))
	}
	for _, d := range baseDiffs {
		if diff != nil && sameSet(&d, diff) {
			continue // restored
		}
		if isBaseOf(full, d) {
			if olderDiff == "" {
				olderDiff = fmt.Sprintf("an older differential of %s than the one restored", name)
			}
			p.Unused = append(p.Unused, NewUnused(d, ReasonSuperseded, olderDiff))
			continue
		}
		if otherDiff == "" {
			otherDiff = fmt.Sprintf("a differential of another full backup than %s", name)
		}
		p.Unused = append(p.Unused, NewUnused(d, ReasonOtherBase, otherDiff))
	}
	// The chain's unused logs go straight after the others, in the order
	// they always had (sortUnused is stable).
	best := buildChain(full, diff, logs, p.Unused, sc.steps[:0])
	// The steps are copied out of the scratch at their length.
	sc.steps = best.steps[:0]
	p.Steps = append(make([]Backup, 0, len(best.steps)), best.steps...)
	p.Issues = append(p.Issues, best.issues...)
	p.Unused = best.unused
	p.Issues = append(p.Issues, bridgedGaps(logs, full, best.anchor(), &sc.ptrs)...)
	p.Status = StatusReady
	if best.broken {
		p.Status = StatusBroken
	}
	last := p.Steps[len(p.Steps)-1]
	p.Reaches = &Point{LSN: last.LastLSN, Time: last.Finish, File: last.File()}
	sortUnused(p.Unused, &sc.idx)
	return p
}

type chain struct {
	steps  []Backup
	issues []Issue
	unused []Unused
	broken bool
}

// anchor is the backup logs continue from: the differential, else the full.
func (c *chain) anchor() Backup {
	if len(c.steps) > 1 && c.steps[1].Type == facts.TypeDifferential {
		return c.steps[1]
	}
	return c.steps[0]
}

// buildChain applies SQL Server's rules from one full: the latest
// differential of that full, then logs sorted by LastLSN where each must
// satisfy FirstLSN <= current < LastLSN (LastLSN <= current is too early
// and skipped; FirstLSN > current is a gap, 4305 / DMS 2007).
func buildChain(full Backup, diff *Backup, logs []Backup, unused []Unused, steps []Backup) *chain {
	c := &chain{steps: append(steps, full), unused: unused}
	if diff != nil {
		c.steps = append(c.steps, *diff)
	}
	anchor := c.anchor()
	cur := anchor.LastLSN
	var prev *Backup // last log restored
	// The tails of a before-base log's Detail, the same for every such log.
	covered := func(what string) string {
		return ", already covered by " + what + " (LSN " + anchor.LastLSN.String() + ")"
	}
	byFull, byDiff := covered("the full backup "+full.File()), ""
	if anchor.Type == facts.TypeDifferential {
		byDiff = covered("the differential " + anchor.File())
	}
	var coveredBy *Backup // the log byPrev names
	var byPrev string
	for i, l := range logs {
		switch {
		case c.broken:
			c.unused = append(c.unused, NewUnused(l, ReasonAfterBreak, "past the gap in the log chain"))
		case prev != nil && l.FirstLSN == prev.FirstLSN && l.LastLSN == prev.LastLSN && !l.Empty:
			c.issues = append(c.issues, Issue{Kind: KindDuplicate, Files: []string{prev.File(), l.File()},
				Message: fmt.Sprintf("%s and %s cover the same LSN range %s to %s", prev.File(), l.File(), l.FirstLSN, l.LastLSN)})
			c.unused = append(c.unused, NewUnused(l, ReasonDuplicate, fmt.Sprintf("the same LSN range as %s, which is restored", prev.File())))
		case l.Empty && l.FirstLSN == cur:
			// An empty log at the current point restores as a no-op; it
			// is in the sequence because DMS restores every file.
			c.steps = append(c.steps, l)
		case l.LastLSN.Compare(cur) <= 0:
			// The Detail's "ends at LSN" is the log's own (Unused.Detail
			// builds it when asked); its tail is shared.
			if l.LastLSN.Compare(anchor.LastLSN) <= 0 {
				tail := byFull
				if anchor.Type == facts.TypeDifferential && l.LastLSN.Compare(full.LastLSN) > 0 {
					tail = byDiff
				}
				c.unused = append(c.unused, unusedAt(l, ReasonBeforeBase, tail))
			} else {
				if coveredBy != prev {
					coveredBy, byPrev = prev, ", already covered by "+prev.File()
				}
				c.unused = append(c.unused, unusedAt(l, ReasonCovered, byPrev))
			}
		case l.FirstLSN.Compare(cur) <= 0:
			if prev != nil && l.FirstLSN.Compare(cur) < 0 {
				c.issues = append(c.issues, Issue{Kind: KindOverlap, Before: prev.File(), After: l.File(), From: l.FirstLSN, To: cur,
					Message: fmt.Sprintf("%s starts at LSN %s, before %s ends (LSN %s); SQL Server restores it from that point", l.File(), l.FirstLSN, prev.File(), cur)})
			}
			c.steps = append(c.steps, l)
			cur = l.LastLSN
			prev = &logs[i]
		default:
			before := c.steps[len(c.steps)-1]
			c.broken = true
			c.issues = append(c.issues, Issue{Kind: KindBreak, Before: before.File(), After: l.File(), From: cur, To: l.FirstLSN,
				Message: fmt.Sprintf("log chain broken between %s (ends at LSN %s) and %s (starts at LSN %s): the log backup covering that range is missing",
					before.File(), cur, l.File(), l.FirstLSN)})
			c.unused = append(c.unused, NewUnused(l, ReasonAfterBreak, fmt.Sprintf("starts at LSN %s, after the chain ends at LSN %s", l.FirstLSN, cur)))
		}
	}
	return c
}

// bridgedGaps finds gaps between log backups that the full or differential
// restored makes irrelevant: information, not a failure.
func bridgedGaps(logs []Backup, full, anchor Backup, buf *[]*Backup) []Issue {
	ls := (*buf)[:0]
	for i := range logs {
		ls = append(ls, &logs[i])
	}
	defer func() { clear(ls); *buf = ls[:0] }()
	slices.SortStableFunc(ls, func(a, b *Backup) int {
		if c := a.FirstLSN.Compare(b.FirstLSN); c != 0 {
			return c
		}
		return a.LastLSN.Compare(b.LastLSN)
	})
	var out []Issue
	var reach facts.LSN
	var prev string
	for _, l := range ls {
		if prev != "" && l.FirstLSN.Compare(reach) > 0 && l.FirstLSN.Compare(anchor.LastLSN) <= 0 {
			by := anchor
			if l.FirstLSN.Compare(full.LastLSN) <= 0 {
				by = full
			}
			out = append(out, Issue{Kind: KindGap, Before: prev, After: l.File(), From: reach, To: l.FirstLSN, BridgedBy: by.File(),
				Message: fmt.Sprintf("log gap between %s (ends at LSN %s) and %s (starts at LSN %s) is bridged by the %s backup %s",
					prev, reach, l.File(), l.FirstLSN, by.Type, by.File())})
		}
		if l.LastLSN.Compare(reach) > 0 {
			reach = l.LastLSN
			prev = l.File()
		}
	}
	return out
}

// stableSort is sort.SliceStable for large elements: it sorts pointers and
// moves each element once (a stable order is unique, so the result is the
// same). *idx is its buffer, kept for the next call.
func stableSort[T any](s []T, less func(a, b *T) bool, idx *[]int32) {
	if len(s) < 2 {
		return
	}
	cmp := func(i, j int32) int {
		switch {
		case less(&s[i], &s[j]):
			return -1
		case less(&s[j], &s[i]):
			return 1
		}
		return 0
	}
	ix := slices.Grow((*idx)[:0], len(s))[:len(s)]
	*idx = ix
	for i := range ix {
		ix[i] = int32(i)
	}
	if slices.IsSortedFunc(ix, cmp) {
		return
	}
	slices.SortStableFunc(ix, cmp)
	// Apply the permutation in place, cycle by cycle: s[i] = old s[ix[i]].
	for i := range ix {
		if ix[i] < 0 {
			continue
		}
		tmp := s[i]
		j := i
		for {
			k := int(ix[j])
			ix[j] = -1
			if k == i {
				s[j] = tmp
				break
			}
			s[j] = s[k]
			j = k
		}
	}
}

func sortUnused(u []Unused, idx *[]int32) {
	stableSort(u, func(a, b *Unused) bool {
		if c := a.LastLSN().Compare(b.LastLSN()); c != 0 {
			return c < 0
		}
		return a.File() < b.File()
	}, idx)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func ints(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
