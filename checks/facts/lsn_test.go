package facts

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigString and bigParse are the math/big forms String and ParseLSN had;
// the fast forms must agree with them on every value.
func bigString(l LSN) string {
	if l.IsZero() {
		return ""
	}
	e15 := new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil)
	n := new(big.Int).Mul(big.NewInt(int64(l.VLF)), e15)
	n.Add(n, new(big.Int).Mul(big.NewInt(int64(l.Block)), big.NewInt(100000)))
	n.Add(n, big.NewInt(int64(l.Slot)))
	return n.String()
}

func bigParse(s string) (LSN, bool) {
	if s == "" || s == "0" {
		return LSN{}, true
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() < 0 {
		return LSN{}, false
	}
	e15 := new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil)
	vlf, rest := new(big.Int).QuoRem(n, e15, new(big.Int))
	block, slot := new(big.Int).QuoRem(rest, big.NewInt(100000), new(big.Int))
	if !vlf.IsUint64() || vlf.Uint64() > 0xFFFFFFFF || block.Uint64() > 0xFFFFFFFF || slot.Uint64() > 0xFFFF {
		return LSN{}, false
	}
	return LSN{VLF: uint32(vlf.Uint64()), Block: uint32(block.Uint64()), Slot: uint16(slot.Uint64())}, true
}

func TestLSNFastFormsMatchBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	edges := []uint32{0, 1, 9, 10, 99999, 100000, 4294967295}
	var ls []LSN
	for _, v := range edges {
		for _, b := range edges {
			for _, s := range []uint16{0, 1, 9999, 65535} {
				ls = append(ls, LSN{v, b, s})
			}
		}
	}
	for range 20000 {
		ls = append(ls, LSN{r.Uint32() >> r.IntN(32), r.Uint32() >> r.IntN(32), uint16(r.Uint32() >> r.IntN(32))})
	}
	for _, l := range ls {
		s := l.String()
		if want := bigString(l); s != want {
			t.Fatalf("%+v: String %q, math/big %q", l, s, want)
		}
		back, err := ParseLSN(s)
		if err != nil || back != l {
			t.Fatalf("ParseLSN(%q) = %+v, %v", s, back, err)
		}
	}
	strs := []string{"", "0", "00", "-0", "+0", "+5", "-5", "+", "-", "1 ", " 1", "1_0", "0x10", "١",
		"000000000000000000000000000000012", "4294967295429496729565535", "4294967296000000000000000",
		"4294967295999999999999999", "99999", "100000", "165535", "165536", "9999999999999999999999999",
		"99999999999999999999999999", "18446744073709551616", "12345678901234567890123"}
	for range 5000 {
		strs = append(strs, fmt.Sprint(r.Uint64()>>r.IntN(64)), fmt.Sprint(r.Uint64())+fmt.Sprint(r.Uint32()>>r.IntN(32)))
	}
	for _, s := range strs {
		got, err := ParseLSN(s)
		want, ok := bigParse(s)
		if (err == nil) != ok || got != want {
			t.Errorf("ParseLSN(%q) = %+v, %v; math/big: %+v, %v", s, got, err, want, ok)
		}
	}
}

func TestLSNUnmarshalEscaped(t *testing.T) {
	var l LSN
	if err := l.UnmarshalJSON([]byte(`"19000000021500001"`)); err != nil || l != (LSN{19, 215, 1}) {
		t.Errorf("plain: %+v %v", l, err)
	}
	if err := l.UnmarshalJSON([]byte(`"\u0031900000002150000\u0031"`)); err != nil || l != (LSN{19, 215, 1}) {
		t.Errorf("escaped: %+v %v", l, err)
	}
	if err := l.UnmarshalJSON([]byte(`19000000021500001`)); err == nil {
		t.Errorf("a bare number was accepted")
	}
}
