package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// marketplaceOffer is a SQL Server image offer's release part: SQL2019,
// SQL2008R2SP3, SQL2016SP2 ...
var marketplaceOffer = regexp.MustCompile(`^SQL(\d{4})(R2)?(SP\d+)?$`)

// offerRelease is the release of a sqlImageOffer such as SQL2019-WS2022 or
// SQL2016SP2-WS2016; custom images report other offers (unknown).
func offerRelease(offer string) (sqlrelease.Release, bool) {
	head, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(offer)), "-")
	m := marketplaceOffer.FindStringSubmatch(head)
	if m == nil {
		return sqlrelease.Release{}, false
	}
	return sqlrelease.Parse(m[1] + m[2])
}

// SQLVMVersion is check DMS608: without a live target connection, the SQL
// VM's release comes from its SQL IaaS Agent registration.
var SQLVMVersion = &check.Check{
	ID:       "DMS608",
	Title:    "SQL Server VM release from Azure is not older than the source",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget, facts.SrcServer},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "2009: 3169 The database was backed up on a server running version ... That version is incompatible with this server",
	Doc: "A backup restores only onto the same or a newer SQL Server release. The SQL IaaS Agent extension's " +
		"registration reports the VM's SQL Server as `sqlImageOffer` (e.g. SQL2019-WS2022, SQL2016SP2-WS2016): its " +
		"release is compared with the source's, and the same or newer passes. An older one warns rather than fails: " +
		"after an in-place version upgrade Microsoft says to register the VM again before the portal shows the new " +
		"version, so the offer can be stale. An offer dmsready cannot read (e.g. a custom image) is cannot tell. With a live target " +
		"connection its ProductVersion is exact, and DMS503 decides instead.",
	Fix:   "Migrate to a VM whose SQL Server release is the source's or newer (or upgrade the VM's SQL Server).",
	Link:  linkSQLVMVersion,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 3169): a backup restores only onto the same or a newer version; in-place change of SQL Server version: the VM is registered again before the new version shows"),
	Run: func(p *check.Pass) {
		v := p.Facts.Azure.SQLVM
		if v == nil || !v.Registered {
			p.Skip("", check.ObjectTarget, "no SQL IaaS Agent registration was read (DMS607)")
			return
		}
		obj := check.AzureObject(v.Name)
		if p.Facts.Target != nil {
			p.Skip("", obj, "a live target connection gives the exact version: DMS503 decides")
			return
		}
		tr, ok := offerRelease(v.ImageOffer)
		if !ok {
			p.Skip("", obj, fmt.Sprintf("the SQL Server release of image offer %q is not known", v.ImageOffer))
			return
		}
		sv := p.Facts.Server.Version
		sr, ok := sqlrelease.Parse(sv)
		if !ok || !sr.Judged() {
			p.Skip("", obj, fmt.Sprintf("the source's release (version %q) is not known", sv))
			return
		}
		ev := check.Ev{"imageOffer": v.ImageOffer, "targetRelease": tr.Name, "sourceVersion": sv}
		if !tr.Restores(sr.Writes) {
			p.Warn("", obj, fmt.Sprintf("the registration reports %s (%s), older than the source's %s (%s); the image offer stays as deployed after an in-place upgrade until the VM is registered again, so confirm the version (a live target connection lets DMS503 decide)", tr.Name, v.ImageOffer, sr.Name, sv), ev)
			return
		}
		p.Pass("", obj, fmt.Sprintf("the VM runs %s (%s), which restores backups of %s", tr.Name, v.ImageOffer, sr.Name), ev)
	},
}
