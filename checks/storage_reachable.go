package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// StorageReachable is check DMS201: DMS and dmsready must both be able to
// list the container.
var StorageReachable = &check.Check{
	ID:       "DMS201",
	Title:    "Backup storage is reachable and listable",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Backups DMS cannot list cannot be restored; this checks dmsready's own path to storage, not the target's (the 2009 storage-firewall error is about the target's virtual network and is not decided here)",
	Doc: "dmsready lists the container (or share) with the credentials it was given, from where it runs. " +
		"When the listing fails the check reports an error naming the cause: `firewall` when the storage " +
		"account answers 403 AuthorizationFailure (\"This request is not authorized to perform this operation\"), " +
		"which is what its firewall and virtual network rules answer to a caller they do not allow; " +
		"`forbidden` for a credential without read and list rights; `expired` for an expired SAS; " +
		"`not-found` for a missing container. A reachable but empty location is a warning, and so is a share with folders that could not be listed. " +
		"DMS itself reads the backups from the target's network, so the target's virtual network must be allowed too: " +
		"a listing from dmsready's machine does not decide that (the 2009 storage-firewall error), in either direction.",
	Fix: "For `firewall`: in the storage account's Networking settings, allow the address dmsready runs from and the " +
		"target's virtual network (Managed Instance: its subnet, with a Microsoft.Storage service endpoint), or use " +
		"a private endpoint. For `forbidden`: use a SAS with read and list permissions on the container, or grant " +
		"the identity Storage Blob Data Reader. For `expired`: issue a new SAS.",
	Link:  linkFirewall,
	Basis: check.Own("DMS must be able to list the backups; this checks dmsready's own path to storage, not the target's"),
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		ev := check.Ev{"location": st.Location, "files": fmt.Sprint(len(st.Files)), "auth": string(st.Auth)}
		// Which credential was used and why, and how an ambiguous location
		// was read, so that a report says what was tried.
		if st.AuthReason != "" {
			ev["credential"] = st.AuthReason
		}
		if st.LocationNote != "" {
			ev["locationNote"] = st.LocationNote
		}
		if len(st.Files) == 0 {
			p.Warn("", check.ObjectStorage, fmt.Sprintf("%s is reachable but holds no files", st.Location), ev)
			return
		}
		var unlisted []string
		for _, f := range scan(st) {
			// A share's folder that could not be listed (its path ends in '/').
			if f.ReadErrorKind == readErrorIO && strings.HasSuffix(f.Path, "/") {
				unlisted = append(unlisted, f.Path+" ("+f.ReadError+")")
			}
		}
		if len(unlisted) > 0 {
			ev["unlisted"] = strings.Join(firstN(unlisted, 10), "; ")
			p.Warn("", check.ObjectStorage, fmt.Sprintf("listed %s, but %s could not be listed: %s", count(len(st.Files)-len(unlisted), "file", "files"),
				count(len(unlisted), "folder", "folders"), strings.Join(firstN(unlisted, 5), "; ")), ev)
			return
		}
		p.Pass("", check.ObjectStorage, fmt.Sprintf("listed %s (%d bytes) in %s at %s", count(len(st.Files), "file", "files"), st.TotalBytes, count(len(st.Folders), "folder", "folders"), st.Location), ev)
	},
}
