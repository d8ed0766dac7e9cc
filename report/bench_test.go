package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

// large is a big estate: 200 databases × 25 checks, a fifth of them failing.
func large() *Report {
	r := fixture()
	r.Findings = nil
	for d := 0; d < 200; d++ {
		db := fmt.Sprintf("DB%03d", d)
		for c := 0; c < 25; c++ {
			f := check.Finding{CheckID: fmt.Sprintf("DMS%03d", 300+c), Title: "A check", Status: check.StatusPass,
				Database: db, Object: "database:" + db, Message: "fine", Evidence: check.Ev{"lsn": "42000000123400001", "size": "123456"}}
			if (d+c)%5 == 0 {
				f.Status, f.Severity, f.Message = check.StatusFail, check.Error, "not fine"
			}
			r.Findings = append(r.Findings, f)
		}
	}
	return r
}

func BenchmarkReporters(b *testing.B) {
	r := large()
	o := Options{Catalogue: catalogue()}
	for _, name := range Formats() {
		fn, _ := Lookup(name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := fn(io.Discard, r, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
