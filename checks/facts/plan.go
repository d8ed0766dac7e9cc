package facts

import (
	"sort"
	"strings"
)

// ResolvedPlan is the migration plan as the checks see it, resolved from
// the plan file and flags: no secrets, no file positions. It travels inside
// facts.json so an offline check has it.
type ResolvedPlan struct {
	// Digest is a SHA-256 of the canonical plan (without secrets).
	Digest  string      `json:"digest,omitempty"`
	Source  PlanSource  `json:"source"`
	Target  PlanTarget  `json:"target"`
	Storage PlanStorage `json:"storage"`
	// Azure is the plan's azure section, nil when it has none.
	Azure     *PlanAzure     `json:"azure,omitempty"`
	Mode      Mode           `json:"mode"`
	Method    Method         `json:"method"`
	Databases []PlanDatabase `json:"databases"`
	// Waivers travel with the plan so `check --facts` applies them too.
	Waivers []Waiver `json:"waivers,omitempty"`
}

// Target kinds.
const (
	KindMI = "sqlmi" // Azure SQL Managed Instance
	KindVM = "sqlvm" // SQL Server on Azure Virtual Machine
	KindDB = "sqldb" // Azure SQL Database
)

type PlanSource struct {
	Server string `json:"server,omitempty"` // host[\instance][,port]; never a DSN with a password
	Auth   string `json:"auth,omitempty"`   // "sql" | "entra" | "windows"
}

type PlanTarget struct {
	Kind string `json:"kind"`
	// Version: for sqlvm the SQL Server release ("2014", "2019", "2022");
	// for sqlmi the update policy ("2022", "2025", "always-up-to-date").
	Version        string `json:"version,omitempty"`
	StorageLimitMB int64  `json:"storageLimitMB,omitempty"`
	Server         string `json:"server,omitempty"`
}

type PlanStorage struct {
	Kind     string      `json:"kind,omitempty"`     // "blob" | "share"
	Location string      `json:"location,omitempty"` // container URL without SAS, or share path
	Auth     StorageAuth `json:"auth,omitempty"`
}

// PlanAzure says where the migration's Azure resources are: resource IDs
// (names resolved with the plan's resource group). StorageAccount may be a
// bare account name, taken from the container URL, for the collector to find.
type PlanAzure struct {
	Subscription   string `json:"subscription,omitempty"`
	Target         string `json:"target,omitempty"`
	StorageAccount string `json:"storageAccount,omitempty"`
	DMS            string `json:"dms,omitempty"`
	Auth           string `json:"auth,omitempty"`
	Cloud          string `json:"cloud,omitempty"`
	Endpoint       string `json:"endpoint,omitempty"`
}

type PlanDatabase struct {
	Name string `json:"name"`
	// TargetName defaults to Name.
	TargetName string `json:"targetName,omitempty"`
	// Folder holding this database's backups, relative to the container or share root.
	Folder string `json:"folder,omitempty"`
	// LastBackupFile names the final backup for offline mode.
	LastBackupFile string `json:"lastBackupFile,omitempty"`
	// FileMapping maps logical file names to target physical names.
	FileMapping map[string]string `json:"fileMapping,omitempty"`
}

// TargetDBName is the name the database gets on the target.
func (d PlanDatabase) TargetDBName() string {
	if d.TargetName != "" {
		return d.TargetName
	}
	return d.Name
}

// Databases returns the databases being migrated: the plan's list, or when
// the plan names none, every user database the source server reported, or
// else every database named in the backup headers, in sorted order.
//
// On a network share a planned folder is the listed folder whose name
// differs only in case, when it is the only one: DMS reads a share over
// SMB, whose names are case-insensitive (Windows; Samba's default for
// Windows clients), while the listing keeps each name as stored.
func (f *Facts) Databases() []PlanDatabase {
	if len(f.Plan.Databases) > 0 {
		return shareFolders(f.Storage, f.Plan.Databases)
	}
	// The server's names are kept as the server lists them (a
	// case-sensitive server can hold Sales and sales). Names found only in
	// backup headers compare case-insensitively, as the restore planner
	// matches them: two spellings there are one name, else each would
	// claim the other's backups and every finding would be doubled.
	seen := map[string]bool{}
	var out []PlanDatabase
	fold := false
	add := func(n string) {
		k := n
		if fold {
			k = strings.ToLower(n)
		}
		if n != "" && !seen[k] {
			seen[k] = true
			out = append(out, PlanDatabase{Name: n})
		}
	}
	if f.Server != nil && f.Server.Databases != nil {
		for _, d := range f.Server.Databases {
			if !IsSystemDatabase(d.Name) {
				add(d.Name)
			}
		}
	} else if f.Storage != nil {
		fold = true
		// Files come database by database: a name equal to the last one
		// seen was added (or skipped) already.
		last, seenOne := "", false
		for i := range f.Storage.Files {
			fl := &f.Storage.Files[i]
			if fl.Backup != nil {
				for j := range fl.Backup.Sets {
					n := fl.Backup.Sets[j].DatabaseName
					if seenOne && n == last {
						continue
					}
					last, seenOne = n, true
					// As from the server: DMS migrates user databases
					// only (public-newer holds two master backups).
					if !IsSystemDatabase(n) {
						add(n)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// shareFolders is dbs with each folder that is not listed as spelled
// replaced by the one listed folder equal to it but for case (a copy; dbs
// itself when nothing changes or st is not a share).
func shareFolders(st *Storage, dbs []PlanDatabase) []PlanDatabase {
	if st == nil || st.Kind != StorageShare {
		return dbs
	}
	var exact map[string]bool
	var folded map[string][]string
	var out []PlanDatabase
	for i, d := range dbs {
		want := strings.Trim(strings.ReplaceAll(d.Folder, "\\", "/"), "/")
		if want == "" {
			continue
		}
		if exact == nil {
			exact, folded = map[string]bool{}, map[string][]string{}
			add := func(p string) {
				if !exact[p] {
					exact[p] = true
					k := strings.ToLower(p)
					folded[k] = append(folded[k], p)
				}
			}
			for _, fo := range st.Folders {
				add(fo.Path)
			}
			if len(st.Folders) == 0 {
				// Facts without the folder summary: the files' folders.
				for i := range st.Files {
					for d := st.Files[i].Dir(); d != "" && !exact[d]; {
						add(d)
						j := strings.LastIndexByte(d, '/')
						d = d[:max(j, 0)]
					}
				}
			}
		}
		if m := folded[strings.ToLower(want)]; !exact[want] && len(m) == 1 {
			if out == nil {
				out = append([]PlanDatabase(nil), dbs...)
			}
			out[i].Folder = m[0]
		}
	}
	if out == nil {
		return dbs
	}
	return out
}

// IsSystemDatabase reports master, model, msdb, tempdb (and the resource db).
func IsSystemDatabase(name string) bool {
	switch strings.ToLower(name) {
	case "master", "model", "msdb", "tempdb", "mssqlsystemresource":
		return true
	}
	return false
}

// Waiver accepts a known finding: a check ID, an object pattern (path.Match
// syntax, e.g. "database:Legacy*"), a required reason, and an expiry date.
type Waiver struct {
	Check   string `json:"check"`
	Object  string `json:"object"`
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"` // YYYY-MM-DD, inclusive
	// Where is the plan position ("plan.yaml:31") for messages.
	Where string `json:"where,omitempty"`
}
