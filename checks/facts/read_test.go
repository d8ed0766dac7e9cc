package facts_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/perf"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

func encode(t testing.TB, f *facts.Facts) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := facts.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadStreamingEqualsWhole: the streaming path decodes every fixture
// and a synthetic estate exactly as one strict decode of the whole file.
func TestReadStreamingEqualsWhole(t *testing.T) {
	inputs := map[string][]byte{
		"estate": encode(t, restoretest.Estate(restoretest.EstateSpec{Databases: 20, Backups: 50, FullEvery: 50, DiffEvery: 10, Server: true, Folders: true})),
		"empty":  encode(t, &facts.Facts{SchemaVersion: facts.SchemaVersion, Storage: &facts.Storage{Files: []facts.File{}}}),
		"nil":    encode(t, &facts.Facts{SchemaVersion: facts.SchemaVersion, Storage: &facts.Storage{}}),
	}
	for _, p := range []string{"demo/facts.json", "restore/scenario.facts.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", p))
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = b
	}
	for name, b := range inputs {
		got, err := facts.Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := facts.ReadWhole(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: streaming and whole decodes differ", name)
		}
	}
	f, _ := facts.Read(bytes.NewReader(inputs["nil"]))
	if f.Storage.Files != nil {
		t.Errorf("files: null read as %#v, want nil (not collected)", f.Storage.Files)
	}
	f, _ = facts.Read(bytes.NewReader(inputs["empty"]))
	if f.Storage.Files == nil {
		t.Errorf("files: [] read as nil, want empty (none found)")
	}
}

func TestReadErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"version first, wrong, unknown fields after": {`{"schemaVersion": 2, "novel": {"x": 1}}`, "schema version 2"},
		"version last, wrong":                        {`{"novel": 1, "schemaVersion": 3}`, "schema version 3"},
		"version last, right":                        {`{"storage": null, "schemaVersion": 1, "novel": 1}`, `unknown field "novel"`},
		"no version":                                 {`{"storage": null}`, "no schemaVersion"},
		"version not a number":                       {`{"schemaVersion": "one"}`, "not a number"},
		"version twice":                              {`{"schemaVersion": 1, "schemaVersion": 2}`, "schema version 2"},
		"unknown top-level":                          {`{"schemaVersion": 1, "novel": 1}`, `unknown field "novel"`},
		"unknown in storage":                         {`{"schemaVersion": 1, "storage": {"novel": 1}}`, `unknown field "novel"`},
		"unknown in a file":                          {`{"schemaVersion": 1, "storage": {"files": [{"path": "a", "novel": 1}]}}`, `unknown field "novel"`},
		"storage not an object":                      {`{"schemaVersion": 1, "storage": [1]}`, "want an object"},
		"files not an array":                         {`{"schemaVersion": 1, "storage": {"files": {}}}`, "want an array"},
		"trailing data":                              {`{"schemaVersion": 1} {}`, "after the top-level object"},
		"cut short":                                  {`{"schemaVersion": 1, "storage": {"files": [{"path": "a"}`, "EOF"},
		"not json":                                   {`hello`, "invalid character"},
	} {
		_, err := facts.Read(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
	// Keys match as encoding/json matches them: case-insensitively.
	f, err := facts.Read(strings.NewReader(`{"schemaVersion": 1, "STORAGE": {"Files": [{"PATH": "a"}], "kind": "share"}}`))
	if err != nil || f.Storage == nil || len(f.Storage.Files) != 1 || f.Storage.Files[0].Path != "a" || f.Storage.Kind != "share" {
		t.Errorf("case-insensitive keys: %+v %v", f, err)
	}
}

// TestReadTrailingData: data after the top-level object is worded as Read
// worded it before the streamed decoder (encoding/json's Decoder on the next
// token), naming the offending character; the wording below is what
// dmsready at a917a39 printed for each. Also after a files array long enough
// to be read in several windows.
func TestReadTrailingData(t *testing.T) {
	big := bytes.TrimRight(encode(t, restoretest.Estate(restoretest.EstateSpec{Databases: 3, Backups: 400})), "\n")
	for _, head := range [][]byte{[]byte(`{"schemaVersion": 1}`), big} {
		for tail, want := range map[string]string{
			"x":      "facts: invalid character 'x' looking for beginning of value",
			"}":      "facts: invalid character '}' looking for beginning of value",
			",":      "facts: invalid character ',' looking for beginning of value",
			`\`:      `facts: invalid character '\\' looking for beginning of value`,
			"\xff":   "facts: invalid character 'ÿ' looking for beginning of value",
			"tx":     "facts: invalid character 'x' in literal true (expecting 'r')",
			`"abc`:   "facts: unexpected EOF",
			"-":      "facts: unexpected EOF",
			"{}":     "facts: invalid data after the top-level object",
			"1":      "facts: invalid data after the top-level object",
			`"abc"`:  "facts: invalid data after the top-level object",
			" \n\t ": "",
		} {
			in := append(append(append([]byte{}, head...), '\n'), tail...)
			_, err := facts.Read(bytes.NewReader(in))
			if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
				t.Errorf("%d bytes then %q: got %v, want %q", len(head), tail, err, want)
			}
		}
	}
}

