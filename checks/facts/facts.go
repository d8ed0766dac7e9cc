package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// SchemaVersion is bumped on any incompatible change to the JSON form.
const SchemaVersion = 1

// Facts is everything one run collected.
type Facts struct {
	SchemaVersion int `json:"schemaVersion"`
	// CollectedAt is the clock reading checks use as "now" (checks read no clock).
	CollectedAt time.Time `json:"collectedAt"`
	Plan        Plan      `json:"plan"`
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
	// Kind is a stable word: unreachable, login-failed, tls, permission,
	// not-found, timeout, forbidden, firewall, invalid, canceled, other.
	Kind    string `json:"kind"`
	Message string `json:"message"`
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

// Read decodes a facts file, refusing other schema versions.
func Read(r io.Reader) (*Facts, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	// The version decides first: another schema's fields need not decode
	// here, and "unknown field" would hide the real reason.
	var head struct {
		SchemaVersion json.RawMessage `json:"schemaVersion"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	if head.SchemaVersion == nil {
		return nil, fmt.Errorf("facts: no schemaVersion: not a facts file written by 'dmsready collect'")
	}
	var v int
	if err := json.Unmarshal(head.SchemaVersion, &v); err != nil {
		return nil, fmt.Errorf("facts: schemaVersion %s is not a number", head.SchemaVersion)
	}
	if v != SchemaVersion {
		return nil, fmt.Errorf("facts: schema version %d, this dmsready reads %d: collect again with this dmsready, or check with the one that collected", v, SchemaVersion)
	}
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return &f, nil
}

// Write encodes f as indented JSON.
func Write(w io.Writer, f *Facts) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
