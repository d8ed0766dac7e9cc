// Package plan reads and validates a migration plan: the YAML file a team
// keeps next to its migration, overridden by command-line flags. Secrets are
// never in the plan; it names the environment variables that hold them.
package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/redact"
	"github.com/dmsready/dmsready/internal/winpath"

	"go.yaml.in/yaml/v3"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/infile"
)

// Pos is a position in the plan file. Flag names the command-line flag
// that replaced the value there, so an error about it points at the flag.
type Pos struct {
	Line, Column int
	Flag         string
}

// Document is a migration plan file as written (YAML, with positions and
// secrets); Facts gives the facts.ResolvedPlan the checks see.
type Document struct {
	File      string     `yaml:"-"`
	Version   int        `yaml:"version"`
	Source    Source     `yaml:"source"`
	Target    Target     `yaml:"target"`
	Storage   Storage    `yaml:"storage"`
	Azure     Azure      `yaml:"azure"`
	Mode      string     `yaml:"mode"`
	Method    string     `yaml:"method"`
	Databases []Database `yaml:"databases"`
	Waivers   []Waiver   `yaml:"waivers"`
	KeyPos    map[string]Pos
}

// Source is the source SQL Server.
type Source struct {
	Server                 string        `yaml:"server"`
	Port                   int           `yaml:"port"`
	Auth                   string        `yaml:"auth"` // sql | windows | entra
	User                   string        `yaml:"user"`
	PasswordEnv            string        `yaml:"passwordEnv"`
	Encrypt                string        `yaml:"encrypt"`
	TrustServerCertificate bool          `yaml:"trustServerCertificate"`
	HostNameInCertificate  string        `yaml:"hostNameInCertificate"`
	ConnectTimeout         time.Duration `yaml:"connectTimeout"`
	QueryTimeout           time.Duration `yaml:"queryTimeout"`
	KeyPos                 map[string]Pos
}

// Target is where the databases go; Server optionally connects to it.
type Target struct {
	Kind           string        `yaml:"kind"`
	Version        string        `yaml:"version"`
	StorageLimitMB int64         `yaml:"storageLimitMB"`
	Server         string        `yaml:"server"`
	Port           int           `yaml:"port"`
	Auth           string        `yaml:"auth"`
	User           string        `yaml:"user"`
	PasswordEnv    string        `yaml:"passwordEnv"`
	Encrypt        string        `yaml:"encrypt"`
	ConnectTimeout time.Duration `yaml:"connectTimeout"`
	// As for the source: a SQL Server VM target may have a self-signed certificate.
	TrustServerCertificate bool          `yaml:"trustServerCertificate"`
	HostNameInCertificate  string        `yaml:"hostNameInCertificate"`
	QueryTimeout           time.Duration `yaml:"queryTimeout"`
	KeyPos                 map[string]Pos
}

// Storage is where the backups are.
type Storage struct {
	// Location is a container URL (without a SAS) or a local/UNC share path.
	Location string `yaml:"location"`
	Auth     string `yaml:"auth"` // sas | connection-string | account-key | entra | none
	// SASEnv names the variable holding the SAS token (or the whole SAS URL).
	SASEnv              string `yaml:"sasEnv"`
	ConnectionStringEnv string `yaml:"connectionStringEnv"`
	AccountKeyEnv       string `yaml:"accountKeyEnv"`
	Concurrency         int    `yaml:"concurrency"`
	// RequestTimeout bounds each try of each request to the Blob service,
	// and how long a share may list and read nothing (default 60s).
	RequestTimeout time.Duration `yaml:"requestTimeout"`
	KeyPos         map[string]Pos
}

// Database is one database to migrate.
type Database struct {
	Name           string            `yaml:"name"`
	TargetName     string            `yaml:"targetName"`
	Folder         string            `yaml:"folder"`
	LastBackupFile string            `yaml:"lastBackupFile"`
	FileMapping    map[string]string `yaml:"fileMapping"`
	Pos            Pos
	KeyPos         map[string]Pos
}

