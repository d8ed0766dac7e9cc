package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/infile"
	"github.com/dmsready/dmsready/internal/inspect"
	"github.com/dmsready/dmsready/internal/storage"
	"github.com/dmsready/dmsready/internal/textsafe"
)

// inspected is one file's result: inspect.File (the JSON report's
// element, TestInspectedIsFile) and where it was found.
type inspected struct {
	Path      string             `json:"path"`
	Size      int64              `json:"size"`
	Media     *facts.BackupMedia `json:"media,omitempty"`
	Error     string             `json:"error,omitempty"`
	ErrorKind string             `json:"errorKind,omitempty"`
	// fromDir marks files found by walking a directory argument: there a
	// file that is not a backup is skipped, not a failure.
	fromDir bool
}

type inspectOpts struct {
	format  string
	files   bool
	deep    bool
	timeout time.Duration
}

func newInspectCmd(e *env, st *state) *cobra.Command {
	var o inspectOpts
	c := &cobra.Command{
		Use:   "inspect PATH|URL ...",
		Short: "Read backup headers from files, folders or blob URLs, without SQL Server",
		Long: `Reads SQL Server backup headers (RESTORE HEADERONLY) from files, folders (every
file below them) or http(s) blob URLs (SAS in the query), without SQL Server.
Flags may come before or after the paths.`,
		Example: `  dmsready inspect backups/ --files
  dmsready inspect Sales_FULL.bak Sales_LOG_1.trn --format json
  dmsready inspect 'https://acct.blob.core.windows.net/backups/Sales_FULL.bak?sv=...&sig=...'
  dmsready inspect '\\fileserver\sqlbackups\Sales'`,
		Run: func(c *cobra.Command, args []string) {
			st.code = cmdInspect(c.Context(), e, c, &o, args)
		},
	}
	c.Flags().StringVar(&o.format, "format", "table", "output format: table or json")
	c.Flags().BoolVar(&o.files, "files", false, "also list each backup set's database files (RESTORE FILELISTONLY)")
	c.Flags().BoolVar(&o.deep, "deep", false, "walk each whole file to list every appended backup set (progress on stderr)")
	c.Flags().DurationVar(&o.timeout, "timeout", storage.DefaultRequestTimeout, "give up on a URL request (its body included), or on a folder whose share lists and reads nothing, after this `duration`")
	c.RegisterFlagCompletionFunc("format", completeWords("table", "json"))
	return c
}

func cmdInspect(ctx context.Context, e *env, c *cobra.Command, o *inspectOpts, args []string) int {
	format, files := &o.format, &o.files
	if *format != "table" && *format != "json" {
		fmt.Fprintf(e.stderr, "dmsready inspect: unknown --format %q (table or json)\n", *format)
		return exitUsage
	}
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "Usage: %s\n\n%s\n\nFlags:\n%s", c.UseLine(), c.Long, c.LocalFlags().FlagUsages())
		return exitUsage
	}
	// Files are read as check reads a share: storage.DefaultConcurrency at
	// once, results in order. JSON is written as it goes (memory flat);
	// the table needs every row for its column widths.
	// A folder on a hung network mount never answers: the walk and the
	// reads are watched, and given up when nothing was listed or read for
	// --timeout while some were asked.
	sw := &shareWatch{block: e.block, inflight: map[string]int{}}
	ctx, giveUp := context.WithCancel(ctx)
	defer giveUp()
	stalled := sw.watch(ctx, giveUp, o.timeout)
	jobs := func(yield func(inspectJob) bool) {
		for _, arg := range args {
			if !inspectArg(ctx, arg, yield, sw) {
				return
			}
		}
	}
	read := readerFor(o.deep, e.stderr)
	run := func(j inspectJob) inspected { return j.run(ctx, o.timeout, read, sw) }
	code := exitReady
	var stripes inspect.Stripes
	var js *inspect.JSON
	var tab *table
	if *format == "json" {
		js = inspect.NewJSON(e.stdout)
	} else {
		tab = newTable(e.stdout, *files)
	}
	err := inspect.Ordered(ctx, jobs, storage.DefaultConcurrency, run, func(r inspected) error {
		if r.Error != "" && !(r.fromDir && (r.ErrorKind == backup.KindNotBackup || r.ErrorKind == backup.KindEmpty)) {
			code = exitSource
		}
		stripes.Add(r.Path, r.Media)
		if js != nil {
			return js.File(&inspect.File{Path: r.Path, Size: r.Size, Media: r.Media, Error: r.Error, ErrorKind: r.ErrorKind})
		}
		tab.add(r)
		return nil
	})
	if js != nil {
		if cerr := js.Close(stripes.Sets()); err == nil {
			err = cerr
		}
	}
	if err != nil {
		if why := stalled(); why != "" {
			if tab != nil {
				tab.flush()
			}
			fmt.Fprintf(e.stderr, "dmsready inspect: %s\n", textsafe.Line(why))
		} else if ctx.Err() != nil {
			fmt.Fprintln(e.stderr, "dmsready inspect: interrupted")
		} else {
			fmt.Fprintf(e.stderr, "dmsready inspect: %v\n", err)
		}
		return exitSource
	}
	if js != nil {
		return code
	}
	sets := stripes.Sets()
	tab.flush()
	for _, m := range sets {
		state := "complete"
		if !m.Complete {
			state = "INCOMPLETE"
		}
		paths := make([]string, len(m.Paths))
		for i, p := range m.Paths {
			paths[i] = textsafe.Escape(p)
		}
		fmt.Fprintf(e.stdout, "striped media set %s: families %v of %d (%s): %s\n", textsafe.Escape(m.MediaSetID), m.Families, m.FamilyCount, state, strings.Join(paths, ", "))
	}
	for _, l := range tab.incomplete {
		io.WriteString(e.stdout, l)
	}
	for _, l := range tab.errs {
		io.WriteString(e.stderr, l)
	}
	return code
}

