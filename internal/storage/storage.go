// Package storage lists the backup container (Azure Blob) or share (a local
// or mounted folder) and reads each backup's header through a few ranged
// reads. It only lists and reads: it never writes to storage.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dmsready/dmsready/internal/redact"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
)

// DefaultConcurrency is the number of header reads in flight.
const DefaultConcurrency = 8

// DefaultRequestTimeout bounds each try of one request to the Blob service,
// body included: a ranged header read is 16-64 KiB and a listing page a few
// MB, which a slow WAN link (1 Mbit/s) still moves well within a minute. An
// endpoint that never answers costs 1+MaxRetries tries of it (the SDK's
// retry policy), about four minutes with the defaults.
const DefaultRequestTimeout = 60 * time.Second

// MaxBodyRetries is how many times one ranged read is re-requested from
// where its body was cut short, on top of the SDK's retries of the request
// itself. After that the file's read is an I/O error (ReadErrorIO).
const MaxBodyRetries = 3

// ReadErrorIO is the ReadErrorKind of a file that could not be read — a
// timeout, a reset, bodies cut short after every retry, an OS error —
// which says nothing about whether the backup is good.
const ReadErrorIO = "io-error"

// HeaderReader decodes a backup's headers through r (size bytes long).
type HeaderReader func(r io.ReaderAt, size int64) (*facts.BackupMedia, error)

// Config says where the backups are and how to reach them.
type Config struct {
	// Location is a container URL
	// (https://acct.blob.core.windows.net/container[/folder][?SAS]), a local,
	// mounted or UNC path, or "container[/folder]" together with a connection string.
	Location string
	// ConnectionString, else AZURE_STORAGE_CONNECTION_STRING through Getenv.
	ConnectionString string
	// AccountKey goes with a container URL.
	AccountKey string
	// Auth: "" auto | "sas" | "connection-string" | "account-key" | "entra" | "none".
	// Auto picks a SAS in the URL, then a connection string, then an account
	// key, then Microsoft Entra (DefaultAzureCredential).
	Auth string
	// Concurrency is the number of header reads in flight (default 8).
	Concurrency int
	// RequestTimeout bounds each try of a Blob request, its body included,
	// and how long a share may list and read nothing before Collect stops
	// waiting for it (default DefaultRequestTimeout).
	RequestTimeout time.Duration
	ReadHeaders    bool
	// Getenv is the environment (nil = os.Getenv).
	Getenv func(string) string
	// Progress receives a status line while scanning; nil = silent.
	Progress io.Writer
	// Credential overrides DefaultAzureCredential (tests).
	Credential azcore.TokenCredential
	// Transport and Retry override the SDK's HTTP transport and retry policy (tests).
	Transport policy.Transporter
	Retry     *policy.RetryOptions
	// HeaderReader decodes headers; nil = the backup package's reader.
	HeaderReader HeaderReader
	// Head and Tail are the bytes fetched from each end of a file on the
	// first read there (defaults DefaultHead, DefaultTail).
	Head, Tail int
	// Now is the clock for SAS expiry in messages (nil = time.Now).
	Now func() time.Time
	// block, when set (tests), is called before a share's folder is
	// listed and each of its files opened or read (watch.block).
	block func(op, path string)
}

// readPending marks a listed file queued for its header read until its
// reader writes the result; never left in the facts.
const readPending = "\x00pending"

// source is a container or a folder: list, then ranged reads.
type source interface {
	ranger
	list(ctx context.Context, fn func(facts.File)) error
}

