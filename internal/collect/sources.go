package collect

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azure"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/redact"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/storage"
)

// Default environment variables for secrets when the plan names none.
const (
	EnvSourcePassword = "DMSREADY_SQL_PASSWORD"
	EnvTargetPassword = "DMSREADY_TARGET_PASSWORD"
)

// Timeouts when the plan sets none: without them a server that accepts the
// connection and never answers (a wrong port behind a proxy, a half-open
// firewall) hangs the run for ever.
const (
	DefaultConnectTimeout = 30 * time.Second
	DefaultQueryTimeout   = 10 * time.Minute
)

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// collectors lists every collector in the order their results are applied.
var collectors = []registered{
	{collector{"server", prepareServer}, func(p *plan.Document) bool { return p.Source.Server != "" }},
	{collector{"storage", prepareStorage}, func(p *plan.Document) bool { return p.Storage.Location != "" }},
	{collector{"target", prepareTarget}, func(p *plan.Document) bool { return p.Target.Server != "" }},
	{collector{"azure", prepareAzure}, func(p *plan.Document) bool { return p.Azure.Enabled() }},
}

// prepareAzure reads the plan's Azure resources from Resource Manager.
func prepareAzure(o Options) func(context.Context) func(*facts.Facts) {
	a := o.Plan.Azure
	cfg := o.Azure
	cfg.Auth, cfg.ClientID, cfg.Cloud = a.Auth, a.ClientID, a.Cloud
	if a.Endpoint != "" {
		cfg.Endpoint = a.Endpoint
	}
	if a.Audience != "" {
		cfg.Audience = a.Audience
	}
	if a.Timeout > 0 {
		cfg.Timeout = a.Timeout
	}
	fp := o.Plan.Facts()
	r := azure.Request{Kind: o.Plan.Target.Kind}
	if fp.Azure != nil {
		r.Plan = *fp.Azure
	}
	for _, d := range fp.Databases {
		r.TargetDatabases = append(r.TargetDatabases, d.TargetDBName())
	}
	return func(ctx context.Context) func(*facts.Facts) {
		az, errs := azure.Collect(ctx, cfg, r)
		return func(f *facts.Facts) {
			f.Azure = az
			f.Errors = append(f.Errors, errs...)
		}
	}
}

func fail(src facts.Source, kind, msg string) func(context.Context) func(*facts.Facts) {
	return func(context.Context) func(*facts.Facts) {
		return func(f *facts.Facts) {
			f.AddError(facts.SourceError{Source: src, Kind: facts.ErrorKind(kind), Message: msg})
		}
	}
}

// password finds a SQL login's password: the named (or default) environment
// variable, else a prompt on a terminal. Windows and Entra logins and DSNs
// that carry their own password need none.
func password(o Options, server, auth, user, envName, def, label string) (string, string) {
	if auth == "entra" || (auth == "windows" && user == "") {
		return "", ""
	}
	if d := dsnLogin(server); d.isDSN {
		if d.password || d.fedauth {
			return "", ""
		}
		if user == "" {
			user = d.user
		}
	}
	if user == "" {
		return "", "no " + label + " login: give the SQL login in " + label + ".user (--user), or use auth windows or entra"
	}
	if envName == "" {
		envName = def
	}
	if v := o.Getenv(envName); v != "" {
		return v, ""
	}
	if o.Prompt != nil {
		v, err := o.Prompt(label + " password for " + user + ": ")
		if err == nil && v != "" {
			return v, ""
		}
	}
	return "", "no password for " + label + " login " + user + ": set " + envName + " (or name another variable in passwordEnv)"
}

// dsnInfo is what a sqlserver:// DSN says about its login.
type dsnInfo struct {
	isDSN, password, fedauth bool
	user                     string
}

// dsnLogin reads the login a DSN names: in its user info or as "user id"
// in its query. A DSN that names a login but no password still needs one
// from the environment.
func dsnLogin(server string) dsnInfo {
	if !strings.HasPrefix(strings.ToLower(server), "sqlserver://") {
		return dsnInfo{}
	}
	d := dsnInfo{isDSN: true}
	u, err := url.Parse(server)
	if err != nil {
		return d // sqlsource reports the bad DSN
	}
	if u.User != nil {
		d.user = u.User.Username()
		_, d.password = u.User.Password()
	}
	for k, v := range u.Query() {
		switch strings.ToLower(k) {
		case "user id", "uid":
			if d.user == "" && len(v) > 0 {
				d.user = v[0]
			}
		case "password", "pwd":
			d.password = true
		case "fedauth":
			d.fedauth = true
		}
	}
	return d
}

