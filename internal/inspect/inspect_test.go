package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// TestJSONMatchesMarshalIndent: the streamed document is byte for byte
// what json.MarshalIndent writes for the whole report.
func TestJSONMatchesMarshalIndent(t *testing.T) {
	m := func(seq int) *facts.BackupMedia {
		return &facts.BackupMedia{MediaSetID: "ms", FamilyCount: 2, FamilySequence: seq,
			Sets: []facts.BackupSet{{Position: 1, DatabaseName: "<Sales&>", FirstLSN: facts.LSN{VLF: 19, Block: 215, Slot: 1}}}}
	}
	// Enough files to be written in several pieces, one with a time only
	// encoding/json writes (a zone of odd seconds).
	var many []File
	odd := time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3*3600+7))
	for i := range 2000 {
		f := File{Path: strings.Repeat("p", i%50), Size: int64(i), Media: m(1 + i%2)}
		if i == 1000 {
			f.Media.Sets[0].BackupStartDate = &odd
		}
		many = append(many, f)
	}
	for _, files := range [][]File{
		{},
		{{Path: "a.bak", Size: 1, Media: m(1)}},
		{{Path: "a.bak", Media: m(2)}, {Path: "b\n.bak", Error: "not a backup", ErrorKind: "not-backup"}, {Path: "c.bak", Media: m(1)}},
		many,
	} {
		var s Stripes
		var got writes
		j := NewJSON(&got)
		for _, f := range files {
			s.Add(f.Path, f.Media)
			if err := j.File(&f); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Close(s.Sets()); err != nil {
			t.Fatal(err)
		}
		want, _ := json.MarshalIndent(struct {
			Files     []File       `json:"files"`
			MediaSets []StripedSet `json:"mediaSets"`
		}{files, s.Sets()}, "", "  ")
		want = append(want, '\n')
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("streamed:\n%s\nwant:\n%s", got.Bytes(), want)
		}
		// Written as it goes, in pieces of at least flushAt bytes.
		if got.n > len(want)/flushAt+1 || len(want) > 2*flushAt && got.n < 2 {
			t.Errorf("%d bytes in %d writes", len(want), got.n)
		}
	}
}

// writes is a bytes.Buffer counting its writes.
type writes struct {
	bytes.Buffer
	n int
}

func (w *writes) Write(b []byte) (int, error) {
	w.n++
	return w.Buffer.Write(b)
}

func call(f func() int) int { return f() }

func TestStripes(t *testing.T) {
	var s Stripes
	s.Add("b", &facts.BackupMedia{MediaSetID: "m", FamilyCount: 3, FamilySequence: 3})
	s.Add("a", &facts.BackupMedia{MediaSetID: "m", FamilyCount: 3, FamilySequence: 1})
	s.Add("x", &facts.BackupMedia{MediaSetID: "n", FamilyCount: 1, FamilySequence: 1})
	s.Add("y", nil)
	sets := s.Sets()
	if len(sets) != 1 || sets[0].Complete || len(sets[0].Families) != 2 || sets[0].Families[0] != 1 || sets[0].Paths[0] != "b" {
		t.Errorf("%+v", sets)
	}
}

// TestOrdered: results come in job order, never more than n run at once,
// and never more than 5n are started and not yet emitted (memory flat).
func TestOrdered(t *testing.T) {
	const n, total = 4, 500
	var running, maxRunning, started, emitted atomic.Int64
	var jobs []func() int
	for i := range total {
		jobs = append(jobs, func() int {
			r := running.Add(1)
			for {
				m := maxRunning.Load()
				if r <= m || maxRunning.CompareAndSwap(m, r) {
					break
				}
			}
			// The contract is 32n started and not emitted (ahead); a token
			// is handed back just before its result is emitted, hence +1.
			if s := started.Add(1); s-emitted.Load() > 32*n+1 {
				t.Errorf("%d started, %d emitted", s, emitted.Load())
			}
			time.Sleep(time.Duration(total-i) % 7 * time.Microsecond * 50)
			running.Add(-1)
			return i
		})
	}
	next := 0
	err := Ordered(context.Background(), slices.Values(jobs), n, call, func(i int) error {
		if i != next {
			t.Fatalf("got %d, want %d", i, next)
		}
		if i == 10 {
			// A slow emit: wait until the workers stop starting jobs,
			// which they must do once 32n are ahead of it.
			for prev := int64(-1); started.Load() != prev; {
				prev = started.Load()
				time.Sleep(20 * time.Millisecond)
			}
		}
		next++
		emitted.Add(1)
		return nil
	})
	if err != nil || next != total {
		t.Fatalf("err %v after %d", err, next)
	}
	if maxRunning.Load() > n {
		t.Errorf("%d ran at once, limit %d", maxRunning.Load(), n)
	}
}

