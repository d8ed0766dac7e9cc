package sqlsource

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/azuread"
	_ "github.com/microsoft/go-mssqldb/integratedauth/krb5" // Kerberos for auth=windows off Windows

	"github.com/dmsready/dmsready/checks/facts"
)

// session is one open connection and what it has learned so far.
type session struct {
	cfg   Config
	db    *sql.DB
	major int
	errs  []facts.SourceError
	// ids maps sys.databases database_id to name, for DMV rows.
	ids map[int64]string
}

// open connects and logs in; a failure is one SourceError on src.
func open(ctx context.Context, cfg Config, src facts.Source) (*session, *facts.SourceError) {
	fail := func(kind, msg string) *facts.SourceError {
		return &facts.SourceError{Source: src, Kind: facts.ErrorKind(kind), Message: scrub(msg, cfg.secrets()...)}
	}
	dsn, entra, err := cfg.dsn()
	if err != nil {
		return nil, fail("invalid", err.Error())
	}
	var conn *mssql.Connector
	if entra {
		conn, err = azuread.NewConnector(dsn)
	} else {
		conn, err = mssql.NewConnector(dsn)
	}
	if err != nil {
		return nil, fail("invalid", "connection settings: "+err.Error())
	}
	wd := &watchDialer{d: net.Dialer{KeepAlive: 30 * time.Second}}
	conn.Dialer = wd
	db := sql.OpenDB(conn)
	// One connection: queries run one after the other, and a DBA sees one session.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	cctx, cancel := context.WithCancel(ctx)
	if cfg.ConnectTimeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, cfg.ConnectTimeout)
	}
	defer cancel()
	// The driver does not watch the context while it waits for PRELOGIN and
	// LOGIN7 answers: close the socket when the connect time is up.
	go func() {
		<-cctx.Done()
		wd.abort()
	}()
	// db.Conn logs in without Ping's "select 1": every statement sent is in Queries.
	c, err := db.Conn(cctx)
	wd.release()
	if err == nil {
		err = c.Close()
	}
	if err != nil {
		db.Close()
		if ctx.Err() != nil {
			return nil, fail("canceled", fmt.Sprintf("connecting to %s: %v", cfg, ctx.Err()))
		}
		if errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return nil, fail("timeout", fmt.Sprintf("connecting to %s timed out after %s: check the host, port, instance name and firewall", cfg, cfg.ConnectTimeout))
		}
		kind, msg := classifyConnect(err, cfg)
		return nil, fail(kind, msg)
	}
	return &session{cfg: cfg, db: db}, nil
}

// watchDialer dials like the driver and can abort the connections it made
// while a login is still in progress.
type watchDialer struct {
	d     net.Dialer
	mu    sync.Mutex
	conns []net.Conn
	done  bool
}

func (w *watchDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := w.d.DialContext(ctx, network, addr)
	if err == nil {
		w.mu.Lock()
		if !w.done {
			w.conns = append(w.conns, c)
		}
		w.mu.Unlock()
	}
	return c, err
}

// release ends the watch once the login is over, successful or not.
func (w *watchDialer) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done, w.conns = true, nil
}

func (w *watchDialer) abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	for _, c := range w.conns {
		c.Close()
	}
}

// classifyConnect gives one clear message per way a connection fails.
func classifyConnect(err error, cfg Config) (string, string) {
	where := cfg.String()
	var me mssql.Error
	if errors.As(err, &me) {
		switch me.Number {
		case 18456, 18452, 18470, 18486, 18487, 18488, 4060:
			return "login-failed", fmt.Sprintf("login failed on %s (error %d): check the user, the password and that the login may open master: %s", where, me.Number, strings.TrimPrefix(me.Message, "login error: "))
		}
		return "other", fmt.Sprintf("connecting to %s: SQL Server error %d: %s", where, me.Number, me.Message)
	}
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var re *tls.RecordHeaderError
	msg := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout", fmt.Sprintf("connecting to %s timed out after %s: check the host, port and firewall", where, cfg.ConnectTimeout)
	case errors.Is(err, context.Canceled):
		return "canceled", "connection canceled"
	case errors.As(err, &ue), errors.As(err, &he), errors.As(err, &ce), errors.As(err, &re),
		strings.Contains(msg, "TLS Handshake failed"), strings.Contains(msg, "does not support encryption"),
		strings.Contains(msg, "x509:"), strings.Contains(msg, "tls:"):
		return "tls", fmt.Sprintf("TLS with %s failed: %s (check encrypt, TrustServerCertificate and HostNameInCertificate)", where, msg)
	}
	// Kerberos set-up errors (no krb5.conf, no ticket cache) come before any
	// network failure would: they are about the login, not the host.
	if l := strings.ToLower(msg); strings.EqualFold(cfg.Auth, "windows") && (strings.Contains(l, "krb5 config") ||
		strings.Contains(l, "krb5-") || strings.Contains(l, "kerberos") || strings.Contains(l, "kdc") || strings.Contains(l, "ccache")) {
		return "login-failed", fmt.Sprintf("windows login to %s failed: %s (without a user, windows auth uses Kerberos: check KRB5_CONFIG and run kinit, or give DOMAIN\\user and a password)", where, msg)
	}
	// A named instance is found through SQL Server Browser (UDP 1434).
	if strings.Contains(msg, "no instance matching") || strings.Contains(msg, "Sql Server Browser") {
		return "unreachable", fmt.Sprintf("cannot reach %s: %s (check the instance name and that SQL Server Browser answers on UDP 1434, or give the port as host,port)", where, msg)
	}
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	if errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ne) ||
		strings.Contains(msg, "unable to open tcp connection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "no such host") || strings.Contains(msg, "i/o timeout") {
		return "unreachable", fmt.Sprintf("cannot reach %s: %s (check the host, port or instance name, and the firewall)", where, msg)
	}
	if strings.Contains(msg, "login error") || strings.Contains(msg, "Login failed") {
		return "login-failed", fmt.Sprintf("login failed on %s: %s", where, msg)
	}
	return "other", fmt.Sprintf("connecting to %s: %s", where, msg)
}

