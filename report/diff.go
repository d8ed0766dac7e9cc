package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
)

// Diff is what changed between two runs (a rehearsal and cutover night):
// what became blocking, what was fixed, what is new since.
type Diff struct {
	Old DiffSide `json:"old"`
	New DiffSide `json:"new"`
	// FailOn judges blocking on both sides alike.
	FailOn check.Severity `json:"failOn"`
	// NewBlocking blocks now and did not before (absent, passing, waived or
	// below --fail-on).
	NewBlocking []DiffEntry `json:"newBlocking"`
	// Fixed blocked before and passes now (or is a non-blocking warning).
	Fixed []DiffEntry `json:"fixed"`
	// Unverified blocked before and was not decided now: skipped, could not
	// run, or not reported. Not counted as fixed.
	Unverified []DiffEntry `json:"unverified"`
	// NewSince are other findings that are not passes and were not there
	// before: new warnings, new errors, new waivers.
	NewSince []DiffEntry `json:"newSince"`
	// StillBlocking counts findings blocking on both sides.
	StillBlocking int `json:"stillBlocking"`
}

// DiffSide names one of the two reports.
type DiffSide struct {
	File       string    `json:"file"`
	Started    time.Time `json:"started"`
	Version    string    `json:"version"`
	PlanDigest string    `json:"planDigest,omitempty"`
	Blocking   int       `json:"blocking"`
	Ready      bool      `json:"ready"`
}

// DiffEntry is one finding's change.
type DiffEntry struct {
	Report    string       `json:"report,omitempty"` // estate member
	CheckID   string       `json:"checkId"`
	Title     string       `json:"title,omitempty"`
	Object    string       `json:"object"`
	Database  string       `json:"database,omitempty"`
	Was       check.Status `json:"was,omitempty"` // "" when absent
	Now       check.Status `json:"now,omitempty"`
	Severity  string       `json:"severity,omitempty"`
	Message   string       `json:"message"`
	WaivedNow bool         `json:"waivedNow,omitempty"`
}

