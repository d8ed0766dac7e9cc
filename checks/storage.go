package checks

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

const (
	linkFirewall   = "https://learn.microsoft.com/azure/storage/common/storage-network-security"
	linkTiers      = "https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview"
	linkMIRestore  = "https://learn.microsoft.com/azure/azure-sql/managed-instance/transact-sql-tsql-differences-sql-server#restore-statement"
	linkBlobAuthz  = "https://learn.microsoft.com/azure/storage/common/storage-sas-overview"
	sasExpiryAhead = 24 // hours
)

// Backups are read from storage only for Managed Instance and SQL VM
// targets; Azure SQL Database migrations copy data without backups.
var backupTargets = check.Targets{facts.KindMI, facts.KindVM}

// StorageReachable: DMS and dmsready must both be able to list the container.
var StorageReachable = &check.Check{
	ID:       "DMS201",
	Title:    "Backup storage is reachable and listable",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "2009: Azure SQL target resource failed to connect to storage account. Make sure the target SQL VNet is allowed under the Azure Storage firewall rules",
	Doc: "dmsready lists the container (or share) with the credentials it was given, from where it runs. " +
		"When the listing fails the check reports an error naming the cause: `firewall` when the storage " +
		"account answers 403 AuthorizationFailure (\"This request is not authorized to perform this operation\"), " +
		"which is what its firewall and virtual network rules answer to a caller they do not allow; " +
		"`forbidden` for a credential without read and list rights; `expired` for an expired SAS; " +
		"`not-found` for a missing container. A reachable but empty location is a warning. " +
		"DMS itself reads the backups from the target's network, so the target's virtual network must be allowed too.",
	Fix: "For `firewall`: in the storage account's Networking settings, allow the address dmsready runs from and the " +
		"target's virtual network (Managed Instance: its subnet, with a Microsoft.Storage service endpoint), or use " +
		"a private endpoint. For `forbidden`: use a SAS with read and list permissions on the container, or grant " +
		"the identity Storage Blob Data Reader. For `expired`: issue a new SAS.",
	Link: linkFirewall,
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		ev := check.Ev{"location": st.Location, "files": fmt.Sprint(len(st.Files)), "auth": st.Auth}
		if len(st.Files) == 0 {
			p.Warn("", "storage", fmt.Sprintf("%s is reachable but holds no files", st.Location), ev)
			return
		}
		p.Pass("", "storage", fmt.Sprintf("listed %s (%d bytes) in %s at %s", count(len(st.Files), "file", "files"), st.TotalBytes, count(len(st.Folders), "folder", "folders"), st.Location), ev)
	},
}

// sasPermissionNames names SAS permission letters beyond read and list.
var sasPermissionNames = map[rune]string{
	'a': "add", 'c': "create", 'w': "write", 'd': "delete", 'x': "delete version", 'y': "permanent delete",
	't': "tags", 'f': "filter by tags", 'm': "move", 'e': "execute", 'o': "ownership", 'p': "permissions",
	'i': "set immutability policy", 'u': "update", 'r': "read", 'l': "list",
}

// StorageLeastPrivilege: dmsready (and DMS) need only read and list.
var StorageLeastPrivilege = &check.Check{
	ID:       "DMS202",
	Title:    "Storage credential grants only read and list",
	Severity: check.Error, // only under Log Replay Service; a warning otherwise
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Log Replay Service: the SAS must grant only Read and List; a SAS with Write makes the migration fail",
	Doc: "dmsready and DMS only list and read backups. A SAS granting more than read (r) and list (l) — write, " +
		"delete, add, create ... — is more than either needs, and Log Replay Service fails with a SAS that grants " +
		"write (with LRS this check fails; otherwise it warns). A SAS must also be container-scoped (sr=c) for LRS and not tied to a stored access policy (si=). " +
		"An account key (directly or in a connection string) grants full control of every container; an account " +
		"SAS reaches every container; a public container lets anyone download the backups. " +
		"On a network share, permissions are those of the account running dmsready and are not checked.",
	Fix: "Generate a container SAS with only Read and List permissions (for example `az storage container " +
		"generate-sas --permissions rl --expiry ...`), or use Microsoft Entra with the Storage Blob Data Reader role. " +
		"Turn off anonymous access on a public container.",
	Link: linkBlobAuthz,
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		switch {
		case st.Kind == facts.StorageShare:
			p.Skip("", "storage", "network share: permissions are those of the account running dmsready")
			return
		case st.SAS != nil:
			sasPrivilege(p, st.SAS)
		case st.Auth == "account-key" || st.Auth == "connection-string":
			p.Warn("", "storage", "an account key grants full control (write and delete) of every container in the account; "+
				"only read and list are needed", check.Ev{"auth": st.Auth})
		case st.Auth == "none":
			p.Warn("", "storage", "the container allows anonymous read: anyone can list and download the backups", check.Ev{"auth": st.Auth})
		case st.Auth == "entra":
			p.Pass("", "storage", "Microsoft Entra: grant the identity Storage Blob Data Reader, which only reads and lists", check.Ev{"auth": st.Auth})
		default:
			p.Skip("", "storage", fmt.Sprintf("unknown authentication %q", st.Auth))
		}
	},
}