// Collect lists the storage and, with ReadHeaders, reads every backup's
// header. Storage is nil only when the location itself is unusable; Files is
// nil when the listing failed. Errors name SrcStorage (listing) or
// SrcBackups (header reading as a whole, e.g. canceled).
func Collect(ctx context.Context, cfg Config) (*facts.Storage, []facts.SourceError) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	if strings.TrimSpace(cfg.Location) == "" {
		return nil, []facts.SourceError{{Source: facts.SrcStorage, Kind: "invalid", Message: "no storage location given"}}
	}
	st := &facts.Storage{Kind: facts.StorageBlob, Location: redact.Location(cfg.Location)}
	var src source
	var lw *watch     // a share's progress, watched: nil for a container
	var wide []string // a share's links leading outside it (set by the listing)
	cl := classifier{now: now()}
	blobMode := redact.IsURL(cfg.Location) || cfg.Auth == "connection-string" || (cfg.ConnectionString != "" && cfg.Auth == "")
	if !blobMode && cfg.Auth == "" && cfg.ConnectionString == "" && cfg.Getenv("AZURE_STORAGE_CONNECTION_STRING") != "" {
		// A bare name is a container of the connection string's account
		// (docs/storage.md), unless a local folder of that name exists.
		if fi, ok, err := statBounded(cfg, cfg.Location); !ok {
			// It exists, on a mount that does not answer: read as the
			// share it is, where the watched walk names the failure.
			st.LocationNote = "read " + redact.Location(cfg.Location) + " as a local folder: it did not answer within " + requestTimeout(cfg).String() + " (a hung network mount?); AZURE_STORAGE_CONNECTION_STRING is set but not used (give a container URL to read the container)"
		} else if err == nil && fi.IsDir() {
			st.LocationNote = "read " + redact.Location(cfg.Location) + " as a local folder, which exists; AZURE_STORAGE_CONNECTION_STRING is set but not used (give a container URL to read the container)"
		} else {
			blobMode = true
			st.LocationNote = "read " + redact.Location(cfg.Location) + " as a container with AZURE_STORAGE_CONNECTION_STRING: no local folder of that name exists"
		}
	}
	if blobMode {
		b, err := openBlob(cfg, st)
		if err != nil {
			return st, []facts.SourceError{{Source: facts.SrcStorage, Kind: "invalid", Message: redact.Text(err.Error())}}
		}
		src = b
		cl.auth, cl.sas = string(st.Auth), st.SAS
		cl.endpoint, cl.timeout = hostOf(st.Location), requestTimeout(cfg)
		cl.what = "container " + st.Container
		if st.Prefix != "" {
			cl.what = "folder " + st.Prefix + " of container " + st.Container
		}
	} else {
		l, _ := openLocal(cfg, st)
		l.wt = &watch{block: cfg.block}
		l.outside = func(rel, target string) { wide = append(wide, rel+" -> "+target) }
		lw = l.wt
		src = l
	}

	// describe turns a failed ranged read into a short, secret-free reason.
	describe := func(err error) string {
		e := cl.classify(err, facts.SrcBackups)
		if e.Permission != "" {
			return e.Message + " (needs " + e.Permission + ")"
		}
		return e.Message
	}
	if !blobMode {
		describe = func(err error) string { return localError(err, cfg.Location).Message }
	}
	prog := startProgress(cfg.Progress)
	defer prog.stop()

	hr := cfg.HeaderReader
	if hr == nil {
		hr = defaultHeaderReader
	}
	read := cfg.ReadHeaders && hr != nil
	// listed grows as the listing goes; the header readers write their
	// results into it in place (under mu), each decoded header interned
	// first, so nothing per file stays live beside the facts. Once gone
	// is set (Collect stopped waiting for a share that stopped
	// answering), nothing more is written.
	var (
		mu     sync.Mutex
		listed fileChunks
		gone   bool
	)
	// The scan runs under its own context: canceled when Collect stops
	// waiting, so what is left of it winds down once its calls return.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := newInterner()
	q := newJobQueue[job](sctx, cfg.Concurrency, batchOf(src))
	var wg sync.WaitGroup
	var slots []slot // each reader's file in flight, watched shares only
	if lw != nil && read {
		slots = make([]slot, cfg.Concurrency)
		for i := range slots {
			slots[i].idx.Store(-1)
		}
		lw.readers = slots
	}
	if read {
		for w := range cfg.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var wr windowReader
				var rs []result
				for js := range q.ch {
					// A batch's headers are read, then interned and
					// written under one lock each, not one per file.
					rs = rs[:0]
					for _, j := range js {
						if slots != nil {
							slots[w].idx.Store(int64(j.idx))
						}
						rs = append(rs, readOne(sctx, &wr, src, j, hr, cfg.Head, cfg.Tail, describe))
						if slots != nil {
							slots[w].idx.Store(-1)
							slots[w].n.Add(1)
						}
					}
					in.medias(rs)
					mu.Lock()
					for i, j := range js {
						if gone {
							break
						}
						r := &rs[i]
						f := listed.at(j.idx)
						f.Backup, f.ReadError, f.ReadErrorKind, f.BytesRead, f.Reads = r.media, r.msg, facts.ReadErrorKind(r.kind), r.bytes, r.reads
					}
					mu.Unlock()
					clear(rs) // nothing decoded stays reachable from the worker
					prog.read.Add(int64(len(js)))
				}
			}()
		}
	}
	var (
		listErr  error
		listDone atomic.Bool // listErr is set
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		listErr = src.list(sctx, func(f facts.File) {
			prog.listed.Add(1)
			queue := read && needsRead(f)
			if queue {
				f.ReadErrorKind = readPending // until its reader writes its result
			}
			mu.Lock()
			if gone {
				mu.Unlock()
				return
			}
			idx := listed.add(f)
			mu.Unlock()
			if queue {
				prog.queued.Add(1)
				q.add(job{idx, f.Path, f.Size, f.LastModified})
			}
		})
		listDone.Store(true)
		q.close()
		wg.Wait()
	}()
	end := endDone
	if lw == nil {
		<-done
	} else {
		end = lw.wait(ctx, done, requestTimeout(cfg))
	}
	var asked string // what a stalled share was last asked
	timeout := requestTimeout(cfg)
	mu.Lock()
	if end != endDone {
		cancel()
		gone = true
		if !listDone.Load() {
			asked = "list " + lw.folder()
		}
		var busy []string
		for i := range slots {
			if idx := slots[i].idx.Load(); idx >= 0 {
				f := listed.at(int(idx))
				f.ReadErrorKind, f.ReadError = ReadErrorIO, fmt.Sprintf("the read of this file did not return within %s: the share stopped answering", timeout)
				if end == endCanceled {
					f.ReadErrorKind, f.ReadError = "canceled", "canceled while the file was read (the read did not return)"
				}
				busy = append(busy, f.Path)
			}
		}
		if asked == "" && len(busy) > 0 {
			slices.Sort(busy)
			asked = "read " + busy[0]
			if len(busy) > 1 {
				asked += fmt.Sprintf(" (and %d other files)", len(busy)-1)
			}
		}
		if asked == "" {
			asked = "nothing in flight"
		}
	}
	mu.Unlock()
	if end != endDone && !listDone.Load() {
		// The listing never finished: what it found is not the folder.
		e := localError(context.Canceled, cfg.Location)
		if end == endStalled {
			e = facts.SourceError{Source: facts.SrcStorage, Kind: facts.ErrTimeout, Message: stalledMsg(timeout, asked)}
		}
		return st, []facts.SourceError{e}
	}

	if listErr != nil {
		var e facts.SourceError
		if blobMode {
			e = cl.classify(listErr, facts.SrcStorage)
			if st.AuthReason != "" && e.Kind != "canceled" {
				e.Message += " [credential " + string(st.Auth) + ": " + st.AuthReason + "]"
			}
		} else {
			e = localError(listErr, cfg.Location)
		}
		return st, []facts.SourceError{e}
	}
	if listed.n == 0 && blobMode {
		// A location naming one blob lists nothing below it: say so
		// rather than report an empty folder.
		if b, ok := src.(*blobSource); ok && b.prefix != "" && b.isBlob(ctx) {
			return st, []facts.SourceError{{Source: facts.SrcStorage, Kind: facts.ErrInvalid,
				Message: "the location " + st.Location + " is a blob, not a folder: give the container URL or the folder holding the backups"}}
		}
	}
	if len(wide) > 0 {
		if st.LocationNote != "" {
			st.LocationNote += "; "
		}
		st.LocationNote += wideNote(wide)
	}
	files := listed.flat()
	var errs []facts.SourceError
	for i := range files {
		f := &files[i]
		st.TotalBytes += f.Size
		st.BytesRead += f.BytesRead
		st.Reads += f.Reads
		switch {
		case f.ReadErrorKind == readPending:
			// Never read: the scan was canceled, or the share stopped
			// answering before its turn.
			f.ReadErrorKind, f.ReadError = "", ""
			if end == endStalled {
				f.ReadErrorKind, f.ReadError = ReadErrorIO, fmt.Sprintf("header not read: the share stopped answering (nothing listed or read for %s)", timeout)
			}
		case f.ReadErrorKind != "":
			// The listing could not read this entry (a share's dangling
			// link, a folder it may not list), or its header read failed.
		case f.Size == 0:
			f.ReadErrorKind, f.ReadError = "empty", "zero-length file"
		case isArchived(*f):
			f.ReadErrorKind, f.ReadError = "archived", "blob is in the Archive tier and cannot be read until it is rehydrated"
		}
	}
	if read {
		if end == endStalled {
			errs = append(errs, facts.SourceError{Source: facts.SrcBackups, Kind: facts.ErrTimeout, Message: stalledMsg(timeout, asked)})
		} else if err := ctx.Err(); err != nil {
			errs = append(errs, facts.SourceError{Source: facts.SrcBackups, Kind: "canceled", Message: "header reading canceled"})
		} else {
			st.HeadersRead = true
		}
	}
	// A share's walk and a container's listing come nearly or wholly in
	// path order: check before sorting 136-byte structs.
	byPath := func(a, b facts.File) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(files, byPath) {
		slices.SortFunc(files, byPath)
	}
	st.Files = files
	st.Folders = folders(files)
	return st, errs
}

