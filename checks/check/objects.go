package check

// Finding objects: what a finding is about. Waivers match on them (a
// waiver's object may be a path.Match pattern such as "database:Sales" or
// "file:sales/*"), so their spelling is a public contract; checks build them
// with these constructors and constants, never by hand.

// The objects that are not named things.
const (
	ObjectNone    = "-"       // the check as a whole (skips and errors from the runner)
	ObjectPlan    = "plan"    // the migration plan
	ObjectServer  = "server"  // the source SQL Server
	ObjectTarget  = "target"  // the migration target
	ObjectStorage = "storage" // the backup container or share
	ObjectSAS     = "sas"     // the SAS token dmsready was given
)

// DatabaseObject names a database: "database:Sales".
func DatabaseObject(name string) string { return "database:" + name }

// FileObject names a file in the backup storage by its path: "file:sales/full.bak".
func FileObject(path string) string { return "file:" + path }

// FolderObject names a folder in the backup storage; "folder:/" is the root.
func FolderObject(dir string) string {
	if dir == "" {
		return "folder:/"
	}
	return "folder:" + dir
}

// ServerObject names a kind of server-level object on the source:
// "server:logins", "server:agentJobs".
func ServerObject(kind string) string { return "server:" + kind }

// ContainerObject names a blob container: "container:sqlbackup".
func ContainerObject(name string) string { return "container:" + name }

// LocationObject names the folder prefix of the backup location:
// "location:nightly".
func LocationObject(prefix string) string { return "location:" + prefix }

// AzureObject names an Azure resource by its name: "azure:sqlmi-prod".
func AzureObject(name string) string { return "azure:" + name }
