package backuptest

import (
	"fmt"
	"slices"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

const blockSize = 512

type mtf struct {
	b  []byte
	bs int // physical block size
}

type stream struct {
	id   string
	data []byte
}

func xorSum(b []byte, n int) uint16 {
	var x uint16
	for i := range n {
		x ^= le.Uint16(b[2*i:])
	}
	return x
}

// block appends one descriptor block: the 52-byte common header, fixed (the
// type-specific part from +52), the strings (TAPE_ADDRESS slots at the given
// block offsets), the streams, and an SPAD stream padding to a multiple of
// pad bytes from the block start.
func (w *mtf) block(typ string, attr uint32, fixed []byte, strs map[int]string, streams []stream, pad int) {
	start := len(w.b)
	h := make([]byte, 52+len(fixed))
	copy(h, typ)
	le.PutUint32(h[4:], attr)
	h[10], h[11] = 14, 1 // OS id / version, as SQL Server writes them
	le.PutUint16(h[48:], 2)
	copy(h[52:], fixed)
	keys := make([]int, 0, len(strs))
	for k := range strs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := utf16le(strs[k])
		if len(s) == 0 {
			continue
		}
		le.PutUint16(h[k:], uint16(len(s)))
		le.PutUint16(h[k+2:], uint16(len(h)))
		h = append(h, s...)
	}
	for len(h)%4 != 0 {
		h = append(h, 0)
	}
	le.PutUint16(h[8:], uint16(len(h)))
	le.PutUint16(h[50:], xorSum(h, 25))
	w.b = append(w.b, h...)
	for _, st := range streams {
		w.stream(st.id, st.data)
	}
	end := (len(w.b) - start + 22 + pad - 1) / pad * pad
	w.stream("SPAD", make([]byte, start+end-len(w.b)-22))
}

func (w *mtf) stream(id string, data []byte) {
	h := make([]byte, 22)
	copy(h, id)
	le.PutUint64(h[8:], uint64(len(data)))
	le.PutUint16(h[20:], xorSum(h, 10))
	w.b = append(w.b, h...)
	w.b = append(w.b, data...)
	if id != "SPAD" {
		for len(w.b)%4 != 0 {
			w.b = append(w.b, 0)
		}
	}
}

// sfmb appends a soft filemark: one physical block whose first-stream
// offset is the block size (0x200, 0x1000 as real 4 KiB media have it); the
// u16 cannot hold 64 KiB, where 0x200 is written and a reader must look
// further.
func (w *mtf) sfmb() {
	h := make([]byte, w.bs)
	copy(h, "SFMB")
	le.PutUint32(h[4:], 0x80000000)
	fs := w.bs
	if fs > 0xFFFF {
		fs = blockSize
	}
	le.PutUint16(h[8:], uint16(fs))
	h[10], h[11] = 14, 1
	le.PutUint32(h[52:], 0x37)
	le.PutUint16(h[50:], xorSum(h, 25))
	w.b = append(w.b, h...)
}

func build(spec Spec) ([]byte, error) {
	if spec.FamilyCount == 0 {
		spec.FamilyCount = 1
	}
	if spec.FamilySequence == 0 {
		spec.FamilySequence = 1
	}
	if spec.FamilySequence > spec.FamilyCount {
		return nil, fmt.Errorf("backuptest: family %d of %d", spec.FamilySequence, spec.FamilyCount)
	}
	sets := spec.Sets
	if len(sets) == 0 {
		sets = []Set{{}}
	}
	full := make([]Set, len(sets))
	for i, s := range sets {
		d, err := Defaults(s, i+1)
		if err != nil {
			return nil, err
		}
		full[i] = d
	}
	if spec.MediaSetID == "" {
		spec.MediaSetID = derivedGUID("mediaset/" + full[0].BackupSetGUID)
	}
	if spec.MediaFamilyID == 0 {
		spec.MediaFamilyID = 0x5EED0000 | uint32(spec.FamilySequence)
	}
	if spec.BlockSize == 0 {
		spec.BlockSize = blockSize
	}
	if spec.BlockSize%blockSize != 0 || spec.BlockSize > 64<<10 {
		return nil, fmt.Errorf("backuptest: block size %d is not a multiple of 512 up to 65536", spec.BlockSize)
	}
	w := &mtf{bs: spec.BlockSize}

	// TAPE: media header with the RAID stream (media set and family).
	tape := make([]byte, 0x5e-52)
	le.PutUint32(tape[0:], spec.MediaFamilyID)
	le.PutUint32(tape[4:], 5)
	le.PutUint16(tape[8:], 1)
	if spec.MediaPassword {
		le.PutUint16(tape[10:], 5)
	}
	le.PutUint16(tape[12:], 1)
	le.PutUint16(tape[14:], 3)
	le.PutUint16(tape[32:], 0x400)
	le.PutUint16(tape[34:], 0x1200)
	mtfDate(tape[36:], full[0].Start)
	tape[41] = 1
	raid := make([]byte, 32)
	g, err := guidBytes(spec.MediaSetID)
	if err != nil {
		return nil, err
	}
	copy(raid, g[:])
	le.PutUint16(raid[20:], uint16(spec.FamilyCount))
	le.PutUint16(raid[22:], 1)
	le.PutUint16(raid[24:], uint16(spec.FamilySequence))
	le.PutUint32(raid[28:], 1)
	w.block("TAPE", 0x30000, tape, map[int]string{68: spec.MediaName, 80: "Microsoft SQL Server"},
		[]stream{{"RAID", raid}}, max(1024, w.bs))
	w.sfmb()

	for _, s := range full {
		if err := w.set(s); err != nil {
			return nil, err
		}
	}
	if spec.Compressed {
		return compress(w.b, spec.BlockSize, spec.EndRecords), nil
	}
	return w.b, nil
}

