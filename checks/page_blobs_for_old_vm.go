package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// PageBlobsForOldVM is check DMS207: SQL Server 2012/2014 on a VM restores
// only page blobs.
var PageBlobsForOldVM = &check.Check{
	ID:       "DMS207",
	Title:    "Backups are page blobs for a SQL Server 2012/2014 VM target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  check.Targets{facts.KindVM},
	Prevents: "Limitation: with SQL Server 2012 or 2014, store the backup files as page blobs in an Azure Blob container (not a network share), since block blobs are only supported in SQL 2016 and after",
	Doc: "Only the folders and files the planned databases' restores read are judged (with no database planned, all); the rest of a shared container is left to DMS211. A SQL Server on Azure VM target running SQL Server 2012 or 2014 restores from URL only from page blobs " +
		"(backups written with a storage account key credential); block blobs (written with a SAS credential, " +
		"or uploaded by AzCopy and most tools by default) are readable from SQL Server 2016 on. Such a target " +
		"also cannot use the network share option. The target version comes from the plan (`target.version`).",
	Fix: "Upload the backups as page blobs (`azcopy copy ... --blob-type PageBlob`; page blobs need a size " +
		"that is a multiple of 512 bytes, which SQL Server backups are) or back up to URL with a " +
		"storage-account-key credential; or migrate to a SQL Server 2016 or newer VM.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS limitations for SQL Server on Azure VM: page blobs for SQL Server 2012 and 2014 targets (the Azure Data Studio extension checks BlobType)"),
	Run: func(p *check.Pass) {
		v := p.Plan().Target.Version
		r, ok := sqlrelease.Parse(v)
		year := r.Year
		if v == "" || !ok {
			p.Skip("", check.ObjectTarget, fmt.Sprintf("target version %q is not a known SQL Server release", v))
			return
		}
		ev := check.Ev{"targetVersion": v}
		if year >= sqlrelease.SQL2016.Year {
			p.Pass("", check.ObjectTarget, fmt.Sprintf("target SQL Server %d restores block and page blobs", year), ev)
			return
		}
		if year != sqlrelease.SQL2012.Year && year != sqlrelease.SQL2014.Year {
			p.Skip("", check.ObjectTarget, fmt.Sprintf("target SQL Server %d is not supported by DMS (see DMS102)", year))
			return
		}
		st := p.Facts.Storage
		if st.Kind == facts.StorageShare {
			p.Fail("", check.ObjectStorage, fmt.Sprintf("a SQL Server %d target cannot restore from a network share: use a blob container with page blobs", year), ev)
			return
		}
		pages := map[string]int{}
		sc := scopeOf(p)
		// Files whose header read failed: unless a page blob, each may be
		// a backup the target cannot restore, so their folder is undecided.
		unread := map[string][]string{}
		for _, f := range scan(st) {
			if st.HeadersRead && readFailed(f) && f.BlobType != facts.PageBlob && sc.file(f) {
				unread[f.Dir()] = append(unread[f.Dir()], f.Path)
				continue
			}
			if !isBackupFile(f, st.HeadersRead) || !sc.file(f) {
				continue
			}
			if f.BlobType == facts.PageBlob {
				pages[f.Dir()]++
				continue
			}
			if f.BlobType == "" {
				p.Skip("", check.FileObject(f.Path), f.Path+": blob type unknown")
				continue
			}
			fev := check.Ev{"targetVersion": v, "blobType": f.BlobType}
			p.Fail("", check.FileObject(f.Path), fmt.Sprintf("%s is a %s; SQL Server %d restores only page blobs", f.Path, blobTypeName(f.BlobType), year), fev)
		}
		for dir, files := range unread {
			unreadError(p, "", check.FolderObject(dir), files)
		}
		for dir, n := range pages {
			if unread[dir] != nil {
				continue
			}
			p.Pass("", check.FolderObject(dir), pageBlobMsg(n, folderName(dir)), ev)
		}
	},
}

func pageBlobMsg(n int, where string) string {
	if n == 1 {
		return "the backup in " + where + " is a page blob"
	}
	return fmt.Sprintf("%d backups in %s are page blobs", n, where)
}
