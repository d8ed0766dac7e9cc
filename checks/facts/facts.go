package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// SchemaVersion is bumped on any incompatible change to the JSON form.
const SchemaVersion = 1

// Facts is everything one run collected.
type Facts struct {
	SchemaVersion int `json:"schemaVersion"`
	// CollectedAt is the clock reading checks use as "now" (checks read no clock).
	CollectedAt time.Time    `json:"collectedAt"`
	Plan        ResolvedPlan `json:"plan"`
	// Server is the source SQL Server; nil when no source was given or reachable.
	Server *Server `json:"server,omitempty"`
	// Storage is the backup container or share; nil when none was given.
	Storage *Storage `json:"storage,omitempty"`
	// Target is the optional live target connection.
	Target *TargetServer `json:"target,omitempty"`
	// Azure is what Azure Resource Manager said, when the plan has an azure section.
	Azure *Azure `json:"azure,omitempty"`
	// Errors are collector failures, one per source (or sub-source) that failed.
	Errors []SourceError `json:"errors,omitempty"`
}

// Source names a part of the facts. A check lists the sources it needs; the
// runner turns a missing source into skip and a failed one into error.
// Sub-sources are dotted: an error on "server" covers "server.msdb".
type Source string

const (
	SrcPlan      Source = "plan"
	SrcServer    Source = "server"           // version, edition, collation
	SrcDatabases Source = "server.databases" // sys.databases, sys.master_files
	// SrcDatabaseList is the promise that the database list is complete:
	// without VIEW ANY DATABASE sys.databases silently hides databases.
	SrcDatabaseList  Source = "server.databases.list"
	SrcFiles         Source = "server.databases.files" // sys.master_files: file layout and sizes
	SrcEncryption    Source = "server.encryption"      // DEKs and master certificates
	SrcBackupHistory Source = "server.msdb"            // msdb backup history
	SrcTables        Source = "server.tables"          // per-database table and column stats
	SrcServerObjects Source = "server.objects"         // logins, jobs, credentials ...
	SrcStorage       Source = "storage"                // container or share listing
	SrcBackups       Source = "backups"                // headers read from backup files
	SrcTarget        Source = "target"                 // live target connection
	SrcTargetCerts   Source = "target.certificates"    // the live target's certificates in master
	SrcTargetDBs     Source = "target.databases"       // the live target's database names
	SrcTargetStorage Source = "target.storage"         // a live Managed Instance's storage use
	SrcAzure         Source = "azure"                  // Azure Resource Manager
	SrcAzureStorage  Source = "azure.storage"          // the storage account's network rules
	SrcAzureTarget   Source = "azure.target"           // Managed Instance, SQL VM or logical server
	SrcAzureDMS      Source = "azure.dms"              // the DMS service and its integration runtime
)

// Covers reports whether an error on s also breaks sub, e.g. "server" covers
// "server.msdb".
func (s Source) Covers(sub Source) bool {
	return s == sub || strings.HasPrefix(string(sub), string(s)+".")
}

// SourceError is one collector failure.
type SourceError struct {
	Source Source `json:"source"`
	// Kind is a stable word (the Err constants).
	Kind    ErrorKind `json:"kind"`
	Message string    `json:"message"`
	// Permission names what is missing when Kind is "permission".
	Permission string `json:"permission,omitempty"`
}

func (e SourceError) Error() string {
	if e.Permission != "" {
		return fmt.Sprintf("%s: %s (needs %s)", e.Source, e.Message, e.Permission)
	}
	return fmt.Sprintf("%s: %s", e.Source, e.Message)
}

// ErrorFor returns the first collector error that covers s, or nil.
func (f *Facts) ErrorFor(s Source) *SourceError {
	for i := range f.Errors {
		if f.Errors[i].Source.Covers(s) {
			return &f.Errors[i]
		}
	}
	return nil
}

// AddError records a collector failure.
func (f *Facts) AddError(e SourceError) { f.Errors = append(f.Errors, e) }

