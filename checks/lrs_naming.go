package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// lrsExtensions are the file extensions Log Replay Service accepts.
var lrsExtensions = map[string]bool{".bak": true, ".log": true, ".diff": true}

// LRSNaming is check DMS213: Log Replay Service's naming rules.
var LRSNaming = &check.Check{
	ID:       "DMS213",
	Title:    "Backup names follow Log Replay Service rules",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Log Replay Service: only .bak, .log and .diff files are restored; container and folder names can't contain 'backup'",
	Doc: "Only the folders and files the planned databases' restores read are judged (with no database planned, all); the rest of a shared container is left to DMS211. Log Replay Service (plan `method: lrs`) documents the extensions .bak, .log and .diff only (its own " +
		"examples use .trn; whether other extensions are rejected in practice is not verified), " +
		"and the words backup/backups are reserved in the URI path: a container or folder (the database's folder or any folder above it) " +
		"containing them breaks the restore. Checked only when the plan's method is lrs.",
	Fix:   "Rename log backups to .log and differentials to .diff, and rename containers and folders to avoid the word \"backup\".",
	Link:  linkLRS,
	Basis: check.Documented("Microsoft, Log Replay Service: .bak, .log and .diff files; no \"backup\" in container or folder names"),
	Run: func(p *check.Pass) {
		if p.Plan().Method != facts.MethodLRS {
			p.Skip("", check.ObjectStorage, "the plan's method is not lrs")
			return
		}
		st := p.Facts.Storage
		bad := 0
		if strings.Contains(strings.ToLower(st.Container), "backup") {
			bad++
			p.Warn("", check.ContainerObject(st.Container), fmt.Sprintf("container name %q contains \"backup\"", st.Container), nil)
		}
		if strings.Contains(strings.ToLower(st.Prefix), "backup") {
			bad++
			p.Warn("", check.LocationObject(st.Prefix), fmt.Sprintf("location folder %q contains \"backup\"", st.Prefix), nil)
		}
		sc := scopeOf(p)
		for _, fo := range st.Folders {
			if !sc.folder(fo.Path) {
				continue
			}
			if fo.Path != "" && strings.Contains(strings.ToLower(path.Base(fo.Path)), "backup") {
				bad++
				p.Warn("", check.FolderObject(fo.Path), fmt.Sprintf("folder name %q contains \"backup\"", path.Base(fo.Path)), nil)
				continue
			}
			// Its parents are in the URI path LRS is given too.
			for _, seg := range strings.Split(path.Dir(fo.Path), "/") {
				if strings.Contains(strings.ToLower(seg), "backup") {
					bad++
					p.Warn("", check.FolderObject(fo.Path), fmt.Sprintf("folder %s contains \"backup\" (in %s)", fo.Path, seg), nil)
					break
				}
			}
		}
		for _, f := range scan(st) {
			ext := strings.ToLower(path.Ext(f.Name()))
			if lrsExtensions[ext] || !isBackupFile(f, st.HeadersRead) || !sc.file(f) {
				continue
			}
			bad++
			p.Warn(firstDB(f), check.FileObject(f.Path), fmt.Sprintf("%s has extension %q; Log Replay Service restores only .bak, .log and .diff", f.Path, ext), check.Ev{"extension": ext})
		}
		if bad == 0 {
			p.Pass("", check.ObjectStorage, "container, folder and file names follow the Log Replay Service rules", nil)
		}
	},
}
