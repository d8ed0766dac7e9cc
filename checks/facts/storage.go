package facts

import "time"

// Storage kinds.
const (
	StorageBlob  = "blob"
	StorageShare = "share"
)

// Blob types as the Blob service names them.
const (
	BlockBlob  = "BlockBlob"
	PageBlob   = "PageBlob"
	AppendBlob = "AppendBlob"
)

// Storage is the listing of the backup container or share.
type Storage struct {
	Kind     string `json:"kind"`     // "blob" | "share"
	Location string `json:"location"` // URL without SAS, or path
	// Account and Container are set for blob storage; Prefix is the folder of
	// the container that Location points into ("" = the container root). File
	// paths and plan folders are relative to it.
	Account   string `json:"account,omitempty"`
	Container string `json:"container,omitempty"`
	Prefix    string `json:"prefix,omitempty"`
	// Auth is how dmsready authenticated: sas, connection-string,
	// account-key, entra, none; "" for a share.
	Auth StorageAuth `json:"auth,omitempty"`
	// AuthReason says why that credential was used: what was given, which
	// AZURE_STORAGE_* variable was set, or that nothing was and Microsoft
	// Entra (DefaultAzureCredential) was tried.
	AuthReason string `json:"authReason,omitempty"`
	// LocationNote says how an ambiguous location was read: a bare name
	// with AZURE_STORAGE_CONNECTION_STRING set is a container, unless a
	// local folder of that name exists; and which of a share's symbolic
	// links, followed, lead outside it (an SMB client may not follow them).
	LocationNote string `json:"locationNote,omitempty"`
	// SAS describes the SAS token used, if any (never the signature).
	SAS *SASInfo `json:"sas,omitempty"`
	// Files is nil when the listing failed; empty when the container is empty.
	Files []File `json:"files"`
	// Folders is every folder holding files or folders, "" for the root.
	Folders []Folder `json:"folders,omitempty"`
	// HeadersRead is true when backup headers were read for the listed files.
	HeadersRead bool  `json:"headersRead"`
	BytesRead   int64 `json:"bytesRead"`
	Reads       int   `json:"reads"`
	TotalBytes  int64 `json:"totalBytes"`
}

// SASInfo is what a SAS token grants, parsed from its query parameters.
type SASInfo struct {
	Permissions string     `json:"permissions"` // sp=, e.g. "rl"
	Expiry      *time.Time `json:"expiry,omitempty"`
	Start       *time.Time `json:"start,omitempty"`
	Resource    string     `json:"resource,omitempty"` // sr=: c container, b blob
	PolicyID    string     `json:"policyId,omitempty"` // si=: stored access policy
	// Account SAS only: ss= services and srt= resource types.
	Services      string `json:"services,omitempty"`
	ResourceTypes string `json:"resourceTypes,omitempty"`
	Protocol      string `json:"protocol,omitempty"` // spr=
	IPRange       string `json:"ipRange,omitempty"`  // sip=
	Version       string `json:"version,omitempty"`  // sv=
	// UserDelegation is true for a SAS signed with a Microsoft Entra key (skoid=).
	UserDelegation bool `json:"userDelegation,omitempty"`
	// KeyExpiry is a user delegation SAS's key expiry (ske=): the SAS stops
	// working then, if that is before Expiry.
	KeyExpiry *time.Time `json:"keyExpiry,omitempty"`
}

// Folder is one folder of the listing with what it holds directly.
type Folder struct {
	Path    string `json:"path"`
	Files   int    `json:"files"`
	Bytes   int64  `json:"bytes"`
	Folders int    `json:"folders"` // direct subfolders
}

// File is one blob or share file.
type File struct {
	// Path is relative to the container or share root, '/'-separated.
	Path         string     `json:"path"`
	Size         int64      `json:"size"`
	BlobType     string     `json:"blobType,omitempty"`   // BlockBlob, PageBlob, AppendBlob
	AccessTier   string     `json:"accessTier,omitempty"` // Hot, Cool, Cold, Archive
	LastModified *time.Time `json:"lastModified,omitempty"`
	// ArchiveStatus is set while an archived blob is being rehydrated.
	ArchiveStatus string `json:"archiveStatus,omitempty"`
	// Backup is the decoded header; nil when not read or not a backup.
	Backup *BackupMedia `json:"backup,omitempty"`
	// ReadError says why the header could not be read ("not a SQL Server backup",
	// "truncated at offset N", "archive tier", ...).
	ReadError string `json:"readError,omitempty"`
	// ReadErrorKind is a stable word (the Read constants). ReadIOError means
	// the storage could not be read (timeout, reset, body cut short after
	// every retry, access denied, OS error): it says nothing about the
	// backup itself, unlike truncated or corrupt.
	ReadErrorKind ReadErrorKind `json:"readErrorKind,omitempty"`
	BytesRead     int64         `json:"bytesRead,omitempty"`
	Reads         int           `json:"reads,omitempty"`
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

// Name returns the file name without its folder.
func (f File) Name() string {
	for i := len(f.Path) - 1; i >= 0; i-- {
		if f.Path[i] == '/' {
			return f.Path[i+1:]
		}
	}
	return f.Path
}
