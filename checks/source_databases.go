package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/fold"
)

// sourceDB finds a migrated database on the source server: the one of
// exactly that name first, since on a case-sensitive server collation Sales
// and SALES are two databases, else the first equal under case folding. The
// index is built once per run (a scan per database was quadratic over
// thousands of databases).
func sourceDB(p *check.Pass, name string) *facts.Database {
	if p.Facts.Server == nil {
		return nil
	}
	type index struct{ exact, folded map[string]int }
	by := p.Derived("source.byName", func(f *facts.Facts) any {
		x := index{make(map[string]int, len(f.Server.Databases)), make(map[string]int, len(f.Server.Databases))}
		for i := range f.Server.Databases {
			n := f.Server.Databases[i].Name
			if _, ok := x.exact[n]; !ok {
				x.exact[n] = i
			}
			if _, ok := x.folded[fold.Key(n)]; !ok {
				x.folded[fold.Key(n)] = i
			}
		}
		return x
	}).(index)
	if i, ok := by.exact[name]; ok {
		return &p.Facts.Server.Databases[i]
	}
	if i, ok := by.folded[fold.Key(name)]; ok {
		return &p.Facts.Server.Databases[i]
	}
	return nil
}

// eachSourceDB calls fn for every migrated database found on the source and
// skips the ones the source does not have.
func eachSourceDB(p *check.Pass, fn func(d *facts.Database, obj string)) {
	for _, pd := range databases(p) {
		obj := check.DatabaseObject(pd.Name)
		d := sourceDB(p, pd.Name)
		if d == nil {
			p.Skip(pd.Name, obj, notOnSource(p)+" (see DMS416)")
			continue
		}
		// Report under the plan's spelling, so one database is one group
		// even when the plan and the server differ in case.
		named := *d
		named.Name = pd.Name
		fn(&named, obj)
	}
}

// notOnSource says why a planned database has no source facts: not on the
// server, or not in a database list the login could not see whole (without
// VIEW ANY DATABASE sys.databases hides rows instead of failing).
func notOnSource(p *check.Pass) string {
	if e := p.Facts.ErrorFor(facts.SrcDatabaseList); e != nil {
		why := "not in the source's database list, which is incomplete"
		if e.Permission != "" {
			why += " (needs " + e.Permission + ")"
		}
		return why
	}
	return "not a database on the source server"
}

// tdeEncrypted reports a database whose encryption key exists and encrypts
// (states 2-6: in progress, encrypted, key change, decryption in progress,
// protection change).
func tdeEncrypted(d *facts.Database) bool {
	return d.EncryptionState != nil && *d.EncryptionState >= 2 || d.Encrypted
}

// tablesOf returns the table stats or skips the database saying why not.
func tablesOf(p *check.Pass, d *facts.Database, obj string) *facts.TableStats {
	if d.Tables == nil {
		why := d.TablesError
		if why == "" {
			why = "table list not collected"
		}
		if d.TablesFailed {
			// Read and refused: undecided, never a pass or a plain skip.
			p.Error(d.Name, obj, "table list could not be read: "+why, nil)
			return nil
		}
		p.Skip(d.Name, obj, why)
	}
	return d.Tables
}

// migratedSizeMB sums data and log of the migrated databases; ok is false
// when a size is unknown.
func migratedSizeMB(p *check.Pass) (total int64, unknown []string) {
	for _, pd := range databases(p) {
		d := sourceDB(p, pd.Name)
		if d == nil || d.Files == nil {
			unknown = append(unknown, pd.Name)
			continue
		}
		total += mib(d.DataBytes + d.LogBytes)
	}
	return total, unknown
}
