package convert

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// replyPacket is a version-3 reply of one message whose value is body.
func replyPacket(body []byte) []byte {
	pkt := []byte{0, 3, 0, 0, 0, 1, 0, 11}
	pkt = append(pkt, "/1/onResult"...)
	pkt = append(pkt, 0, 4, 'n', 'u', 'l', 'l')
	pkt = binary.BigEndian.AppendUint32(pkt, uint32(len(body)))
	return append(pkt, body...)
}

// solFile is a .sol file named "t" of version ver whose members (each
// name, value and 00 byte) are body.
func solFile(ver byte, body []byte) []byte {
	s := append([]byte{0x00, 0xBF, 0, 0, 0, 0}, "TCSO\x00\x04\x00\x00\x00\x00"...)
	s = append(s, 0, 1, 't', 0, 0, 0, ver)
	s = append(s, body...)
	binary.BigEndian.PutUint32(s[2:], uint32(len(s)-6))
	return s
}

// sealedC is an AMF3 object of inline traits of class "C" and the one
// sealed name (its value null): two strings and a traits registered.
func sealedC(name string) []byte {
	b := []byte{0x0a, 0x13, 0x03, 'C'}
	b = amf.AppendU29(b, uint32(len(name))<<1|1)
	return append(append(b, name...), 0x01)
}

// The traits of dupTraitsInput that the tests below meet again: C with
// n4400 and n4401 (distinct there, past the 4,096 the Reader keeps).

// TestTypedDupTraitsFresh: a packet value of several 0x11 switches with
// fresh tables (amf.PacketPart.FreshSwitches), one of them with more
// traits than the token Reader keeps (amf.PacketPart.SwitchTraits: read
// again; writePacketTyped then reads the value with tables that span
// the switches, and traitDups over them): traits of that switch equal
// to an earlier switch's and an AMF0 object's, and a later switch's
// equal to one of it, are "inline" as the value path writes them.
func TestTypedDupTraitsFresh(t *testing.T) {
	arr := []byte{0x0a, 0, 0, 0, 5}
	arr = append(arr, amf0Object("C", "n4402")...)
	arr = append(append(arr, 0x11), sealedC("n4401")...) // 2 strings, 1 traits
	arr = append(append(arr, 0x11), dupTraitsInputAt(4096+3000, 2, 1)...)
	arr = append(append(arr, 0x11), sealedC("n4400")...)
	arr = append(append(arr, 0x11), sealedC("n9")...) // equal to none
	pkt := replyPacket(arr)
	_, parts := scanPacket(pkt, false)
	if parts == nil || !parts.messages[0].FreshSwitches || parts.messages[0].SwitchTraits != 4096+3000 {
		t.Fatalf("the value is not one of fresh switches, one of %d traits: %+v", 4096+3000, parts)
	}
	for _, o := range []Options{{Typed: true}, {Typed: true, Indent: " "}} {
		if !checkPacket(t, pkt, InSpec{}, o) {
			t.Fatal("RenderTo did not take the packet")
		}
	}
	// The same with fewer traits (every traits kept, fresh tables).
	defer func(n int) { leanFrom = n }(leanFrom)
	leanFrom = 1 << 20
	if !checkPacket(t, pkt, InSpec{}, Options{Typed: true}) {
		t.Fatal("RenderTo did not take the packet")
	}
}