func sasPrivilege(p *check.Pass, s *facts.SASInfo) {
	ev := check.Ev{"permissions": s.Permissions}
	if s.Resource != "" {
		ev["resource"] = s.Resource
	}
	var extra, problems []string
	for _, r := range s.Permissions {
		if r != 'r' && r != 'l' {
			name := sasPermissionNames[r]
			if name == "" {
				name = string(r)
			}
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		problems = append(problems, "grants "+strings.Join(extra, ", ")+" beyond read and list")
	}
	for _, need := range []string{"r", "l"} {
		if !strings.Contains(s.Permissions, need) {
			problems = append(problems, "lacks "+sasPermissionNames[rune(need[0])])
		}
	}
	if s.ResourceTypes != "" {
		problems = append(problems, "is an account SAS reaching every container (use a container SAS)")
	} else if s.Resource != "" && s.Resource != "c" {
		problems = append(problems, fmt.Sprintf("is scoped to %q, not the container (sr=c)", s.Resource))
	}
	if s.PolicyID != "" {
		ev["policy"] = s.PolicyID
		problems = append(problems, "uses a stored access policy, which Log Replay Service does not support")
	}
	if len(problems) > 0 {
		// Log Replay Service refuses to start with such a SAS; DMS and
		// dmsready only read, so elsewhere it is a least-privilege warning.
		if p.Plan().Method == "lrs" {
			p.Fail("", "sas", "the SAS "+strings.Join(problems, "; ")+": Log Replay Service will not start", ev)
			return
		}
		p.Warn("", "sas", "the SAS "+strings.Join(problems, "; "), ev)
		return
	}
	p.Pass("", "sas", "the SAS grants only read and list on the container", ev)
}

// SASExpiry: a SAS that expires during the migration stops DMS reading backups.
var SASExpiry = &check.Check{
	ID:       "DMS203",
	Title:    "SAS is valid for the migration",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Migration fails reading backups once the SAS expires (403 AuthenticationFailed)",
	Doc: fmt.Sprintf("DMS and Log Replay Service read the backups for the whole migration, which for an online "+
		"migration lasts until cutover. The check warns when the SAS dmsready used has expired or expires within "+
		"%d hours of the collection time. dmsready cannot see the SAS given to DMS: if it is another token, check "+
		"its expiry the same way.", sasExpiryAhead),
	Fix:  "Issue a read+list SAS whose expiry covers the migration window including cutover, and give the same token to DMS.",
	Link: linkLRS,
	Run: func(p *check.Pass) {
		s := p.Facts.Storage.SAS
		if s == nil {
			p.Skip("", "sas", "no SAS was used")
			return
		}
		if s.Expiry == nil {
			p.Skip("", "sas", "the SAS has no readable expiry (it may come from a stored access policy)")
			return
		}
		now := p.Facts.CollectedAt
		if now.IsZero() {
			p.Skip("", "sas", "the collection time is unknown")
			return
		}
		left := s.Expiry.Sub(now)
		ev := check.Ev{"expiry": s.Expiry.UTC().Format("2006-01-02T15:04:05Z"), "collectedAt": now.UTC().Format("2006-01-02T15:04:05Z")}
		switch {
		case left <= 0:
			p.Warn("", "sas", fmt.Sprintf("the SAS expired %s before collection", roundDur(-left)), ev)
		case left.Hours() < sasExpiryAhead:
			p.Warn("", "sas", fmt.Sprintf("the SAS expires in %s, within %d hours", roundDur(left), sasExpiryAhead), ev)
		default:
			p.Pass("", "sas", fmt.Sprintf("the SAS is valid for another %s", roundDur(left)), ev)
		}
	},
}

// FlatFolders: DMS restores from one flat folder per database.
var FlatFolders = &check.Check{
	ID:       "DMS204",
	Title:    "Each database's backups sit flat in its folder",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Limitation: the database backups must be placed in a flat-file structure inside a database folder, and the folders can't be nested",
	Doc: "DMS reads a database's backups from one folder of the container and does not descend into subfolders: " +
		"a layout with FULL, DIFF and LOG subfolders per database (as Ola Hallengren's maintenance solution writes " +
		"by default) cannot be restored. A database's folder is the plan's `folder:`; without one it is the " +
		"deepest folder holding all of that database's backups, found from the backup headers. A folder more than " +
		"one level deep is a warning: the Azure Data Studio migration wizard offers only the root and first-level folders.",
	Fix: "Move every backup of the database (full, differential and log) into one folder with no subfolders, " +
		"for example `sales/`, or point the plan's `folder:` at a flat folder. With Ola Hallengren's solution, " +
		"use `@DirectoryStructure = NULL` (and `@AvailabilityGroupDirectoryStructure = NULL`).",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		idx := indexByDB(st)
		for _, d := range p.Facts.Databases() {
			obj := "database:" + d.Name
			folder, ok, why := dbFolder(st, idx, d)
			if !ok {
				p.Skip(d.Name, obj, why)
				continue
			}
			ev := check.Ev{"folder": folder}
			nested := map[string]int{}
			flat := 0
			// This database's backups, and backup-like files whose database
			// is unknown (headers not read or unreadable).
			for _, i := range slices.Concat(idx.of(d.Name), idx.unknown) {
				f := st.Files[i]
				dir := f.Dir()
				switch {
				case !belongs(f, d.Name, st.HeadersRead, folder):
				case dir == folder:
					flat++
				case isUnder(dir, folder):
					nested[dir]++
				}
			}
			if flat == 0 && len(nested) == 0 {
				// Nothing sits in the folder at all: not a layout question.
				p.Skip(d.Name, obj, fmt.Sprintf("no backups of %s in %s (see DMS210)", d.Name, folderName(folder)))
				continue
			}
			if len(nested) > 0 {
				subs := sortedKeys(nested)
				ev["subfolders"] = strings.Join(subs, ", ")
				p.Fail(d.Name, obj, fmt.Sprintf("backups of %s sit in %d nested folders under %s (%s); DMS reads one flat folder",
					d.Name, len(subs), folderName(folder), strings.Join(subs, ", ")), ev)
				continue
			}
			if strings.Count(folder, "/") >= 1 {
				p.Warn(d.Name, obj, fmt.Sprintf("backups of %s sit flat in %s, which is %d levels deep: the Azure Data Studio wizard lists only first-level folders",
					d.Name, folderName(folder), strings.Count(folder, "/")+1), ev)
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("backups of %s sit flat in %s", d.Name, folderName(folder)), ev)
		}
	},
}