// wideNote says which of a share's links lead outside it, and why that
// matters (docs/storage.md, "Shares and symbolic links").
func wideNote(links []string) string {
	const show = 5
	n := len(links)
	more := ""
	if n > show {
		links, more = links[:show], fmt.Sprintf(" and %d more", n-show)
	}
	return redact.Text(fmt.Sprintf("followed %d symbolic link(s) leading outside the share (%s%s): a Samba server refuses those to SMB clients, DMS among them, unless the share sets 'wide links = yes' (its default is no); check that DMS can read them, or move the backups into the share",
		n, strings.Join(links, ", "), more))
}

// hostOf is the host[:port] of a URL, for messages.
func hostOf(loc string) string {
	if u, err := url.Parse(loc); err == nil && u.Host != "" {
		return u.Host
	}
	return loc
}

// fileChunks is the listing as it grows, in fixed chunks: a slice
// appended to 100,000 times copies its 136-byte elements over and over
// (some 5x the final size in garbage) and ends up to a quarter unused.
type fileChunks struct {
	n      int
	chunks []*[fileChunk]facts.File
}

const fileChunk = 1024

func (c *fileChunks) add(f facts.File) int {
	if c.n%fileChunk == 0 {
		c.chunks = append(c.chunks, new([fileChunk]facts.File))
	}
	c.chunks[c.n/fileChunk][c.n%fileChunk] = f
	c.n++
	return c.n - 1
}