// shareWatch watches inspect's walks and share reads: a hung network
// mount blocks getdents, open and pread in the kernel, where nothing can
// cancel them. n counts what was listed and read; busy what is asked and
// not answered (the walk, except while it hands files over, and each file
// read). One ticker gives up when busy stays above 0 and n does not move
// for the timeout (a blocked stdout stops the walk and the reads while
// they are not busy: never a stall).
type shareWatch struct {
	n, b     atomic.Int64
	mu       sync.Mutex
	last     string         // the entry listed last
	inflight map[string]int // files being read
	// block, when set (tests), is called before each argument is looked
	// up ("stat"), each entry handed on ("list") and each file opened
	// ("open"): a hook that blocks stands for a call that never returns.
	block func(op, path string)
}

func (w *shareWatch) busy(d int64) {
	if w != nil {
		w.b.Add(d)
	}
}

// ask records that path is asked for (busy until busy(-1)).
func (w *shareWatch) ask(path string) {
	if w == nil {
		return
	}
	w.b.Add(1)
	w.mu.Lock()
	w.last = path
	w.mu.Unlock()
	if w.block != nil {
		w.block("stat", path)
	}
}

func (w *shareWatch) listed(path string) {
	if w == nil {
		return
	}
	w.n.Add(1)
	w.mu.Lock()
	w.last = path
	w.mu.Unlock()
	if w.block != nil {
		w.block("list", path)
	}
}

func (w *shareWatch) start(path string) {
	if w == nil {
		return
	}
	w.b.Add(1)
	w.mu.Lock()
	w.inflight[path]++
	w.mu.Unlock()
	if w.block != nil {
		w.block("open", path)
	}
}

func (w *shareWatch) done(path string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	if w.inflight[path]--; w.inflight[path] <= 0 {
		delete(w.inflight, path)
	}
	w.mu.Unlock()
	w.n.Add(1)
	w.b.Add(-1)
}

// asked is what the share was asked and has not answered, for messages.
func (w *shareWatch) asked() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.inflight) > 0 {
		paths := slices.Sorted(maps.Keys(w.inflight))
		s := "read " + paths[0]
		if len(paths) > 1 {
			s += fmt.Sprintf(" (and %d other files)", len(paths)-1)
		}
		return s
	}
	if w.last != "" {
		if w.n.Load() == 0 {
			return "look up " + w.last
		}
		return "list the entries after " + w.last
	}
	return "list the folder"
}

// watch gives up (calls giveUp) when the share stalls, until ctx is done;
// stalled then says why, and "" before.
func (w *shareWatch) watch(ctx context.Context, giveUp func(), timeout time.Duration) (stalled func() string) {
	var why atomic.Pointer[string]
	if timeout <= 0 {
		timeout = storage.DefaultRequestTimeout
	}
	go func() {
		t := time.NewTicker(max(timeout/8, time.Millisecond))
		defer t.Stop()
		last, at := w.n.Load(), time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if n := w.n.Load(); n != last || w.b.Load() <= 0 {
					last, at = n, now
				} else if now.Sub(at) >= timeout {
					s := fmt.Sprintf("the share stopped answering: nothing listed or read for %s (--timeout); last asked: %s", timeout, w.asked())
					why.Store(&s)
					giveUp()
					return
				}
			}
		}
	}()
	return func() string {
		if p := why.Load(); p != nil {
			return *p
		}
		return ""
	}
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// readFunc reads one backup's headers: backup.Read, or with --deep
// backup.ReadDeep reporting progress.
type readFunc func(name string, r io.ReaderAt, size int64) (*facts.BackupMedia, error)

