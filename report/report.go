// Package report turns findings into the formats people and CI read: text,
// JSON, JUnit XML, SARIF 2.1.0 and Markdown. One printer per format, each
// tested against golden files.
package report

import (
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// SchemaVersion of the JSON report (docs/report-schema.md).
const SchemaVersion = 1

// Report is one run's outcome: what every reporter prints.
type Report struct {
	SchemaVersion int               `json:"schemaVersion"`
	Tool          string            `json:"tool"`
	Version       string            `json:"version"`
	PlanDigest    string            `json:"planDigest,omitempty"`
	Target        facts.PlanTarget  `json:"target"`
	Mode          string            `json:"mode,omitempty"`
	Started       time.Time         `json:"started"`
	Finished      time.Time         `json:"finished"`
	Timings       []Timing          `json:"timings,omitempty"`
	FailOn        check.Severity    `json:"failOn"`
	Summary       Summary           `json:"summary"`
	Findings      []check.Finding   `json:"findings"`
	Waivers       []check.WaiverUse `json:"waivers,omitempty"`
	// SourceErrors are the collector failures behind any "error" findings.
	SourceErrors []facts.SourceError `json:"sourceErrors,omitempty"`
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
