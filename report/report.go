// Package report turns findings into the formats people and CI read: text,
// JSON, JUnit XML, SARIF 2.1.0 and Markdown. One printer per format, each
// tested against golden files.
package report

import (
	"net/url"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// SchemaVersion of the JSON report (docs/report-schema.md). Version 2 added
// what was checked (source, storage, plan path, duration), plan locations
// and per-check timings.
const SchemaVersion = 2

// Report is one run's outcome: what every reporter prints.
type Report struct {
	SchemaVersion int    `json:"schemaVersion"`
	Tool          string `json:"tool"`
	Version       string `json:"version"`
	PlanDigest    string `json:"planDigest,omitempty"`
	// PlanPath is the plan file as given on the command line.
	PlanPath string `json:"planPath,omitempty"`
	// Name labels the report in an estate: the plan or facts file it came from.
	Name    string           `json:"name,omitempty"`
	Source  *SourceInfo      `json:"source,omitempty"`
	Storage *StorageInfo     `json:"storage,omitempty"`
	Target  facts.PlanTarget `json:"target"`
	Mode    string           `json:"mode,omitempty"`
	Started time.Time        `json:"started"`
	// Finished - Started, kept whole so consumers need not subtract.
	Finished       time.Time `json:"finished"`
	DurationMillis int64     `json:"durationMillis"`
	Timings        []Timing  `json:"timings,omitempty"`
	// CheckTimings is how long each check took, for JUnit's time attributes.
	CheckTimings []CheckTiming `json:"checkTimings,omitempty"`
	// Locations map finding objects to the plan lines that name them
	// (SARIF physical locations).
	Locations []Location        `json:"locations,omitempty"`
	FailOn    check.Severity    `json:"failOn"`
	Summary   Summary           `json:"summary"`
	Findings  []check.Finding   `json:"findings"`
	Waivers   []check.WaiverUse `json:"waivers,omitempty"`
	// SourceErrors are the collector failures behind any "error" findings.
	SourceErrors []facts.SourceError `json:"sourceErrors,omitempty"`
	// Restore is the restore plan per database, drawn by the HTML report
	// (`dmsready restore-plan --format json` is its machine form).
	Restore []restore.Sequence `json:"-"`
}

// SourceInfo names the source SQL Server checked.
type SourceInfo struct {
	// Server is host[,port] as the plan gives it (never a password).
	Server   string `json:"server"`
	Instance string `json:"instance,omitempty"` // named instance, if any
	// Name is @@SERVERNAME, Version the product version, when collected.
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	Edition string `json:"edition,omitempty"`
}

// StorageInfo names the backup storage checked, never its secret.
type StorageInfo struct {
	Kind     string `json:"kind,omitempty"` // blob | share
	Location string `json:"location"`
}

// CheckTiming is how long one check ran.
type CheckTiming struct {
	Check  string `json:"check"`
	Micros int64  `json:"micros"`
}

// Location is where in the plan file an object is named: object
// "database:Sales", "storage", "source" or "target".
type Location struct {
	Object string `json:"object"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// Describe fills what was checked from the facts: source server and
// storage location (both already free of secrets in facts).
func Describe(r *Report, f *facts.Facts) {
	if s := f.Plan.Source.Server; s != "" {
		si := &SourceInfo{Server: s}
		if u, err := url.Parse(s); err == nil && strings.EqualFold(u.Scheme, "sqlserver") && u.Host != "" {
			// A DSN (password already removed): name its host and instance.
			si.Server, si.Instance = u.Host, strings.Trim(u.Path, "/")
		} else if host, inst, ok := strings.Cut(s, `\`); ok {
			si.Server = host
			inst, port, _ := strings.Cut(inst, ",")
			si.Instance = inst
			if port != "" {
				si.Server += "," + port
			}
		}
		if f.Server != nil {
			si.Name, si.Version, si.Edition = f.Server.Name, f.Server.Version, f.Server.Edition
		}
		r.Source = si
	} else if f.Server != nil && f.Server.Name != "" {
		// Facts whose plan no longer names the source (a plan given with
		// --facts) still say which server they came from.
		r.Source = &SourceInfo{Server: f.Server.Name, Name: f.Server.Name, Version: f.Server.Version, Edition: f.Server.Edition}
	}
	loc, kind := f.Plan.Storage.Location, f.Plan.Storage.Kind
	if f.Storage != nil && f.Storage.Location != "" {
		loc, kind = f.Storage.Location, f.Storage.Kind
	}
	if loc != "" {
		r.Storage = &StorageInfo{Kind: kind, Location: loc}
	}
	if r.PlanDigest == "" {
		r.PlanDigest = f.Plan.Digest
	}
	r.Target, r.Mode = f.Plan.Target, string(f.Plan.Mode)
}

// Areas are the readiness matrix's columns, in order.
var Areas = []string{"layout", "backups", "restore chain", "source", "target"}

// Area is the part of the migration a check belongs to, by its ID range:
// DMS1xx plan and target names, DMS2xx storage (layout and the backup files
// themselves), DMS3xx the restore chain, DMS4xx the source server, DMS5xx
// the live target.
func Area(id string) string {
	if len(id) != 6 {
		return "target"
	}
	switch id[3] {
	case '1', '5':
		return "target"
	case '2':
		switch id {
		case "DMS207", "DMS208", "DMS209", "DMS210", "DMS212":
			return "backups"
		}
		return "layout"
	case '3':
		return "restore chain"
	case '4':
		return "source"
	}
	return "target"
}

// Timing is how long one phase took.
type Timing struct {
	Phase  string `json:"phase"` // collect.server, collect.storage, checks ...
	Millis int64  `json:"millis"`
}

// Summary counts findings by status.
type Summary struct {
	Pass     int  `json:"pass"`
	Warn     int  `json:"warn"`
	Fail     int  `json:"fail"`
	Skip     int  `json:"skip"`
	Error    int  `json:"error"`
	Waived   int  `json:"waived"`
	Blocking int  `json:"blocking"`
	Ready    bool `json:"ready"`
	// Unverified are the planned databases nothing was verified about
	// (check.Unverified; "-" = nothing at all): the run is incomplete.
	Unverified []string `json:"unverified,omitempty"`
}

// Incomplete records what a run verified nothing about: such a run is
// never ready.
func (s *Summary) Incomplete(unverified []string) {
	s.Unverified = unverified
	if len(unverified) > 0 {
		s.Ready = false
	}
}

// Collected records the collectors that failed: a run with one is never
// ready, even when no check needed what it would have read (its verdict
// is open, and `dmsready check` exits 3).
func (s *Summary) Collected(errs []facts.SourceError) {
	if len(errs) > 0 {
		s.Ready = false
	}
}

// Summarize counts fs; blocking is judged at failOn.
func Summarize(fs []check.Finding, failOn check.Severity) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Status {
		case check.StatusPass:
			s.Pass++
		case check.StatusWarn:
			s.Warn++
		case check.StatusFail:
			s.Fail++
		case check.StatusSkip:
			s.Skip++
		case check.StatusError:
			s.Error++
		}
		if f.Waiver != nil {
			s.Waived++
		}
		if f.Blocking(failOn) {
			s.Blocking++
		}
	}
	s.Ready = s.Blocking == 0 && s.Error == 0
	return s
}

// Verdict words.
const (
	Ready      = "READY"
	NotReady   = "NOT READY"
	Incomplete = "INCOMPLETE"
)

// VerdictWord is READY (something was verified and nothing blocks or
// failed to run), NOT READY (a blocking finding, or a check that could not
// run) or INCOMPLETE (nothing blocks, but a planned database, or the whole
// run, had nothing verified).
func (s Summary) VerdictWord() string {
	switch {
	case s.Ready:
		return Ready
	case s.Blocking > 0 || s.Error > 0:
		return NotReady
	case len(s.Unverified) > 0:
		return Incomplete
	}
	return NotReady
}

func unverifiedText(u []string) string {
	switch {
	case len(u) == 0:
		return ""
	case len(u) == 1 && u[0] == check.Nothing:
		return "nothing was verified about any database: name one (--database), or give a source server or backup storage that holds its backups"
	case len(u) == 1:
		return "nothing verified about database " + u[0]
	}
	return "nothing verified about databases " + strings.Join(u, ", ")
}