func readerFor(deep bool, progress io.Writer) readFunc {
	if !deep {
		return func(_ string, r io.ReaderAt, size int64) (*facts.BackupMedia, error) { return backup.Read(r, size) }
	}
	// Files are read concurrently: one progress line is one Write, and
	// the writer (any io.Writer Main was given) sees one at a time.
	var mu sync.Mutex
	return func(name string, r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
		last := -1
		return backup.ReadDeep(r, size, func(done, total int64) {
			if pct := int(done * 100 / max(total, 1)); pct/10 != last/10 {
				last = pct
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(progress, "%s: read %d%% (%d of %d bytes)\n", textsafe.Escape(name), pct, done, total)
			}
		})
	}
}

// inspectJob is one result to produce: a file, a URL or a file found
// in a folder to read, or a result known already (done).
type inspectJob struct {
	path string
	size int64 // of a file found in a folder
	kind uint8
	done *inspected
}

const (
	jobDone = iota
	jobFile
	jobURL
	jobShare
)

func (j inspectJob) run(ctx context.Context, timeout time.Duration, read readFunc, sw *shareWatch) inspected {
	switch j.kind {
	case jobFile:
		sw.start(j.path)
		defer sw.done(j.path)
		return inspectFile(j.path, read)
	case jobURL:
		return inspectURL(ctx, j.path, timeout, read)
	case jobShare:
		return inspectShareFile(j.path, j.size, read, sw)
	}
	return *j.done
}

// inspectArg yields the reads of a file, of every file below a directory
// (walked as a share is, storage.Walk), or of a URL, in output order
// (inspect.Ordered runs them); false when yield said stop.
//
// A folder's files are yielded sorted by path as the walk goes, not after
// it, so the first files are read while the rest are still being listed:
// Walk goes through each folder's entries in name order, so once it has
// reached top-level name c, every path it has yet to give is above
// join(arg, c) (c itself, or below c, or a greater name), and the files
// found so far up to that path are in their final order.
//
// sw (nil: not watched) is told the walk's progress.
func inspectArg(ctx context.Context, arg string, yield func(inspectJob) bool, sw *shareWatch) bool {
	done := func(r inspected) inspectJob { return inspectJob{kind: jobDone, done: &r} }
	if isURL(arg) {
		return yield(inspectJob{kind: jobURL, path: arg})
	}
	sw.ask(arg) // a hung mount may not answer even this
	st, err := os.Stat(arg)
	sw.busy(-1)
	if err != nil {
		return yield(done(inspected{Path: arg, Error: err.Error(), ErrorKind: backup.KindUnreadable}))
	}
	if !st.IsDir() {
		return yield(inspectJob{kind: jobFile, path: arg})
	}
	// Each path is filepath.Join(arg, rel). Walk's rel is clean (entry
	// names joined by '/'), so where joining a name to the clean arg is
	// concatenation (not "." or "/", not a Windows volume), concatenate:
	// cleaning 100,000 paths cost more than encoding them.
	dir, sep := filepath.Clean(arg), string(filepath.Separator)
	concat := filepath.Join(dir, "x") == dir+sep+"x"
	join := func(rel string) string {
		if concat {
			return dir + sep + filepath.FromSlash(rel)
		}
		return filepath.Join(arg, filepath.FromSlash(rel))
	}
	byPath := func(a, b inspectJob) int { return strings.Compare(a.jobPath(), b.jobPath()) }
	// The walk runs on a goroutine of its own, one folder ahead: it hands
	// over each batch of files in final order (sorted, up to the next
	// top-level name) and goes on listing the next folder while this
	// one's files are yielded and read, so the reads do not stop while a
	// folder is listed (the send is unbuffered: at most one batch waits,
	// and one folder's listing is pending, however big the share).
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []inspectJob)
	var werr error // set before batches is closed
	go func() {
		defer close(batches)
		var pending []inspectJob // walked, not yet handed over
		// release hands over, in order, the pending files whose path is
		// at most upto (all of them when upto is ""); false when stopped.
		release := func(upto string) bool {
			slices.SortFunc(pending, byPath)
			k := len(pending)
			if upto != "" {
				k, _ = slices.BinarySearchFunc(pending, upto, func(j inspectJob, p string) int {
					if j.jobPath() <= p {
						return -1
					}
					return 1
				})
			}
			if k == 0 {
				return true
			}
			batch := slices.Clone(pending[:k])
			pending = append(pending[:0], pending[k:]...)
			select {
			case batches <- batch:
				return true
			case <-wctx.Done():
				return false
			}
		}
		stopped := false
		top := ""
		sw.busy(1) // in the walk's system calls, but while it hands over
		err := storage.Walk(wctx, arg, func(rel string, fi fs.FileInfo, err error) {
			if stopped {
				return
			}
			if first, _, _ := strings.Cut(rel, "/"); first != top {
				top = first
				sw.busy(-1)
				ok := release(join(first))
				sw.busy(1)
				if !ok {
					stopped = true
					return
				}
			}
			path := join(rel)
			sw.listed(path)
			if err != nil {
				pending = append(pending, done(inspected{Path: path, Error: err.Error(), ErrorKind: storage.ReadErrorIO}))
				return
			}
			j := inspectJob{kind: jobShare, path: path}
			if fi != nil {
				j.size = fi.Size()
			}
			pending = append(pending, j)
		})
		sw.busy(-1)
		if stopped || !release("") {
			werr = wctx.Err()
			return
		}
		werr = err
	}()
	for batch := range batches {
		for _, j := range batch {
			if !yield(j) {
				cancel() // Walk returns at its next entry
				for range batches {
				}
				return false
			}
		}
	}
	if werr != nil {
		return yield(done(inspected{Path: arg, Error: werr.Error(), ErrorKind: backup.KindUnreadable}))
	}
	return true
}

