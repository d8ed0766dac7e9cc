package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TDECertificateBackup is check DMS401: a TDE database restores only where
// its certificate exists, and the certificate can be moved only with its
// private key.
var TDECertificateBackup = &check.Check{
	ID:       "DMS401",
	Title:    "TDE certificate exists and its private key was backed up",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases, facts.SrcEncryption},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Cannot find server certificate with thumbprint ... (TDE certificate missing on the target)",
	Doc: "A database protected by Transparent Data Encryption can be restored only on a server that holds " +
		"the certificate protecting its database encryption key. Copying that certificate to the target " +
		"needs the certificate and its private key exported (`BACKUP CERTIFICATE ... WITH PRIVATE KEY`); " +
		"`sys.certificates.pvt_key_last_backup_date` is NULL when that never happened. Without it the " +
		"restore fails with error 2009, thumbprint not found. A certificate a live target already holds " +
		"(same thumbprint) satisfies the rule. A private key never backed up is a warning, not a failure: " +
		"a certificate created `FROM FILE` has its key in that file, elsewhere. A database encryption key " +
		"left after decryption (encryption_state 1) is a warning too: log backups taken while the database " +
		"was encrypted still need the certificate. A key protected by an asymmetric key (`encryptor_type` ASYMMETRIC KEY, " +
		"SQL Server 2012+; on 2008 and 2008 R2, which lack that column, its thumbprint found in `master.sys.asymmetric_keys`: " +
		"an Extensible Key Management key such as one in Azure Key Vault) is a warning, not a certificate failure: DMS " +
		"migrates certificates, not EKM keys, and the target must have access to the same key before the restore (for a Managed " +
		"Instance, the Key Vault key added to its TDE keys: \"make sure that the key material is available to the target server\").",
	Fix: "Back up the certificate with its private key (`BACKUP CERTIFICATE <name> TO FILE = '...' WITH " +
		"PRIVATE KEY (FILE = '...', ENCRYPTION BY PASSWORD = '...')`), keep the files safe, and create " +
		"the certificate on the target before the migration (or let DMS copy it, Managed Instance only).",
	Link: linkTDE,
	Basis: check.Documented("Microsoft, DMS known issues (2009) and the TDE migration tutorial: the certificate must be on the target before the restore; " +
		"Azure SQL TDE with customer-managed key: to restore a backup encrypted with a Key Vault TDE protector the key material must be available to the target server " +
		"(dmsready's own reading: a key never backed up, or left after decryption, is a warning)"),
	Run: func(p *check.Pass) {
		onTarget := targetThumbprints(p.Facts)
		eachSourceDB(p, func(d *facts.Database, obj string) {
			decrypted := !tdeEncrypted(d) && d.EncryptionState != nil && *d.EncryptionState == 1
			if !tdeEncrypted(d) && !decrypted {
				p.Pass(d.Name, obj, "not encrypted with TDE", nil)
				return
			}
			th := d.EncryptorThumbprint
			ev := check.Ev{"thumbprint": th}
			if th == "" {
				// The keys were read (a denied read is an error before Run):
				// this database has none listed, as when it is not online.
				p.Skip(d.Name, obj, "TDE is on (sys.databases.is_encrypted) but sys.dm_database_encryption_keys lists no key for the database (is it online?), so the certificate protecting it is unknown")
				return
			}
			if d.EncryptorType == facts.EncryptorAsymmetricKey {
				// An EKM key (Azure Key Vault, an HSM) never leaves its
				// provider: there is no certificate to back up or copy.
				ev["encryptorType"] = d.EncryptorType
				why := "TDE is on"
				if decrypted {
					why = "TDE was turned off but the database encryption key remains (encryption_state 1), so older log backups still need it"
				}
				p.Warn(d.Name, obj, fmt.Sprintf("%s and the database encryption key is protected by an asymmetric key (thumbprint %s: an EKM provider's key, "+
					"such as one in Azure Key Vault), not a certificate. DMS migrates TDE certificates, not EKM keys: give the target access to that same key "+
					"before the restore (Managed Instance: add the Key Vault key to the instance's TDE keys, as the TDE protector or not; "+
					"SQL Server on a VM: the same EKM provider and key)", why, th), ev)
				return
			}
			if onTarget[strings.ToUpper(th)] {
				p.Pass(d.Name, obj, fmt.Sprintf("the certificate with thumbprint %s is already on the target", th), ev)
				return
			}
			if decrypted {
				p.Warn(d.Name, obj, fmt.Sprintf("TDE was turned off but the database encryption key remains (encryption_state 1): log backups taken before still need the certificate with thumbprint %s on the target; drop the key (DROP DATABASE ENCRYPTION KEY) and take a new full backup, or move the certificate", th), ev)
				return
			}
			var cert *facts.Certificate
			for i := range p.Facts.Server.Certificates {
				if strings.EqualFold(p.Facts.Server.Certificates[i].Thumbprint, th) {
					cert = &p.Facts.Server.Certificates[i]
				}
			}
			switch {
			case cert == nil:
				if d.EncryptorType == "" {
					// Before 2012 (and in older facts) the protector's type
					// is not recorded.
					p.Fail(d.Name, obj, fmt.Sprintf("the encryption key is protected by thumbprint %s, which matches no certificate in master, and the protector's type is unknown "+
						"(sys.dm_database_encryption_keys.encryptor_type, SQL Server 2012+, or on 2008 and 2008 R2 a lookup in master.sys.asymmetric_keys, tells an EKM asymmetric key; "+
						"facts collected by an older dmsready lack both)", th), ev)
					break
				}
				p.Fail(d.Name, obj, fmt.Sprintf("the encryption key is protected by the certificate with thumbprint %s, which matches no certificate in master", th), ev)
			case !cert.PrivateKeyBackupKnown:
				p.Skip(d.Name, obj, fmt.Sprintf("whether certificate %s's private key was backed up is unknown on this version: make sure it was", cert.Name))
			case cert.PrivateKeyLastBackup == nil:
				// Created FROM FILE, the key is in that file: not a sure failure.
				ev["certificate"] = cert.Name
				p.Warn(d.Name, obj, fmt.Sprintf("certificate %s (thumbprint %s) protecting the TDE key was never backed up with its private key from this server: "+
					"unless it was created FROM FILE and you still have that .cer and private key file, back it up (BACKUP CERTIFICATE ... WITH PRIVATE KEY) before the migration", cert.Name, th), ev)
			default:
				ev["certificate"] = cert.Name
				ev["privateKeyLastBackup"] = cert.PrivateKeyLastBackup.Format("2006-01-02")
				p.Pass(d.Name, obj, fmt.Sprintf("certificate %s private key backed up on %s", cert.Name, cert.PrivateKeyLastBackup.Format("2006-01-02")), ev)
			}
		})
	},
}

// targetThumbprints are the certificates a live target holds; empty when
// there is no target connection or its certificates were not read.
func targetThumbprints(f *facts.Facts) map[string]bool {
	have := map[string]bool{}
	if f.Target == nil {
		return have
	}
	for _, t := range f.Target.CertificateThumbprints {
		have[strings.ToUpper(t)] = true
	}
	return have
}
