package facts

// The words facts.json uses for modes, methods, authentication, collector
// errors and msdb backup types, as typed constants: a check compares
// against these, never against a string literal.

// Mode is the migration mode (plan `mode`).
type Mode string

const (
	ModeOnline  Mode = "online"
	ModeOffline Mode = "offline"
)

// Method is how the migration runs (plan `method`).
type Method string

const (
	MethodDMS Method = "dms" // Azure Database Migration Service (the default)
	MethodLRS Method = "lrs" // Log Replay Service
)

// StorageAuth is how dmsready authenticated to the backup storage; "" for
// a network share (or, in a plan, to choose automatically).
type StorageAuth string

const (
	AuthSAS              StorageAuth = "sas"
	AuthConnectionString StorageAuth = "connection-string"
	AuthAccountKey       StorageAuth = "account-key"
	AuthEntra            StorageAuth = "entra"
	AuthNone             StorageAuth = "none" // anonymous (public container)
)

// ErrorKind is the stable word a collector failure is filed under
// (SourceError.Kind); reports and waivers key on it.
type ErrorKind string

const (
	ErrUnreachable ErrorKind = "unreachable"
	ErrLoginFailed ErrorKind = "login-failed"
	ErrTLS         ErrorKind = "tls"
	ErrPermission  ErrorKind = "permission"
	ErrNotFound    ErrorKind = "not-found"
	ErrTimeout     ErrorKind = "timeout"
	ErrForbidden   ErrorKind = "forbidden"
	ErrFirewall    ErrorKind = "firewall"
	ErrExpired     ErrorKind = "expired"
	ErrInvalid     ErrorKind = "invalid"
	ErrCanceled    ErrorKind = "canceled"
	ErrOther       ErrorKind = "other"
)

// HistoryType is msdb's backupset.type.
type HistoryType string

const (
	HistoryFull                HistoryType = "D"
	HistoryDifferential        HistoryType = "I"
	HistoryLog                 HistoryType = "L"
	HistoryFile                HistoryType = "F"
	HistoryFileDifferential    HistoryType = "G"
	HistoryPartial             HistoryType = "P"
	HistoryPartialDifferential HistoryType = "Q"
)

// ReadErrorKind is the stable word a backup file that could not be read is
// filed under (File.ReadErrorKind).
type ReadErrorKind string

const (
	ReadEmpty      ReadErrorKind = "empty"
	ReadNotBackup  ReadErrorKind = "not-backup"
	ReadTruncated  ReadErrorKind = "truncated"
	ReadEncrypted  ReadErrorKind = "encrypted"
	ReadCorrupt    ReadErrorKind = "corrupt"
	ReadUnreadable ReadErrorKind = "unreadable"
	ReadArchived   ReadErrorKind = "archived" // archive access tier: not readable without rehydration
	ReadCanceled   ReadErrorKind = "canceled"
	ReadIOError    ReadErrorKind = "io-error" // the storage failed, not the backup
)