func TestOrderedStops(t *testing.T) {
	jobs := make([]func() int, 1000)
	var ran atomic.Int64
	for i := range jobs {
		jobs[i] = func() int { ran.Add(1); return i }
	}
	boom := errors.New("boom")
	if err := Ordered(context.Background(), slices.Values(jobs), 2, call, func(i int) error {
		if i == 10 {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
	if ran.Load() > 10+(ahead+1)*2+2 {
		t.Errorf("%d jobs ran after emit failed at 10", ran.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran.Store(0)
	if err := Ordered(ctx, slices.Values(jobs), 2, call, func(i int) error {
		if i == 5 {
			cancel()
		}
		return nil
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	if ran.Load() > 5+(ahead+1)*2+2 {
		t.Errorf("%d jobs ran after cancel at 5", ran.Load())
	}
}

// TestAppendIndentMatchesIndent: appendIndent writes what json.Indent
// writes for compact JSON: escapes in strings (quotes, backslashes,
// brackets and commas inside strings), empty and nested containers,
// numbers and literals, and the headers of real backups.
func TestAppendIndentMatchesIndent(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `""`, `0`, `null`, `[[],{},[[]],{"a":{}}]`,
		`{"a\"b":"c\\","d":"\\\"","e":"[{,:}]","f":-1.5e-7,"g":true,"h":[1,2,{"i":null}]}`,
		`{"p":"\u003cSales\u0026\u003e","q":"\n\t","r":"\\"}`,
		`"a\\\\"`, `{"x":"\\\\\""}`,
	}
	m := &facts.BackupMedia{MediaSetID: "ms", Unknown: []string{"a"}, Sets: []facts.BackupSet{{DatabaseName: `q"\`, Files: []facts.BackupFile{{LogicalName: "l"}}}}}
	b, _ := json.Marshal(m)
	docs = append(docs, string(b))
	for _, d := range docs {
		check := func(prefix, indent string) {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(d), prefix, indent); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if got := appendIndent(nil, []byte(d), prefix, indent); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s:\n got %s\nwant %s", d, got, want.Bytes())
			}
		}
		check("", "  ")
		check("    ", "  ")
	}
}

func FuzzAppendIndent(f *testing.F) {
	f.Add([]byte(`{"a\"":[1,{},[]],"b":"\\"}`))
	f.Add([]byte(`[{"x":null,"y":[true,false]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c bytes.Buffer
		if json.Compact(&c, data) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, c.Bytes(), "  ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := appendIndent(nil, c.Bytes(), "  ", "  "); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%q:\n got %q\nwant %q", c.Bytes(), got, want.Bytes())
		}
	})
}

// BenchmarkJSONFile: one file's element of the streamed report (a
// one-set header with its file list), as inspect DIR --format json writes
// it 100,000 times.
func BenchmarkJSONFile(b *testing.B) {
	tm := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f := File{Path: "/backups/db001/db001_LOG_20250101_0015.trn", Size: 15360, Media: &facts.BackupMedia{
		BlockSize: 512, MediaSetID: "9C958316-0313-703F-777B-D616E45316A8", MediaFamilyID: "5EED0001", FamilyCount: 1, FamilySequence: 1,
		SoftwareName: "Microsoft SQL Server", Sets: []facts.BackupSet{{Position: 1, DatabaseName: "db001", ServerName: "SRV", BackupType: facts.TypeLog,
			FirstLSN: facts.LSN{VLF: 40, Block: 1115, Slot: 1}, LastLSN: facts.LSN{VLF: 40, Block: 1119, Slot: 1}, SoftwareVersion: "13.0.5026",
			DatabaseCreationDate: &tm, BackupStartDate: &tm, BackupFinishDate: &tm, BackupSetGUID: "00000001-0010-4000-8000-000000000010",
			Files:   []facts.BackupFile{{LogicalName: "db001", PhysicalName: `C:\data\db001.mdf`, Type: "D"}, {LogicalName: "db001_log", PhysicalName: `C:\data\db001_log.ldf`, Type: "L"}},
			Unknown: []string{"isCopyOnly", "encrypted", "tdeThumbprint"}}}}}
	b.Run("encoder", func(b *testing.B) {
		j := NewJSON(io.Discard)
		b.ReportAllocs()
		for b.Loop() {
			if err := j.File(&f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		j := NewJSON(io.Discard)
		b.ReportAllocs()
		for b.Loop() {
			if err := j.slow(&f); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestOrderedStopsSequence: when emit fails, the jobs' sequence is told
// to stop (yield returns false) and is not asked for many more, and
// Ordered returns only after it has stopped.
func TestOrderedStopsSequence(t *testing.T) {
	var yields, stopped atomic.Int64
	seq := func(yield func(int) bool) {
		for i := 0; ; i++ {
			yields.Add(1)
			if !yield(i) {
				stopped.Add(1)
				return
			}
		}
	}
	boom := errors.New("boom")
	err := Ordered(context.Background(), seq, 2, func(i int) int { return i }, func(i int) error {
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || stopped.Load() != 1 {
		t.Errorf("err %v, sequence stopped %d times", err, stopped.Load())
	}
	if yields.Load() > 10+(ahead+1)*2+2 {
		t.Errorf("%d jobs taken after emit failed at 10", yields.Load())
	}
}