// scrub removes passwords from a message, whatever the driver did with them.
func scrub(msg string, secrets ...string) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

// permissionErrors are the SQL Server errors meaning "not allowed to see this".
var permissionErrors = map[int32]bool{
	229: true, 230: true, 262: true, 297: true, 300: true, 916: true, 15247: true, 27118: true,
}

// queryError turns a failed query into a SourceError naming its permission.
func (s *session) queryError(q Query, err error) facts.SourceError {
	e := facts.SourceError{Source: q.Source, Kind: "other"}
	var me mssql.Error
	switch {
	case errors.As(err, &me) && permissionErrors[me.Number]:
		e.Kind = "permission"
		e.Permission = q.Permission
		e.Message = fmt.Sprintf("%s: permission denied (error %d: %s)", q.Marker, me.Number, me.Message)
	case errors.As(err, &me):
		e.Message = fmt.Sprintf("%s: SQL Server error %d: %s", q.Marker, me.Number, me.Message)
		if me.Number == 208 {
			e.Kind = "not-found"
		}
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind = "timeout"
		e.Message = fmt.Sprintf("%s: no answer within queryTimeout (%s): raise queryTimeout in the plan's source or target section", q.Marker, s.cfg.QueryTimeout)
	case errors.Is(err, context.Canceled):
		e.Kind = "canceled"
		e.Message = q.Marker + ": canceled"
	default:
		e.Message = fmt.Sprintf("%s: %v", q.Marker, err)
	}
	e.Message = scrub(e.Message, s.cfg.secrets()...)
	return e
}

// fail records a sub-source failure once per source.
func (s *session) fail(e facts.SourceError) {
	for _, old := range s.errs {
		if old.Source == e.Source {
			return
		}
	}
	s.errs = append(s.errs, e)
}

// run executes q (text already filled) and hands each row's values to row.
func (s *session) run(ctx context.Context, q Query, text string, row func(scan func(...any) error) error, args ...any) error {
	if s.cfg.QueryTimeout > 0 {
		var cancel func()
		ctx, cancel = context.WithTimeout(ctx, s.cfg.QueryTimeout)
		defer cancel()
	}
	err := s.query(ctx, text, row, args...)
	// The driver does not always wrap the context's error: a query that
	// ran out of its time is a timeout whatever the driver says.
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	}
	return err
}

