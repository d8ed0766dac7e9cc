package check

import (
	"path"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// Waiver accepts a known finding; it is part of the plan (facts.ResolvedPlan).
type Waiver = facts.Waiver

// AppliedWaiver marks a waived finding.
type AppliedWaiver struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Where   string `json:"where,omitempty"`
}

// WaiverUse reports what became of each waiver.
type WaiverUse struct {
	Waiver
	Matched int  `json:"matched"`
	Expired bool `json:"expired"`
	// Unused: an active waiver that matched nothing.
	Unused bool `json:"unused"`
}

func expired(w Waiver, now time.Time) bool {
	if w.Expires == "" {
		return false
	}
	d, err := time.Parse("2006-01-02", w.Expires)
	if err != nil {
		return true
	}
	return now.After(d.Add(24 * time.Hour))
}

func matches(w Waiver, f Finding) bool {
	if w.Check != f.CheckID {
		return false
	}
	if w.Object == "" || w.Object == "*" {
		return true
	}
	ok, err := path.Match(w.Object, f.Object)
	return err == nil && ok
}

// WaiverMatches reports whether w's check and object pattern match f,
// whatever f's status (errors and passes are never waived, but a report
// says when a waiver met only those).
func WaiverMatches(w Waiver, f Finding) bool { return matches(w, f) }

// ApplyWaivers marks matching fail and warn findings as waived (kept, never
// dropped). Expired waivers stop applying; both expired and unused waivers
// are reported in the returned uses.
func ApplyWaivers(fs []Finding, ws []Waiver, now time.Time) []WaiverUse {
	uses := make([]WaiverUse, len(ws))
	for i, w := range ws {
		uses[i].Waiver = w
		uses[i].Expired = expired(w, now)
	}
	for i := range fs {
		f := &fs[i]
		if f.Status != StatusFail && f.Status != StatusWarn {
			continue
		}
		for j, w := range ws {
			if !matches(w, *f) {
				continue
			}
			if uses[j].Expired {
				uses[j].Matched++
				continue
			}
			uses[j].Matched++
			f.Waiver = &AppliedWaiver{Reason: w.Reason, Expires: w.Expires, Where: w.Where}
			break
		}
	}
	for i := range uses {
		uses[i].Unused = !uses[i].Expired && uses[i].Matched == 0
	}
	return uses
}
