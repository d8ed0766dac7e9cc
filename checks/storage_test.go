package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// set is a backup set of db; opts tweak it.
func set(db, typ string, checksum bool) facts.BackupSet {
	return facts.BackupSet{Position: 1, DatabaseName: db, BackupType: typ, HasBackupChecksums: checksum, FamilyGUID: "fam-" + strings.ToLower(db)}
}

// bf is a decoded backup file holding sets.
func bf(path string, sets ...facts.BackupSet) facts.File {
	for i := range sets {
		sets[i].Position = i + 1
	}
	return facts.File{Path: path, Size: 4096, BlobType: facts.BlockBlob, AccessTier: "Hot", Backup: &facts.BackupMedia{Sets: sets}}
}

func full(db string) facts.BackupSet { return set(db, facts.TypeFull, true) }
func logb(db string) facts.BackupSet { return set(db, facts.TypeLog, true) }

type fx struct {
	kind, version, method string
	dbs                   []facts.PlanDatabase
	files                 []facts.File
	noHeaders             bool
	st                    func(*facts.Storage)
}

func (x fx) facts() *facts.Facts {
	kind := x.kind
	if kind == "" {
		kind = facts.KindMI
	}
	st := &facts.Storage{Kind: facts.StorageBlob, Location: "https://acct.blob.core.windows.net/ctr", Container: "ctr",
		Auth: "sas", Files: x.files, HeadersRead: !x.noHeaders}
	if st.Files == nil {
		st.Files = []facts.File{}
	}
	seen := map[string]bool{"": true}
	st.Folders = []facts.Folder{{Path: ""}}
	for _, f := range st.Files {
		st.TotalBytes += f.Size
		for d := f.Dir(); !seen[d]; d = parent(d) {
			seen[d] = true
			st.Folders = append(st.Folders, facts.Folder{Path: d})
		}
	}
	if x.st != nil {
		x.st(st)
	}
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: now, Storage: st,
		Plan: facts.Plan{Target: facts.PlanTarget{Kind: kind, Version: x.version}, Method: x.method, Databases: x.dbs}}
}

func parent(d string) string {
	if i := strings.LastIndexByte(d, '/'); i >= 0 {
		return d[:i]
	}
	return ""
}

func dbs(names ...string) []facts.PlanDatabase {
	var out []facts.PlanDatabase
	for _, n := range names {
		name, folder, _ := strings.Cut(n, "@")
		out = append(out, facts.PlanDatabase{Name: name, Folder: folder})
	}
	return out
}

type storageCase struct {
	name string
	fx   fx
	want string
}

func runStorageCases(t *testing.T, c *check.Check, cases []storageCase) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdicts(c, tc.fx.facts()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
				for _, fd := range check.Run([]*check.Check{c}, tc.fx.facts()) {
					t.Logf("%s %s: %s", fd.Status, fd.Object, fd.Message)
				}
			}
		})
	}
}

func TestStorageReachable(t *testing.T) {
	runStorageCases(t, StorageReachable, []storageCase{
		{"listed", fx{files: []facts.File{bf("a/f.bak", full("a"))}}, "storage=pass"},
		{"empty", fx{}, "storage=warn"},
		{"sql database target", fx{kind: facts.KindDB}, "-=skip"},
	})
	f := fx{}.facts()
	f.Storage.Files = nil
	f.AddError(facts.SourceError{Source: facts.SrcStorage, Kind: "firewall", Message: "the storage account refused the request"})
	fs := check.Run([]*check.Check{StorageReachable}, f)
	if len(fs) != 1 || fs[0].Status != check.StatusError || fs[0].Evidence["kind"] != "firewall" {
		t.Errorf("firewall error: %+v", fs)
	}
	if !strings.Contains(StorageReachable.Doc, "firewall") || !strings.Contains(StorageReachable.Fix, "virtual network") {
		t.Error("the doc must name the storage firewall and its remedy")
	}
}