func (s *session) query(ctx context.Context, text string, row func(scan func(...any) error) error, args ...any) error {
	rows, err := s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Close reads what is left of the reply: an error there (after the
	// first result set ended) means the rows read are no complete answer.
	return rows.Close()
}

// names runs a one-column query.
func (s *session) names(ctx context.Context, q Query) ([]string, error) {
	out := []string{}
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var n sql.NullString
		if err := scan(&n); err != nil {
			return err
		}
		if n.Valid {
			out = append(out, n.String)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Collect reads the source server. A connection or login failure returns nil
// facts and one SrcServer error; a failed sub-query fails only its source.
func Collect(ctx context.Context, cfg Config) (*facts.Server, []facts.SourceError) {
	s, ferr := open(ctx, cfg, facts.SrcServer)
	if ferr != nil {
		return nil, []facts.SourceError{*ferr}
	}
	defer s.db.Close()
	srv := &facts.Server{}
	q := query("dmsready:server")
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var name, ver, ed, coll, login sql.NullString
		var eng sql.NullInt64
		if err := scan(&name, &ver, &ed, &eng, &coll, &login); err != nil {
			return err
		}
		srv.Name, srv.Version, srv.Edition, srv.EngineEdition, srv.Collation = name.String, ver.String, ed.String, int(eng.Int64), coll.String
		srv.Login = login.String
		return nil
	})
	if err != nil {
		e := s.queryError(q, err)
		return nil, []facts.SourceError{e}
	}
	srv.Major = majorOf(srv.Version)
	if srv.Major == 0 {
		return nil, []facts.SourceError{{Source: facts.SrcServer, Kind: "other", Message: fmt.Sprintf("server reported product version %q, which dmsready cannot read", srv.Version)}}
	}
	s.major = srv.Major
	if s.major < 10 {
		// The catalog views dmsready reads need 2008; DMS does not take older sources either.
		return srv, []facts.SourceError{{Source: facts.SrcDatabases, Kind: "other", Message: fmt.Sprintf("SQL Server %s is older than 2008: nothing more is read", srv.Version)}}
	}
	perms, ok := s.permissions(ctx)
	if !ok {
		return srv, s.errs
	}
	s.databases(ctx, srv, perms)
	s.filegroups(ctx, srv)
	s.encryption(ctx, srv, perms)
	s.backupHistory(ctx, srv)
	s.tables(ctx, srv, perms)
	s.objects(ctx, srv, perms)
	return srv, s.errs
}

// perms is what HAS_PERMS_BY_NAME said; a NULL answer counts as held, so
// that an unanswerable probe never hides data the query itself may still
// return. secState is VIEW SERVER SECURITY STATE (2022+), which VIEW SERVER
// STATE implies there.
type perms struct{ anyDef, state, anyDB, linked, secState bool }

// permissions probes what the login holds. Several catalog views hide rows
// instead of failing when a permission is missing, so a probe that itself
// fails (timeout, dropped connection) makes the whole source an error:
// nothing read after it could be told complete.
func (s *session) permissions(ctx context.Context) (perms, bool) {
	p := perms{anyDef: true, state: true, anyDB: true, linked: true, secState: true}
	q := pick("dmsready:permissions", s.major)
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var a, st, db, ln, sec sql.NullInt64
		if err := scan(&a, &st, &db, &ln, &sec); err != nil {
			return err
		}
		held := func(v sql.NullInt64) bool { return !v.Valid || v.Int64 == 1 }
		p.anyDef, p.state, p.anyDB, p.linked, p.secState = held(a), held(st), held(db), held(ln), held(sec)
		return nil
	})
	if err != nil {
		s.fail(s.queryError(q, err))
		return p, false
	}
	return p, true
}

func denied(src facts.Source, perm, what string) facts.SourceError {
	return facts.SourceError{Source: src, Kind: "permission", Permission: perm,
		Message: fmt.Sprintf("the login lacks %s, so %s cannot be read completely", perm, what)}
}

func majorOf(v string) int {
	i := strings.IndexByte(v, '.')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(v[:i])
	if err != nil {
		return 0
	}
	return n
}

func (s *session) databases(ctx context.Context, srv *facts.Server, p perms) {
	q := pick("dmsready:databases", s.major)
	var dbs []facts.Database
	byID := map[int64]int{}
	s.ids = map[int64]string{}
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var id, compat sql.NullInt64
		var name, state, rec, cont, ag, agPref sql.NullString
		var enc, inAG sql.NullBool
		if err := scan(&id, &name, &state, &rec, &compat, &enc, &cont, &ag, &agPref, &inAG); err != nil {
			return err
		}
		byID[id.Int64] = len(dbs)
		s.ids[id.Int64] = name.String
		dbs = append(dbs, facts.Database{Name: name.String, State: state.String, RecoveryModel: rec.String,
			CompatibilityLevel: int(compat.Int64), Encrypted: enc.Bool, Containment: cont.String, AvailabilityGroup: ag.String,
			AGBackupPreference: agPref.String, InAvailabilityGroup: inAG.Bool || ag.String != ""})
		return nil
	})
	if err != nil {
		s.fail(s.queryError(q, err))
		return
	}
	if dbs == nil {
		dbs = []facts.Database{}
	}
	srv.Databases = dbs
	if !p.anyDB {
		// The databases seen are real, but others may be hidden: "not on the
		// source" cannot be decided.
		s.fail(facts.SourceError{Source: facts.SrcDatabaseList, Kind: "permission", Permission: permAnyDB,
			Message: "the login lacks VIEW ANY DATABASE, so sys.databases shows only the databases it owns or is a user of: a database missing from the list may still be on the server"})
	}
	if !p.anyDef {
		// Sizes stay unknown (Files nil): without VIEW ANY DEFINITION
		// sys.master_files shows only some databases.
		s.fail(denied(facts.SrcFiles, permAnyDef, "database files and sizes (sys.master_files)"))
		return
	}
	q = query("dmsready:files")
	files := map[int][]facts.DatabaseFile{}
	// master, model and msdb (database_id 1, 3, 4) by their fixed ids.
	system := map[int64]*facts.Database{1: {Name: "master"}, 3: {Name: "model"}, 4: {Name: "msdb"}}
	err = s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var id, fid, pages sql.NullInt64
		var typ, name, phys sql.NullString
		if err := scan(&id, &fid, &typ, &name, &phys, &pages); err != nil {
			return err
		}
		f := facts.DatabaseFile{FileID: int(fid.Int64), LogicalName: name.String, PhysicalName: phys.String, Type: typ.String, SizeBytes: pages.Int64 * 8192}
		if sd := system[id.Int64]; sd != nil {
			sd.Files = append(sd.Files, f)
			return nil
		}
		i, ok := byID[id.Int64]
		if !ok {
			return nil
		}
		files[i] = append(files[i], f)
		return nil
	})
	if err != nil {
		// Sizes unknown, the database list still stands; the checks that
		// need files and sizes report the error.
		s.fail(s.queryError(q, err))
		return
	}
	for i := range srv.Databases {
		d := &srv.Databases[i]
		d.Files = files[i]
		if d.Files == nil {
			d.Files = []facts.DatabaseFile{}
		}
		sumSizes(d)
	}
	// All three or none: a partial set would understate the instance's own.
	sys := []facts.Database{}
	for _, id := range []int64{1, 3, 4} {
		if system[id].Files == nil {
			return
		}
		sumSizes(system[id])
		sys = append(sys, *system[id])
	}
	srv.SystemDatabases = sys
}