// OneDatabasePerFolder: a folder with backups of two databases fails the restore.
var OneDatabasePerFolder = &check.Check{
	ID:       "DMS205",
	Title:    "A folder holds the backups of one database only",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "2009: Migration for Database failed: backups from multiple databases found in the folder",
	Doc: "DMS restores every backup it finds in a database's folder; backups of another database in the same " +
		"folder make the migration fail. The database is decided by each backup's header (DatabaseName, and " +
		"FamilyGUID to tell apart two databases of the same name), never by file names.",
	Fix:  "Move each database's backups into a folder of its own and give each database its folder in the plan.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		// A database is its name (case-insensitive, as SQL Server compares
		// them by default) and its FamilyGUID.
		type dbKey struct{ name, family string }
		type dbFiles struct {
			name  string
			files map[string]bool
		}
		byFolder := map[string]map[dbKey]*dbFiles{}
		for _, f := range p.Facts.Storage.Files {
			if f.Backup == nil {
				continue
			}
			for _, s := range f.Backup.Sets {
				if s.DatabaseName == "" {
					continue
				}
				m := byFolder[f.Dir()]
				if m == nil {
					m = map[dbKey]*dbFiles{}
					byFolder[f.Dir()] = m
				}
				k := dbKey{strings.ToLower(s.DatabaseName), s.FamilyGUID}
				if m[k] == nil {
					m[k] = &dbFiles{name: s.DatabaseName, files: map[string]bool{}}
				}
				m[k].files[f.Path] = true
			}
		}
		for dir, dbs := range byFolder {
			obj := folderObj(dir)
			names := map[string]int{}
			var parts []string
			var only string
			for k, d := range dbs {
				names[k.name]++
				only = d.name
				parts = append(parts, fmt.Sprintf("%s (%s)", d.name, count(len(d.files), "file", "files")))
			}
			sort.Strings(parts)
			ev := check.Ev{"databases": strings.Join(parts, ", ")}
			if len(dbs) == 1 {
				p.Pass(only, obj, fmt.Sprintf("%s holds backups of %s only", folderName(dir), only), ev)
				continue
			}
			msg := fmt.Sprintf("%s holds backups of %d databases: %s", folderName(dir), len(dbs), strings.Join(parts, ", "))
			for _, n := range names {
				if n > 1 {
					msg += " (the same name with different FamilyGUIDs: different databases)"
					break
				}
			}
			p.Fail("", obj, msg, ev)
		}
	},
}

