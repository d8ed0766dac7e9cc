package restore

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// sampleBackup is a backup with every field set, as group makes it from h.
func sampleBackup(h *facts.BackupSet) Backup {
	return fromHeader(h, []string{"a.bak", "b.bak"}, 2)
}

func sampleHeader() *facts.BackupSet {
	yes := true
	t0, t1 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2026, 1, 2, 3, 9, 5, 0, time.UTC)
	l := func(n uint32) facts.LSN { return facts.LSN{VLF: 40, Block: n, Slot: 1} }
	return &facts.BackupSet{Position: 2, BackupType: facts.TypeLog, FirstLSN: l(1), LastLSN: l(9), CheckpointLSN: l(3),
		DatabaseBackupLSN: l(2), DifferentialBaseLSN: l(4), DifferentialBaseGUID: "g1", BackupSetGUID: "g2", IsCopyOnly: &yes,
		BackupStartDate: &t0, BackupFinishDate: &t1, DatabaseVersion: 957, SoftwareVersion: "16.0.1000"}
}

// TestSameBackupEveryField: sameBackup tells apart two backups that
// differ in any one field, so a field added to Backup and not compared
// there fails here (NewUnused would otherwise drop its value).
func TestSameBackupEveryField(t *testing.T) {
	h := sampleHeader()
	base := sampleBackup(h)
	if !sameBackup(&base, sampleBackup(h)) {
		t.Fatal("a backup differs from itself")
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		b := sampleBackup(h)
		f := reflect.ValueOf(&b).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int:
			f.SetInt(f.Int() + 1)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Slice:
			f.Set(reflect.Append(f, reflect.Zero(f.Type().Elem())))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Struct:
			f.Field(0).SetUint(f.Field(0).Uint() + 1)
		default:
			t.Fatalf("field %s: kind %s not covered by this test", typ.Field(i).Name, f.Kind())
		}
		if sameBackup(&base, b) {
			t.Errorf("sameBackup does not compare %s", typ.Field(i).Name)
		}
	}
}

// TestUnusedKeepsItsBackup: whatever backup an Unused is made of, it
// gives it back whole: derived from its header when the header gives
// every value, else kept as it is.
func TestUnusedKeepsItsBackup(t *testing.T) {
	h := sampleHeader()
	derived := sampleBackup(h)
	partial := Backup{Type: facts.TypeLog, Files: []string{"x.trn"}, FirstLSN: h.FirstLSN, LastLSN: h.LastLSN, Header: h}
	striped := sampleBackup(h)
	striped.MissingFamilies = []int{3}
	bare := Backup{Files: []string{"broken.bak"}}
	for name, b := range map[string]Backup{"derived": derived, "partial": partial, "striped": striped, "bare": bare} {
		u := NewUnused(b, ReasonSuperseded, "why")
		if got := u.Backup(); !reflect.DeepEqual(got, b) {
			t.Errorf("%s: Backup() = %+v, want %+v", name, got, b)
		}
		if u.File() != b.File() || u.Type() != b.Type || u.LastLSN() != b.LastLSN || u.Header() != b.Header || u.Detail() != "why" {
			t.Errorf("%s: accessors differ from the backup", name)
		}
		if (u.own == nil) != (name == "derived") {
			t.Errorf("%s: derived from its header = %v", name, u.own == nil)
		}
		d := u.Detached()
		want := b
		want.Header = nil
		if got := d.Backup(); !reflect.DeepEqual(got, want) || d.Header() != nil {
			t.Errorf("%s: Detached().Backup() = %+v, want %+v", name, got, want)
		}
	}
	u := unusedAt(derived, ReasonBeforeBase, ", covered")
	if got, want := u.Detail(), "ends at LSN 40000000000900001, covered"; got != want {
		t.Errorf("Detail() = %q, want %q", got, want)
	}
}

// TestLowerKeyIsToLower: two ids group together exactly when their
// strings.ToLower are equal, however long and whatever their bytes.
func TestLowerKeyIsToLower(t *testing.T) {
	ids := []string{"A1B2C3D4-0000-4000-8000-ABCDEFABCDEF", "a1b2c3d4-0000-4000-8000-abcdefabcdef", "a1b2c3d4-0000-4000-8000-abcdefabcde",
		"x", "X", "x\x00", "\u212a", "k", "K", "Ä", "ä", strings.Repeat("Ab", 30), strings.Repeat("aB", 30), strings.Repeat("ab", 20), strings.Repeat("AB", 20) + "c"}
	for _, a := range ids {
		for _, b := range ids {
			// ToLower, not EqualFold: what the planner's keys stood for.
			la, lb := strings.ToLower(a), strings.ToLower(b)
			if got, want := lowerKey('g', a, 1) == lowerKey('g', b, 1), la == lb; got != want {
				t.Errorf("%q, %q: same key %v, same ToLower %v", a, b, got, want)
			}
		}
	}
}
