package checks

import (
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTDECertificateBackup(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	plain := facts.Database{Name: "Sales"}
	cert := func(backup *time.Time, known bool) []facts.Certificate {
		return []facts.Certificate{{Name: "TDE", Thumbprint: "ab12", PrivateKeyLastBackup: backup, PrivateKeyBackupKnown: known}}
	}
	testCheck(t, TDECertificateBackup, []tcase{
		{"backed up", with(srv(facts.KindMI, tde, plain), func(f *facts.Facts) { f.Server.Certificates = cert(tp("2026-01-01 00:00"), true) }),
			[]string{"pass database:HR", "pass database:Sales"}},
		{"never backed up", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, true) }),
			[]string{"fail database:HR"}},
		{"unknown on 2008 R2", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, false) }),
			[]string{"skip database:HR"}},
		{"no such certificate", srv(facts.KindMI, tde), []string{"fail database:HR"}},
		{"plan names a missing db", with(srv(facts.KindVM, plain), func(f *facts.Facts) { f.Plan.Databases = []facts.PlanDatabase{{Name: "Gone"}} }),
			[]string{"skip database:Gone"}},
		{"not for sqldb", srv(facts.KindDB, tde), []string{"skip -"}},
		{"encryption not collected", with(srv(facts.KindMI, tde), func(f *facts.Facts) {
			f.Server.Certificates = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcEncryption, Kind: "permission", Permission: "VIEW SERVER STATE", Message: "denied"}}
		}), []string{"error -"}},
	})
}