// SeparateFolders: databases sharing one container need one folder each.
var SeparateFolders = &check.Check{
	ID:       "DMS206",
	Title:    "Each database has its own folder",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Limitation: when migrating multiple databases using the same Azure Blob Storage container, backup files for different databases must be in separate folders",
	Doc: "Databases migrated from one container (or share) need one folder each; the container root counts " +
		"as a folder, so two databases cannot both use it. A database's folder is the plan's `folder:`, or " +
		"else the folder its backup headers place it in.",
	Fix:  "Give each database a distinct `folder:` in the plan and move its backups there.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		type entry struct{ name, folder string }
		var known []entry
		idx := indexByDB(p.Facts.Storage)
		for _, d := range p.Facts.Databases() {
			folder, ok, why := dbFolder(p.Facts.Storage, idx, d)
			if !ok {
				p.Skip(d.Name, "database:"+d.Name, why)
				continue
			}
			known = append(known, entry{d.Name, folder})
		}
		for _, e := range known {
			var others []string
			for _, o := range known {
				if o.name != e.name && o.folder == e.folder {
					others = append(others, o.name)
				}
			}
			ev := check.Ev{"folder": e.folder}
			if len(others) > 0 {
				ev["sharedWith"] = strings.Join(others, ", ")
				p.Fail(e.name, "database:"+e.name, fmt.Sprintf("%s shares %s with %s", e.name, folderName(e.folder), strings.Join(others, ", ")), ev)
				continue
			}
			p.Pass(e.name, "database:"+e.name, fmt.Sprintf("%s has %s to itself", e.name, folderName(e.folder)), ev)
		}
	},
}

// PageBlobsForOldVM: SQL Server 2012/2014 on a VM restores only page blobs.
var PageBlobsForOldVM = &check.Check{
	ID:       "DMS207",
	Title:    "Backups are page blobs for a SQL Server 2012/2014 VM target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "Limitation: with SQL Server 2012 or 2014, store the backup files as page blobs in an Azure Blob container (not a network share), since block blobs are only supported in SQL 2016 and after",
	Doc: "A SQL Server on Azure VM target running SQL Server 2012 or 2014 restores from URL only from page blobs " +
		"(backups written with a storage account key credential); block blobs (written with a SAS credential, " +
		"or uploaded by AzCopy and most tools by default) are readable from SQL Server 2016 on. Such a target " +
		"also cannot use the network share option. The target version comes from the plan (`target.version`).",
	Fix: "Upload the backups as page blobs (`azcopy copy ... --blob-type PageBlob`; page blobs need a size " +
		"that is a multiple of 512 bytes, which SQL Server backups are) or back up to URL with a " +
		"storage-account-key credential; or migrate to a SQL Server 2016 or newer VM.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		v := p.Plan().Target.Version
		year, ok := ReleaseYear(v)
		if v == "" || !ok {
			p.Skip("", "target", fmt.Sprintf("target version %q is not a known SQL Server release", v))
			return
		}
		ev := check.Ev{"targetVersion": v}
		if year >= 2016 {
			p.Pass("", "target", fmt.Sprintf("target SQL Server %d restores block and page blobs", year), ev)
			return
		}
		if year != 2012 && year != 2014 {
			p.Skip("", "target", fmt.Sprintf("target SQL Server %d is not supported by DMS (see DMS102)", year))
			return
		}
		st := p.Facts.Storage
		if st.Kind == facts.StorageShare {
			p.Fail("", "storage", fmt.Sprintf("a SQL Server %d target cannot restore from a network share: use a blob container with page blobs", year), ev)
			return
		}
		pages := map[string]int{}
		for _, f := range st.Files {
			if !isBackupFile(f, st.HeadersRead) {
				continue
			}
			if f.BlobType == facts.PageBlob {
				pages[f.Dir()]++
				continue
			}
			if f.BlobType == "" {
				p.Skip("", "file:"+f.Path, f.Path+": blob type unknown")
				continue
			}
			fev := check.Ev{"targetVersion": v, "blobType": f.BlobType}
			p.Fail("", "file:"+f.Path, fmt.Sprintf("%s is a %s; SQL Server %d restores only page blobs", f.Path, blobTypeName(f.BlobType), year), fev)
		}
		for dir, n := range pages {
			p.Pass("", folderObj(dir), pageBlobMsg(n, folderName(dir)), ev)
		}
	},
}

