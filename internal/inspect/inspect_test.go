package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

type item struct {
	Path  string             `json:"path"`
	Size  int64              `json:"size"`
	Media *facts.BackupMedia `json:"media,omitempty"`
	Error string             `json:"error,omitempty"`
}

// TestJSONMatchesMarshalIndent: the streamed document is byte for byte
// what json.MarshalIndent writes for the whole report.
func TestJSONMatchesMarshalIndent(t *testing.T) {
	m := func(seq int) *facts.BackupMedia {
		return &facts.BackupMedia{MediaSetID: "ms", FamilyCount: 2, FamilySequence: seq,
			Sets: []facts.BackupSet{{Position: 1, DatabaseName: "<Sales&>", FirstLSN: facts.LSN{VLF: 19, Block: 215, Slot: 1}}}}
	}
	for _, files := range [][]item{
		{},
		{{Path: "a.bak", Size: 1, Media: m(1)}},
		{{Path: "a.bak", Media: m(2)}, {Path: "b\n.bak", Error: "not a backup"}, {Path: "c.bak", Media: m(1)}},
	} {
		var s Stripes
		var got bytes.Buffer
		j := NewJSON(&got)
		for _, f := range files {
			s.Add(f.Path, f.Media)
			if err := j.File(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Close(s.Sets()); err != nil {
			t.Fatal(err)
		}
		want, _ := json.MarshalIndent(struct {
			Files     []item       `json:"files"`
			MediaSets []StripedSet `json:"mediaSets"`
		}{files, s.Sets()}, "", "  ")
		want = append(want, '\n')
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("streamed:\n%s\nwant:\n%s", got.Bytes(), want)
		}
	}
}

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
			if s := started.Add(1); s-emitted.Load() > 5*n {
				t.Errorf("%d started, %d emitted", s, emitted.Load())
			}
			time.Sleep(time.Duration(total-i) % 7 * time.Microsecond * 50)
			running.Add(-1)
			return i
		})
	}
	next := 0
	err := Ordered(context.Background(), jobs, n, func(i int) error {
		if i != next {
			t.Fatalf("got %d, want %d", i, next)
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
	if err := Ordered(context.Background(), jobs, 2, func(i int) error {
		if i == 10 {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
	if ran.Load() > 10+5*2+2 {
		t.Errorf("%d jobs ran after emit failed at 10", ran.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran.Store(0)
	if err := Ordered(ctx, jobs, 2, func(i int) error {
		if i == 5 {
			cancel()
		}
		return nil
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	if ran.Load() > 5+5*2+2 {
		t.Errorf("%d jobs ran after cancel at 5", ran.Load())
	}
}
