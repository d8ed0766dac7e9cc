package collect

import (
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/plan"
)

func TestConfigTimeouts(t *testing.T) {
	env := func(k string) string { return map[string]string{EnvSourcePassword: "pw", EnvTargetPassword: "tpw"}[k] }
	p := &plan.Document{Source: plan.Source{Server: "sql01", User: "u"}, Target: plan.Target{Kind: "sqlmi", Server: "mi", User: "u"}}
	s, why := sourceConfig(Options{Plan: p, Getenv: env})
	if why != "" || s.Password != "pw" || s.ConnectTimeout != DefaultConnectTimeout || s.QueryTimeout != DefaultQueryTimeout {
		t.Errorf("source defaults: %#v %v %v %q", s, s.ConnectTimeout, s.QueryTimeout, why)
	}
	tg, why := targetConfig(Options{Plan: p, Getenv: env})
	if why != "" || tg.Password != "tpw" || tg.ConnectTimeout != DefaultConnectTimeout || tg.QueryTimeout != DefaultQueryTimeout {
		t.Errorf("target defaults: %#v %v %v %q", tg, tg.ConnectTimeout, tg.QueryTimeout, why)
	}
	p.Source.ConnectTimeout, p.Source.QueryTimeout, p.Target.ConnectTimeout = 2*time.Second, time.Minute, 3*time.Second
	s, _ = sourceConfig(Options{Plan: p, Getenv: env})
	tg, _ = targetConfig(Options{Plan: p, Getenv: env})
	if s.ConnectTimeout != 2*time.Second || s.QueryTimeout != time.Minute || tg.ConnectTimeout != 3*time.Second {
		t.Errorf("plan timeouts not kept: %v %v %v", s.ConnectTimeout, s.QueryTimeout, tg.ConnectTimeout)
	}
}

func TestConfigPassword(t *testing.T) {
	p := &plan.Document{Source: plan.Source{Server: "sql01", User: "u", PasswordEnv: "MY_PW"}}
	s, why := sourceConfig(Options{Plan: p, Getenv: func(k string) string { return map[string]string{"MY_PW": "secret"}[k] }})
	if why != "" || s.Password != "secret" {
		t.Errorf("named variable: %q %q", s.Password, why)
	}
	_, why = sourceConfig(Options{Plan: p, Getenv: func(string) string { return "" }})
	if why == "" || !strings.Contains(why, "MY_PW") {
		t.Errorf("missing password: %q", why)
	}
	p.Source = plan.Source{Server: "sqlserver://u:pw@sql01"}
	if _, why := sourceConfig(Options{Plan: p, Getenv: func(string) string { return "" }}); why != "" {
		t.Errorf("a DSN with its own password needs no variable: %q", why)
	}
}

// A DSN naming its login but not its password takes the password from
// --password-env (or the default variable), as the --source help says.
func TestConfigPasswordDSNWithUser(t *testing.T) {
	env := func(k string) string { return map[string]string{"MY_PW": "secret", EnvSourcePassword: "dflt"}[k] }
	for _, c := range []struct{ server, envName, want string }{
		{"sqlserver://u@sql01:1433", "MY_PW", "secret"},
		{"sqlserver://u@sql01", "", "dflt"},
		{"sqlserver://sql01?user+id=u", "MY_PW", "secret"},
		{"sqlserver://u:own@sql01", "MY_PW", ""},
		{"sqlserver://sql01?user+id=u&password=own", "MY_PW", ""},
	} {
		p := &plan.Document{Source: plan.Source{Server: c.server, PasswordEnv: c.envName}}
		s, why := sourceConfig(Options{Plan: p, Getenv: env})
		if why != "" || s.Password != c.want {
			t.Errorf("%s: password %q (%q), want %q", c.server, s.Password, why, c.want)
		}
	}
	p := &plan.Document{Source: plan.Source{Server: "sqlserver://u@sql01", PasswordEnv: "UNSET"}}
	if _, why := sourceConfig(Options{Plan: p, Getenv: env}); !strings.Contains(why, "UNSET") || !strings.Contains(why, " u:") {
		t.Errorf("missing password for a DSN's login: %q", why)
	}
	p = &plan.Document{Source: plan.Source{Server: "sqlserver://sql01"}}
	if _, why := sourceConfig(Options{Plan: p, Getenv: env}); !strings.Contains(why, "no source login") {
		t.Errorf("a DSN without a login: %q", why)
	}
}

// The target connects with the same TLS and timeout settings a source can
// have: a SQL Server VM target with a self-signed certificate needs
// trustServerCertificate.
func TestTargetConfigTLSAndQueryTimeout(t *testing.T) {
	p := &plan.Document{Target: plan.Target{Kind: "sqlvm", Server: "vm", User: "u", Encrypt: "true",
		TrustServerCertificate: true, HostNameInCertificate: "vm.corp", QueryTimeout: time.Minute}}
	c, _ := targetConfig(Options{Plan: p, Getenv: func(string) string { return "pw" }})
	if !c.TrustServerCertificate || c.HostNameInCertificate != "vm.corp" || c.QueryTimeout != time.Minute || c.Encrypt != "true" {
		t.Errorf("target config = %v trust=%v host=%q query=%v", c, c.TrustServerCertificate, c.HostNameInCertificate, c.QueryTimeout)
	}
}