// ReadableBackups: every file in a backup folder must be a readable backup.
var ReadableBackups = &check.Check{
	ID:       "DMS208",
	Title:    "Backup files are readable backups",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Restore fails on a blob in the Archive tier, a zero-length, truncated or corrupt file, or a file that is not a SQL Server backup",
	Doc: "DMS restores every file in a database's folder. A blob in the Archive tier cannot be read until it is " +
		"rehydrated (which takes up to 15 hours); a truncated or corrupt backup, or one whose header cannot be " +
		"read (encrypted with WITH ENCRYPTION), fails the restore. Zero-length files and files that are not SQL " +
		"Server backups (no Microsoft Tape Format header) are warnings: remove them from backup folders. " +
		"Without header reading only the Archive tier and zero-length files are checked.",
	Fix: "Rehydrate archived blobs to the Hot or Cool tier; take the broken backups again (WITH CHECKSUM) and " +
		"re-upload them; move other files out of the backup folders.",
	Link: linkTiers,
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		ok := map[string]int{}
		for _, f := range st.Files {
			obj := "file:" + f.Path
			ev := check.Ev{"size": fmt.Sprint(f.Size)}
			if f.ReadErrorKind != "" {
				ev["kind"] = f.ReadErrorKind
			}
			switch {
			case strings.EqualFold(f.AccessTier, "Archive") || f.ReadErrorKind == "archived":
				ev["tier"] = f.AccessTier
				msg := f.Path + " is in the Archive tier and cannot be read; rehydrate it to Hot or Cool"
				if f.ArchiveStatus != "" {
					msg += " (" + f.ArchiveStatus + ")"
				}
				p.Fail("", obj, msg, ev)
			case f.Size == 0 || f.ReadErrorKind == "empty":
				p.Warn("", obj, f.Path+" is a zero-length file", ev)
			case !st.HeadersRead:
				// Listed only: nothing more is known.
			case f.ReadErrorKind == "not-backup":
				// The reader's error starts with the same words.
				why := strings.TrimPrefix(f.ReadError, "not a SQL Server backup")
				p.Warn("", obj, f.Path+" is not a SQL Server backup"+why, ev)
			case f.ReadErrorKind == "canceled":
				p.Skip("", obj, "header reading was canceled")
			case f.ReadErrorKind != "":
				p.Fail("", obj, f.Path+" cannot be restored: "+f.ReadError, ev)
			case f.Backup != nil:
				ok[f.Dir()]++
			}
		}
		for dir, n := range ok {
			p.Pass("", folderObj(dir), fmt.Sprintf("%s in %s readable headers", count(n, "backup", "backups"), hasHave(n, folderName(dir))), nil)
		}
		if !st.HeadersRead && len(ok) == 0 {
			p.Skip("", "storage", "headers were not read: only the tier and the size were checked")
		}
	},
}

// FullBackupChecksums: DMS refuses a full backup without checksums.
var FullBackupChecksums = &check.Check{
	ID:       "DMS209",
	Title:    "Full backups carry checksums",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "2009: Full backup <URL> is missing checksum. Provide full backup with checksum",
	Doc: "DMS fails the migration when a full backup was taken without CHECKSUM (the header's " +
		"HasBackupChecksums), as the known-issues page documents. The current prerequisites page no longer " +
		"lists the requirement: whether DMS still enforces it is not verified. With Log Replay Service " +
		"checksums are not required but strongly recommended (without them the restore is slower and " +
		"corruption may go unnoticed): a warning then.",
	Fix:  "Take the full backup again `WITH CHECKSUM` (or set the server default: `EXEC sp_configure 'backup checksum default', 1`).",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		lrs := p.Plan().Method == "lrs"
		for _, f := range p.Facts.Storage.Files {
			if f.Backup == nil {
				continue
			}
			for _, s := range f.Backup.Sets {
				if s.BackupType != facts.TypeFull {
					continue
				}
				obj := "file:" + f.Path
				if len(f.Backup.Sets) > 1 {
					obj += fmt.Sprintf("#%d", s.Position)
				}
				ev := check.Ev{"database": s.DatabaseName, "position": fmt.Sprint(s.Position)}
				if unknown(s.Unknown, "hasBackupChecksums") {
					p.Skip(s.DatabaseName, obj, "the backup header does not say whether it has checksums")
					continue
				}
				switch {
				case s.HasBackupChecksums:
					p.Pass(s.DatabaseName, obj, fmt.Sprintf("full backup of %s has checksums", s.DatabaseName), ev)
				case lrs:
					p.Warn(s.DatabaseName, obj, fmt.Sprintf("full backup of %s has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", s.DatabaseName), ev)
				default:
					p.Fail(s.DatabaseName, obj, fmt.Sprintf("full backup of %s was taken without CHECKSUM", s.DatabaseName), ev)
				}
			}
		}
	},
}

