package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTargetTDECertificate(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	testCheck(t, TargetTDECertificate, []tcase{
		{"present", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{"ab12"}}, tde, facts.Database{Name: "P"}), []string{"pass database:HR", "pass database:P"}},
		{"missing", tgt(facts.KindVM, facts.TargetServer{CertificateThumbprints: []string{}}, tde), []string{"fail database:HR"}},
		// An EKM key is no certificate the target could list.
		{"asymmetric key", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{}},
			facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "CD34", EncryptorType: "ASYMMETRIC KEY"}), []string{"skip database:HR: asymmetric key"}},
		{"key left after decryption", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{}},
			facts.Database{Name: "Old", EncryptionState: ip(1), EncryptorThumbprint: "AB12"}), []string{"warn database:Old"}},
		// The target login could not see certificates: unknown, an error.
		{"not visible", with(tgt(facts.KindMI, facts.TargetServer{}, tde), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTargetCerts, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "hidden"}}
		}), []string{"error -: VIEW ANY DEFINITION"}},
	})
}