func (w *mtf) set(s Set) error {
	major, minor, build, err := parseVersion(s.Version)
	if err != nil {
		return err
	}
	loc := time.FixedZone("", s.TimeZone*15*60)

	sset := make([]byte, 0x78-52)
	attr := uint32(4)
	if s.Type == facts.TypeDifferential || s.Type == facts.TypeFileDiff || s.Type == facts.TypePartialDiff {
		attr = 8
	}
	le.PutUint32(sset[0:], attr)
	if s.SetPassword {
		le.PutUint16(sset[4:], 5)
	}
	le.PutUint16(sset[8:], 0x1200)
	le.PutUint16(sset[10:], uint16(s.Position))
	le.PutUint64(sset[0x50-52:], uint64(len(w.b)))
	mtfDate(sset[0x58-52:], s.Start.In(loc))
	sset[93-52], sset[94-52], sset[95-52] = byte(major), byte(minor), byte(int8(s.TimeZone))
	sset[97-52] = 2
	g, err := guidBytes(s.BackupSetGUID)
	if err != nil {
		return err
	}
	copy(sset[100-52:], g[:])
	w.block("SSET", 0, sset, map[int]string{64: s.BackupName, 68: s.BackupDescription, 76: s.UserName}, nil, w.bs)
	w.block("VOLB", 0, make([]byte, 40), map[int]string{0x44: "C:"}, nil, w.bs)

	prov := s
	prov.Finish = time.Time{}
	if !s.ProvisionalLastLSN.IsZero() {
		prov.LastLSN = s.ProvisionalLastLSN
	}
	cfg, err := mqci(prov, major, minor, build, loc)
	if err != nil {
		return err
	}
	w.block("MSCI", 0, make([]byte, 4), nil, []stream{{"MQCI", cfg}}, w.bs)

	data := make([]byte, s.DataBytes)
	for i := range data {
		data[i] = byte(i*7 + s.Position)
	}
	if s.Type != facts.TypeLog {
		w.block("MSDA", 0, make([]byte, 8), nil, []stream{{"MQDA", data}}, w.bs)
		data = data[:min(len(data), 1024)]
	}
	w.block("MSTL", 0, make([]byte, 8), nil, []stream{{"MQTL", data}}, w.bs)

	if cfg, err = mqci(s, major, minor, build, loc); err != nil {
		return err
	}
	w.block("MSLS", 0, make([]byte, 4), nil, []stream{{"MQCI", cfg}}, w.bs)
	w.sfmb()
	eset := make([]byte, 36)
	le.PutUint32(eset[0:], 4)
	le.PutUint64(eset[8:], uint64(len(w.b)))
	le.PutUint16(eset[26:], uint16(s.Position))
	mtfDate(eset[28:], s.Finish.In(loc))
	w.block("ESET", 0, eset, nil, nil, w.bs)
	w.block("ESET", 0, eset, nil, nil, w.bs)
	w.sfmb()
	return nil
}

