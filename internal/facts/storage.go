package facts

import "time"

// Storage is the listing of the backup container or share.
type Storage struct {
	Kind      string `json:"kind"`     // "blob" | "share"
	Location  string `json:"location"` // URL without SAS, or path
	Container string `json:"container,omitempty"`
	// SAS describes the SAS token used, if any (never the signature).
	SAS *SASInfo `json:"sas,omitempty"`
	// Files is nil when the listing failed; empty when the container is empty.
	Files []File `json:"files"`
	// HeadersRead is true when backup headers were read for the listed files.
	HeadersRead bool  `json:"headersRead"`
	BytesRead   int64 `json:"bytesRead"`
	Reads       int   `json:"reads"`
}

// SASInfo is what a SAS token grants, parsed from its query parameters.
type SASInfo struct {
	Permissions string     `json:"permissions"` // sp=, e.g. "rl"
	Expiry      *time.Time `json:"expiry,omitempty"`
	Resource    string     `json:"resource,omitempty"` // sr=: c container, b blob
	PolicyID    string     `json:"policyId,omitempty"` // si=: stored access policy
}

// File is one blob or share file.
type File struct {
	// Path is relative to the container or share root, '/'-separated.
	Path         string     `json:"path"`
	Size         int64      `json:"size"`
	BlobType     string     `json:"blobType,omitempty"`   // BlockBlob, PageBlob, AppendBlob
	AccessTier   string     `json:"accessTier,omitempty"` // Hot, Cool, Cold, Archive
	LastModified *time.Time `json:"lastModified,omitempty"`
	// Backup is the decoded header; nil when not read or not a backup.
	Backup *BackupMedia `json:"backup,omitempty"`
	// ReadError says why the header could not be read ("not a SQL Server backup",
	// "truncated at offset N", "archive tier", ...).
	ReadError string `json:"readError,omitempty"`
	// ReadErrorKind is a stable word: empty, not-backup, truncated, encrypted,
	// corrupt, unreadable, archived.
	ReadErrorKind string `json:"readErrorKind,omitempty"`
	BytesRead     int64  `json:"bytesRead,omitempty"`
	Reads         int    `json:"reads,omitempty"`
}

// Dir returns the folder of the file ("" for the root).
func (f File) Dir() string {
	for i := len(f.Path) - 1; i >= 0; i-- {
		if f.Path[i] == '/' {
			return f.Path[:i]
		}
	}
	return ""
}