func (j inspectJob) jobPath() string {
	if j.done != nil {
		return j.done.Path
	}
	return j.path
}

func inspectFile(path string, read readFunc) inspected {
	r := inspected{Path: path}
	// A FIFO or a device is refused, not opened and waited on.
	f, err := infile.Open(path)
	if err != nil {
		r.Error, r.ErrorKind = err.Error(), backup.KindUnreadable
		return r
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		r.Error, r.ErrorKind = err.Error(), backup.KindUnreadable
		return r
	}
	r.Size = st.Size()
	r.Media, err = read(path, f, r.Size)
	r.setErr(err)
	return r
}

// inspectShareFile reads a file found by walking a directory, as check
// reads a share: Walk has already told a regular file (or a link to one)
// and its size, so it is opened once (storage.OpenShareFile) without
// infile's stat, and read.
func inspectShareFile(path string, size int64, read readFunc, sw *shareWatch) inspected {
	r := inspected{Path: path, Size: size, fromDir: true}
	sw.start(path)
	defer sw.done(path)
	f, err := storage.OpenShareFile(path)
	if err != nil {
		r.Error, r.ErrorKind = err.Error(), backup.KindUnreadable
		return r
	}
	defer f.Close()
	r.Media, err = read(path, f, size)
	r.setErr(err)
	return r
}

func inspectURL(ctx context.Context, raw string, timeout time.Duration, read readFunc) inspected {
	r := inspected{Path: backup.Redact(raw)}
	// Each request (its body included) has a deadline: an endpoint that
	// accepts and never answers must not hold the run.
	client := &http.Client{Timeout: timeout}
	ra, size, err := backup.OpenHTTP(ctx, client, raw)
	if err != nil {
		// The error names the URL, and r.Path is printed before it.
		r.Error, r.ErrorKind = strings.TrimPrefix(err.Error(), r.Path+": "), backup.KindUnreadable
		if isTimeout(err) {
			r.Error, r.ErrorKind = fmt.Sprintf("no answer from %s within %s (--timeout)", hostOf(raw), timeout), "timeout"
		}
		return r
	}
	r.Size = size
	r.Media, err = read(r.Path, ra, size)
	r.setErr(err)
	if err != nil && isTimeout(err) {
		r.Error, r.ErrorKind = fmt.Sprintf("no answer from %s within %s (--timeout)", hostOf(raw), timeout), "timeout"
	}
	return r
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() ||
		strings.Contains(err.Error(), "Client.Timeout exceeded")
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the server"
}