// PlannedDatabaseBackups: a planned database needs backups in its folder.
var PlannedDatabaseBackups = &check.Check{
	ID:       "DMS210",
	Title:    "Each planned database has backups in storage",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Migration cannot start: no backup files of the database in the given folder",
	Doc: "Every database being migrated needs its backups in the storage DMS reads, in the folder the plan " +
		"names. The database of each file is decided by its header, not its name.",
	Fix:  "Upload the database's backups to its folder, or correct the plan's `folder:` or database name.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		idx := indexByDB(st)
		for _, d := range p.Facts.Databases() {
			obj := "database:" + d.Name
			folder := cleanFolder(d.Folder)
			var in, elsewhere int
			dirs := map[string]bool{}
			for _, i := range idx.of(d.Name) {
				f := st.Files[i]
				if d.Folder == "" || isUnder(f.Dir(), folder) {
					in++
				} else {
					elsewhere++
					dirs[f.Dir()] = true
				}
			}
			ev := check.Ev{"files": fmt.Sprint(in)}
			if d.Folder != "" {
				ev["folder"] = folder
			}
			switch {
			case in > 0:
				p.Pass(d.Name, obj, fmt.Sprintf("%s of %s found", count(in, "backup file", "backup files"), d.Name), ev)
			case elsewhere > 0:
				ev["foundIn"] = strings.Join(sortedKeys(dirs), ", ")
				p.Fail(d.Name, obj, fmt.Sprintf("no backups of %s in its planned %s; %d found in %s", d.Name, folderName(folder), elsewhere, ev["foundIn"]), ev)
			default:
				p.Fail(d.Name, obj, fmt.Sprintf("no backups of %s found in storage", d.Name), ev)
			}
		}
	},
}

// UnplannedBackups: backups of databases the plan does not migrate.
var UnplannedBackups = &check.Check{
	ID:       "DMS211",
	Title:    "Backups in storage belong to planned databases",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Backups of an unplanned database next to planned ones fail the restore (multiple databases in a folder) or point to a missing plan entry",
	Doc: "Backups of a database that the plan does not list are either left over (and, in a planned database's " +
		"folder, break its restore) or a database the plan forgot. Only checked when the plan lists databases.",
	Fix:  "Add the database to the plan, or move its backups out of the migration container.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		if len(p.Plan().Databases) == 0 {
			p.Skip("", "storage", "the plan lists no databases: every database found is migrated")
			return
		}
		planned := map[string]bool{}
		for _, d := range p.Plan().Databases {
			planned[strings.ToLower(d.Name)] = true
		}
		type seen struct {
			name  string
			dirs  map[string]bool
			files int
		}
		extra := map[string]*seen{}
		for _, f := range p.Facts.Storage.Files {
			for _, n := range fileDBs(f) {
				if planned[strings.ToLower(n)] {
					continue
				}
				s := extra[strings.ToLower(n)]
				if s == nil {
					s = &seen{name: n, dirs: map[string]bool{}}
					extra[strings.ToLower(n)] = s
				}
				s.files++
				s.dirs[f.Dir()] = true
			}
		}
		for _, s := range extra {
			dirs := sortedKeys(s.dirs)
			p.Warn(s.name, "database:"+s.name, fmt.Sprintf("%s of %s (not in the plan) in %s", count(s.files, "backup file", "backup files"), s.name, strings.Join(folderNames(dirs), ", ")),
				check.Ev{"folders": strings.Join(dirs, ", ")})
		}
		if len(extra) == 0 {
			p.Pass("", "storage", "every database with backups in storage is in the plan", nil)
		}
	},
}

