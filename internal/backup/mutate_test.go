package backup

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

const mutationsPath = "fixtures/backups/mutations.golden.txt"

// mutationInputs are the uncompressed inputs of TestMutationsGolden:
// writer output of every shape the reader handles and, when
// ../shared/samples is present, every uncompressed sample.
func mutationInputs(t *testing.T) map[string][]byte {
	files := []facts.BackupFile{
		{LogicalName: "data", PhysicalName: `C:\d\data.mdf`, Type: "D", FileGroupName: "PRIMARY"},
		{LogicalName: "more", PhysicalName: `C:\d\more.ndf`, Type: "D", FileGroupName: "SECOND"},
		{LogicalName: "journal", PhysicalName: `C:\d\ジャーナル.ldf`, Type: "L"},
	}
	in := map[string][]byte{
		"writer/full":    backuptest.Bytes(backuptest.Spec{}),
		"writer/log":     backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Type: facts.TypeLog, DataBytes: 3000}}}),
		"writer/diff":    backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Type: facts.TypeDifferential, DataBytes: 40 << 10}}}),
		"writer/files":   backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Files: files, DataBytes: 70 << 10}}}),
		"writer/2005":    backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Version: "9.0.1399", DataBytes: 100}}}),
		"writer/4k":      backuptest.Bytes(backuptest.Spec{BlockSize: 4096, Sets: []backuptest.Set{{DataBytes: 20 << 10}}}),
		"writer/64k":     backuptest.Bytes(backuptest.Spec{BlockSize: 64 << 10, Sets: []backuptest.Set{{DataBytes: 100}}}),
		"writer/striped": backuptest.Bytes(backuptest.Spec{FamilyCount: 3, FamilySequence: 2, Sets: []backuptest.Set{{DataBytes: 100}}}),
		"writer/3sets": backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 100},
			{Type: facts.TypeLog, DataBytes: 5000}, {Type: facts.TypeDifferential, DataBytes: 50 << 10}}}),
	}
	d := filepath.Join(moduleRoot(t), "..", "shared", "samples")
	if _, err := os.Stat(d); err != nil {
		t.Logf("samples skipped: %v", err)
		return in
	}
	for _, rel := range sampleFiles(t, d) {
		b, err := os.ReadFile(filepath.Join(d, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, compressedMagic) {
			in["sample/"+rel] = b
		}
	}
	return in
}

// mutationDigests reads data and deterministic variants of it (cut at
// many lengths, read by Read and ReadDeep; one byte changed at many offsets of the head and the
// tail) and returns, per kind of variant, a digest of every result: the
// decoded media as JSON (reads and bytes read included) and the error.
func mutationDigests(data []byte) (trunc, head, tail string) {
	sum := func(h hash.Hash, tag int, b []byte) {
		m, err := Read(bytes.NewReader(b), int64(len(b)))
		writeResult(h, tag, m, err)
	}
	// The deep walk (no read budget) on the cut files.
	deep := func(h hash.Hash, tag int, b []byte) {
		sum(h, tag, b)
		m, err := ReadDeep(bytes.NewReader(b), int64(len(b)), nil)
		writeResult(h, -tag, m, err)
	}
	ht, hh, hl := sha256.New(), sha256.New(), sha256.New()
	n := len(data)
	deep(ht, n, data)
	for cut := 1; cut < min(n, 40<<10); cut += 173 {
		deep(ht, cut, data[:cut])
	}
	for cut := n - 1; cut > max(n-(36<<10), 40<<10); cut -= 181 {
		deep(ht, cut, data[:cut])
	}
	b := slices.Clone(data)
	flip := func(h hash.Hash, off int) {
		b[off] ^= 0x5A
		sum(h, off, b)
		b[off] ^= 0x5A
	}
	for off := 0; off < min(n, 20<<10); off += 61 {
		flip(hh, off)
	}
	for off := n - 1; off >= max(n-(34<<10), 20<<10); off -= 67 {
		flip(hl, off)
	}
	hx := func(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)[:12]) }
	return hx(ht), hx(hh), hx(hl)
}

// writeResult adds one read's result to a digest: the decoded media as
// JSON (reads and bytes read included), the error and its kind.
func writeResult(h hash.Hash, tag int, m *facts.BackupMedia, err error) {
	j, jerr := json.Marshal(m)
	if jerr != nil {
		panic(jerr)
	}
	fmt.Fprintf(h, "%d\x00%s\x00%v\x00%s\n", tag, j, err, kind(err))
}

// TestMutationsGolden pins what Read returns, headers and errors alike,
// for every uncompressed sample and writer file cut short at many lengths
// and with one byte changed at many offsets: a faster decode must give
// the same answer on damaged files too, not only on good ones. The golden
// file was written by the decoder before the header decode was made
// cheaper (go test -run TestMutationsGolden -update rewrites it).
func TestMutationsGolden(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("tens of thousands of reads")
	}
	checkMutations(t, mutationsPath, mutationInputs(t), mutationDigests)
}

// checkMutations compares each input's variant digests with the golden
// file at path (relative to the module root), or rewrites it with -update.
func checkMutations(t *testing.T, path string, in map[string][]byte, digests func([]byte) (trunc, head, tail string)) {
	t.Helper()
	var got []string
	for name, data := range in {
		tr, hd, tl := digests(data)
		got = append(got, fmt.Sprintf("%s trunc=%s head=%s tail=%s", name, tr, hd, tl))
	}
	slices.Sort(got)
	full := filepath.Join(moduleRoot(t), path)
	if *update {
		if err := os.WriteFile(full, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(full)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, _ := strings.Cut(sc.Text(), " ")
		want[name] = rest
	}
	checked := 0
	for _, line := range got {
		name, rest, _ := strings.Cut(line, " ")
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: not in %s", name, path)
			continue
		}
		checked++
		if w != rest {
			t.Errorf("%s: the variants decode differently:\n got %s\nwant %s", name, rest, w)
		}
	}
	t.Logf("%d inputs checked", checked)
}
