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
		// Never backed up from here: created FROM FILE, its key may be elsewhere.
		{"never backed up", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, true) }),
			[]string{"warn database:HR: created FROM FILE"}},
		// Already on the live target: the rule is met, whatever the source says.
		{"on the target", with(tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{"AB12"}}, tde), func(f *facts.Facts) {
			f.Server.Certificates = cert(nil, true)
		}), []string{"pass database:HR: already on the target"}},
		{"on the target, not in source master", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{"ab12"}}, tde), []string{"pass database:HR"}},
		// Decrypted, key left: older log backups still need the certificate.
		{"key left after decryption", with(srv(facts.KindMI, facts.Database{Name: "Old", EncryptionState: ip(1), EncryptorThumbprint: "AB12"}), func(f *facts.Facts) {
			f.Server.Certificates = cert(tp("2026-01-01 00:00"), true)
		}), []string{"warn database:Old: encryption_state 1"}},
		{"unknown on 2008 R2", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, false) }),
			[]string{"skip database:HR"}},
		{"no such certificate", srv(facts.KindMI, tde), []string{"fail database:HR"}},
		// Encrypted by sys.databases, but the key DMV (read, not denied)
		// has no row for it, as for a database not online: no permission
		// is missing, and the message must not say one is.
		{"no key listed", with(srv(facts.KindMI, facts.Database{Name: "Arch", State: "OFFLINE", Encrypted: true}), func(f *facts.Facts) {
			f.Server.Certificates = cert(tp("2026-01-01 00:00"), true)
		}), []string{"skip database:Arch: lists no key for the database"}},
		{"plan names a missing db", with(srv(facts.KindVM, plain), func(f *facts.Facts) { f.Plan.Databases = []facts.PlanDatabase{{Name: "Gone"}} }),
			[]string{"skip database:Gone"}},
		{"not for sqldb", srv(facts.KindDB, tde), []string{"skip -"}},
		{"encryption not collected", with(srv(facts.KindMI, tde), func(f *facts.Facts) {
			f.Server.Certificates = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcEncryption, Kind: "permission", Permission: "VIEW SERVER STATE", Message: "denied"}}
		}), []string{"error -"}},
	})
}