// OneBackupSetPerFile: Managed Instance cannot restore appended backup sets.
var OneBackupSetPerFile = &check.Check{
	ID:       "DMS212",
	Title:    "Each backup file holds one backup set",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Limitation: SQL Managed Instance can't restore a .bak file that contains multiple backup sets (appended backups)",
	Doc: "Backups appended to one file (BACKUP ... WITH NOINIT onto an existing file) leave several backup sets " +
		"in it. DMS and Managed Instance restore one backup set per file and reject such files.",
	Fix:  "Back up each full, differential and log backup to a file of its own (`WITH INIT` or unique file names, FORMAT for a new media set).",
	Link: linkMIRestore,
	Run: func(p *check.Pass) {
		ok := map[string]int{}
		for _, f := range p.Facts.Storage.Files {
			if f.Backup == nil {
				continue
			}
			if n := len(f.Backup.Sets); n > 1 {
				var pos []string
				for _, s := range f.Backup.Sets {
					pos = append(pos, fmt.Sprintf("%d %s of %s", s.Position, s.BackupType, s.DatabaseName))
				}
				p.Fail(firstDB(f), "file:"+f.Path, fmt.Sprintf("%s holds %d backup sets (%s)", f.Path, n, strings.Join(pos, "; ")),
					check.Ev{"sets": fmt.Sprint(n)})
				continue
			}
			ok[f.Dir()]++
		}
		for dir, n := range ok {
			p.Pass("", folderObj(dir), fmt.Sprintf("%s in %s one backup set each", count(n, "backup file", "backup files"), holdHolds(n, folderName(dir))), nil)
		}
	},
}

// lrsExtensions are the file extensions Log Replay Service accepts.
var lrsExtensions = map[string]bool{".bak": true, ".log": true, ".diff": true}

// LRSNaming: Log Replay Service's naming rules.
var LRSNaming = &check.Check{
	ID:       "DMS213",
	Title:    "Backup names follow Log Replay Service rules",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Log Replay Service: only .bak, .log and .diff files are restored; container and folder names can't contain 'backup'",
	Doc: "Log Replay Service (plan `method: lrs`) documents the extensions .bak, .log and .diff only (its own " +
		"examples use .trn; whether other extensions are rejected in practice is not verified), " +
		"and the words backup/backups are reserved in the URI path: a container or folder named after them " +
		"breaks the restore. Checked only when the plan's method is lrs.",
	Fix:  "Rename log backups to .log and differentials to .diff, and rename containers and folders to avoid the word \"backup\".",
	Link: linkLRS,
	Run: func(p *check.Pass) {
		if p.Plan().Method != "lrs" {
			p.Skip("", "storage", "the plan's method is not lrs")
			return
		}
		st := p.Facts.Storage
		bad := 0
		if strings.Contains(strings.ToLower(st.Container), "backup") {
			bad++
			p.Warn("", "container:"+st.Container, fmt.Sprintf("container name %q contains \"backup\"", st.Container), nil)
		}
		if strings.Contains(strings.ToLower(st.Prefix), "backup") {
			bad++
			p.Warn("", "location:"+st.Prefix, fmt.Sprintf("location folder %q contains \"backup\"", st.Prefix), nil)
		}
		for _, fo := range st.Folders {
			if fo.Path != "" && strings.Contains(strings.ToLower(path.Base(fo.Path)), "backup") {
				bad++
				p.Warn("", folderObj(fo.Path), fmt.Sprintf("folder name %q contains \"backup\"", path.Base(fo.Path)), nil)
			}
		}
		for _, f := range st.Files {
			ext := strings.ToLower(path.Ext(f.Name()))
			if lrsExtensions[ext] || !isBackupFile(f, st.HeadersRead) {
				continue
			}
			bad++
			p.Warn(firstDB(f), "file:"+f.Path, fmt.Sprintf("%s has extension %q; Log Replay Service restores only .bak, .log and .diff", f.Path, ext), check.Ev{"extension": ext})
		}
		if bad == 0 {
			p.Pass("", "storage", "container, folder and file names follow the Log Replay Service rules", nil)
		}
	},
}

