package convert

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// TestTypedDupTraitsFreshLean: packet values of 0x11 switches with fresh
// tables and no AMF0 object, which writePacketTyped reads with fresh
// tables whatever their traits (typedConv.freshOn): the traits rule
// across the switches by seenKey, then (past maxFreshKeys distinct
// traits, or at the first traits read again) by traitDups over a Reader
// of tables that span them (freshBits). One switch of more traits than
// the Reader keeps among small ones (traits equal to an earlier
// switch's, and a later switch's equal to one of it), and many small
// switches whose traits equal those of earlier ones, before and after
// the writer turns to freshBits: typed JSON as the value path writes
// it.
func TestTypedDupTraitsFreshLean(t *testing.T) {
	big := []byte{0x0a, 0, 0, 0, 6}
	big = append(append(big, 0x11), sealedC("n4401")...) // 2 strings, 1 traits
	big = append(append(big, 0x11), dupTraitsInputAt(4096+3000, 2, 1)...)
	big = append(append(big, 0x11), sealedC("n4400")...) // equal to one of the big switch
	big = append(append(big, 0x11), sealedC("n9")...)    // equal to none
	big = append(append(big, 0x11), sealedC("n9")...)    // equal to the switch before
	big = append(append(big, 0x11), sealedC("n4401")...) // equal to the first
	// Many small switches: each an array of two objects, of traits of a
	// few names; the same traits again in the same switch (a reference)
	// and in later ones.
	many := []byte{0x0a, 0, 0, 0, 60}
	for i := range 60 {
		a := strconv.Itoa(i % 13)
		b := strconv.Itoa(i % 5)
		many = append(many, 0x11, 0x09, 0x07, 0x01) // [3 items]
		many = append(many, sealedC("m"+a)...)
		// Dynamic, one sealed name b: {b: i, x: i}.
		many = append(many, 0x0a, 1<<4|0x0b, 0x01)
		many = amf.AppendU29(many, uint32(len(b))<<1|1)
		many = append(append(many, b...), 0x04, byte(i), 0x03, 'x', 0x04, byte(i), 0x01)
		// The switch's first traits again (the numbers span the
		// switches).
		many = amf.AppendU29(append(many, 0x0a), uint32(2*i)<<2|0x01)
		many = append(many, 0x01)
	}
	for _, c := range []struct {
		name   string
		arr    []byte
		traits int
	}{{"big", big, 4096 + 3000}, {"many", many, 1}} {
		pkt := replyPacket(c.arr)
		_, parts := scanPacket(pkt, false)
		if parts == nil || !parts.messages[0].FreshSwitches || parts.messages[0].Objects0 || parts.messages[0].SwitchTraits < c.traits {
			t.Fatalf("%s: the value is not one of fresh switches without AMF0 objects: %+v", c.name, parts)
		}
		for _, keys := range []int{1 << 14, 5, 1} {
			func() {
				defer func(n int) { maxFreshKeys = n }(maxFreshKeys)
				maxFreshKeys = keys
				for _, o := range []Options{{Typed: true}, {Typed: true, Indent: " "}} {
					if !checkPacket(t, pkt, InSpec{}, o) {
						t.Fatalf("%s: RenderTo did not take the packet", c.name)
					}
				}
			}()
		}
	}
}

// FuzzTypedFreshLean: packets to typed JSON, with the writer turning to
// traitDups (freshBits) after a few distinct traits in a value of fresh
// switches (maxFreshKeys 1 to 4), and the token Reader's tables lowered
// for half the inputs (fuzzTables, leanFrom), held to the value path.
func FuzzTypedFreshLean(f *testing.F) {
	for _, name := range []string{"../testdata/pyamf/captures/*", "../testdata/golden/*.amfpkt"} {
		files, _ := filepath.Glob(name)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 1<<16 {
				f.Add(data)
			}
		}
	}
	for _, c := range amftest.SwitchedCases() {
		f.Add(c.Packet)
	}
	arr := []byte{0x0a, 0, 0, 0, 5}
	arr = append(append(arr, 0x11), sealedC("n1")...)
	arr = append(append(arr, 0x11), dupTraitsInputAt(30, 2, 1)...)
	arr = append(append(arr, 0x11), sealedC("n0")...)
	arr = append(append(arr, 0x11), sealedC("n9")...)
	arr = append(append(arr, 0x11), sealedC("n1")...)
	f.Add(replyPacket(arr))
	f.Add(replyPacket(append(arr, 0))) // odd length: the defaults
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		old, oldLean := maxFreshKeys, leanFrom
		t.Cleanup(func() { maxFreshKeys, leanFrom = old, oldLean })
		maxFreshKeys = 1 + len(data)%4
		if len(data)&1 == 0 {
			leanFrom = 2
		}
		checkPacket(t, data, InSpec{Kind: KindPacket, KindSet: true}, Options{Typed: true, MaxOutput: 1 << 20})
	})
}

// BenchmarkTypedFreshSwitches: typed JSON of version-3 replies whose
// value is a strict array of 0x11 switches with fresh tables: 5,000 W1
// items each switched (a few distinct traits: seenKey), and 100,000
// switches of one distinct sealed traits each (past maxFreshKeys:
// freshBits).
func BenchmarkTypedFreshSwitches(b *testing.B) {
	items := amftest.W1(5000).Dense
	for i, v := range items {
		items[i] = amf.AVMPlus{Value: v}
	}
	w1, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}}}})
	if err != nil {
		b.Fatal(err)
	}
	distinct := []byte{0x0a, 0, 1, 0x86, 0xa0} // 100,000
	for i := range 100_000 {
		distinct = append(append(distinct, 0x11), sealedC("n"+strconv.Itoa(i))...)
	}
	for _, c := range []struct {
		name string
		pkt  []byte
	}{{"W1", w1}, {"distinct", replyPacket(distinct)}} {
		b.Run(c.name, func(b *testing.B) {
			src, err := Load(c.pkt, "in", InSpec{})
			if err != nil || src.Kind != KindPacket {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(c.pkt)))
			b.ReportAllocs()
			for b.Loop() {
				if ok, err := src.RenderTo(io.Discard, Target{Format: "json"}, &Options{Typed: true}); err != nil || !ok {
					b.Fatal(ok, err)
				}
			}
		})
	}
}
