package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// SQLVMVersion: without a live target connection, the SQL VM's release
// comes from its SQL IaaS Agent registration.
var SQLVMVersion = &check.Check{
	ID:       "DMS608",
	Title:    "SQL Server VM release from Azure is not older than the source",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget, facts.SrcServer},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "2009: 3169 The database was backed up on a server running version ... That version is incompatible with this server",
	Doc: "A backup restores only onto the same or a newer SQL Server release. The SQL IaaS Agent extension's " +
		"registration reports the VM's SQL Server as `sqlImageOffer` (e.g. SQL2019-WS2022): its release is compared " +
		"with the source's. An offer dmsready cannot read (e.g. a custom image) is cannot tell. With a live target " +
		"connection its ProductVersion is exact, and DMS503 decides instead.",
	Fix:   "Migrate to a VM whose SQL Server release is the source's or newer (or upgrade the VM's SQL Server).",
	Link:  linkSQLIaaS,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 3169): a backup restores only onto the same or a newer version"),
	Run: func(p *check.Pass) {
		v := p.Facts.Azure.SQLVM
		if v == nil || !v.Registered {
			p.Skip("", "target", "no SQL IaaS Agent registration was read (DMS607)")
			return
		}
		obj := azureObj(v.Name)
		if p.Facts.Target != nil {
			p.Skip("", obj, "a live target connection gives the exact version: DMS503 decides")
			return
		}
		offer, _, _ := strings.Cut(v.ImageOffer, "-")
		tr, ok := sqlrelease.Parse(offer)
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
			p.Fail("", obj, fmt.Sprintf("the VM runs %s (%s), older than the source's %s (%s)", tr.Name, v.ImageOffer, sr.Name, sv), ev)
			return
		}
		p.Pass("", obj, fmt.Sprintf("the VM runs %s (%s), which restores backups of %s", tr.Name, v.ImageOffer, sr.Name), ev)
	},
}
