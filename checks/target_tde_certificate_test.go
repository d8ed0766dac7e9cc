package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestTargetTDECertificate(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	runCases(t, TargetTDECertificate, []tcase{
		{"present", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{"ab12"}}, tde, facts.Database{Name: "P"}), "database:HR=pass database:P=pass"},
		{"missing", tgt(facts.KindVM, facts.TargetServer{CertificateThumbprints: []string{}}, tde), "database:HR=fail"},
		{"key left after decryption", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{}},
			facts.Database{Name: "Old", EncryptionState: ip(1), EncryptorThumbprint: "AB12"}), "database:Old=warn"},
		// The target login could not see certificates: unknown, an error.
		{"not visible", with(tgt(facts.KindMI, facts.TargetServer{}, tde), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTargetCerts, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "hidden"}}
		}), "-=error"},
	})
}