// TestTypedDupTraitsSOL: .sol files of more traits than the token Reader
// keeps (read again, traitDups over the table, which spans the file):
// AMF3, and AMF0 with 0x11 switches and an AMF0 typed object, whose
// canonical traits take part; typed JSON as the value path writes it.
// An AMF0 file with an AMF3 object inside an AMF0 typed object is left
// to the value path (traitsClash).
func TestTypedDupTraitsSOL(t *testing.T) {
	big := dupTraitsInputAt(4096+3000, 4, 1)
	var s3 []byte
	s3 = append(append(s3, 0x03, 'a'), sealedC("n4401")...) // strings "a", "C", "n4401", "b"; 1 traits
	s3 = append(append(append(s3, 0), 0x03, 'b'), big...)
	s3 = append(append(append(s3, 0), 0x03, 'c'), sealedC("n4400")...)
	s3 = append(s3, 0)
	var s0 []byte
	s0 = append(append(s0, 0, 1, 'o'), amf0Object("C", "n4402")...)
	s0 = append(append(append(s0, 0), 0, 1, 'a', 0x11), sealedC("n4401")...)
	s0 = append(append(append(s0, 0), 0, 1, 'b', 0x11), dupTraitsInputAt(4096+3000, 2, 1)...)
	s0 = append(append(append(s0, 0), 0, 1, 'c', 0x11), sealedC("n4400")...)
	s0 = append(s0, 0)
	for _, file := range [][]byte{solFile(3, s3), solFile(0, s0)} {
		_, scan := scanSOL(file)
		if scan == nil || scan.info.Traits <= leanFrom {
			t.Fatalf("%.40x: not a .sol file of more than %d traits", file, leanFrom)
		}
		for _, o := range []Options{{Typed: true}, {Typed: true, Indent: " "}} {
			if !checkPacket(t, file, InSpec{}, o) {
				t.Fatalf("%.40x: RenderTo did not take the .sol file", file)
			}
		}
		// The same with every traits kept (no first pass: the AMF0
		// file's switches are known from the scan).
		func() {
			defer func(n int) { leanFrom = n }(leanFrom)
			leanFrom = 1 << 20
			if !checkPacket(t, file, InSpec{}, Options{Typed: true}) {
				t.Fatalf("%.40x: RenderTo did not take the .sol file", file)
			}
		}()
	}
	// An AMF3 object inside an AMF0 typed object: the value path's.
	clash := append([]byte{0, 1, 'x', 0x10, 0, 1, 'D', 0, 1, 'm', 0x11}, sealedC("m")...)
	clash = append(clash, 0, 0, 0x09, 0)
	if checkPacket(t, solFile(0, append(clash, s0...)), InSpec{}, Options{Typed: true}) {
		t.Fatal("RenderTo took a .sol file whose traits rule it does not follow")
	}
}

// TestTypedDupTraitsFrames: AMF Socket frames, one of more traits than
// the token Reader keeps (read again, traitDups per frame: each frame is
// a reference context of its own, so traits equal to another frame's
// are not "inline"), as the value path writes them.
func TestTypedDupTraitsFrames(t *testing.T) {
	in := frames(sealedC("n4401"), dupTraitsInput(4096+3000), sealedC("n4400"), dupTraitsInput(4096+100))
	for _, tc := range typedOptions {
		if !checkFramesTyped(t, in, tc.o) {
			t.Fatalf("%s: the direct writer did not take the frames", tc.name)
		}
	}
}

// FuzzTypedLean: packets, .sol files and AMF Socket frames to typed
// JSON with the token Reader's tables lowered for half the inputs
// (fuzzTables, and leanFrom: a value, a file or a frame of more than 2
// traits reads traits again, traitDups over them), held to the value
// path.
func FuzzTypedLean(f *testing.F) {
	for _, name := range []string{"../testdata/pyamf/captures/*", "../testdata/golden/*.amfpkt", "../testdata/sol/*.sol", "../testdata/socket/*.frames"} {
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
	small := dupTraitsInputAt(30, 2, 1)
	arr := append([]byte{0x0a, 0, 0, 0, 4}, amf0Object("C", "n2")...)
	arr = append(append(arr, 0x11), sealedC("n1")...)
	arr = append(append(arr, 0x11), small...)
	arr = append(append(arr, 0x11), sealedC("n0")...)
	f.Add(replyPacket(arr))
	f.Add(replyPacket(append(arr, 0))) // odd length: the defaults
	s0 := append([]byte{0, 1, 'o'}, amf0Object("C", "n2")...)
	s0 = append(append(append(s0, 0), 0, 1, 'a', 0x11), sealedC("n1")...)
	s0 = append(append(append(s0, 0), 0, 1, 'b', 0x11), small...)
	f.Add(solFile(0, append(s0, 0)))
	f.Add(frames(sealedC("n1"), dupTraitsInput(30), sealedC("n0")))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		if len(data)&1 == 0 {
			old := leanFrom
			leanFrom = 2
			t.Cleanup(func() { leanFrom = old })
		}
		for _, in := range []InSpec{{Kind: KindPacket, KindSet: true}, {Kind: KindSOL, KindSet: true}} {
			checkPacket(t, data, in, Options{Typed: true, MaxOutput: 1 << 20})
		}
		checkFramesTyped(t, data, Options{Typed: true, MaxOutput: 1 << 20})
	})
}
