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
	})
}