// Waiver accepts a known finding until it expires.
type Waiver struct {
	Check   string `yaml:"check"`
	Object  string `yaml:"object"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"`
	Pos     Pos
	KeyPos  map[string]Pos
}

// Load reads and validates a plan file.
// A relative share path in the file is relative to the file, as a plan kept
// in a repository means it, not to wherever dmsready runs.
func Load(file string) (*Document, error) {
	b, err := infile.ReadFile(file, infile.PlanLimit)
	if err != nil {
		return nil, err
	}
	p, err := Parse(file, b)
	if err != nil {
		return nil, err
	}
	// A Windows path (C:\x, \\server\share) is absolute wherever the plan is
	// read; so is a file:// URL.
	if loc := p.Storage.Location; loc != "" && !redact.IsURL(loc) && !winpath.IsAbs(loc) && !filepath.IsAbs(loc) && !strings.HasPrefix(strings.ToLower(loc), "file:") {
		p.Storage.Location = filepath.Join(filepath.Dir(file), loc)
	}
	return p, nil
}

// Parse decodes and validates plan text; errors carry file:line:column.
func Parse(file string, b []byte) (*Document, error) {
	if e := scanBytes(file, b); e != nil {
		return nil, Errors{e}
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&root); err != nil {
		if err.Error() == "EOF" {
			return nil, Errors{{File: file, Msg: "empty plan"}}
		}
		return nil, Errors{yamlError(file, b, err)}
	}
	var extra yaml.Node
	if dec.Decode(&extra) == nil {
		return nil, Errors{{File: file, Line: extra.Line, Column: extra.Column, Msg: "a plan is one YAML document; found a second"}}
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	p := &Document{File: file}
	d := &decoder{file: file}
	d.decodeStruct(doc, reflectValue(p), "")
	// Value checks run even after shape errors, so an author sees every
	// problem at once; a line with a shape error gets no second message.
	errs := d.errs
	bad := map[int]bool{}
	for _, e := range errs {
		bad[e.Line] = true
	}
	for _, e := range p.validate() {
		if !bad[e.Line] {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs
	}
	return p, nil
}

func (p *Document) at(keyPos map[string]Pos, key string) (int, int) {
	if pos, ok := keyPos[key]; ok {
		return pos.Line, pos.Column
	}
	return 0, 0
}

func (p *Document) errAt(errs *Errors, keyPos map[string]Pos, key, format string, args ...any) {
	if pos, ok := keyPos[key]; ok && pos.Flag != "" {
		*errs = append(*errs, &PosError{Flag: pos.Flag, Msg: fmt.Sprintf(format, args...)})
		return
	}
	l, c := p.at(keyPos, key)
	*errs = append(*errs, &PosError{File: p.File, Line: l, Column: c, Msg: fmt.Sprintf(format, args...)})
}

// notAName is the error for a *Env field that is not a variable name. The
// value is not repeated: what was typed there is often the secret itself.
const notAName = "want the name of an environment variable (letters, digits and _, not starting with a digit), not its value; the value given is not shown"

var (
	envName   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	checkID   = regexp.MustCompile(`^DMS[0-9]{3}$`)
	knownMode = map[string]bool{"": true, "online": true, "offline": true}
)

// validate checks values, not just shapes. Flags are validated again after
// they override the plan (Validate).
func (p *Document) validate() Errors {
	var errs Errors
	// version: 0 is written, not left out: as wrong as version: 2.
	if _, set := p.KeyPos["version"]; p.Version != 1 && (p.Version != 0 || set) {
		p.errAt(&errs, p.KeyPos, "version", "version %d: this dmsready reads plan version 1", p.Version)
	}
	if what := locationSecret(p.Storage.Location); what != "" {
		p.errAt(&errs, p.Storage.KeyPos, "location", "storage.location holds %s: keep secrets out of the plan; put the SAS in an environment variable named by storage.sasEnv, a connection string in one named by storage.connectionStringEnv", what)
	}
	p.validateValues(&errs)
	return errs
}

// locationSecret names the secret a storage location carries by its shape
// ("" for none): a SAS signature in the query or the fragment (any case),
// user info in a URL, an account key or SAS in a connection string.
func locationSecret(loc string) string {
	l := strings.ToLower(loc)
	if redact.IsURL(loc) {
		if u, err := url.Parse(loc); err == nil {
			if u.User != nil {
				return "user info (user:password@) in the URL"
			}
			for k := range u.Query() {
				if strings.EqualFold(k, "sig") {
					return "a SAS signature"
				}
			}
		}
		if _, frag, ok := strings.Cut(l, "#"); ok && strings.Contains(frag, "sig=") {
			return "a SAS signature (after #)"
		}
		if _, q, ok := strings.Cut(l, "?"); ok && (strings.HasPrefix(q, "sig=") || strings.Contains(q, "&sig=")) {
			return "a SAS signature"
		}
		return ""
	}
	if strings.Contains(l, "=") && strings.Contains(l, ";") || strings.HasPrefix(l, "accountkey=") || strings.HasPrefix(l, "sharedaccesssignature=") {
		switch {
		case strings.Contains(l, "accountkey="):
			return "an account key (AccountKey=)"
		case strings.Contains(l, "sharedaccesssignature="):
			return "a SAS (SharedAccessSignature=)"
		}
	}
	return ""
}

// badServerPort reports a host,port server whose port is not a port; the
// connection would fail only after every other collector ran.
func badServerPort(s string) bool {
	if strings.HasPrefix(strings.ToLower(s), "sqlserver://") || strings.Contains(s, "=") {
		return false
	}
	i := strings.LastIndexByte(s, ',')
	if i < 0 {
		return false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s[i+1:]))
	return err != nil || n < 1 || n > 65535
}

// dsnHasPassword reports a password in a sqlserver:// URL or a
// key=value connection string.
func dsnHasPassword(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "sqlserver://") {
		u, err := url.Parse(s)
		if err != nil {
			return strings.Contains(l, "password=") || strings.Contains(l, "pwd=")
		}
		if u.User != nil {
			if _, ok := u.User.Password(); ok {
				return true
			}
		}
		for k := range u.Query() {
			if k := strings.ToLower(k); k == "password" || k == "pwd" {
				return true
			}
		}
		return false
	}
	return strings.Contains(l, "password=") || strings.Contains(l, "pwd=")
}