func (c *fileChunks) at(i int) *facts.File { return &c.chunks[i/fileChunk][i%fileChunk] }

// flat is the files in one slice of exactly their number (never nil).
func (c *fileChunks) flat() []facts.File {
	out := make([]facts.File, 0, c.n)
	for i, ch := range c.chunks {
		out = append(out, ch[:min(fileChunk, c.n-i*fileChunk)]...)
		c.chunks[i] = nil
	}
	return out
}

// jobQueue hands the listing's files to the readers in batches: one
// channel operation (and at most one reader woken) per batch, not per
// file. A share's files take tens of microseconds each, so per-file
// hand-offs cost a measurable share of the scan; a blob takes a request
// each, so its batch is one file (no reader waits behind another's slow
// requests).
type jobQueue[T any] struct {
	ctx     context.Context
	ch      chan []T
	pending []T
	batch   int
}

// localBatch is the batch of a share's files.
const localBatch = 16

// batchOf is the batch size for src.
func batchOf(src any) int {
	if _, ok := src.(*localSource); ok {
		return localBatch
	}
	return 1
}

// newJobQueue holds about 4 files per reader, as a channel of files did.
func newJobQueue[T any](ctx context.Context, readers, batch int) *jobQueue[T] {
	return &jobQueue[T]{ctx: ctx, ch: make(chan []T, max(1, readers*4/batch)), batch: batch}
}

// add queues v; a full batch goes to the readers (dropped once ctx is done).
func (q *jobQueue[T]) add(v T) {
	if q.pending == nil {
		q.pending = make([]T, 0, q.batch)
	}
	q.pending = append(q.pending, v)
	if len(q.pending) == q.batch {
		q.flush()
	}
}

func (q *jobQueue[T]) flush() {
	if len(q.pending) == 0 {
		return
	}
	select {
	case q.ch <- q.pending:
	case <-q.ctx.Done():
	}
	q.pending = nil
}

// close sends what is left and closes the queue.
func (q *jobQueue[T]) close() {
	q.flush()
	close(q.ch)
}

// defaultHeaderReader is the backup package's reader.
var defaultHeaderReader HeaderReader = backup.Read

type job struct {
	idx  int
	path string
	size int64
	mod  *time.Time // as listed, for changer
}

