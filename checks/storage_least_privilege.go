package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// sasPermissionNames names SAS permission letters beyond read and list.
var sasPermissionNames = map[rune]string{
	'a': "add", 'c': "create", 'w': "write", 'd': "delete", 'x': "delete version", 'y': "permanent delete",
	't': "tags", 'f': "filter by tags", 'm': "move", 'e': "execute", 'o': "ownership", 'p': "permissions",
	'i': "set immutability policy", 'u': "update", 'r': "read", 'l': "list",
}

// StorageLeastPrivilege is check DMS202: dmsready (and DMS) need only read
// and list.
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
	Link:  linkBlobAuthz,
	Basis: check.Documented("Microsoft, Log Replay Service: the SAS must grant Read and List only (with Write, LRS fails to start)"),
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		switch {
		case st.Kind == facts.StorageShare:
			p.Skip("", check.ObjectStorage, "network share: permissions are those of the account running dmsready")
			return
		case st.SAS != nil:
			sasPrivilege(p, st.SAS)
		case st.Auth == facts.AuthAccountKey || st.Auth == facts.AuthConnectionString:
			p.Warn("", check.ObjectStorage, "an account key grants full control (write and delete) of every container in the account; "+
				"only read and list are needed", check.Ev{"auth": string(st.Auth)})
		case st.Auth == facts.AuthNone:
			p.Warn("", check.ObjectStorage, "the container allows anonymous read: anyone can list and download the backups", check.Ev{"auth": string(st.Auth)})
		case st.Auth == facts.AuthEntra:
			p.Pass("", check.ObjectStorage, "Microsoft Entra: grant the identity Storage Blob Data Reader, which only reads and lists", check.Ev{"auth": string(st.Auth)})
		default:
			p.Skip("", check.ObjectStorage, fmt.Sprintf("unknown authentication %q", st.Auth))
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
		if p.Plan().Method == facts.MethodLRS {
			p.Fail("", check.ObjectSAS, "the SAS "+strings.Join(problems, "; ")+": Log Replay Service will not start", ev)
			return
		}
		p.Warn("", check.ObjectSAS, "the SAS "+strings.Join(problems, "; "), ev)
		return
	}
	p.Pass("", check.ObjectSAS, "the SAS grants only read and list on the container", ev)
}
