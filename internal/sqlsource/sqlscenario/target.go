package sqlscenario

import "github.com/dmsready/dmsready/internal/tdstest"

// Target is one fixture live target (it accepts any login).
type Target struct {
	Version string
	Engine  int // SERVERPROPERTY('EngineEdition'): 8 is a Managed Instance
	DBs     []string
	Thumbs  []string // certificate thumbprints on the target
	Storage []any    // used_mb, limit_mb; nil = query denied
	// Perms are HAS_PERMS_BY_NAME for VIEW ANY DEFINITION and VIEW ANY
	// DATABASE; nil means both granted.
	Perms []any
	// Login, when set, checks the login (e.g. its application intent).
	Login func(tdstest.Login) *tdstest.Error
}

// StorageDeniedMessage is the 300 error for a target login without VIEW
// SERVER STATE.
const StorageDeniedMessage = "VIEW SERVER STATE permission was denied on object 'server', database 'master'."

// Scenario turns the target into TDS answers.
func (tg Target) Scenario() *tdstest.Scenario {
	a := map[string]tdstest.Responder{
		"dmsready:target-server": tdstest.Sets(tdstest.Result{Cols: []tdstest.Col{C("product_version", S), C("engine_edition", I)},
			Rows: [][]any{{tg.Version, tg.Engine}}}),
		"dmsready:target-databases": tdstest.Sets(Names(tg.DBs)),
	}
	perms := tg.Perms
	if perms == nil {
		perms = []any{1, 1}
	}
	a["dmsready:target-permissions"] = tdstest.Sets(tdstest.Result{Cols: []tdstest.Col{C("view_any_definition", I), C("view_any_database", I)}, Rows: [][]any{perms}})
	thumbs := tdstest.Result{Cols: []tdstest.Col{C("thumbprint", S)}, Rows: [][]any{}}
	for _, th := range tg.Thumbs {
		thumbs.Rows = append(thumbs.Rows, []any{th})
	}
	a["dmsready:target-certificates"] = tdstest.Sets(thumbs)
	if tg.Storage != nil {
		a["dmsready:target-storage"] = tdstest.Sets(tdstest.Result{Cols: []tdstest.Col{C("used_mb", BI), C("limit_mb", BI)}, Rows: [][]any{tg.Storage}})
	} else {
		a["dmsready:target-storage"] = tdstest.Fail(300, 14, StorageDeniedMessage)
	}
	return &tdstest.Scenario{Strict: true, Version: [3]int{12, 0, 2000}, Answers: a, Login: tg.Login}
}

// MI is a Managed Instance that already has a database "sales" (DMS501
// fails for Sales), lacks Healthy's TDE certificate (DMS502 fails for HR)
// and has 768 MB of its 32 GB left (DMS504 fails).
func MI() Target {
	return Target{Version: "12.0.2000.8", Engine: 8, DBs: []string{"master", "msdb", "sales", "Other"},
		Thumbs: []string{"1234"}, Storage: []any{int64(32000), int64(32768)}}
}

// VM is a SQL Server 2017 on a VM that has Healthy's TDE certificate: older
// than the 2019 source (DMS503 fails).
func VM() Target {
	return Target{Version: "14.0.3456.2", Engine: 3, DBs: []string{"master"}, Thumbs: []string{TDECert}}
}
