package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TargetTDECertificate is check DMS502: the certificate protecting a TDE
// database must be on the target before the restore.
var TargetTDECertificate = &check.Check{
	ID:       "DMS502",
	Title:    "TDE certificate is present on the target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTargetCerts, facts.SrcDatabases, facts.SrcEncryption},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Cannot find server certificate with thumbprint ...",
	Doc: "The restore of a TDE-encrypted database needs the certificate that protects its database " +
		"encryption key in the target's master, matched by thumbprint. A key protected by an asymmetric key (EKM, " +
		"such as Azure Key Vault) is cannot tell here: DMS401 says what the target needs.",
	Fix: "Create the certificate on the target from its backup (`CREATE CERTIFICATE ... FROM FILE ... WITH " +
		"PRIVATE KEY (...)`), or let DMS copy it (Managed Instance, preview).",
	Link:  linkTDE,
	Basis: check.Documented("Microsoft, DMS known issues (2009) and the TDE migration tutorial: the certificate must be on the target"),
	Run: func(p *check.Pass) {
		have := targetThumbprints(p.Facts)
		eachSourceDB(p, func(d *facts.Database, obj string) {
			decrypted := !tdeEncrypted(d) && d.EncryptionState != nil && *d.EncryptionState == 1
			if !tdeEncrypted(d) && !decrypted {
				p.Pass(d.Name, obj, "not encrypted with TDE", nil)
				return
			}
			th := strings.ToUpper(d.EncryptorThumbprint)
			if th == "" {
				p.Skip(d.Name, obj, "TDE is on but the protector's thumbprint is unknown")
				return
			}
			ev := check.Ev{"thumbprint": th}
			if d.EncryptorType == facts.EncryptorAsymmetricKey {
				// The target's certificates cannot hold an EKM key.
				p.Skip(d.Name, obj, fmt.Sprintf("the database encryption key is protected by an asymmetric key (thumbprint %s: an EKM key such as one in Azure Key Vault), "+
					"not a certificate: the target's certificates do not decide, and whether the target has access to that key is not read (see DMS401)", th))
				return
			}
			if decrypted && !have[th] {
				p.Warn(d.Name, obj, fmt.Sprintf("TDE was turned off but the database encryption key remains: log backups taken before it was need certificate %s, which the target lacks", th), ev)
				return
			}
			if !have[th] {
				p.Fail(d.Name, obj, fmt.Sprintf("no certificate with thumbprint %s on the target", th), ev)
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("certificate %s is on the target", th), ev)
		})
	},
}