// sumSizes adds up a database's data and log files.
func sumSizes(d *facts.Database) {
	for _, f := range d.Files {
		switch f.Type {
		case "LOG":
			d.LogBytes += f.SizeBytes
		case "ROWS":
			d.DataBytes += f.SizeBytes
		}
	}
}

// filegroups reads the filegroup type of each FILESTREAM-type file, in the
// databases that have any: FILESTREAM data and In-Memory OLTP containers
// look alike in sys.master_files. A database not read keeps the types empty
// and says why.
func (s *session) filegroups(ctx context.Context, srv *facts.Server) {
	q := query("dmsready:filegroups")
	// A cancel, or two timeouts in a row: the rest are not asked. One
	// timeout is one database's (a lock held there), as in tables.
	stop, timeouts := "", 0
	for i := range srv.Databases {
		d := &srv.Databases[i]
		if !hasFilestream(d) {
			continue
		}
		switch {
		case stop != "":
			d.FilegroupsError, d.FilegroupsFailed = stop, true
			continue
		case !s.selected(d.Name):
			d.FilegroupsError = "not among the databases selected for collection"
			continue
		case d.State != "" && d.State != "ONLINE":
			d.FilegroupsError = "database is " + d.State
			continue
		}
		types := map[int]string{}
		err := s.run(ctx, q, q.forDB(d.Name), func(scan func(...any) error) error {
			var id sql.NullInt64
			var typ sql.NullString
			if err := scan(&id, &typ); err != nil {
				return err
			}
			if id.Valid && typ.Valid {
				types[int(id.Int64)] = strings.TrimSpace(typ.String)
			}
			return nil
		})
		if err != nil {
			e := s.queryError(q, err)
			msg := e.Message
			if e.Permission != "" {
				msg += " (needs " + e.Permission + ")"
			}
			d.FilegroupsError, d.FilegroupsFailed = msg, true
			if e.Kind == "timeout" {
				timeouts++
			} else {
				timeouts = 0
			}
			if e.Kind == "canceled" || timeouts == 2 {
				stop = "not asked: " + msg
			}
			continue
		}
		timeouts = 0
		var missing []string
		for j := range d.Files {
			if f := &d.Files[j]; f.Type == "FILESTREAM" {
				f.FilegroupType = types[f.FileID]
				if f.FilegroupType == "" {
					missing = append(missing, f.LogicalName)
				}
			}
		}
		if len(missing) > 0 {
			d.FilegroupsError = "the database's sys.database_files and sys.filegroups gave no filegroup type for " + strings.Join(missing, ", ")
		}
	}
}

func hasFilestream(d *facts.Database) bool {
	for _, f := range d.Files {
		if f.Type == "FILESTREAM" {
			return true
		}
	}
	return false
}

