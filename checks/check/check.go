package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
)

// Severity is how much a failed check matters.
type Severity string

const (
	Info    Severity = "info"
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Rank orders severities: info < warning < error.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 1
	case Warning:
		return 2
	case Error:
		return 3
	}
	return 0
}

// ParseSeverity accepts info, warning (warn) and error.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return "", fmt.Errorf("severity %q: want info, warning or error", s)
}

// Status is the outcome of a check for one object.
type Status string

const (
	StatusPass  Status = "pass"
	StatusWarn  Status = "warn"
	StatusFail  Status = "fail"
	StatusSkip  Status = "skip"
	StatusError Status = "error"
)

// Targets a check applies to; empty means all.
type Targets []string

// Check is one readiness rule. Its fields are its documentation: `dmsready
// explain`, docs/checks.md and the SARIF rules are generated from them.
type Check struct {
	ID       string         // "DMS101": public, never renumbered or reused
	Title    string         // one line, sentence case, no trailing period
	Severity Severity       // applied when it fails
	Needs    []facts.Source // facts it reads; missing -> skip, collector error -> error
	// Targets lists the target kinds (facts.KindMI ...) it applies to; empty = all.
	Targets Targets
	// Prevents names the DMS error code or documented limitation, e.g.
	// "2009: Full backup ... is missing checksum".
	Prevents string
	// Doc says why it matters (Markdown, first paragraph).
	Doc string
	// Fix says how to fix it (Markdown).
	Fix string
	// Link is the public source of the rule.
	Link string
	// Basis says where the rule comes from: Documented(...) cites what the
	// public documentation states, Own(...) labels what dmsready decides
	// by its own reasoning (a margin, a severity, an inference). Both may
	// apply: a documented rule with dmsready's own reading of a detail.
	Basis string
	// Run is pure: it reads p.Facts and reports per object. No I/O, no clock,
	// no environment.
	Run func(p *Pass)
}

var idPattern = regexp.MustCompile(`^DMS[0-9]{3}$`)

// Validate reports what is missing from a check's definition.
func (c *Check) Validate() error {
	switch {
	case !idPattern.MatchString(c.ID):
		return fmt.Errorf("check %q: ID must be DMS + 3 digits", c.ID)
	case c.Title == "":
		return fmt.Errorf("%s: no title", c.ID)
	case c.Severity.Rank() == 0:
		return fmt.Errorf("%s: bad severity %q", c.ID, c.Severity)
	case c.Prevents == "":
		return fmt.Errorf("%s: no Prevents (the DMS error or limitation)", c.ID)
	case c.Doc == "":
		return fmt.Errorf("%s: no Doc", c.ID)
	case c.Fix == "":
		return fmt.Errorf("%s: no Fix", c.ID)
	case c.Link == "":
		return fmt.Errorf("%s: no Link", c.ID)
	case !strings.HasPrefix(c.Basis, basisDocumented) && !strings.HasPrefix(c.Basis, OwnRule):
		return fmt.Errorf("%s: Basis must cite a source (check.Documented) or say it is dmsready's own rule (check.Own)", c.ID)
	case c.Run == nil:
		return fmt.Errorf("%s: no Run", c.ID)
	case len(c.Needs) == 0:
		return fmt.Errorf("%s: no Needs", c.ID)
	}
	for _, k := range c.Targets {
		if k != facts.KindMI && k != facts.KindVM && k != facts.KindDB {
			return fmt.Errorf("%s: unknown target kind %q", c.ID, k)
		}
	}
	return nil
}

// AppliesTo reports whether the check applies to a target kind.
func (c *Check) AppliesTo(kind string) bool {
	if len(c.Targets) == 0 {
		return true
	}
	for _, k := range c.Targets {
		if k == kind {
			return true
		}
	}
	return false
}