// mqci is the SQL Server configuration stream: SCIN, SFGI, one SFIN per file.
func mqci(s Set, major, minor, build int, loc *time.Location) ([]byte, error) {
	// SQL Server 2005 (9.0) has no CompressedBackupSize: its fixed part
	// ends at 0x158, where the strings start.
	fixed := 0x170
	if major < 10 {
		fixed = 0x158
	}
	c := make([]byte, fixed)
	copy(c, "SCIN")
	flags := uint32(0x200)
	if s.Checksums {
		flags |= 0x10
	}
	if s.Type == facts.TypeDifferential {
		flags |= 0x800
	}
	le.PutUint32(c[0x08:], flags)
	le.PutUint16(c[0x18:], uint16(build))
	c[0x1A], c[0x1B] = byte(minor), byte(major)
	putLSN(c[0x20:], s.FirstLSN)
	putLSN(c[0x2A:], s.LastLSN)
	putLSN(c[0x34:], s.CheckpointLSN)
	putLSN(c[0x3E:], s.DatabaseBackupLSN)
	mtfDate(c[0x48:], s.Created.In(loc))
	mtfDate(c[0x4D:], s.Start.In(loc))
	if !s.Finish.IsZero() {
		mtfDate(c[0x52:], s.Finish.In(loc))
	}
	c[0x57] = typeChar[s.Type]
	c[0x5B] = byte(s.CompatibilityLevel)
	le.PutUint16(c[0x5E:], uint16(s.DatabaseVersion))
	le.PutUint64(c[0x60:], uint64(s.BackupSize))
	for at, v := range map[int]string{0x7C: s.BindingID, 0x9C: s.RecoveryForkID, 0xB8: s.PreviousRecoveryForkID,
		0xE0: s.FamilyGUID, 0x110: s.DifferentialBaseGUID} {
		g, err := guidBytes(v)
		if err != nil {
			return nil, err
		}
		copy(c[at:], g[:])
	}
	putLSN(c[0xAC:], s.PreviousForkLSN)
	status := s.Status
	if status == 0 {
		status = 0x10000
	}
	switch s.RecoveryModel {
	case "SIMPLE":
		status |= 0x8
	case "BULK-LOGGED":
		status |= 0x4
	}
	le.PutUint32(c[0xF4:], status)
	putLSN(c[0xF8:], s.LogChainLSN)
	putLSN(c[0x104:], s.DifferentialBaseLSN)
	if major >= 10 {
		le.PutUint64(c[0x158:], uint64(s.BackupSize))
	}
	c = putStr(c, 0x68, s.DatabaseName)
	c = putStr(c, 0x6C, s.ServerName)
	le.PutUint32(c[4:], uint32(len(c)))

	groups := map[string]int{}
	for _, name := range append([]string{"PRIMARY"}, groupNames(s.Files)...) {
		if _, ok := groups[name]; ok {
			continue
		}
		groups[name] = len(groups) + 1
		fg := make([]byte, 0x30)
		copy(fg, "SFGI")
		le.PutUint32(fg[8:], 0x10)
		le.PutUint32(fg[12:], uint32(groups[name]))
		fg = putStr(fg, 0x10, name)
		le.PutUint32(fg[4:], uint32(len(fg)))
		c = append(c, fg...)
	}

	for _, f := range s.Files {
		e := make([]byte, 0x400)
		copy(e, "SFIN")
		le.PutUint32(e[0x10:], 0x2000)
		le.PutUint32(e[0x14:], uint32(f.FileID))
		le.PutUint32(e[0x1C:], uint32(f.TypeCode))
		le.PutUint32(e[0x20:], 0x200)
		if f.FileGroupName != "" {
			le.PutUint32(e[0x24:], uint32(groups[f.FileGroupName]))
		}
		le.PutUint64(e[0x28:], uint64(f.Size))
		le.PutUint64(e[0x56:], uint64(f.MaxSize))
		e = putStr(e, 0x30, f.LogicalName)
		e = putStr(e, 0x34, f.PhysicalName)
		le.PutUint32(e[4:], uint32(len(e)))
		c = append(c, e...)
	}
	return c, nil
}

// putStr appends s (UTF-16LE) to chunk c and points the {size, offset}
// slot at slot to it.
func putStr(c []byte, slot int, s string) []byte {
	u := utf16le(s)
	le.PutUint16(c[slot:], uint16(len(u)))
	le.PutUint16(c[slot+2:], uint16(len(c)))
	return append(c, u...)
}

func groupNames(files []facts.BackupFile) []string {
	var out []string
	for _, f := range files {
		if f.FileGroupName != "" {
			out = append(out, f.FileGroupName)
		}
	}
	return out
}