func (s *session) encryption(ctx context.Context, srv *facts.Server, p perms) {
	if srv.Databases == nil {
		return
	}
	// On 2022+ VIEW SERVER SECURITY STATE is enough for the keys, and VIEW
	// SERVER STATE implies it; before, VIEW SERVER STATE is needed.
	if s.major >= 16 && !p.secState {
		s.fail(denied(facts.SrcEncryption, "VIEW SERVER SECURITY STATE (or VIEW SERVER STATE)", "database encryption keys"))
		return
	}
	if s.major < 16 && !p.state {
		s.fail(denied(facts.SrcEncryption, permState, "database encryption keys"))
		return
	}
	if !p.anyDef {
		s.fail(denied(facts.SrcEncryption, permAnyDef, "certificates in master"))
		return
	}
	idx := map[string]int{}
	for i, d := range srv.Databases {
		idx[d.Name] = i
	}
	q := pick("dmsready:encryption-keys", s.major)
	type key struct {
		state       int
		thumb, kind string
	}
	keys := map[int64]key{}
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var id, st sql.NullInt64
		var th, kind sql.NullString
		if err := scan(&id, &st, &th, &kind); err != nil {
			return err
		}
		keys[id.Int64] = key{int(st.Int64), th.String, strings.ToUpper(strings.TrimSpace(kind.String))}
		return nil
	})
	if err != nil {
		s.fail(s.queryError(q, err))
		return
	}
	for id, k := range keys {
		i, ok := idx[s.ids[id]]
		if !ok {
			continue
		}
		st := k.state
		srv.Databases[i].EncryptionState = &st
		srv.Databases[i].EncryptorThumbprint = strings.ToUpper(k.thumb)
		srv.Databases[i].EncryptorType = k.kind
	}
	q = pick("dmsready:certificates", s.major)
	certs := []facts.Certificate{}
	err = s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var name, th sql.NullString
		var bak, exp sql.NullTime
		if err := scan(&name, &th, &bak, &exp); err != nil {
			return err
		}
		c := facts.Certificate{Name: name.String, Thumbprint: strings.ToUpper(th.String), PrivateKeyBackupKnown: s.major >= 11}
		if bak.Valid {
			t := bak.Time.UTC()
			c.PrivateKeyLastBackup = &t
		}
		if exp.Valid {
			t := exp.Time.UTC()
			c.Expiry = &t
		}
		certs = append(certs, c)
		return nil
	})
	if err != nil {
		s.fail(s.queryError(q, err))
		return
	}
	srv.Certificates = certs
}

// selected reports whether per-database queries should read d.
func (s *session) selected(name string) bool {
	if len(s.cfg.Databases) == 0 {
		return true
	}
	for _, n := range s.cfg.Databases {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func (s *session) backupHistory(ctx context.Context, srv *facts.Server) {
	if srv.Databases == nil {
		return
	}
	q := pick("dmsready:backup-history", s.major)
	hist := []facts.BackupHistory{}
	for i := range srv.Databases {
		d := &srv.Databases[i]
		if !s.selected(d.Name) {
			continue
		}
		last := int64(-1)
		err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
			var id, dev, other sql.NullInt64
			var typ, first, lastLSN, ckpt, dbLSN, encTh, uuid, phys, fork, dbGUID, curGUID sql.NullString
			var start, finish sql.NullTime
			var sums, copyOnly, damaged, comp, snap sql.NullBool
			if err := scan(&id, &typ, &start, &finish, &first, &lastLSN, &ckpt, &dbLSN, &sums, &copyOnly, &damaged, &comp, &encTh, &uuid, &dev, &phys, &other, &fork, &snap, &dbGUID, &curGUID); err != nil {
				return err
			}
			if curGUID.Valid {
				d.DatabaseGUID = strings.ToUpper(curGUID.String)
			}
			if id.Int64 == last && len(hist) > 0 {
				// Another media family of the same (striped) backup.
				h := &hist[len(hist)-1]
				if phys.Valid {
					h.PhysicalDevices = append(h.PhysicalDevices, phys.String)
				}
				return nil
			}
			last = id.Int64
			h := facts.BackupHistory{Database: d.Name, Type: facts.HistoryType(typ.String), HasChecksums: sums.Bool, IsCopyOnly: copyOnly.Bool,
				IsDamaged: damaged.Bool, Compressed: comp.Bool, EncryptorThumbprint: strings.ToUpper(encTh.String),
				DeviceType: int(dev.Int64), BackupSetGUID: strings.ToUpper(uuid.String),
				OtherServer: other.Int64 == 1, RecoveryForkGUID: strings.ToUpper(fork.String), ChecksumsUnknown: !sums.Valid, IsSnapshot: snap.Bool,
				DatabaseGUID: strings.ToUpper(dbGUID.String)}
			if phys.Valid {
				h.PhysicalDevices = []string{phys.String}
			}
			if start.Valid {
				t := start.Time.UTC()
				h.Start = &t
			}
			if finish.Valid {
				t := finish.Time.UTC()
				h.Finish = &t
			}
			for _, l := range []struct {
				s   sql.NullString
				dst *facts.LSN
			}{{first, &h.FirstLSN}, {lastLSN, &h.LastLSN}, {ckpt, &h.CheckpointLSN}, {dbLSN, &h.DatabaseBackupLSN}} {
				v, err := facts.ParseLSN(strings.TrimSpace(l.s.String))
				if err != nil {
					return fmt.Errorf("backup_set_id %d: %w", id.Int64, err)
				}
				*l.dst = v
			}
			hist = append(hist, h)
			return nil
		}, d.Name)
		if err != nil {
			s.fail(s.queryError(q, err))
			return
		}
	}
	srv.BackupHistory = hist
}

