// Package inspect runs `dmsready inspect` at estate scale: backup files are
// read with bounded concurrency (as `check` reads a share) and their
// results given back in order as they complete, and the JSON report is
// written as it goes, so memory stays flat however many files there are.
package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// ahead is how many jobs per worker Ordered starts ahead of the emitter.
const ahead = 32

// Ordered runs run(job) for each of jobs with at most n in flight and calls
// emit with their results in job order. At most 32n jobs are started and
// not yet emitted: a job is started only once the one 32n before it was
// emitted, so a slow read holds back the starts behind it; with 4n the
// workers sat idle about a third of the time waiting for the emitter to
// get past one (a result is a few KiB: 256 of them are about 1 MiB). It
// stops taking jobs when ctx is done or emit fails, and returns that error.
//
// jobs is iterated on a goroutine of its own as jobs are started, so a
// sequence that finds its jobs as it goes (inspect walking a folder) runs
// alongside the reads; it is stopped (yield returns false) when Ordered
// stops. n long-lived workers run the jobs (a goroutine per job grew a
// fresh stack for every backup read) and put each result in slot i mod
// 32n, which is free: job i is started only once job i-32n was emitted.
//
// Once ctx is done, Ordered waits for the jobs started (and the sequence)
// at most Abandon each: a job stuck in a system call that never returns
// (a hung network mount) is left running, not waited for.
func Ordered[J, R any](ctx context.Context, jobs iter.Seq[J], n int, run func(J) R, emit func(R) error) error {
	if n < 1 {
		n = 1
	}
	w := ahead * n
	slots := make([]chan R, w)
	for i := range slots {
		slots[i] = make(chan R, 1)
	}
	type started struct {
		i   int
		job J
	}
	tokens := make(chan struct{}, w) // one per job started and not emitted
	order := make(chan int, w)       // jobs started, in order, for emit
	work := make(chan started, w)    // jobs started, for the workers
	stop := make(chan struct{})
	go func() {
		defer close(order)
		defer close(work)
		i := 0
		for job := range jobs {
			select {
			case <-stop:
				return
			default:
			}
			if ctx.Err() != nil {
				return
			}
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
			order <- i // never blocks: at most w tokens are out
			work <- started{i, job}
			i++
		}
	}()
	for range n {
		go func() {
			for s := range work {
				slots[s.i%w] <- run(s.job)
			}
		}()
	}
	var err error
	for {
		i, ok, gone := recv(ctx, order)
		if !ok {
			break
		}
		var r R
		if !gone {
			r, _, gone = recv(ctx, slots[i%w])
		}
		if gone {
			// Once ctx is done, a job that does not end within
			// Abandon is stuck in a call that never returns (a hung
			// network share): it is left behind, with what follows it.
			if err == nil {
				close(stop)
			}
			return ctx.Err()
		}
		<-tokens
		if err != nil {
			continue // drain what was started
		}
		if err = emit(r); err != nil {
			close(stop)
		}
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// Abandon is how long Ordered, once its context is done, waits for each
// job started or its sequence's next job before it stops waiting.
const Abandon = time.Second

// recv receives from ch; once ctx is done it waits at most Abandon
// (gone: it stopped waiting).
func recv[T any](ctx context.Context, ch <-chan T) (v T, ok, gone bool) {
	select {
	case v, ok = <-ch:
		return v, ok, false
	case <-ctx.Done():
	}
	t := time.NewTimer(Abandon)
	defer t.Stop()
	select {
	case v, ok = <-ch:
		return v, ok, false
	case <-t.C:
		return v, false, true
	}
}

// StripedSet groups the files of one media set striped over several
// families (files): a backup needs every family to restore.
type StripedSet struct {
	MediaSetID  string   `json:"mediaSetId"`
	FamilyCount int      `json:"familyCount"`
	Families    []int    `json:"families"`
	Paths       []string `json:"paths"`
	Complete    bool     `json:"complete"`
}

// Stripes collects striped media sets from the media read, one at a time;
// it keeps only striped files.
type Stripes struct {
	idx  map[string]int
	sets []StripedSet
}

// Add records one file's media (nil is ignored).
func (s *Stripes) Add(path string, m *facts.BackupMedia) {
	if m == nil || m.FamilyCount < 2 || m.MediaSetID == "" {
		return
	}
	if s.idx == nil {
		s.idx = map[string]int{}
	}
	i, ok := s.idx[m.MediaSetID]
	if !ok {
		i = len(s.sets)
		s.idx[m.MediaSetID] = i
		s.sets = append(s.sets, StripedSet{MediaSetID: m.MediaSetID, FamilyCount: m.FamilyCount})
	}
	set := &s.sets[i]
	set.Paths = append(set.Paths, path)
	if !slices.Contains(set.Families, m.FamilySequence) {
		set.Families = append(set.Families, m.FamilySequence)
	}
}

// Sets returns the striped sets, families sorted, completeness decided.
func (s *Stripes) Sets() []StripedSet {
	out := make([]StripedSet, len(s.sets))
	for i, set := range s.sets {
		set.Families = slices.Sorted(slices.Values(set.Families))
		set.Complete = len(set.Families) == set.FamilyCount
		out[i] = set
	}
	return out
}

// JSON writes {"files": [...], "mediaSets": [...]} one file at a time,
// byte for byte as json.MarshalIndent(v, "", "  ") writes the whole. It
// writes to w in pieces of about flushAt bytes (a write per file was a
// system call per file on a terminal or a pipe), and the rest on Close.
type JSON struct {
	w   io.Writer
	n   int
	buf []byte // written, not yet flushed
	raw bytes.Buffer
	enc *json.Encoder
	nl  []string // appendIndent's line breaks, kept across files
	err error
}

const flushAt = 64 << 10

// NewJSON starts the document.
func NewJSON(w io.Writer) *JSON {
	j := &JSON{w: w, buf: make([]byte, 0, flushAt+16<<10)}
	j.buf = append(j.buf, "{\n  \"files\": ["...)
	return j
}

// flush writes what is buffered (after a write error, nothing more).
func (j *JSON) flush() {
	if j.err == nil && len(j.buf) > 0 {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
}

// File writes one element of "files", with the hand-written encoder
// (encode.go). A value it leaves to encoding/json (a time json refuses)
// goes through slow, so the error is json's own.
func (j *JSON) File(f *File) error {
	mark := len(j.buf)
	e := enc{b: j.buf, ok: true}
	if j.n > 0 {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, "\n    "...)
	e.file(f)
	if !e.ok {
		j.buf = e.b[:mark]
		return j.slow(*f) // a copy: f itself stays off the heap
	}
	j.buf = e.b
	j.n++
	if len(j.buf) >= flushAt {
		j.flush()
	}
	return j.err
}

// slow writes one element as File did before encode.go: encoding/json
// compactly, indented with appendIndent (json.Indent without its
// validating scanner). Tests use it as the reference.
func (j *JSON) slow(v any) error {
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.raw)
	}
	j.raw.Reset()
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	raw := bytes.TrimSuffix(j.raw.Bytes(), []byte("\n"))
	if j.n > 0 {
		j.buf = append(j.buf, ',')
	}
	j.buf = append(j.buf, "\n    "...)
	j.buf, j.nl = appendIndentLines(j.buf, raw, "    ", "  ", j.nl)
	j.n++
	if len(j.buf) >= flushAt {
		j.flush()
	}
	return j.err
}

// appendIndent appends src, compact JSON as encoding/json writes it (no
// space outside strings), indented as json.Indent would: each element and
// member on a new line beginning with prefix and one indent per level,
// ": " after a key, "[]" and "{}" kept whole.
func appendIndent(dst, src []byte, prefix, indent string) []byte {
	dst, _ = appendIndentLines(dst, src, prefix, indent, nil)
	return dst
}

// appendIndentLines is appendIndent with nl[d], a line break and the
// indentation of depth d, kept by the caller for the same prefix and
// indent (nil at first); it returns nl grown.
func appendIndentLines(dst, src []byte, prefix, indent string, nl []string) ([]byte, []string) {
	if len(nl) == 0 {
		nl = []string{"\n" + prefix}
	}
	line := func(d int) string {
		for len(nl) <= d {
			nl = append(nl, nl[len(nl)-1]+indent)
		}
		return nl[d]
	}
	depth := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string through its closing quote; a backslash
			// escapes the next byte.
			k := i + 1
			for k < len(src) && src[k] != '"' {
				if src[k] == '\\' {
					k++
				}
				k++
			}
			end := min(k+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			depth++
			dst = append(dst, c)
			dst = append(dst, line(depth)...)
		case '}', ']':
			depth--
			dst = append(dst, line(max(depth, 0))...)
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = append(dst, line(depth)...)
		case ':':
			dst = append(dst, ':', ' ')
		default:
			// A run of a number or a literal.
			k := i + 1
			for k < len(src) && !isDelim(src[k]) {
				k++
			}
			dst = append(dst, src[i:k]...)
			i = k - 1
		}
	}
	return dst, nl
}

func isDelim(c byte) bool {
	switch c {
	case '"', '{', '[', '}', ']', ',', ':':
		return true
	}
	return false
}

// Close writes "mediaSets" and ends the document (with a newline), and
// flushes it.
func (j *JSON) Close(sets []StripedSet) error {
	if sets == nil {
		sets = []StripedSet{}
	}
	b, err := json.MarshalIndent(sets, "  ", "  ")
	if err != nil {
		j.flush()
		return err
	}
	if j.n > 0 {
		j.buf = append(j.buf, "\n  ]"...)
	} else {
		j.buf = append(j.buf, ']')
	}
	j.buf = append(j.buf, ",\n  \"mediaSets\": "...)
	j.buf = append(j.buf, b...)
	j.buf = append(j.buf, "\n}\n"...)
	j.flush()
	return j.err
}