// TestReadSizeLimit: input past the limit is refused with a
// *TooLargeError, on both paths; input of exactly the limit is read.
func TestReadSizeLimit(t *testing.T) {
	b := encode(t, restoretest.Estate(restoretest.EstateSpec{Databases: 2, Backups: 20, FullEvery: 20, DiffEvery: 5}))
	defer facts.SetMaxSize(facts.SetMaxSize(int64(len(b))))
	if _, err := facts.Read(bytes.NewReader(b)); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
	facts.SetMaxSize(int64(len(b)) - 1)
	var tl *facts.TooLargeError
	if _, err := facts.Read(bytes.NewReader(b)); !errors.As(err, &tl) || !strings.Contains(err.Error(), "docs/facts.md") {
		t.Errorf("one byte over: %v", err)
	}
	// The slow path (version not first) too.
	slow := append([]byte(`{"storage": null, `), b[1:]...)
	facts.SetMaxSize(int64(len(slow)) - 1)
	if _, err := facts.Read(bytes.NewReader(slow)); !errors.As(err, &tl) {
		t.Errorf("slow path one byte over: %v", err)
	}
}

// TestReadAllocatesOnce: reading allocates at most 1.5 times the file's
// size (the file used to be held twice and decoded three times).
func TestReadAllocatesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes a 15 MB facts file")
	}
	b := encode(t, restoretest.Estate(restoretest.EstateSpec{Databases: 50, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true}))
	ratio := allocRatio(t, b)
	if ratio > 1.5 {
		t.Errorf("reading %d bytes allocated %.2f times as much", len(b), ratio)
	}
	t.Logf("%d bytes, allocated %.2fx", len(b), ratio)
}

func allocRatio(t testing.TB, b []byte) float64 {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if _, err := facts.Read(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(b))
}

// BenchmarkReadFacts reads a facts file of 1,000 databases × 100 backups
// (about 250 MB, as in the issue; 100 databases with -short) from disk: MB/s,
// allocated bytes per file byte (goal ≤ 1.5) and peak heap.
func BenchmarkReadFacts(b *testing.B) {
	dbs := 1000
	if testing.Short() {
		dbs = 100
	}
	p := filepath.Join(b.TempDir(), "facts.json")
	{
		fl, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := facts.Write(fl, restoretest.Estate(restoretest.EstateSpec{Databases: dbs, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true})); err != nil {
			b.Fatal(err)
		}
		fl.Close()
	}
	st, _ := os.Stat(p)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	c0 := perf.CPU()
	stop := perf.PeakHeap()
	for range b.N {
		fl, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := facts.Read(fl); err != nil {
			b.Fatal(err)
		}
		fl.Close()
	}
	peak := stop()
	runtime.ReadMemStats(&ms1)
	n := float64(b.N)
	b.ReportMetric(float64(st.Size())/1e6, "file-MB")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/n/float64(st.Size()), "alloc/size")
	b.ReportMetric(float64(st.Size())/1e6*n/b.Elapsed().Seconds(), "MB/s")
	b.ReportMetric((perf.CPU()-c0).Seconds()/n, "cpu-s/read")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// TestWriteEstateStreams: a synthetic estate is written byte for byte as
// one json.Encoder wrote it, and in pieces: never more than a buffer and
// an element at once (the encoder wrote the whole file in one piece).
func TestWriteEstateStreams(t *testing.T) {
	f := restoretest.Estate(restoretest.EstateSpec{Databases: 20, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Folders: true})
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	w := &pieces{}
	if err := facts.Write(w, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.b.Bytes(), want.Bytes()) {
		t.Fatal("Write differs from json.Encoder on the estate")
	}
	if w.max > 128<<10 {
		t.Errorf("%d bytes written in one piece of %d: not streamed", want.Len(), w.max)
	}
}

type pieces struct {
	b   bytes.Buffer
	max int
}

func (p *pieces) Write(b []byte) (int, error) {
	p.max = max(p.max, len(b))
	return p.b.Write(b)
}