func TestStorageLeastPrivilege(t *testing.T) {
	withSAS := func(perm, sr, si, srt string) func(*facts.Storage) {
		return func(st *facts.Storage) {
			st.SAS = &facts.SASInfo{Permissions: perm, Resource: sr, PolicyID: si, ResourceTypes: srt}
		}
	}
	auth := func(a, kind string) func(*facts.Storage) {
		return func(st *facts.Storage) { st.Auth, st.Kind = a, kind }
	}
	runStorageCases(t, StorageLeastPrivilege, []storageCase{
		{"read list", fx{st: withSAS("rl", "c", "", "")}, "sas=pass"},
		{"write delete", fx{st: withSAS("rwdl", "c", "", "")}, "sas=warn"},
		{"no list", fx{st: withSAS("r", "c", "", "")}, "sas=warn"},
		{"stored policy", fx{st: withSAS("rl", "c", "pol", "")}, "sas=warn"},
		{"account sas", fx{st: withSAS("rl", "", "", "co")}, "sas=warn"},
		{"account key", fx{st: auth("account-key", facts.StorageBlob)}, "storage=warn"},
		{"connection string with key", fx{st: auth("connection-string", facts.StorageBlob)}, "storage=warn"},
		{"public", fx{st: auth("none", facts.StorageBlob)}, "storage=warn"},
		{"entra", fx{st: auth("entra", facts.StorageBlob)}, "storage=pass"},
		{"share", fx{st: auth("", facts.StorageShare)}, "storage=skip"},
	})
}

func TestSASExpiry(t *testing.T) {
	exp := func(d time.Duration) func(*facts.Storage) {
		return func(st *facts.Storage) {
			e := now.Add(d)
			st.SAS = &facts.SASInfo{Permissions: "rl", Expiry: &e}
		}
	}
	runStorageCases(t, SASExpiry, []storageCase{
		{"a week", fx{st: exp(7 * 24 * time.Hour)}, "sas=pass"},
		{"soon", fx{st: exp(3 * time.Hour)}, "sas=warn"},
		{"expired", fx{st: exp(-time.Hour)}, "sas=warn"},
		{"no sas", fx{}, "sas=skip"},
		{"policy expiry", fx{st: func(st *facts.Storage) { st.SAS = &facts.SASInfo{Permissions: "rl", PolicyID: "p"} }}, "sas=skip"},
	})
}

// ola is the layout Ola Hallengren's solution writes: FULL/DIFF/LOG per database.
var ola = []facts.File{
	bf("srv/db1/FULL/db1_full.bak", full("db1")),
	bf("srv/db1/LOG/db1_log.trn", logb("db1")),
	bf("srv/db2/FULL/db2_full.bak", full("db2")),
}

func TestFlatFolders(t *testing.T) {
	runStorageCases(t, FlatFolders, []storageCase{
		{"nested, inferred", fx{files: ola}, "database:db1=fail database:db2=warn"},
		{"nested, planned", fx{dbs: dbs("db1@srv/db1", "db2@srv/db2/FULL"), files: ola}, "database:db1=fail database:db2=warn"},
		{"flat", fx{files: []facts.File{bf("db1/a.bak", full("db1")), bf("db1/b.trn", logb("db1"))}}, "database:db1=pass"},
		{"root", fx{files: []facts.File{bf("a.bak", full("db1")), bf("other/b.bak", full("db2"))}}, "database:db1=pass database:db2=pass"},
		{"root with own nesting", fx{dbs: dbs("db1"), files: []facts.File{bf("a.bak", full("db1")), bf("old/b.trn", logb("db1"))}}, "database:db1=fail"},
		{"no headers, planned folder", fx{noHeaders: true, dbs: dbs("db1@db1"), files: []facts.File{{Path: "db1/x.bak"}, {Path: "db1/LOG/y.trn"}, {Path: "db1/notes/readme.txt"}}}, "database:db1=fail"},
		{"no headers, no folder", fx{noHeaders: true, dbs: dbs("db1"), files: []facts.File{{Path: "db1/x.bak"}}}, "database:db1=skip"},
		{"no backups", fx{dbs: dbs("db9")}, "database:db9=skip"},
		// A planned folder that holds none of the backups (a typo, a case
		// mismatch): nothing sits flat in it; DMS210 reports the miss.
		{"planned folder empty", fx{dbs: dbs("db1@DB1"), files: []facts.File{bf("db1/a.bak", full("db1"))}}, "database:db1=skip"},
	})
}

