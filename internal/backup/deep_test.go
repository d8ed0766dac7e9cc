package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// TestReadDeepListsEverySet: inspect --deep walks a compressed file with
// appended sets and lists each set from its final header copy, as the
// uncompressed form of the same media reads.
func TestReadDeepListsEverySet(t *testing.T) {
	spec := backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{
		{DataBytes: 100000, BackupName: "one"}, {DataBytes: 100000, BackupName: "two", Type: facts.TypeDifferential},
		{DataBytes: 100000, BackupName: "three", Type: facts.TypeLog, ProvisionalLastLSN: facts.LSN{VLF: 30, Block: 320, Slot: 1}}}}
	for _, bs := range []int{512, 4096} {
		spec.BlockSize = bs
		plain := backuptest.Bytes(spec)
		spec.Compressed = true
		comp := backuptest.Bytes(spec)
		spec.Compressed = false
		want, err := readBytes(plain)
		if err != nil {
			t.Fatal(err)
		}
		var calls, last int64
		got, err := ReadDeep(bytes.NewReader(comp), int64(len(comp)), func(done, total int64) {
			calls++
			if done < last || total != int64(len(comp)) {
				t.Errorf("progress %d of %d after %d", done, total, last)
			}
			last = done
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls == 0 || last != int64(len(comp)) {
			t.Errorf("progress: %d calls, last %d of %d", calls, last, len(comp))
		}
		if !got.Compressed || got.BlockSize != bs || got.SetCount != 3 || got.SetsIncomplete {
			t.Errorf("%d: media %+v", bs, got)
		}
		if !reflect.DeepEqual(got.Sets, want.Sets) {
			t.Errorf("%d: deep read of the compressed file:\n%+v\nwant\n%+v", bs, got.Sets, want.Sets)
		}
		// Read alone: the first and the last set, and says 2 was not read.
		m, err := readBytes(comp)
		if err != nil || len(m.Sets) != 2 || m.SetCount != 3 || !m.SetsIncomplete {
			t.Errorf("%d: Read: %v %+v", bs, err, m)
		}
	}
}

// TestReadDeepSamples: on every sample the deep read finds what Read finds.
func TestReadDeepSamples(t *testing.T) {
	dir := samplesDir(t)
	for _, rel := range sampleFiles(t, dir) {
		b := readSample(t, filepath.Join(dir, rel))
		want, werr := readBytes(b)
		got, gerr := ReadDeep(bytes.NewReader(b), int64(len(b)), nil)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%s: Read err %v, ReadDeep err %v", rel, werr, gerr)
			continue
		}
		if want == nil || got == nil {
			continue
		}
		if !reflect.DeepEqual(got.Sets, want.Sets) || got.SetCount != want.SetCount || got.BlockSize != want.BlockSize {
			t.Errorf("%s: deep read differs:\n%+v\nwant\n%+v", rel, got.Sets, want.Sets)
		}
	}
}

func readSample(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
