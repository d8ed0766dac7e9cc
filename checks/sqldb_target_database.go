package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/fold"
)

// SQLDBTargetDatabase is check DMS609: an offline migration to Azure SQL
// Database copies into a database that must already exist, online and large
// enough.
var SQLDBTargetDatabase = &check.Check{
	ID:       "DMS609",
	Title:    "Azure SQL Database target database exists, is online and is large enough",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database offline migration: the target database must exist before the migration (DMS copies data into it)",
	Doc: "DMS migrates to Azure SQL Database by copying data into an existing database on the logical server; it " +
		"creates none. Resource Manager answers 404 for a target database that does not exist (any other failure for one " +
		"database is an error for it alone, naming the call and the permission), and reports its " +
		"`status`, its service objective and its `maxSizeBytes`. A missing database fails; so does one whose status " +
		"makes it unusable (Offline, Creating, Copying, Restoring, Inaccessible, Disabled, Stopped ...). A paused " +
		"serverless database (Paused, Pausing, Resuming, AutoClosed) warns: a login resumes it, but the first one fails " +
		"with 40613 until it is online (serverless tier overview); Scaling warns. A status Resource Manager did not " +
		"document is cannot tell. An Online database passes, unless the source database's data files (sys.master_files, " +
		"when read) allocate more than the target's maximum size, which warns: the copy moves rows, and the space the " +
		"files allocate includes free space, so only the data they hold must fit, and that is not read. The service objective is reported in the evidence: migration speed depends on it.",
	Fix:   "Create the target database (and its schema) on the logical server, resume it if paused, and raise its maximum size or service objective if the data does not fit.",
	Link:  linkSQLDBOffline,
	Basis: check.Documented("Microsoft, DMS offline migration to Azure SQL Database: the target database must exist and be online; Azure SQL Database serverless: a login resumes a paused database (the status grouping and the size comparison are dmsready's own; sys.master_files: size is the file's current size, free space included)"),
	Run: func(p *check.Pass) {
		s := p.Facts.Azure.SQLServer
		if s == nil {
			p.Skip("", check.ObjectTarget, "the azure target is not a logical server")
			return
		}
		if !s.Exists {
			p.Fail("", check.AzureObject(s.Name), fmt.Sprintf("no logical server %s: Resource Manager answered 404 for %s", s.Name, s.ID), check.Ev{"id": s.ID})
			return
		}
		// The last of the server's databases of each name (EqualFold), found
		// once: not one scan of the list per planned database.
		last := make(map[string]int, len(s.Databases))
		for i := range s.Databases {
			last[fold.Key(s.Databases[i].Name)] = i
		}
		for _, pd := range databases(p) {
			name := pd.TargetDBName()
			obj := check.DatabaseObject(pd.Name)
			var d *facts.AzureDatabase
			if i, ok := last[fold.Key(name)]; ok {
				d = &s.Databases[i]
			}
			if d == nil {
				p.Skip(pd.Name, obj, "target database "+name+" was not read: list the databases in the plan (databases:) so dmsready asks Resource Manager for them")
				continue
			}
			if d.Error != "" {
				p.Error(pd.Name, obj, fmt.Sprintf("target database %s could not be read: %s", name, d.Error), check.Ev{"targetName": name})
				continue
			}
			if !d.Exists {
				p.Fail(pd.Name, obj, fmt.Sprintf("no database %s on %s: create it (with its schema) before the migration", name, s.Name), check.Ev{"targetName": name})
				continue
			}
			ev := check.Ev{"targetName": name, "status": d.Status, "serviceObjective": d.ServiceObjective, "tier": d.Tier,
				"maxSizeBytes": fmt.Sprint(d.MaxSizeBytes)}
			switch st := strings.ToLower(d.Status); {
			case st == "online":
			case st == "":
				p.Skip(pd.Name, obj, "target database "+name+" exists; its status is not reported")
				continue
			case dbResumes[st]:
				p.Warn(pd.Name, obj, fmt.Sprintf("target database %s is %s: a serverless database resumes on the first login, which fails (40613) until it is online; resume it before the migration", name, d.Status), ev)
				continue
			case dbBusyOnline[st]:
				p.Warn(pd.Name, obj, fmt.Sprintf("target database %s is %s: online, with an operation in progress that ends in a brief disconnect", name, d.Status), ev)
				continue
			case dbNotUsable[st]:
				p.Fail(pd.Name, obj, fmt.Sprintf("target database %s is %s, not Online", name, d.Status), ev)
				continue
			default:
				p.Skip(pd.Name, obj, fmt.Sprintf("target database %s's status %s is not one dmsready knows", name, d.Status))
				continue
			}
			src := sourceDB(p, pd.Name)
			if src == nil || src.Files == nil || d.MaxSizeBytes <= 0 {
				p.Pass(pd.Name, obj, fmt.Sprintf("target database %s exists and is Online (%s); its size against the source's was not compared", name, d.ServiceObjective), ev)
				continue
			}
			ev["sourceDataBytes"] = fmt.Sprint(src.DataBytes)
			if src.DataBytes > d.MaxSizeBytes {
				// sys.master_files sizes are allocations, free space
				// included, and the copy moves rows: only the data the
				// files hold must fit, and that is not read.
				p.Warn(pd.Name, obj, fmt.Sprintf("the source's data files allocate %s, more than target database %s's maximum size (%s, %s); how much of them holds data is not read: if that is more, the copy fails", human(src.DataBytes), name, human(d.MaxSizeBytes), d.ServiceObjective), ev)
				continue
			}
			p.Pass(pd.Name, obj, fmt.Sprintf("target database %s exists, is Online (%s) and its maximum size %s holds the source's data files (%s allocated)", name, d.ServiceObjective, human(d.MaxSizeBytes), human(src.DataBytes)), ev)
		}
	},
}

// Resource Manager's database status values (Microsoft.Sql databases,
// properties.status), lowercased. Anything else is cannot tell.
var (
	// A login resumes a paused serverless database.
	dbResumes = map[string]bool{"paused": true, "pausing": true, "resuming": true, "autoclosed": true}
	// Online while a scale operation runs.
	dbBusyOnline = map[string]bool{"scaling": true, "onlinechangingdwperformancetiers": true}
	dbNotUsable  = map[string]bool{"restoring": true, "recoverypending": true, "recovering": true, "suspect": true,
		"offline": true, "standby": true, "shutdown": true, "emergencymode": true, "copying": true, "creating": true,
		"inaccessible": true, "offlinesecondary": true, "offlinechangingdwperformancetiers": true, "disabled": true,
		"stopping": true, "stopped": true, "starting": true}
)