// dbFolder is the folder holding d's backups: the plan's, or inferred from
// headers as the deepest folder containing all of them. why explains a miss.
func dbFolder(st *facts.Storage, idx dbIndex, d facts.PlanDatabase) (folder string, ok bool, why string) {
	if d.Folder != "" {
		return cleanFolder(d.Folder), true, ""
	}
	if st == nil || !st.HeadersRead {
		return "", false, "the plan gives no folder and backup headers were not read to find it"
	}
	var dirs []string
	for _, i := range idx.of(d.Name) {
		dirs = append(dirs, st.Files[i].Dir())
	}
	if len(dirs) == 0 {
		return "", false, "no backups of " + d.Name + " found to infer its folder (see DMS210)"
	}
	common := strings.Split(dirs[0], "/")
	for _, dir := range dirs[1:] {
		segs := strings.Split(dir, "/")
		n := 0
		for n < len(common) && n < len(segs) && common[n] == segs[n] {
			n++
		}
		common = common[:n]
	}
	return strings.Join(common, "/"), true, ""
}

// dbIndex maps a lower-cased database name to the files holding its
// backups, so that per-database checks stay linear in large containers.
type dbIndex struct {
	by      map[string][]int
	unknown []int // files without a decoded header
}

func indexByDB(st *facts.Storage) dbIndex {
	idx := dbIndex{by: map[string][]int{}}
	for i, f := range st.Files {
		if f.Backup == nil {
			idx.unknown = append(idx.unknown, i)
			continue
		}
		for _, n := range fileDBs(f) {
			k := strings.ToLower(n)
			idx.by[k] = append(idx.by[k], i)
		}
	}
	return idx
}

func (x dbIndex) of(db string) []int { return x.by[strings.ToLower(db)] }

func cleanFolder(s string) string {
	return strings.Trim(strings.ReplaceAll(s, "\\", "/"), "/")
}

// isUnder reports whether dir is folder or inside it ("" is the root).
func isUnder(dir, folder string) bool {
	return folder == "" || dir == folder || strings.HasPrefix(dir, folder+"/")
}

// belongs reports whether a file counts as one of db's backups: by header
// when headers were read, else by a backup file extension below the
// database's own (non-root) folder.
func belongs(f facts.File, db string, headersRead bool, folder string) bool {
	if headersRead && f.Backup != nil {
		return hasDB(f, db)
	}
	if headersRead && f.ReadErrorKind == "" {
		return false
	}
	return folder != "" && isBackupName(f.Name())
}

func hasDB(f facts.File, db string) bool {
	if f.Backup == nil {
		return false
	}
	for _, s := range f.Backup.Sets {
		if strings.EqualFold(s.DatabaseName, db) {
			return true
		}
	}
	return false
}

func fileDBs(f facts.File) []string {
	if f.Backup == nil {
		return nil
	}
	var out []string
	for _, s := range f.Backup.Sets {
		dup := false
		for _, o := range out {
			dup = dup || strings.EqualFold(o, s.DatabaseName)
		}
		if !dup && s.DatabaseName != "" {
			out = append(out, s.DatabaseName)
		}
	}
	return out
}

func firstDB(f facts.File) string {
	if dbs := fileDBs(f); len(dbs) > 0 {
		return dbs[0]
	}
	return ""
}

// isBackupFile: a decoded backup, or without headers a backup-like name.
func isBackupFile(f facts.File, headersRead bool) bool {
	if headersRead {
		return f.Backup != nil
	}
	return isBackupName(f.Name())
}

func isBackupName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".bak", ".trn", ".log", ".diff", ".dif", ".full":
		return true
	}
	return false
}

func folderName(dir string) string {
	if dir == "" {
		return "the root folder"
	}
	return "folder " + dir
}

func folderNames(dirs []string) []string {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = folderName(d)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func unknown(fields []string, name string) bool {
	for _, f := range fields {
		if f == name {
			return true
		}
	}
	return false
}

func blobTypeName(t string) string {
	switch t {
	case facts.BlockBlob:
		return "block blob"
	case facts.AppendBlob:
		return "append blob"
	case "":
		return "blob of unknown type"
	}
	return t
}

// roundDur prints a duration in days or hours, the way expiry is planned.
func roundDur(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if d >= time.Hour {
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()))
}

// folderObj names a folder as a finding object; "folder:/" is the root.
func folderObj(dir string) string {
	if dir == "" {
		return "folder:/"
	}
	return "folder:" + dir
}

func pageBlobMsg(n int, where string) string {
	if n == 1 {
		return "the backup in " + where + " is a page blob"
	}
	return fmt.Sprintf("%d backups in %s are page blobs", n, where)
}

// hasHave and holdHolds put the verb after a folder name in agreement with
// the count before it.
func hasHave(n int, where string) string   { return where + verb(n, " has", " have") }
func holdHolds(n int, where string) string { return where + verb(n, " holds", " hold") }

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
