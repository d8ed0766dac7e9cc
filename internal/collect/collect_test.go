package collect

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/plan"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// One source failing leaves the others collected.
func TestFailedSourceDoesNotStopOthers(t *testing.T) {
	p := &plan.Document{
		Source:  plan.Source{Server: "127.0.0.1", Port: 1, User: "dmsready", Encrypt: "disable", ConnectTimeout: 2 * time.Second},
		Target:  plan.Target{Kind: facts.KindMI},
		Storage: plan.Storage{Location: "../../fixtures/demo/backups"},
	}
	f, phases := Run(context.Background(), Options{Plan: p, Getenv: env(map[string]string{EnvSourcePassword: "s3cret-pw"})})
	if f.Storage == nil || len(f.Storage.Files) == 0 || !f.Has(facts.SrcBackups) {
		t.Fatalf("storage not collected: %+v", f.Storage)
	}
	e := f.ErrorFor(facts.SrcServer)
	if e == nil || e.Kind != "unreachable" {
		t.Fatalf("server error = %+v, want unreachable", e)
	}
	if strings.Contains(e.Message, "s3cret-pw") {
		t.Error("password in the error")
	}
	if len(phases) != 2 {
		t.Errorf("phases = %+v", phases)
	}
	if f.SchemaVersion != facts.SchemaVersion || f.Plan.Target.Kind != facts.KindMI {
		t.Errorf("facts header: %+v", f.Plan)
	}
}

func TestPasswordSources(t *testing.T) {
	p := &plan.Document{Source: plan.Source{Server: "127.0.0.1", User: "u", PasswordEnv: "MY_PW"}}
	o := Options{Plan: p, Getenv: env(map[string]string{"MY_PW": "from-env"})}
	if pw, why := password(o, "127.0.0.1", "sql", "u", "MY_PW", EnvSourcePassword, "source"); pw != "from-env" || why != "" {
		t.Errorf("env: %q %q", pw, why)
	}
	asked := ""
	o = Options{Plan: p, Getenv: env(nil), Prompt: func(label string) (string, error) { asked = label; return "typed", nil }}
	if pw, _ := password(o, "127.0.0.1", "sql", "u", "", EnvSourcePassword, "source"); pw != "typed" || !strings.Contains(asked, "source password for u") {
		t.Errorf("prompt: %q asked %q", pw, asked)
	}
	o = Options{Plan: p, Getenv: env(nil)}
	if _, why := password(o, "127.0.0.1", "sql", "u", "", EnvSourcePassword, "source"); !strings.Contains(why, EnvSourcePassword) {
		t.Errorf("no password: %q should name %s", why, EnvSourcePassword)
	}
	if _, why := password(o, "127.0.0.1", "sql", "", "", EnvSourcePassword, "source"); !strings.Contains(why, "source.user") {
		t.Errorf("no login: %q should say where to give one", why)
	}
	if pw, why := password(o, "127.0.0.1", "entra", "", "", EnvSourcePassword, "source"); pw != "" || why != "" {
		t.Errorf("entra needs no password: %q %q", pw, why)
	}
	if _, why := password(o, "sqlserver://u:p@host", "sql", "", "", EnvSourcePassword, "source"); why != "" {
		t.Errorf("a DSN with its own password: %q", why)
	}
}

func TestMissingSecretsBecomeSourceErrors(t *testing.T) {
	p := &plan.Document{
		Source:  plan.Source{Server: "127.0.0.1", User: "u"},
		Target:  plan.Target{Kind: facts.KindMI},
		Storage: plan.Storage{Location: "https://acct.blob.core.windows.net/c", SASEnv: "NO_SUCH_SAS"},
	}
	f, _ := Run(context.Background(), Options{Plan: p, Getenv: env(nil)})
	if e := f.ErrorFor(facts.SrcServer); e == nil || e.Kind != "login-failed" {
		t.Errorf("server: %+v", e)
	}
	if e := f.ErrorFor(facts.SrcStorage); e == nil || !strings.Contains(e.Message, "NO_SUCH_SAS") {
		t.Errorf("storage: %+v", e)
	}
	if f.Server != nil || f.Storage != nil {
		t.Error("facts for sources that were never reached")
	}
}

// A credential variable the plan names but the environment leaves empty is
// an error, never a fall back to Microsoft Entra.
func TestNamedCredentialVariableEmpty(t *testing.T) {
	for _, st := range []plan.Storage{
		{Location: "https://acct.blob.core.windows.net/c", ConnectionStringEnv: "MY_CS"},
		{Location: "https://acct.blob.core.windows.net/c", AccountKeyEnv: "MY_KEY"},
	} {
		p := &plan.Document{Target: plan.Target{Kind: facts.KindMI}, Storage: st}
		f, _ := Run(context.Background(), Options{Plan: p, Getenv: env(nil)})
		e := f.ErrorFor(facts.SrcStorage)
		if e == nil || e.Kind != "invalid" || !strings.Contains(e.Message, "is empty") || f.Storage != nil {
			t.Errorf("%+v: error %+v, storage %+v", st, e, f.Storage)
		}
	}
}
