package intern

import (
	"testing"
	"unsafe"
)

func same(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

func TestTableShares(t *testing.T) {
	tb := New(0)
	a := tb.Bytes([]byte("Sales"))
	b := tb.Bytes([]byte("Sales"))
	c := tb.String(string([]byte("Sales")))
	if a != "Sales" || !same(a, b) || !same(a, c) {
		t.Fatalf("not shared: %q %q %q", a, b, c)
	}
	if got := tb.Bytes(nil); got != "" {
		t.Fatalf("empty: %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { tb.Bytes([]byte("Sales")) }); n != 0 {
		t.Fatalf("a kept value allocates %v times", n)
	}
}

func TestTableBound(t *testing.T) {
	tb := New(2)
	tb.String("a")
	tb.String("b")
	tb.String("c") // full: starts over
	if len(tb.m) != 1 {
		t.Fatalf("kept %d values, want 1 after starting over", len(tb.m))
	}
}

func TestZeroTableKeepsNothing(t *testing.T) {
	var tb Table
	a, b := tb.Bytes([]byte("Sales")), tb.Bytes([]byte("Sales"))
	if a != "Sales" || same(a, b) {
		t.Fatal("the zero Table shared a value")
	}
}
