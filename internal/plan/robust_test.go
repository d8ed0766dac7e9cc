package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/infile"
)

// Every syntax error names the line and column of the offending byte.
func TestYAMLErrorPositions(t *testing.T) {
	for _, c := range []struct{ name, yaml, want, hint string }{
		{"bad indent", "target:\n  kind: sqlmi\n bad: x\n", "p.yaml:3:2: ", ""},
		{"tab", "target:\n  kind: sqlmi\n\tmode: x\n", "p.yaml:3:1: ", "spaces"},
		{"windows path", "target: {kind: sqlmi}\nstorage:\n  location: \"C:\\Users\\backups\"\n", "p.yaml:3:16: ", "single quotes"},
		{"unknown escape", "storage:\n  location: \"D:\\qbackups\"\n", "p.yaml:2:16: ", "forward slashes"},
		{"undefined anchor", "target:\n  kind: sqlmi\nmode: *nope\n", "p.yaml:3:7: ", "&nope"},
		{"mapping in value", "target:\n  kind: a: b\n", "p.yaml:2:10: ", "quote"},
		{"unclosed list", "target:\n  kind: [sqlmi\nmode: x\n", "p.yaml:2:9: ", "]"},
		{"unclosed quote", "target:\n  kind: sqlmi\nmode: \"offline\n", "p.yaml:3:7: ", "quote"},
		{"NUL", "target:\n  kind: sq\x00lmi\n", "p.yaml:2:11: NUL byte", ""},
		{"invalid UTF-8", "target:\n  kind: sqlmi\nmode: é\xff\n", "p.yaml:3:8: byte 0xFF is not UTF-8", ""},
		{"control", "target:\n  kind: \x1b[2Jsqlmi\n", "p.yaml:2:9: control character U+001B", ""},
		{"UTF-16 without BOM", "t\x00a\x00r\x00g\x00e\x00t\x00:\x00", "p.yaml:1:2: ", "UTF-16"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), c.hint) {
				t.Errorf("error = %v, want it to start %q and hint %q", err, c.want, c.hint)
			}
			if err != nil && (strings.ContainsAny(err.Error(), "\x00\x1b") || strings.Contains(err.Error(), "\xff")) {
				t.Errorf("error repeats the raw bytes: %q", err)
			}
		})
	}
}

// A secret typed where a variable name belongs is refused and never shown.
func TestEnvFieldsTakeNamesOnly(t *testing.T) {
	secrets := map[string]string{
		"source.passwordEnv":          "Hunter2!pw",
		"target.passwordEnv":          "P@ss word",
		"storage.sasEnv":              "sv=2022-11-02&sp=rl&sig=SIGSECRET%3D",
		"storage.connectionStringEnv": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=KEYSECRET==",
		"storage.accountKeyEnv":       "KEYSECRET2/abc==",
	}
	y := "target:\n  kind: sqlmi\n  passwordEnv: '" + secrets["target.passwordEnv"] + "'\n" +
		"source:\n  server: sql01\n  passwordEnv: '" + secrets["source.passwordEnv"] + "'\n" +
		"storage:\n  location: https://a.blob.core.windows.net/c\n" +
		"  sasEnv: '" + secrets["storage.sasEnv"] + "'\n" +
		"  connectionStringEnv: '" + secrets["storage.connectionStringEnv"] + "'\n" +
		"  accountKeyEnv: '" + secrets["storage.accountKeyEnv"] + "'\n"
	_, err := Parse("p.yaml", []byte(y))
	if err == nil {
		t.Fatal("accepted")
	}
	for field, secret := range secrets {
		if !strings.Contains(err.Error(), field+": ") {
			t.Errorf("no error names %s: %v", field, err)
		}
		for _, part := range []string{secret, "SIGSECRET", "KEYSECRET", "Hunter2"} {
			if strings.Contains(secret, part) && strings.Contains(err.Error(), part) {
				t.Errorf("error shows %q: %v", part, err)
			}
		}
	}
	// The same through a flag.
	p := &Document{Target: Target{Kind: "sqlmi"}}
	p.Apply(Overrides{PasswordEnv: "Hunter2!pw"})
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "--password-env") || strings.Contains(err.Error(), "Hunter2") {
		t.Errorf("--password-env: %v", err)
	}
}

// Secrets in storage.location are refused by their shape and position.
func TestLocationSecretShapes(t *testing.T) {
	for _, loc := range []string{
		"https://a.blob.core.windows.net/c?sv=1&SIG=SECRETX",
		"https://a.blob.core.windows.net/c?sv=1&Sig=SECRETX",
		"https://a.blob.core.windows.net/c#sig=SECRETX",
		"https://user:SECRETX@a.blob.core.windows.net/c",
		"https://SECRETX@a.blob.core.windows.net/c",
		"DefaultEndpointsProtocol=https;AccountName=a;accountkey=SECRETX;EndpointSuffix=core.windows.net",
		"BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1&sig=SECRETX",
	} {
		_, err := Parse("p.yaml", []byte("target: {kind: sqlmi}\nstorage:\n  location: '"+loc+"'\n"))
		if err == nil || !strings.Contains(err.Error(), "p.yaml:3:13: storage.location") || strings.Contains(err.Error(), "SECRETX") {
			t.Errorf("%s: %v", loc, err)
		}
	}
	if _, err := Parse("p.yaml", []byte("target: {kind: sqlmi}\nstorage:\n  location: 'https://a.blob.core.windows.net/c/signatures'\n")); err != nil {
		t.Errorf("a folder named signatures: %v", err)
	}
}

func TestPlanFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", infile.PlanLimit)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !infile.IsRefused(err) {
		t.Errorf("a plan over the limit: %v", err)
	}
}

func TestStorageRequestTimeout(t *testing.T) {
	p, err := Parse("p.yaml", []byte("target: {kind: sqlmi}\nstorage:\n  location: /mnt/b\n  requestTimeout: 90s\n"))
	if err != nil || p.Storage.RequestTimeout != 90*time.Second {
		t.Fatalf("%v %+v", err, p)
	}
}