func (s *session) tables(ctx context.Context, srv *facts.Server, p perms) {
	if srv.Databases == nil {
		return
	}
	if !p.anyDef {
		s.fail(denied(facts.SrcTables, permTables, "table and column lists"))
		return
	}
	tq, lq := query("dmsready:tables"), query("dmsready:lob-columns")
	// A timeout is one database's (a schema lock held there): the next
	// database is still asked. Two in a row say the server itself is not
	// answering, and the rest are not asked, each marked failed.
	stop, timeouts := "", 0
	for i := range srv.Databases {
		d := &srv.Databases[i]
		switch {
		case stop != "" && s.selected(d.Name) && (d.State == "" || d.State == "ONLINE"):
			d.TablesError, d.TablesFailed = stop, true
			continue
		case !s.selected(d.Name):
			d.TablesError = "not among the databases selected for collection"
			continue
		case d.State != "" && d.State != "ONLINE":
			d.TablesError = "database is " + d.State
			continue
		}
		st := &facts.TableStats{}
		failed := tq
		err := s.run(ctx, tq, tq.forDB(d.Name), func(scan func(...any) error) error {
			var sch, name sql.NullString
			if err := scan(&sch, &name); err != nil {
				return err
			}
			st.Count++
			if !isASCII(name.String) || !isASCII(sch.String) {
				st.NonASCIINames = append(st.NonASCIINames, sch.String+"."+name.String)
			}
			return nil
		})
		if err == nil {
			failed = lq
			err = s.run(ctx, lq, lq.forDB(d.Name), func(scan func(...any) error) error {
				var sch, tbl, col, typ sql.NullString
				var lob sql.NullInt64
				if err := scan(&sch, &tbl, &col, &typ, &lob); err != nil {
					return err
				}
				st.LOBColumns = append(st.LOBColumns, facts.LOBColumn{Table: sch.String + "." + tbl.String, Column: col.String, Type: typ.String, TableLOBBytes: lob.Int64})
				return nil
			})
		}
		if err != nil {
			e := s.queryError(failed, err)
			if e.Kind == "canceled" {
				s.fail(e)
				return
			}
			d.TablesError, d.TablesFailed = e.Message, true
			if e.Permission != "" {
				d.TablesError += " (needs " + e.Permission + ")"
			}
			if e.Kind == "timeout" {
				if timeouts++; timeouts == 2 {
					stop = "not asked: the table queries of two databases in a row timed out, the last in " + d.Name + " (" + e.Message + ")"
				}
			} else {
				timeouts = 0
			}
			continue
		}
		timeouts = 0
		sort.Strings(st.NonASCIINames)
		d.Tables = st
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func (s *session) objects(ctx context.Context, srv *facts.Server, p perms) {
	if !p.anyDef {
		s.fail(denied(facts.SrcServerObjects, permAnyDef, "logins, server roles, credentials, audits and linked servers"))
	}
	o := &objects{ServerObjects: &facts.ServerObjects{}}
	get := func(marker string, dst *[]string) {
		q := query(marker)
		if q.Source == facts.SrcServerObjects && !p.anyDef {
			return
		}
		v, err := s.names(ctx, q)
		if err != nil {
			e := s.queryError(q, err)
			s.fail(e)
			return
		}
		*dst = v
	}
	get("dmsready:logins", &o.Logins)
	o.Logins = dropDefaults(o.Logins, func(n string) bool { return defaultLogin(n, srv.Login, srv.Collation) })
	if s.major >= 11 {
		get("dmsready:server-roles", &o.ServerRoles)
		o.ServerRoles = dropDefaults(o.ServerRoles, builtinName)
	} else {
		o.ServerRoles = []string{} // user-defined server roles arrived in 2012
	}
	get("dmsready:credentials", &o.Credentials)
	o.Credentials = dropDefaults(o.Credentials, builtinName)
	get("dmsready:audits", &o.Audits)
	if p.linked || !p.anyDef {
		get("dmsready:linked-servers", &o.LinkedServers)
	} else {
		// sys.servers shows a login only the linked servers it is mapped
		// to: a partial list would read as "no linked servers".
		o.unread("linkedServers", "not read: without "+permLinked+" sys.servers shows only the linked servers the login is mapped to (needs "+permLinked+")")
	}
	get("dmsready:agent-jobs", &o.AgentJobs)
	o.AgentJobs = dropDefaults(o.AgentJobs, defaultJob)
	// sysssispackages can be denied on its own (a DENY on the table):
	// failing it leaves only the SSIS list unread, not the backup history
	// that shares its source.
	q := query("dmsready:ssis-msdb")
	pk, err := s.names(ctx, q)
	if err != nil {
		e := s.queryError(q, err)
		if e.Permission != "" {
			e.Message += " (needs " + e.Permission + ")"
		}
		o.unread("ssisPackages", e.Message)
	}
	pk = dropDefaults(pk, defaultPackage)
	if pk != nil && s.major >= 11 && !hasDB(srv, "SSISDB") && (srv.Databases == nil || !p.anyDB) {
		// SSISDB may exist unseen: without the list, or without VIEW ANY
		// DATABASE, its absence from sys.databases proves nothing.
		why := "the database list is incomplete (needs " + permAnyDB + ")"
		if srv.Databases == nil {
			why = "the database list could not be read"
		}
		o.unread("ssisPackages", "the SSISDB catalog was not read: "+why+", so whether SSISDB exists is unknown")
		pk = nil
	}
	if pk != nil && s.major >= 11 && hasDB(srv, "SSISDB") {
		if why := s.ssisAdmin(ctx); why != "" {
			o.unread("ssisPackages", why)
			pk = nil
		}
	}
	if pk != nil && s.major >= 11 && hasDB(srv, "SSISDB") {
		// SSISDB access is its own grant: failing it leaves only the SSIS list unread.
		q = query("dmsready:ssis-catalog")
		cat, err := s.names(ctx, q)
		if err != nil {
			e := s.queryError(q, err)
			if e.Permission != "" {
				e.Message += " (needs " + e.Permission + ")"
			}
			o.unread("ssisPackages", e.Message)
			pk = nil
		}
		for _, c := range cat {
			pk = append(pk, "SSISDB/"+c)
		}
	}
	o.SSISPackages = pk
	srv.Objects = o.ServerObjects
}

// ssisAdmin says why the SSISDB catalog cannot be read whole, or "" when
// it can: its views show a login that is neither sysadmin nor in
// ssis_admin only the projects it may READ, and no error.
func (s *session) ssisAdmin(ctx context.Context) string {
	q := query("dmsready:ssis-admin")
	var sa, admin sql.NullInt64
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error { return scan(&sa, &admin) })
	if err != nil {
		e := s.queryError(q, err)
		if e.Permission != "" {
			e.Message += " (needs " + e.Permission + ")"
		}
		return e.Message
	}
	if sa.Int64 == 1 || admin.Int64 > 0 {
		return ""
	}
	return "the SSISDB catalog was not read: its views show a login that is neither sysadmin nor in ssis_admin only the projects it may READ, " +
		"so the package list would be incomplete (needs ssis_admin in SSISDB; membership through a Windows group is not seen)"
}

// objects is the facts being filled, with a helper for lists left unread.
type objects struct{ *facts.ServerObjects }

func (o objects) unread(field, why string) {
	if o.Unread == nil {
		o.Unread = map[string]string{}
	}
	o.Unread[field] = why
}

// dropDefaults removes the names every default install has; a nil list
// (not read) stays nil.
func dropDefaults(names []string, isDefault func(string) bool) []string {
	if names == nil {
		return nil
	}
	out := []string{}
	for _, n := range names {
		if !isDefault(n) {
			out = append(out, n)
		}
	}
	return out
}

// builtinName is a name SQL Server creates itself: ##MS_PolicyEventProcessingLogin##,
// ##MS_AgentSigningCertificate##, the ##MS_…## server roles of 2022, the
// ##xp_cmdshell_proxy_account## credential.
func builtinName(n string) bool { return strings.HasPrefix(n, "##") }

// defaultLogin is a login of a default install, or the one dmsready uses.
// The default names are Windows accounts and ##…## names, compared
// case-insensitively whatever the server's collation (a Windows account is
// one login whatever its case: the SID decides). dmsready's own is compared
// by the server's collation when it is no Windows account: on a
// case-sensitive server dmsready and DMSREADY are two SQL logins.
func defaultLogin(n, self, collation string) bool {
	u := strings.ToUpper(n)
	for _, p := range []string{`NT SERVICE\`, `NT AUTHORITY\`, `BUILTIN\`} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	// 2005/2008 (R2) setup without service SIDs: local groups such as
	// HOST\SQLServerMSSQLUser$HOST$MSSQLSERVER and
	// HOST\SQLServer2005SQLAgentUser$HOST$MSSQLSERVER.
	if _, g, ok := strings.Cut(u, `\`); ok && strings.HasPrefix(g, "SQLSERVER") && strings.Contains(g, "USER$") {
		return true
	}
	if self == "" {
		return builtinName(n)
	}
	if strings.Contains(self, `\`) {
		return builtinName(n) || strings.EqualFold(n, self)
	}
	return builtinName(n) || sameName(n, self, collation)
}

// sameName compares two names of instance-level objects (database names,
// SQL logins) as the server does: they follow the server's collation
// (Microsoft, "Database identifiers"). A _CS_ or binary (_BIN, _BIN2)
// collation tells names differing in case apart; a Turkish or Azeri
// case-insensitive one folds case but keeps i and I apart (dotted and
// dotless i are different letters there). An unknown collation (NULL)
// folds case, as most servers do.
func sameName(a, b, collation string) bool {
	if caseSensitive(collation) {
		return a == b
	}
	u := strings.ToUpper(collation)
	if strings.HasPrefix(u, "TURKISH_") || strings.HasPrefix(u, "AZERI_") {
		return strings.ToUpperSpecial(unicode.TurkishCase, a) == strings.ToUpperSpecial(unicode.TurkishCase, b)
	}
	return strings.EqualFold(a, b)
}

// caseSensitive reports a collation name with CS or a binary sort among
// its parts: Latin1_General_100_CS_AS, SQL_Latin1_General_CP1_CS_AS,
// Latin1_General_BIN2.
func caseSensitive(collation string) bool {
	for _, p := range strings.Split(strings.ToUpper(collation), "_") {
		switch p {
		case "CS", "BIN", "BIN2":
			return true
		}
	}
	return false
}

// defaultJob: the policy-history purge job that setup creates.
func defaultJob(n string) bool { return strings.EqualFold(n, "syspolicy_purge_history") }

// dataCollectorPackages are the SSIS packages setup stores in msdb for the
// Data Collector.
var dataCollectorPackages = []string{
	"PerfCountersCollect", "PerfCountersUpload", "QueryActivityCollect", "QueryActivityUpload",
	"SqlTraceCollect", "SqlTraceUpload", "TSQLQueryCollect", "TSQLQueryUpload",
}

func defaultPackage(n string) bool {
	for _, d := range dataCollectorPackages {
		if strings.EqualFold(n, d) {
			return true
		}
	}
	return false
}

// hasDB reports a database of that name, compared by the server's
// collation: on a case-sensitive server a user database ssisdb is not the
// SSIS catalog SSISDB.
func hasDB(srv *facts.Server, name string) bool {
	for _, d := range srv.Databases {
		if sameName(d.Name, name, srv.Collation) {
			return true
		}
	}
	return false
}

// CollectTarget reads the optional live target: its version, the databases
// named (or all, when none are), its certificates and, on Managed Instance,
// its storage.
func CollectTarget(ctx context.Context, cfg Config, databases []string) (*facts.TargetServer, []facts.SourceError) {
	cfg.target = true
	s, ferr := open(ctx, cfg, facts.SrcTarget)
	if ferr != nil {
		return nil, []facts.SourceError{*ferr}
	}
	defer s.db.Close()
	t := &facts.TargetServer{}
	q := query("dmsready:target-server")
	err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
		var ver sql.NullString
		var eng sql.NullInt64
		if err := scan(&ver, &eng); err != nil {
			return err
		}
		t.Version, t.EngineEdition = ver.String, int(eng.Int64)
		return nil
	})
	if err != nil {
		return nil, []facts.SourceError{s.queryError(q, err)}
	}
	t.Major = majorOf(t.Version)
	want := map[string]bool{}
	for _, d := range databases {
		want[strings.ToLower(d)] = true
	}
	// sys.databases and sys.certificates hide what the login may not see
	// instead of failing: probe first, so that "not on the target" is
	// never read from a partial list.
	anyDef, anyDB := true, true
	pq := query("dmsready:target-permissions")
	err = s.run(ctx, pq, pq.SQL, func(scan func(...any) error) error {
		var a, d sql.NullInt64
		if err := scan(&a, &d); err != nil {
			return err
		}
		anyDef, anyDB = !a.Valid || a.Int64 == 1, !d.Valid || d.Int64 == 1
		return nil
	})
	if err != nil {
		e := s.queryError(pq, err)
		e.Source = facts.SrcTarget
		return nil, []facts.SourceError{e}
	}
	var errs []facts.SourceError
	if !anyDB {
		errs = append(errs, facts.SourceError{Source: facts.SrcTargetDBs, Kind: "permission", Permission: permAnyDB,
			Message: "the target login lacks VIEW ANY DATABASE, so sys.databases may hide databases already on the target"})
	} else if names, err := s.names(ctx, query("dmsready:target-databases")); err != nil {
		errs = append(errs, s.queryError(query("dmsready:target-databases"), err))
	} else {
		t.Databases = []string{}
		for _, n := range names {
			if len(want) == 0 || want[strings.ToLower(n)] {
				t.Databases = append(t.Databases, n)
			}
		}
	}
	if !anyDef {
		errs = append(errs, facts.SourceError{Source: facts.SrcTargetCerts, Kind: "permission", Permission: permAnyDef,
			Message: "the target login lacks VIEW ANY DEFINITION, so sys.certificates shows no certificates it does not own: whether the TDE certificates are there is unknown"})
	} else if thumbs, err := s.names(ctx, query("dmsready:target-certificates")); err != nil {
		errs = append(errs, s.queryError(query("dmsready:target-certificates"), err))
	} else {
		for i := range thumbs {
			thumbs[i] = strings.ToUpper(thumbs[i])
		}
		t.CertificateThumbprints = thumbs
	}
	if t.EngineEdition == 8 { // Managed Instance
		q := query("dmsready:target-storage")
		// A failure leaves StorageKnown false and is recorded: DMS504 is
		// then an error naming the permission, not a skip.
		err := s.run(ctx, q, q.SQL, func(scan func(...any) error) error {
			var used, limit sql.NullInt64
			if err := scan(&used, &limit); err != nil {
				return err
			}
			if used.Valid && limit.Valid {
				t.StorageUsedMB, t.StorageLimitMB, t.StorageKnown = used.Int64, limit.Int64, true
			}
			return nil
		})
		if err != nil {
			errs = append(errs, s.queryError(q, err))
		}
	}
	return t, errs
}