// ReadReports reads a JSON report or an estate report (schema 1 or 2).
func ReadReports(r io.Reader) ([]*Report, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, err
	}
	var probe struct {
		SchemaVersion int    `json:"schemaVersion"`
		Tool          string `json:"tool"`
		Kind          string `json:"kind"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("not a dmsready JSON report: %w", err)
	}
	if probe.Tool != "dmsready" {
		return nil, fmt.Errorf("not a dmsready JSON report (tool %q)", probe.Tool)
	}
	if probe.SchemaVersion < 1 || probe.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("report schema version %d: this dmsready reads 1 to %d", probe.SchemaVersion, SchemaVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if probe.Kind == "estate" {
		var e Estate
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("estate report: %w", err)
		}
		return e.Reports, nil
	}
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return []*Report{&rep}, nil
}

type diffKey struct{ report, check, object, database string }

// NewDiff compares two runs, blocking judged at failOn (the new reports'
// own when empty). Reports of an estate are matched by name.
func NewDiff(oldFile string, old []*Report, newFile string, cur []*Report, failOn check.Severity) *Diff {
	if failOn == "" {
		failOn = check.Error
		if len(cur) > 0 && cur[0].FailOn != "" {
			failOn = cur[0].FailOn
		}
	}
	d := &Diff{FailOn: failOn, Old: side(oldFile, old, failOn), New: side(newFile, cur, failOn),
		NewBlocking: []DiffEntry{}, Fixed: []DiffEntry{}, Unverified: []DiffEntry{}, NewSince: []DiffEntry{}}
	estate := len(old) > 1 || len(cur) > 1
	index := func(rs []*Report) (map[diffKey]check.Finding, []diffKey) {
		m := map[diffKey]check.Finding{}
		var keys []diffKey
		for _, r := range rs {
			name := ""
			if estate {
				name = reportName(r)
			}
			for _, f := range r.Findings {
				k := diffKey{name, f.CheckID, f.Object, f.Database}
				if prev, ok := m[k]; ok && rank(prev, failOn) >= rank(f, failOn) {
					continue // keep the worst of duplicates
				} else if !ok {
					keys = append(keys, k)
				}
				m[k] = f
			}
		}
		return m, keys
	}
	om, okeys := index(old)
	nm, nkeys := index(cur)
	entry := func(k diffKey, was, now *check.Finding) DiffEntry {
		e := DiffEntry{Report: k.report, CheckID: k.check, Object: k.object, Database: k.database}
		f := now
		if f == nil {
			f = was
		}
		e.Title, e.Message, e.Severity = f.Title, f.Message, string(f.Severity)
		if was != nil {
			e.Was = was.Status
		}
		if now != nil {
			e.Now = now.Status
			e.WaivedNow = now.Waiver != nil
		}
		return e
	}
	for _, k := range nkeys {
		n := nm[k]
		o, had := om[k]
		switch {
		case n.Blocking(failOn) && had && o.Blocking(failOn):
			d.StillBlocking++
		case n.Blocking(failOn):
			var was *check.Finding
			if had {
				was = &o
			}
			d.NewBlocking = append(d.NewBlocking, entry(k, was, &n))
		case n.Status != check.StatusPass && n.Status != check.StatusSkip && (!had || o.Status != n.Status || (o.Waiver == nil) != (n.Waiver == nil)):
			if had && o.Blocking(failOn) {
				continue // reported below, as fixed or unverified
			}
			var was *check.Finding
			if had {
				was = &o
			}
			d.NewSince = append(d.NewSince, entry(k, was, &n))
		}
	}
	for _, k := range okeys {
		o := om[k]
		if !o.Blocking(failOn) {
			continue
		}
		n, has := nm[k]
		switch {
		case has && n.Blocking(failOn):
		case has && n.Waiver != nil:
			d.NewSince = append(d.NewSince, entry(k, &o, &n)) // accepted, not fixed
		case has && (n.Status == check.StatusPass || n.Status == check.StatusWarn || n.Status == check.StatusFail):
			d.Fixed = append(d.Fixed, entry(k, &o, &n))
		case has:
			d.Unverified = append(d.Unverified, entry(k, &o, &n))
		default:
			d.Unverified = append(d.Unverified, entry(k, &o, nil))
		}
	}
	for _, l := range [][]DiffEntry{d.NewBlocking, d.Fixed, d.Unverified, d.NewSince} {
		sort.SliceStable(l, func(i, j int) bool {
			a, b := l[i], l[j]
			if a.Report != b.Report {
				return a.Report < b.Report
			}
			if a.Database != b.Database {
				return a.Database < b.Database
			}
			if a.CheckID != b.CheckID {
				return a.CheckID < b.CheckID
			}
			return a.Object < b.Object
		})
	}
	return d
}

// rank orders duplicates of one key: blocking, error, warn/fail, others.
func rank(f check.Finding, failOn check.Severity) int {
	switch {
	case f.Blocking(failOn):
		return 3
	case f.Status == check.StatusError:
		return 2
	case f.Status == check.StatusWarn || f.Status == check.StatusFail:
		return 1
	}
	return 0
}

func side(file string, rs []*Report, failOn check.Severity) DiffSide {
	s := DiffSide{File: file, Ready: len(rs) > 0}
	for _, r := range rs {
		if s.Started.IsZero() || r.Started.Before(s.Started) {
			s.Started = r.Started.UTC()
		}
		if s.Version == "" {
			s.Version = r.Version
		}
		if len(rs) == 1 {
			s.PlanDigest = r.PlanDigest
		}
		sum := Summarize(r.Findings, failOn)
		sum.Collected(r.SourceErrors)
		s.Blocking += sum.Blocking
		s.Ready = s.Ready && sum.Ready
	}
	return s
}

// Blocks reports whether something new blocks: `dmsready diff` exits 1.
func (d *Diff) Blocks() bool { return len(d.NewBlocking) > 0 }

func (d *Diff) line() string {
	verdict := "NO NEW BLOCKERS"
	if d.Blocks() {
		verdict = "NEW BLOCKERS"
	}
	return fmt.Sprintf("%d new blocking, %d fixed, %d no longer checked, %d new since, %d still blocking — %s",
		len(d.NewBlocking), len(d.Fixed), len(d.Unverified), len(d.NewSince), d.StillBlocking, verdict)
}

func sideLine(s DiffSide) string {
	t := clean(s.File)
	var about []string
	if !s.Started.IsZero() {
		about = append(about, s.Started.UTC().Format(time.RFC3339))
	}
	about = append(about, plural(s.Blocking, "blocking", "blocking"))
	return t + " (" + strings.Join(about, ", ") + ")"
}

func (e DiffEntry) what() string {
	s := clean(e.CheckID) + "  "
	if e.Report != "" {
		s += clean(e.Report) + ": "
	}
	if e.Object != "" && e.Object != "-" {
		s += clean(e.Object) + " — "
	}
	return s + clean(e.Message)
}

func statusOr(s check.Status, absent string) string {
	if s == "" {
		return absent
	}
	return statusWord(s)
}

// DiffText writes the diff for a terminal or a CI log.
func DiffText(w io.Writer, d *Diff) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "dmsready diff: %s → %s\n\n", sideLine(d.Old), sideLine(d.New))
	fmt.Fprintln(b, d.line())
	sec := func(title string, es []DiffEntry, how func(DiffEntry) string) {
		if len(es) == 0 {
			return
		}
		fmt.Fprintf(b, "\n%s (%d)\n", title, len(es))
		for _, e := range es {
			fmt.Fprintf(b, "  %-16s %s\n", how(e), e.what())
		}
	}
	sec("New blocking", d.NewBlocking, func(e DiffEntry) string { return statusOr(e.Was, "new") + " → " + statusOr(e.Now, "-") })
	sec("Fixed", d.Fixed, func(e DiffEntry) string { return statusOr(e.Was, "-") + " → " + statusOr(e.Now, "-") })
	sec("No longer checked (blocking before, not decided now)", d.Unverified, func(e DiffEntry) string {
		return statusOr(e.Was, "-") + " → " + statusOr(e.Now, "absent")
	})
	sec("New since", d.NewSince, func(e DiffEntry) string {
		now := statusOr(e.Now, "-")
		if e.WaivedNow {
			now = "WAIVED"
		}
		return statusOr(e.Was, "new") + " → " + now
	})
	return b.Flush()
}

// DiffJSON writes the diff as JSON.
func DiffJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// DiffMarkdown writes the diff for a ticket or a pull-request comment.
func DiffMarkdown(w io.Writer, d *Diff) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# dmsready diff: %s\n\n", mdText(d.line()))
	fmt.Fprintf(b, "From %s to %s.\n", mdText(sideLine(d.Old)), mdText(sideLine(d.New)))
	sec := func(title string, es []DiffEntry) {
		if len(es) == 0 {
			return
		}
		fmt.Fprintf(b, "\n## %s (%d)\n\n| Check | Object | Was | Now | Finding |\n|---|---|---|---|---|\n", title, len(es))
		for _, e := range es {
			// Names come from reports written elsewhere: escaped for a
			// terminal first, as the other Markdown reports do.
			obj := clean(e.Object)
			if e.Report != "" {
				obj = clean(e.Report) + ": " + obj
			}
			now := statusOr(e.Now, "absent")
			if e.WaivedNow {
				now += " (waived)"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdText(clean(e.CheckID)), mdCode(obj, true), mdText(statusOr(e.Was, "new")), mdText(now), mdText(clean(e.Message)))
		}
	}
	sec("New blocking", d.NewBlocking)
	sec("Fixed", d.Fixed)
	sec("No longer checked", d.Unverified)
	sec("New since", d.NewSince)
	return b.Flush()
}

// WriteDiff writes d as text, json or markdown.
func WriteDiff(w io.Writer, format string, d *Diff) error {
	switch format {
	case "", "text":
		return DiffText(w, d)
	case "json":
		return DiffJSON(w, d)
	case "markdown", "md":
		return DiffMarkdown(w, d)
	}
	return fmt.Errorf("diff: format %q: want text, json or markdown", format)
}