// Finding is one check's verdict on one object.
type Finding struct {
	CheckID  string   `json:"checkId"`
	Title    string   `json:"title"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity,omitempty"` // set for fail and warn
	// Object is what was checked: "server", "database:Sales",
	// "file:sales/full_1.bak", "folder:sales", "plan".
	Object string `json:"object"`
	// Database groups findings in reports; "" for server- or storage-wide ones.
	Database string `json:"database,omitempty"`
	// Message is a lowercase fragment: no ID, no trailing period.
	Message  string            `json:"message"`
	Evidence map[string]string `json:"evidence,omitempty"`
	Waiver   *AppliedWaiver    `json:"waiver,omitempty"`
}

// Blocking reports whether the finding counts toward --fail-on at severity at.
func (f Finding) Blocking(at Severity) bool {
	if f.Waiver != nil {
		return false
	}
	if f.Status != StatusFail && f.Status != StatusWarn {
		return false
	}
	return f.Severity.Rank() >= at.Rank()
}

// Ev is evidence: the values that decided a finding.
type Ev = map[string]string

// Pass is handed to a check's Run: the facts, and the way to report.
type Pass struct {
	Facts    *facts.Facts
	check    *Check
	findings []Finding
	memo     *memo
}

// Derived returns the value compute derives from the facts, computed once
// per run and shared by every check that asks under the same key (e.g. the
// restore plans ten checks read). compute must be pure, like Run, and the
// value is read-only: checks run concurrently and share it. compute may ask
// for other keys, never its own. If it panics, every check that asks
// panics with the same value (and reports the crash as an error).
func (p *Pass) Derived(key string, compute func(*facts.Facts) any) any {
	if p.memo == nil {
		return compute(p.Facts)
	}
	e := p.memo.entry(key)
	e.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				e.panicked, e.r = true, r
			}
		}()
		e.v = compute(p.Facts)
	})
	if e.panicked {
		panic(e.r)
	}
	return e.v
}

func (p *Pass) add(st Status, sev Severity, db, obj, msg string, ev Ev) {
	p.findings = append(p.findings, Finding{
		CheckID: p.check.ID, Title: p.check.Title, Status: st, Severity: sev,
		Object: obj, Database: db, Message: msg, Evidence: ev,
	})
}

// Pass records that obj was verified and is fine.
func (p *Pass) Pass(db, obj, msg string, ev Ev) { p.add(StatusPass, "", db, obj, msg, ev) }

// Fail records a violation at the check's severity.
func (p *Pass) Fail(db, obj, msg string, ev Ev) {
	p.add(StatusFail, p.check.Severity, db, obj, msg, ev)
}

// Warn records a softer violation: warning, or info for an info check.
func (p *Pass) Warn(db, obj, msg string, ev Ev) {
	sev := Warning
	if p.check.Severity == Info {
		sev = Info
	}
	p.add(StatusWarn, sev, db, obj, msg, ev)
}

// Note records a finding worth knowing that blocks nothing: a warn at info
// severity (e.g. a log backup to NUL outside the range the restore needs).
func (p *Pass) Note(db, obj, msg string, ev Ev) { p.add(StatusWarn, Info, db, obj, msg, ev) }

// Error records that obj could not be decided because what it needs could
// not be read (a permission missing, a storage read that failed): never a
// pass, never a failure of the migration itself.
func (p *Pass) Error(db, obj, msg string, ev Ev) { p.add(StatusError, "", db, obj, msg, ev) }

// Skip records that obj could not be decided and why (e.g. a header field unknown).
func (p *Pass) Skip(db, obj, reason string) { p.add(StatusSkip, "", db, obj, reason, nil) }

// Plan is shorthand for p.Facts.Plan.
func (p *Pass) Plan() *facts.ResolvedPlan { return &p.Facts.Plan }

// OwnRule labels a rule Microsoft's documentation does not state.
const OwnRule = "dmsready's own rule"

const basisDocumented = "documented: "

// Documented is the Basis of a rule the public documentation states; where
// names the source and what it says.
func Documented(where string) string { return basisDocumented + where }

// Own is the Basis of a rule dmsready decides by its own reasoning; why
// says from what.
func Own(why string) string { return OwnRule + ": " + why }