func TestOneDatabasePerFolder(t *testing.T) {
	same := full("db1")
	same.FamilyGUID = "other-family"
	runStorageCases(t, OneDatabasePerFolder, []storageCase{
		{"two databases", fx{files: []facts.File{bf("x/singlerestore.bak", full("singlerestore")), bf("x/testlastbackup.bak", full("RestoreTimeClean"))}}, "folder:x=fail"},
		{"names lie, headers decide", fx{files: []facts.File{bf("x/db1.bak", full("db1")), bf("x/db2.bak", logb("db1"))}}, "folder:x=pass"},
		{"case-insensitive", fx{files: []facts.File{bf("x/a.bak", full("Sales")), bf("x/b.trn", logb("SALES"))}}, "folder:x=pass"},
		{"same name, other family", fx{files: []facts.File{bf("x/a.bak", full("db1")), bf("x/b.bak", same)}}, "folder:x=fail"},
		{"root and folders", fx{files: []facts.File{bf("a.bak", full("a")), bf("b/b.bak", full("b")), {Path: "readme.txt", ReadErrorKind: "not-backup"}}}, "folder:/=pass folder:b=pass"},
		{"one file, two databases", fx{files: []facts.File{bf("x/multi.bak", full("a"), full("b"))}}, "folder:x=fail"},
		{"headers not read", fx{noHeaders: true, files: []facts.File{{Path: "a.bak"}}}, "-=skip"},
	})
}