// Has reports whether source s was collected.
func (f *Facts) Has(s Source) bool {
	switch s {
	case SrcPlan:
		return true
	case SrcServer:
		return f.Server != nil
	case SrcDatabases, SrcDatabaseList:
		return f.Server != nil && f.Server.Databases != nil
	case SrcFiles:
		if f.Server == nil || f.Server.Databases == nil {
			return false
		}
		for _, d := range f.Server.Databases {
			if d.Files == nil {
				return false
			}
		}
		return true
	case SrcEncryption:
		return f.Server != nil && f.Server.Certificates != nil && f.Server.Databases != nil
	case SrcBackupHistory:
		return f.Server != nil && f.Server.BackupHistory != nil
	case SrcTables:
		if f.Server == nil || f.Server.Databases == nil {
			return false
		}
		for _, d := range f.Server.Databases {
			// A failed read counts: its checks report the error per database.
			if d.Tables != nil || d.TablesFailed {
				return true
			}
		}
		return len(f.Server.Databases) == 0
	case SrcServerObjects:
		return f.Server != nil && f.Server.Objects != nil
	case SrcStorage:
		return f.Storage != nil && f.Storage.Files != nil
	case SrcBackups:
		if f.Storage == nil || f.Storage.Files == nil {
			return false
		}
		return f.Storage.HeadersRead
	case SrcTarget:
		return f.Target != nil
	case SrcTargetStorage:
		return f.Target != nil && f.Target.StorageKnown
	case SrcTargetDBs:
		return f.Target != nil && f.Target.Databases != nil
	case SrcTargetCerts:
		return f.Target != nil && f.Target.CertificateThumbprints != nil
	case SrcAzure:
		return f.Azure != nil
	case SrcAzureStorage:
		return f.Azure != nil && f.Azure.Storage != nil
	case SrcAzureTarget:
		return f.Azure != nil && (f.Azure.ManagedInstance != nil || f.Azure.SQLVM != nil || f.Azure.SQLServer != nil)
	case SrcAzureDMS:
		return f.Azure != nil && f.Azure.DMS != nil
	}
	return false
}

// Read decodes a facts file, refusing other schema versions and files
// larger than MaxFileSize (a *TooLargeError).
//
// A file written by 'dmsready collect' starts with its schemaVersion: Read
// checks it from the first bytes, then decodes the stream once (stream.go),
// the storage's files in 1 MiB windows on every core by a decoder without
// reflection (fastfile.go), so memory holds the facts and never the file.
// What that decoder does not take, encoding/json decodes, so results and
// error messages are encoding/json's. A file whose first key is not
// schemaVersion (edited by hand or another tool) is read whole and decoded
// the slow way.
func Read(r io.Reader) (*Facts, error) {
	// A file (not a pipe) can be read again: the files array is then cut
	// by its indentation, and read again the exact way in the rare case
	// (a file indented by hand) where that cut proves wrong.
	start := int64(-1)
	sk, ok := r.(io.Seeker)
	if ok {
		if off, err := sk.Seek(0, io.SeekCurrent); err == nil {
			start = off
		}
	}
	br := bufio.NewReaderSize(&limitReader{r: r, left: maxSize, limit: maxSize}, 64<<10)
	f, err := read(br, start >= 0)
	if errors.Is(err, errMisaligned) {
		if _, err = sk.Seek(start, io.SeekStart); err == nil {
			br = bufio.NewReaderSize(&limitReader{r: r, left: maxSize, limit: maxSize}, 64<<10)
			f, err = read(br, false)
		}
	}
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, tl
		}
		return nil, fmt.Errorf("facts: %w", err)
	}
	return f, nil
}

func read(br *bufio.Reader, byIndent bool) (*Facts, error) {
	if !versionFirst(br) {
		return readWhole(br)
	}
	return readStream(br, byIndent)
}

// versionFirst reports whether the input starts with {"schemaVersion" (after
// white space), as every file 'dmsready collect' writes does.
func versionFirst(br *bufio.Reader) bool {
	b, _ := br.Peek(4096)
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	return bytes.HasPrefix(b, []byte(`"schemaVersion"`))
}

func checkVersion(raw json.RawMessage) error {
	if raw == nil {
		return fmt.Errorf("no schemaVersion: not a facts file written by 'dmsready collect'")
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("schemaVersion %s is not a number", raw)
	}
	if v != SchemaVersion {
		return fmt.Errorf("schema version %d, this dmsready reads %d: collect again with this dmsready, or check with the one that collected", v, SchemaVersion)
	}
	return nil
}

// readWhole is the slow path: the whole input in memory, the version found
// wherever it is, then one strict decode.
func readWhole(r io.Reader) (*Facts, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// The version decides first: another schema's fields need not decode
	// here, and "unknown field" would hide the real reason.
	var head struct {
		SchemaVersion json.RawMessage `json:"schemaVersion"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, err
	}
	if err := checkVersion(head.SchemaVersion); err != nil {
		return nil, err
	}
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// jsonFields maps each field's JSON name to its index.
func jsonFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		m[name] = i
	}
	return m
}

// MaxFileSize is the largest facts file Read accepts: 1 GiB, about 350,000
// backup files with their headers (some 3,500 databases of 100 backups;
// docs/facts.md). The decoded facts take about 0.7 times the file's size.
const MaxFileSize = 1 << 30

// TooLargeError is a facts file over MaxFileSize.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("facts: larger than %s, the limit for a facts file: collect the estate in parts (a plan per group of databases), see docs/facts.md", sizeText(e.Limit))
}

func sizeText(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// maxSize is MaxFileSize; tests lower it.
var maxSize int64 = MaxFileSize

// limitReader gives at most left bytes, then *TooLargeError if more remain.
type limitReader struct {
	r           io.Reader
	left, limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells "exactly the limit" from "larger".
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			return 0, &TooLargeError{Limit: l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