func sqlDatabases(p *plan.Document) []string {
	var names []string
	for _, d := range p.Databases {
		names = append(names, d.Name)
	}
	return names
}

// sourceConfig is how to reach the source, or why it cannot be tried.
func sourceConfig(o Options) (sqlsource.Config, string) {
	s := o.Plan.Source
	pw, why := password(o, s.Server, s.Auth, s.User, s.PasswordEnv, EnvSourcePassword, "source")
	return sqlsource.Config{Server: s.Server, Port: s.Port, User: s.User, Password: pw, Auth: s.Auth,
		Encrypt: s.Encrypt, TrustServerCertificate: s.TrustServerCertificate, HostNameInCertificate: s.HostNameInCertificate,
		ConnectTimeout: orDefault(s.ConnectTimeout, DefaultConnectTimeout), QueryTimeout: orDefault(s.QueryTimeout, DefaultQueryTimeout),
		Databases: sqlDatabases(o.Plan)}, why
}

func prepareServer(o Options) func(context.Context) func(*facts.Facts) {
	cfg, why := sourceConfig(o)
	if why != "" {
		return fail(facts.SrcServer, "login-failed", why)
	}
	return func(ctx context.Context) func(*facts.Facts) {
		srv, errs := sqlsource.Collect(ctx, cfg)
		return func(f *facts.Facts) {
			f.Server = srv
			f.Errors = append(f.Errors, errs...)
		}
	}
}

// targetConfig is how to reach the live target, or why it cannot be tried.
func targetConfig(o Options) (sqlsource.Config, string) {
	t := o.Plan.Target
	pw, why := password(o, t.Server, t.Auth, t.User, t.PasswordEnv, EnvTargetPassword, "target")
	return sqlsource.Config{Server: t.Server, Port: t.Port, User: t.User, Password: pw, Auth: t.Auth,
		Encrypt: t.Encrypt, TrustServerCertificate: t.TrustServerCertificate, HostNameInCertificate: t.HostNameInCertificate,
		ConnectTimeout: orDefault(t.ConnectTimeout, DefaultConnectTimeout), QueryTimeout: orDefault(t.QueryTimeout, DefaultQueryTimeout)}, why
}

func prepareTarget(o Options) func(context.Context) func(*facts.Facts) {
	cfg, why := targetConfig(o)
	if why != "" {
		return fail(facts.SrcTarget, "login-failed", why)
	}
	names := make([]string, 0, len(o.Plan.Databases))
	for _, d := range o.Plan.Facts().Databases {
		names = append(names, d.TargetDBName())
	}
	return func(ctx context.Context) func(*facts.Facts) {
		tgt, errs := sqlsource.CollectTarget(ctx, cfg, names)
		return func(f *facts.Facts) {
			f.Target = tgt
			f.Errors = append(f.Errors, errs...)
		}
	}
}

func prepareStorage(o Options) func(context.Context) func(*facts.Facts) {
	st := o.Plan.Storage
	loc := st.Location
	if st.SASEnv != "" {
		sas := strings.TrimSpace(o.Getenv(st.SASEnv))
		switch {
		case sas == "":
			return fail(facts.SrcStorage, "invalid", "no SAS: "+st.SASEnv+" is empty")
		case redact.IsURL(sas):
			loc = sas
		default:
			loc = redact.Location(loc) + "?" + strings.TrimPrefix(sas, "?")
		}
	}
	cfg := storage.Config{Location: loc, Auth: st.Auth, Concurrency: st.Concurrency, ReadHeaders: true,
		Getenv: o.Getenv, Progress: o.Progress, RequestTimeout: st.RequestTimeout}
	// A variable the plan names and the environment leaves empty is an
	// error, not a silent fall back to another credential (Entra).
	if st.ConnectionStringEnv != "" {
		if cfg.ConnectionString = o.Getenv(st.ConnectionStringEnv); cfg.ConnectionString == "" {
			return fail(facts.SrcStorage, "invalid", "no connection string: "+st.ConnectionStringEnv+" (storage.connectionStringEnv) is empty")
		}
	}
	if st.AccountKeyEnv != "" {
		if cfg.AccountKey = o.Getenv(st.AccountKeyEnv); cfg.AccountKey == "" {
			return fail(facts.SrcStorage, "invalid", "no account key: "+st.AccountKeyEnv+" (storage.accountKeyEnv) is empty")
		}
	}
	return func(ctx context.Context) func(*facts.Facts) {
		s, errs := storage.Collect(ctx, cfg)
		return func(f *facts.Facts) {
			f.Storage = s
			f.Errors = append(f.Errors, errs...)
		}
	}
}
