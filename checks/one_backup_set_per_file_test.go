package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestOneBackupSetPerFile(t *testing.T) {
	// A compressed file read at its head and tail: sets 1 and 3 read, set 2
	// not, and the reader says the file holds at least 3.
	three := bf("db/three.bak", full("db"), logb("db"))
	three.Backup.Sets[1].Position = 3
	three.Backup.SetCount, three.Backup.SetsIncomplete = 3, true
	// One set read, but at position 2: the file holds another before it.
	later := bf("db/two.bak", logb("db"))
	later.Backup.Sets[0].Position = 2
	// A file cut short after its first set: the reader read one set and
	// says it does not know how many the file holds (a compressed file of
	// two sets whose last is cut reads so).
	cut := bf("db/cut.bak", full("db"))
	cut.Backup.SetCount, cut.Backup.SetsIncomplete, cut.Backup.Unknown = 1, true, []string{"sets"}
	cut.ReadErrorKind, cut.ReadError = facts.ReadTruncated, "truncated at offset 26283: the last compressed record runs past the end of the file"
	testCheck(t, OneBackupSetPerFile, []tcase{
		{"sets not all read", fx{files: []facts.File{bf("db/one.bak", full("db")), cut}}.facts(), []string{"error file:db/cut.bak: whether db/cut.bak holds one backup set is unknown", "pass folder:db: 1 backup file in folder db holds"}},
		{"appended", fx{files: []facts.File{bf("db/one.bak", full("db")), bf("db/two.bak", full("db"), logb("db"))}}.facts(), []string{"fail file:db/two.bak", "pass folder:db"}},
		{"single", fx{files: []facts.File{bf("one.bak", full("db"))}}.facts(), []string{"pass folder:/"}},
		{"more than read", fx{files: []facts.File{three}}.facts(), []string{"fail file:db/three.bak: holds at least 3 backup sets; 2 read"}},
		{"lone later set", fx{files: []facts.File{later}}.facts(), []string{"fail file:db/two.bak: holds at least 2 backup sets; 1 read"}},
	})
}