func TestSeparateFolders(t *testing.T) {
	runStorageCases(t, SeparateFolders, []storageCase{
		{"planned, same folder", fx{dbs: dbs("a@x", "b@x/", "c@y")}, "database:a=fail database:b=fail database:c=pass"},
		{"both at root", fx{dbs: dbs("a", "b"), files: []facts.File{bf("a.bak", full("a")), bf("b.bak", full("b"))}}, "database:a=fail database:b=fail"},
		{"inferred, separate", fx{files: []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b")), bf("c.bak", full("c"))}}, "database:a=pass database:b=pass database:c=pass"},
		{"unknown folder", fx{noHeaders: true, dbs: dbs("a", "b@b")}, "database:a=skip database:b=pass"},
	})
}

func TestPageBlobsForOldVM(t *testing.T) {
	page := bf("db/p.bak", full("db"))
	page.BlobType = facts.PageBlob
	block := bf("db/b.bak", full("db"))
	notBackup := facts.File{Path: "db/readme.txt", BlobType: facts.BlockBlob, ReadErrorKind: "not-backup"}
	files := []facts.File{page, block, notBackup}
	runStorageCases(t, PageBlobsForOldVM, []storageCase{
		{"2014 VM", fx{kind: facts.KindVM, version: "2014", files: files}, "file:db/b.bak=fail folder:db=pass"},
		{"2012 VM by build", fx{kind: facts.KindVM, version: "11.0.7001", files: files}, "file:db/b.bak=fail folder:db=pass"},
		{"2016 VM", fx{kind: facts.KindVM, version: "2016", files: files}, "target=pass"},
		{"2014 share", fx{kind: facts.KindVM, version: "2014", files: files, st: func(st *facts.Storage) { st.Kind = facts.StorageShare }}, "storage=fail"},
		{"unknown version", fx{kind: facts.KindVM, files: files}, "target=skip"},
		{"managed instance", fx{kind: facts.KindMI, version: "2014", files: files}, "-=skip"},
		{"no headers: by name", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak", BlobType: facts.BlockBlob}, {Path: "y.txt", BlobType: facts.BlockBlob}}}, "file:x.bak=fail"},
		// A listing that did not report the blob type decides nothing.
		{"blob type unknown", fx{kind: facts.KindVM, version: "2014", noHeaders: true, files: []facts.File{{Path: "x.bak"}}}, "file:x.bak=skip"},
	})
}

func TestReadableBackups(t *testing.T) {
	files := []facts.File{
		bf("db/ok.bak", full("db")),
		{Path: "db/cold.bak", Size: 10, AccessTier: "Archive", ReadErrorKind: "archived"},
		{Path: "db/empty.bak", ReadErrorKind: "empty"},
		{Path: "db/cut.bak", Size: 10, ReadErrorKind: "truncated", ReadError: "truncated at offset 8"},
		{Path: "db/enc.bak", Size: 10, ReadErrorKind: "encrypted", ReadError: "encrypted"},
		{Path: "db/notes.txt", Size: 10, ReadErrorKind: "not-backup", ReadError: "not a SQL Server backup"},
	}
	runStorageCases(t, ReadableBackups, []storageCase{
		{"mixed", fx{files: files}, "file:db/cold.bak=fail file:db/cut.bak=fail file:db/empty.bak=warn file:db/enc.bak=fail file:db/notes.txt=warn folder:db=pass"},
		{"listing only", fx{noHeaders: true, files: []facts.File{{Path: "a.bak", Size: 5}, {Path: "b.bak", Size: 5, AccessTier: "Archive"}, {Path: "c.bak"}}}, "file:b.bak=fail file:c.bak=warn storage=skip"},
	})
}

// TestReadableBackupsMessage: the reader's error already says "not a SQL
// Server backup"; the finding must not say it twice.
func TestReadableBackupsMessage(t *testing.T) {
	f := fx{files: []facts.File{{Path: "db/notes.txt", Size: 10, ReadErrorKind: "not-backup",
		ReadError: "not a SQL Server backup: no MTF TAPE block at the start of the file"}}}.facts()
	for _, fd := range check.Run([]*check.Check{ReadableBackups}, f) {
		if strings.Count(fd.Message, "not a SQL Server backup") != 1 || !strings.Contains(fd.Message, "no MTF TAPE block") {
			t.Errorf("message %q", fd.Message)
		}
	}
}

func TestFullBackupChecksums(t *testing.T) {
	nock := set("db", facts.TypeFull, false)
	unk := set("db", facts.TypeFull, false)
	unk.Unknown = []string{"hasBackupChecksums"}
	files := []facts.File{bf("db/ok.bak", full("db")), bf("db/nock.bak", nock), bf("db/log.trn", set("db", facts.TypeLog, false)), bf("db/unk.bak", unk)}
	runStorageCases(t, FullBackupChecksums, []storageCase{
		{"dms", fx{files: files}, "file:db/nock.bak=fail file:db/ok.bak=pass file:db/unk.bak=skip"},
		{"lrs", fx{method: "lrs", files: files}, "file:db/nock.bak=warn file:db/ok.bak=pass file:db/unk.bak=skip"},
		{"appended", fx{files: []facts.File{bf("db/two.bak", full("db"), nock)}}, "file:db/two.bak#1=pass file:db/two.bak#2=fail"},
	})
}

func TestPlannedDatabaseBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b"))}
	runStorageCases(t, PlannedDatabaseBackups, []storageCase{
		{"found", fx{dbs: dbs("a", "B@b"), files: files}, "database:B=pass database:a=pass"},
		{"wrong folder", fx{dbs: dbs("a@b"), files: files}, "database:a=fail"},
		{"missing", fx{dbs: dbs("c"), files: files}, "database:c=fail"},
		{"headers not read", fx{dbs: dbs("a"), noHeaders: true}, "-=skip"},
	})
}

func TestUnplannedBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("a/x.bak", full("x")), bf("x/x.trn", logb("x"))}
	runStorageCases(t, UnplannedBackups, []storageCase{
		{"extra", fx{dbs: dbs("a"), files: files}, "database:x=warn"},
		{"all planned", fx{dbs: dbs("A", "x"), files: files}, "storage=pass"},
		{"no plan list", fx{files: files}, "storage=skip"},
	})
}

