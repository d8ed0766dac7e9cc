package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

const sasExpiryAhead = 24 // hours

// SASExpiry is check DMS203: a SAS that expires during the migration stops
// DMS reading backups.
var SASExpiry = &check.Check{
	ID:       "DMS203",
	Title:    "SAS is valid for the migration",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Migration fails reading backups once the SAS expires (403 AuthenticationFailed)",
	Doc: fmt.Sprintf("DMS and Log Replay Service read the backups for the whole migration, which for an online "+
		"migration lasts until cutover. The check warns when the SAS dmsready used has expired or expires within "+
		"%d hours of the collection time; a user delegation SAS expires when its key does (ske), if that is sooner. "+
		"dmsready cannot see the SAS given to DMS: if it is another token, check "+
		"its expiry the same way.", sasExpiryAhead),
	Fix:   "Issue a read+list SAS whose expiry covers the migration window including cutover, and give the same token to DMS.",
	Link:  linkLRS,
	Basis: check.Documented("Microsoft, Log Replay Service: the SAS must stay valid for the whole migration"),
	Run: func(p *check.Pass) {
		s := p.Facts.Storage.SAS
		if s == nil {
			p.Skip("", check.ObjectSAS, "no SAS was used")
			return
		}
		if s.Expiry == nil {
			p.Skip("", check.ObjectSAS, "the SAS has no readable expiry (it may come from a stored access policy)")
			return
		}
		now := p.Facts.CollectedAt
		if now.IsZero() {
			p.Skip("", check.ObjectSAS, "the collection time is unknown")
			return
		}
		end, why := *s.Expiry, ""
		ev := check.Ev{"expiry": s.Expiry.UTC().Format("2006-01-02T15:04:05Z"), "collectedAt": now.UTC().Format("2006-01-02T15:04:05Z")}
		if k := s.KeyExpiry; s.UserDelegation && k != nil {
			ev["keyExpiry"] = k.UTC().Format("2006-01-02T15:04:05Z")
			if k.Before(end) {
				// A user delegation SAS is refused once its key expires.
				end = *k
			}
		}
		left := end.Sub(now)
		switch {
		case left <= 0:
			if !end.Equal(*s.Expiry) {
				why = " (its user delegation key expired then, before the SAS's own expiry)"
			}
			p.Warn("", check.ObjectSAS, fmt.Sprintf("the SAS expired %s before collection%s", roundDur(-left), why), ev)
		case left.Hours() < sasExpiryAhead:
			if !end.Equal(*s.Expiry) {
				why = " (its user delegation key expires then, before the SAS's own expiry)"
			}
			p.Warn("", check.ObjectSAS, fmt.Sprintf("the SAS expires in %s, within %d hours%s", roundDur(left), sasExpiryAhead, why), ev)
		default:
			p.Pass("", check.ObjectSAS, fmt.Sprintf("the SAS is valid for another %s", roundDur(left)), ev)
		}
	},
}