// Validate checks a plan after flags have overridden it.
func (p *Document) Validate() error {
	var errs Errors
	p.validateValues(&errs)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (p *Document) validateValues(errs *Errors) {
	s, t, st := &p.Source, &p.Target, &p.Storage
	switch s.Auth {
	case "", "sql", "windows", "entra":
	default:
		p.errAt(errs, s.KeyPos, "auth", "source.auth %q: want sql, windows or entra", s.Auth)
	}
	if s.Port < 0 || s.Port > 65535 {
		p.errAt(errs, s.KeyPos, "port", "source.port %d: want 1-65535", s.Port)
	}
	if s.PasswordEnv != "" && !envName.MatchString(s.PasswordEnv) {
		p.errAt(errs, s.KeyPos, "passwordEnv", "source.passwordEnv: %s", notAName)
	}
	// Passwords come from the environment, never from a server string in
	// the plan or on the command line (shell history, process list).
	if dsnHasPassword(s.Server) {
		p.errAt(errs, s.KeyPos, "server", "source.server holds a password: name an environment variable in source.passwordEnv instead")
	}
	for _, sv := range []struct {
		name, server string
		keyPos       map[string]Pos
	}{{"source", s.Server, s.KeyPos}, {"target", t.Server, t.KeyPos}} {
		if !badServerPort(sv.server) {
			continue
		}
		p.errAt(errs, sv.keyPos, "server", "%s.server %q: want a port 1-65535 after the comma", sv.name, sv.server)
	}
	if dsnHasPassword(t.Server) {
		p.errAt(errs, t.KeyPos, "server", "target.server holds a password: name an environment variable in target.passwordEnv instead")
	}
	switch s.Encrypt {
	case "", "true", "false", "strict", "disable", "mandatory", "optional":
	default:
		p.errAt(errs, s.KeyPos, "encrypt", "source.encrypt %q: want true, false, strict or disable", s.Encrypt)
	}
	switch t.Kind {
	case facts.KindMI, facts.KindVM, facts.KindDB:
	case "":
		*errs = append(*errs, &PosError{File: p.File, Line: posLine(p.KeyPos, "target"), Column: posCol(p.KeyPos, "target"),
			Msg: "target.kind is required: sqlmi, sqlvm or sqldb"})
	default:
		p.errAt(errs, t.KeyPos, "kind", "target.kind %q: want sqlmi, sqlvm or sqldb", t.Kind)
	}
	if t.Version != "" && t.Kind == facts.KindMI {
		switch strings.ToLower(t.Version) {
		case "2022", "2025", "always-up-to-date":
		default:
			p.errAt(errs, t.KeyPos, "version", "target.version %q: for sqlmi give the update policy: 2022, 2025 or always-up-to-date", t.Version)
		}
	}
	if t.StorageLimitMB < 0 {
		p.errAt(errs, t.KeyPos, "storageLimitMB", "target.storageLimitMB must not be negative")
	}
	switch t.Auth {
	case "", "sql", "windows", "entra":
	default:
		p.errAt(errs, t.KeyPos, "auth", "target.auth %q: want sql, windows or entra", t.Auth)
	}
	if t.Port < 0 || t.Port > 65535 {
		p.errAt(errs, t.KeyPos, "port", "target.port %d: want 1-65535", t.Port)
	}
	switch t.Encrypt {
	case "", "true", "false", "strict", "disable", "mandatory", "optional":
	default:
		p.errAt(errs, t.KeyPos, "encrypt", "target.encrypt %q: want true, false, strict or disable", t.Encrypt)
	}
	if t.PasswordEnv != "" && !envName.MatchString(t.PasswordEnv) {
		p.errAt(errs, t.KeyPos, "passwordEnv", "target.passwordEnv: %s", notAName)
	}
	switch st.Auth {
	case "", "sas", "connection-string", "account-key", "entra", "none":
	default:
		p.errAt(errs, st.KeyPos, "auth", "storage.auth %q: want sas, connection-string, account-key, entra or none", st.Auth)
	}
	for _, k := range []struct{ key, v string }{{"sasEnv", st.SASEnv}, {"connectionStringEnv", st.ConnectionStringEnv}, {"accountKeyEnv", st.AccountKeyEnv}} {
		if k.v != "" && !envName.MatchString(k.v) {
			p.errAt(errs, st.KeyPos, k.key, "storage.%s: %s", k.key, notAName)
		}
	}
	if st.Concurrency < 0 || st.Concurrency > 256 {
		p.errAt(errs, st.KeyPos, "concurrency", "storage.concurrency %d: want 1-256", st.Concurrency)
	}
	p.validateAzure(errs)
	if !knownMode[p.Mode] {
		p.errAt(errs, p.KeyPos, "mode", "mode %q: want online or offline", p.Mode)
	}
	switch p.Method {
	case "", "dms", "lrs":
	default:
		p.errAt(errs, p.KeyPos, "method", "method %q: want dms or lrs", p.Method)
	}
	// Combinations no migration runs with: they left every check that does
	// not apply skipped and the verdict READY.
	if p.Method == "lrs" && (t.Kind == facts.KindVM || t.Kind == facts.KindDB) {
		p.errAt(errs, p.KeyPos, "method", "method lrs: Log Replay Service restores to Azure SQL Managed Instance only, not target kind %s", t.Kind)
	}
	if p.Mode == "online" && t.Kind == facts.KindDB {
		p.errAt(errs, p.KeyPos, "mode", "mode online: DMS migrates to Azure SQL Database offline only")
	}
	seen := map[string]bool{}
	for i, d := range p.Databases {
		if d.Name == "" {
			if d.KeyPos["name"].Flag != "" {
				p.errAt(errs, d.KeyPos, "name", "databases[%d]: name is required", i)
				continue
			}
			*errs = append(*errs, &PosError{File: p.File, Line: d.Pos.Line, Column: d.Pos.Column, Msg: fmt.Sprintf("databases[%d]: name is required", i)})
			continue
		}
		if seen[strings.ToLower(d.Name)] {
			p.errAt(errs, d.KeyPos, "name", "databases[%d]: %q is listed twice", i, d.Name)
		}
		seen[strings.ToLower(d.Name)] = true
		if d.LastBackupFile != "" && p.Mode == "online" {
			p.errAt(errs, d.KeyPos, "lastBackupFile", "databases[%d].lastBackupFile is for offline mode; mode is online", i)
		}
		if strings.Contains(d.Folder, "\\") {
			p.errAt(errs, d.KeyPos, "folder", "databases[%d].folder %q: use / between folders", i, d.Folder)
		}
	}
	for i, w := range p.Waivers {
		if w.Check == "" {
			*errs = append(*errs, &PosError{File: p.File, Line: w.Pos.Line, Column: w.Pos.Column, Msg: fmt.Sprintf("waivers[%d]: check is required", i)})
		} else if !checkID.MatchString(w.Check) {
			p.errAt(errs, w.KeyPos, "check", "waivers[%d].check %q: want a check ID like DMS201", i, w.Check)
		}
		if strings.TrimSpace(w.Reason) == "" {
			*errs = append(*errs, &PosError{File: p.File, Line: w.Pos.Line, Column: w.Pos.Column, Msg: fmt.Sprintf("waivers[%d]: reason is required", i)})
		}
		if w.Object != "" {
			if _, err := path.Match(w.Object, ""); err != nil {
				p.errAt(errs, w.KeyPos, "object", "waivers[%d].object %q: bad pattern", i, w.Object)
			}
		}
		if w.Expires != "" {
			if _, err := time.Parse("2006-01-02", w.Expires); err != nil {
				p.errAt(errs, w.KeyPos, "expires", "waivers[%d].expires %q: want a date YYYY-MM-DD", i, w.Expires)
			}
		}
	}
}

func posLine(m map[string]Pos, k string) int { return m[k].Line }
func posCol(m map[string]Pos, k string) int  { return m[k].Column }

// Facts is the plan as the checks see it: no secrets, no positions.
func (p *Document) Facts() facts.ResolvedPlan {
	fp := facts.ResolvedPlan{
		Source:  facts.PlanSource{Server: redact.DSN(p.Source.Server), Auth: p.Source.Auth},
		Target:  facts.PlanTarget{Kind: p.Target.Kind, Version: p.Target.Version, StorageLimitMB: p.Target.StorageLimitMB, Server: redact.DSN(p.Target.Server)},
		Storage: facts.PlanStorage{Location: redact.Location(p.Storage.Location), Auth: facts.StorageAuth(p.Storage.Auth)},
		Mode:    facts.Mode(p.Mode),
		Method:  facts.Method(p.Method),
	}
	if fp.Mode == "" {
		fp.Mode = "offline"
	}
	if fp.Method == "" {
		fp.Method = "dms"
	}
	if p.Storage.Location != "" {
		fp.Storage.Kind = "share"
		if redact.IsURL(p.Storage.Location) {
			fp.Storage.Kind = "blob"
		}
	}
	for _, w := range p.Waivers {
		where := p.File
		if w.Pos.Line > 0 {
			where = fmt.Sprintf("%s:%d", p.File, w.Pos.Line)
		}
		fp.Waivers = append(fp.Waivers, facts.Waiver{Check: w.Check, Object: w.Object, Reason: w.Reason, Expires: w.Expires, Where: where})
	}
	fp.Azure = p.azureFacts()
	fp.Databases = []facts.PlanDatabase{}
	for _, d := range p.Databases {
		fp.Databases = append(fp.Databases, facts.PlanDatabase{Name: d.Name, TargetName: d.TargetName,
			Folder: strings.Trim(d.Folder, "/"), LastBackupFile: d.LastBackupFile, FileMapping: d.FileMapping})
	}
	b, _ := json.Marshal(fp)
	sum := sha256.Sum256(b)
	fp.Digest = "sha256:" + hex.EncodeToString(sum[:])
	return fp
}