func TestOneBackupSetPerFile(t *testing.T) {
	runStorageCases(t, OneBackupSetPerFile, []storageCase{
		{"appended", fx{files: []facts.File{bf("db/one.bak", full("db")), bf("db/two.bak", full("db"), logb("db"))}}, "file:db/two.bak=fail folder:db=pass"},
		{"single", fx{files: []facts.File{bf("one.bak", full("db"))}}, "folder:/=pass"},
	})
}

func TestLRSNaming(t *testing.T) {
	files := []facts.File{bf("db/full.bak", full("db")), bf("db/l1.trn", logb("db")), bf("db/l2.log", logb("db")), {Path: "db/notes.txt", ReadErrorKind: "not-backup"}}
	runStorageCases(t, LRSNaming, []storageCase{
		{"good", fx{method: "lrs", files: []facts.File{bf("db/full.bak", full("db")), bf("db/d.diff", set("db", facts.TypeDifferential, true))}}, "storage=pass"},
		{"trn", fx{method: "lrs", files: files}, "file:db/l1.trn=warn"},
		{"backup in names", fx{method: "lrs", files: []facts.File{bf("SalesBackups/full.bak", full("db"))},
			st: func(st *facts.Storage) { st.Container = "sqlbackup"; st.Prefix = "nightly-backup" }},
			"container:sqlbackup=warn folder:SalesBackups=warn location:nightly-backup=warn"},
		{"not lrs", fx{files: files}, "storage=skip"},
		{"vm", fx{kind: facts.KindVM, method: "lrs", files: files}, "-=skip"},
	})
}

func TestStorageRegistry(t *testing.T) {
	var ids []string
	for _, c := range All {
		if strings.HasPrefix(c.ID, "DMS2") {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) != 13 {
		t.Errorf("DMS2xx checks registered: %v", ids)
	}
	if err := check.Validate(All); err != nil {
		t.Error(err)
	}
}

func TestPageBlobsUnknownRelease(t *testing.T) {
	f := planFacts(facts.KindVM, "2020")
	f.Storage = &facts.Storage{Files: []facts.File{}}
	if got := outcome(check.Run([]*check.Check{PageBlobsForOldVM}, f)); got != "skip target" {
		t.Errorf("target version 2020: got %q, want a skip", got)
	}
}

// Under Log Replay Service a SAS beyond read+list stops the migration; with
// DMS it is a least-privilege warning.
func TestSASPrivilegeByMethod(t *testing.T) {
	f := func(method string) *facts.Facts {
		return &facts.Facts{Plan: facts.Plan{Method: method, Target: facts.PlanTarget{Kind: facts.KindMI}},
			Storage: &facts.Storage{Kind: facts.StorageBlob, Files: []facts.File{},
				SAS: &facts.SASInfo{Permissions: "rwl", Resource: "c"}}}
	}
	if got := verdicts(StorageLeastPrivilege, f("lrs")); got != "sas=fail" {
		t.Errorf("lrs: %q", got)
	}
	fs := check.Run([]*check.Check{StorageLeastPrivilege}, f("dms"))
	if len(fs) != 1 || fs[0].Status != check.StatusWarn || fs[0].Severity != check.Warning {
		t.Errorf("dms: %+v", fs)
	}
}
