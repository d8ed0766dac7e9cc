package winpath

import "testing"

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		p                                string
		unc, drive, winAbs, winOnly, abs bool
	}{
		{`C:\backups`, false, true, true, true, true},
		{`c:/backups/sales`, false, true, true, true, true},
		{`D:`, false, true, false, true, false},
		{`C:backups`, false, true, false, true, false},
		{`\\fileserver\sqlbackups\Sales`, true, false, true, true, true},
		{`\\fileserver\sqlbackups`, true, false, true, true, true},
		{`//fileserver/sqlbackups`, true, false, true, false, true},
		{`\\?\C:\backups`, true, false, true, true, true},
		{`\\?\UNC\fileserver\share`, true, false, true, true, true},
		{`\backups`, false, false, false, false, true},
		{`/mnt/backups`, false, false, false, false, true},
		{`///x`, false, false, false, false, true},
		{`backups\sales`, false, false, false, false, false},
		{`backups/sales`, false, false, false, false, false},
		{`1:\x`, false, false, false, false, false},
		{``, false, false, false, false, false},
		{`\\`, false, false, false, true, true},
	} {
		if got := IsUNC(c.p); got != c.unc {
			t.Errorf("IsUNC(%q) = %v", c.p, got)
		}
		if got := HasDrive(c.p); got != c.drive {
			t.Errorf("HasDrive(%q) = %v", c.p, got)
		}
		if got := IsWindowsAbs(c.p); got != c.winAbs {
			t.Errorf("IsWindowsAbs(%q) = %v", c.p, got)
		}
		if got := IsWindowsOnly(c.p); got != c.winOnly {
			t.Errorf("IsWindowsOnly(%q) = %v", c.p, got)
		}
		if got := IsAbs(c.p); got != c.abs {
			t.Errorf("IsAbs(%q) = %v", c.p, got)
		}
	}
}

func TestFromFileURL(t *testing.T) {
	for in, want := range map[string]string{
		"file:///C:/backups":           "C:/backups",
		"FILE:///c:/backups/sales":     "c:/backups/sales",
		"file://C:/backups":            "C:/backups",
		"file://fileserver/share/x":    "//fileserver/share/x",
		"file:///mnt/backups":          "/mnt/backups",
		"file://localhost/C:/backups":  "C:/backups",
		"file://localhost/mnt/backups": "/mnt/backups",
	} {
		if got, ok := FromFileURL(in); !ok || got != want {
			t.Errorf("FromFileURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, s := range []string{"C:/x", "https://a/b", "file:/x", ""} {
		if _, ok := FromFileURL(s); ok {
			t.Errorf("FromFileURL(%q): ok for a non-file URL", s)
		}
	}
}