func (r *inspected) setErr(err error) {
	if err == nil {
		return
	}
	r.Error = err.Error()
	var be *backup.Error
	if errors.As(err, &be) {
		r.ErrorKind = be.Kind
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNull(s string) string {
	if s == "" {
		return "NULL"
	}
	return s
}

func date(t *time.Time) string {
	if t == nil {
		return "NULL"
	}
	return t.Format("2006-01-02 15:04:05")
}

// table is inspect's table output, built as the results come, in order:
// each file's rows go to the tabwriter (which holds every cell until
// Flush, for the column widths) and its headers are dropped, so memory is
// the table's text, not every file's decoded headers as well.
type table struct {
	w             io.Writer
	tw, fw        *tabwriter.Writer
	fbuf          bytes.Buffer
	nsets, nfiles int
	bytes         int64
	reads         int
	incomplete    []string // lines for stdout after the table
	errs          []string // lines for stderr
}

func newTable(w io.Writer, files bool) *table {
	t := &table{w: w, tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	fmt.Fprintln(t.tw, "FILE\tPOS\tDATABASE\tTYPE\tFIRST LSN\tLAST LSN\tCHECKPOINT LSN\tDATABASE BACKUP LSN\tCHECKSUMS\tVERSION\tDBVER\tCOMPAT\tCOMPRESSED\tBLOCK\tFAMILY\tSTART\tFINISH\tSERVER")
	if files {
		// Written after the first table: buffered apart.
		t.fw = tabwriter.NewWriter(&t.fbuf, 0, 0, 2, ' ', 0)
		fmt.Fprintln(t.fw, "FILE\tPOS\tFILE ID\tTYPE\tLOGICAL NAME\tPHYSICAL NAME\tSIZE\tMAX SIZE")
	}
	return t
}

// add writes one file's rows.
func (t *table) add(r inspected) {
	if r.Error != "" {
		note := ""
		if r.fromDir && (r.ErrorKind == backup.KindNotBackup || r.ErrorKind == backup.KindEmpty) {
			note = " (skipped)"
		}
		t.errs = append(t.errs, fmt.Sprintf("%s: %s%s\n", textsafe.Escape(r.Path), textsafe.Line(r.Error), note))
	}
	m := r.Media
	if m == nil {
		return
	}
	if m.SetsIncomplete {
		t.incomplete = append(t.incomplete, fmt.Sprintf("%s: holds at least %d backup sets, %d read; the others were not read (inspect --deep lists them)\n", textsafe.Escape(r.Path), m.SetCount, len(m.Sets)))
	}
	t.nfiles++
	t.bytes += m.BytesRead
	t.reads += m.Reads
	path := textsafe.Escape(r.Path)
	for _, s := range m.Sets {
		t.nsets++
		typ := s.BackupType
		if typ == "" {
			typ = "unknown"
		}
		fin := date(s.BackupFinishDate)
		if s.Provisional {
			fin += " (provisional)"
		}
		fmt.Fprintf(t.tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%d\t%d/%d\t%s\t%s\t%s\n",
			path, s.Position, textsafe.Escape(s.DatabaseName), textsafe.Escape(typ), orNull(s.FirstLSN.String()), orNull(s.LastLSN.String()),
			orNull(s.CheckpointLSN.String()), orNull(s.DatabaseBackupLSN.String()), yesNo(s.HasBackupChecksums),
			textsafe.Escape(s.SoftwareVersion), s.DatabaseVersion, s.CompatibilityLevel, yesNo(m.Compressed), m.BlockSize,
			m.FamilySequence, m.FamilyCount, date(s.BackupStartDate), fin, textsafe.Escape(s.ServerName))
		if t.fw == nil {
			continue
		}
		for _, f := range s.Files {
			typ := f.Type
			if typ == "" {
				typ = "?" + strconv.Itoa(f.TypeCode)
			}
			fmt.Fprintf(t.fw, "%s\t%d\t%d\t%s\t%s\t%s\t%d\t%d\n", path, s.Position, f.FileID, textsafe.Escape(typ),
				textsafe.Escape(f.LogicalName), textsafe.Escape(f.PhysicalName), f.Size, f.MaxSize)
		}
	}
}

// flush writes the tables and the summary line.
func (t *table) flush() {
	t.tw.Flush()
	if t.fw != nil {
		fmt.Fprintln(t.w)
		t.fw.Flush()
		t.w.Write(t.fbuf.Bytes())
	}
	fmt.Fprintf(t.w, "\n%d backup set(s) in %d file(s); read %d bytes in %d reads\n", t.nsets, t.nfiles, t.bytes, t.reads)
}
