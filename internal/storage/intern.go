package storage

import (
	"encoding/binary"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/intern"
)

// interner shares one copy of what repeats across a share's backups, as
// soon as each header is decoded (the duplicates are garbage at once, not
// live until the scan ends): strings (names, versions, GUIDs of the family
// and fork, logical and physical file names), the list of unknown fields,
// a database's file list, its creation date, and the *bool answers. At
// 100,000 backups these are most of the facts' memory. Only equal values
// are shared, so nothing read changes; the facts are read-only once
// collected (checks are pure), and a shared slice has no spare capacity,
// so an append copies it.
type interner struct {
	mu    sync.Mutex
	strs  intern.Table
	lists map[string][]string
	files map[string][][]facts.BackupFile
	times map[time.Time]*time.Time
	key   []byte
	// slab holds the instants that are not shared, in blocks: a decoder
	// that allocates a set's dates together with other values (the
	// backup reader's per-set box) would otherwise keep all of them live
	// through the two dates no other backup has.
	slab []time.Time
	// recent is what s returned lately, by where the string given lives:
	// the backup reader hands out its own kept copy of a value file after
	// file, so most strings are found here without hashing their bytes.
	// The same address and length are the same bytes (strings are
	// immutable, and recent keeps the one it holds alive).
	recent [256]struct{ in, out string }
	// recentFiles are the file lists fileList returned last, the next
	// to be replaced at nextFiles.
	recentFiles [8][]facts.BackupFile
	nextFiles   int
	// recentLists are the field-name lists list returned last.
	recentLists [4][]string
	nextList    int
}

func newInterner() *interner {
	return &interner{strs: intern.New(0), lists: map[string][]string{},
		files: map[string][][]facts.BackupFile{}, times: map[time.Time]*time.Time{}}
}

var yes, no = true, false

func (in *interner) s(p *string) {
	v := *p
	if v == "" {
		return
	}
	d := unsafe.StringData(v)
	r := &in.recent[uintptr(unsafe.Pointer(d))>>4%uintptr(len(in.recent))]
	if unsafe.StringData(r.in) == d && len(r.in) == len(v) {
		*p = r.out
		return
	}
	*p = in.strs.String(v)
	r.in, r.out = v, *p
}

// boolPtr shares the two answers a *bool can hold.
func (in *interner) boolPtr(p **bool) {
	switch {
	case *p == nil:
	case **p:
		*p = &yes
	default:
		*p = &no
	}
}

// list shares equal lists of field names.
func (in *interner) list(p *[]string) {
	if len(*p) == 0 {
		return
	}
	// Most often the list shared last (every set of a share tends to
	// lack the same fields).
	for _, v := range in.recentLists {
		if v != nil && slices.Equal(v, *p) {
			*p = v
			return
		}
	}
	defer func() {
		in.recentLists[in.nextList] = *p
		in.nextList = (in.nextList + 1) % len(in.recentLists)
	}()
	k := in.key[:0]
	for _, s := range *p {
		k = binary.AppendUvarint(k, uint64(len(s)))
		k = append(k, s...)
	}
	in.key = k
	if v, ok := in.lists[string(k)]; ok {
		*p = v
		return
	}
	l := slices.Clip(*p)
	for i := range l {
		in.s(&l[i])
	}
	in.lists[string(k)] = l
	*p = l
}

// fileList shares equal FILELISTONLY lists (a database's files rarely
// change between its backups). The key holds every field, so a key
// rarely has more than one list; a list is shared only when every field
// of every file is equal (==, so a field added to BackupFile and not to
// the key is still compared).
func (in *interner) fileList(p *[]facts.BackupFile) {
	if len(*p) == 0 {
		return
	}
	// The headers come nearly database by database: the list is most
	// often one of the last few shared, found without building its key.
	for _, v := range in.recentFiles {
		if slices.Equal(v, *p) && v != nil {
			*p = v
			return
		}
	}
	defer func() {
		in.recentFiles[in.nextFiles] = *p
		in.nextFiles = (in.nextFiles + 1) % len(in.recentFiles)
	}()
	k := in.key[:0]
	for _, f := range *p {
		for _, s := range []string{f.LogicalName, f.PhysicalName, f.Type, f.FileGroupName} {
			k = binary.AppendUvarint(k, uint64(len(s)))
			k = append(k, s...)
		}
		for _, n := range []int64{int64(f.TypeCode), int64(f.FileID), f.Size, f.MaxSize} {
			k = binary.AppendVarint(k, n)
		}
	}
	in.key = k
	for _, v := range in.files[string(k)] {
		if slices.Equal(v, *p) {
			*p = v
			return
		}
	}
	l := slices.Clip(*p)
	for i := range l {
		fl := &l[i]
		for _, s := range []*string{&fl.LogicalName, &fl.PhysicalName, &fl.Type, &fl.FileGroupName} {
			in.s(s)
		}
	}
	in.files[string(k)] = append(in.files[string(k)], l)
	*p = l
}

// instant shares equal instants (a database's creation date).
func (in *interner) instant(p **time.Time) {
	if *p == nil {
		return
	}
	if v, ok := in.times[**p]; ok {
		*p = v
		return
	}
	in.own(p)
	in.times[**p] = *p
}

// own moves an instant into the slab.
func (in *interner) own(p **time.Time) {
	if *p == nil {
		return
	}
	if len(in.slab) == cap(in.slab) {
		in.slab = make([]time.Time, 0, 1024)
	}
	in.slab = append(in.slab, **p)
	*p = &in.slab[len(in.slab)-1]
}

// medias interns the headers of rs; safe for concurrent use.
func (in *interner) medias(rs []result) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range rs {
		in.media(rs[i].media)
	}
}

// media interns one decoded header; in.mu must be held.
func (in *interner) media(m *facts.BackupMedia) {
	if m == nil {
		return
	}
	for _, p := range []*string{&m.MediaFamilyID, &m.MediaName, &m.MediaDescription, &m.SoftwareName} {
		in.s(p)
	}
	in.boolPtr(&m.PasswordProtected)
	in.list(&m.Unknown)
	for i := range m.Sets {
		st := &m.Sets[i]
		for _, p := range []*string{&st.DatabaseName, &st.ServerName, &st.UserName, &st.BackupName, &st.BackupDescription,
			&st.BackupType, &st.SoftwareVersion, &st.RecoveryModel, &st.FamilyGUID, &st.BindingID, &st.RecoveryForkID,
			&st.FirstRecoveryForkID, &st.PreviousRecoveryForkID, &st.DifferentialBaseGUID, &st.TDEThumbprint} {
			in.s(p)
		}
		for _, p := range []**bool{&st.IsCopyOnly, &st.Encrypted, &st.PasswordProtected} {
			in.boolPtr(p)
		}
		in.instant(&st.DatabaseCreationDate)
		in.own(&st.BackupStartDate)
		in.own(&st.BackupFinishDate)
		in.fileList(&st.Files)
		in.list(&st.Unknown)
	}
}
