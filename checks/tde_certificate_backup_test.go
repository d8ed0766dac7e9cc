package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
	"time"
)

func TestTDECertificateBackup(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	plain := facts.Database{Name: "Sales"}
	cert := func(backup *time.Time, known bool) []facts.Certificate {
		return []facts.Certificate{{Name: "TDE", Thumbprint: "ab12", PrivateKeyLastBackup: backup, PrivateKeyBackupKnown: known}}
	}
	runCases(t, TDECertificateBackup, []tcase{
		{"backed up", with(srv(facts.KindMI, tde, plain), func(f *facts.Facts) { f.Server.Certificates = cert(tp("2026-01-01 00:00"), true) }),
			"database:HR=pass database:Sales=pass"},
		{"never backed up", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, true) }),
			"database:HR=fail"},
		{"unknown on 2008 R2", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, false) }),
			"database:HR=skip"},
		{"no such certificate", srv(facts.KindMI, tde), "database:HR=fail"},
		{"plan names a missing db", with(srv(facts.KindVM, plain), func(f *facts.Facts) { f.Plan.Databases = []facts.PlanDatabase{{Name: "Gone"}} }),
			"database:Gone=skip"},
		{"not for sqldb", srv(facts.KindDB, tde), "-=skip"},
		{"encryption not collected", with(srv(facts.KindMI, tde), func(f *facts.Facts) {
			f.Server.Certificates = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcEncryption, Kind: "permission", Permission: "VIEW SERVER STATE", Message: "denied"}}
		}), "-=error"},
	})
}