// changer is a source that can tell whether a file changed since it was
// listed: a share's file still being written.
type changer interface {
	changed(ctx context.Context, path string, size int64, mod *time.Time) string
}

type result struct {
	media     *facts.BackupMedia
	msg, kind string
	bytes     int64
	reads     int
}

func isArchived(f facts.File) bool { return strings.EqualFold(f.AccessTier, "Archive") }

func needsRead(f facts.File) bool { return f.Size > 0 && !isArchived(f) }

// kinded is how the backup reader's errors expose their stable kind.
type kinded interface{ ErrorKind() string }

// readOne reads one file's headers through r, which it resets first and
// releases after (the worker's reader, reused file after file).
func readOne(ctx context.Context, r *windowReader, src source, j job, hr HeaderReader, head, tail int, describe func(error) string) (res result) {
	path, size := j.path, j.size
	if err := ctx.Err(); err != nil {
		return result{kind: "canceled", msg: "canceled before the header was read"}
	}
	r.reset(ctx, src, path, size, head, tail)
	r.describe = describe
	defer func() {
		res.bytes, res.reads = r.bytes, r.reads
		r.release() // the decoded media holds no window bytes (facts are strings and numbers)
		if p := recover(); p != nil {
			res.media, res.kind, res.msg = nil, "unreadable", fmt.Sprintf("header reader failed: %v", p)
		}
	}()
	m, err := hr(r, size)
	// A reader may return what it decoded before a truncation or corruption
	// along with the error: keep both.
	res.media = m
	switch {
	case err == nil:
	case r.ioErr != nil && ctx.Err() == nil:
		// The storage failed, not the backup: what the reader made of the
		// missing bytes (truncated, corrupt) would be a false verdict.
		res.media, res.kind, res.msg = nil, ReadErrorIO, redact.Text(firstLine(r.ioErr.Error()))
	default:
		res.kind, res.msg = errKind(ctx, err), redact.Text(firstLine(err.Error()))
		// A file still being written was read at the size it was listed
		// with: what the reader made of its end is not the backup's fault.
		// Asked only of a failed decode, off the path of good backups.
		if c, ok := src.(changer); ok && res.kind != "canceled" {
			if why := c.changed(ctx, path, size, j.mod); why != "" {
				res.media, res.kind, res.msg = nil, ReadErrorIO, why
			}
		}
	}
	return res
}

// errKind is the stable word for a header read failure.
func errKind(ctx context.Context, err error) string {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return "canceled"
	}
	if k := backupErrKind(err); k != "" {
		return k
	}
	var ke kinded
	if errors.As(err, &ke) {
		return ke.ErrorKind()
	}
	return "unreadable"
}

// folders summarises the tree: every folder holding something, root included.
func folders(files []facts.File) []facts.Folder {
	idx := map[string]*facts.Folder{"": {Path: ""}}
	for _, f := range files {
		d := f.Dir()
		if idx[d] == nil {
			idx[d] = &facts.Folder{Path: d}
		}
		idx[d].Files++
		idx[d].Bytes += f.Size
		// Register every ancestor so that empty intermediate folders count.
		for d != "" {
			d = parentDir(d)
			if idx[d] == nil {
				idx[d] = &facts.Folder{Path: d}
			}
		}
	}
	out := make([]facts.Folder, 0, len(idx))
	for p := range idx {
		if p != "" {
			idx[parentDir(p)].Folders++
		}
	}
	for _, f := range idx {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// progress writes one status line, rewritten in place, while scanning.
type progress struct {
	w                    io.Writer
	listed, queued, read atomic.Int64
	done                 chan struct{}
	stopped              sync.WaitGroup
	start                time.Time
}

func startProgress(w io.Writer) *progress {
	p := &progress{w: w, done: make(chan struct{}), start: time.Now()}
	if w == nil {
		return p
	}
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.print("")
			case <-p.done:
				p.print("\n")
				return
			}
		}
	}()
	return p
}

func (p *progress) print(end string) {
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.read.Load()) / el
	}
	fmt.Fprintf(p.w, "\rstorage: %d files listed, %d/%d headers read (%.0f/s)\x1b[K%s",
		p.listed.Load(), p.read.Load(), p.queued.Load(), rate, end)
}

func (p *progress) stop() {
	if p.w == nil {
		return
	}
	close(p.done)
	p.stopped.Wait()
}
