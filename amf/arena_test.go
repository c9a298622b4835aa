package amf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// arenaInput is one input of the Arena tests: a bare value or a packet.
type arenaInput struct {
	name   string
	ver    Version
	packet bool
	data   []byte
}

// arenaInputs are the PyAMF vectors and captures (bytes PyAMF wrote),
// the decoder's own cases (errors included) and W1 in both versions.
func arenaInputs(t *testing.T) []arenaInput {
	var in []arenaInput
	files, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf[03]")
	pkts, _ := filepath.Glob("../testdata/pyamf/vectors/env_*.amf")
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	if len(files) < 100 || len(pkts)+len(caps) < 20 {
		t.Fatalf("found only %d vectors and %d packets", len(files), len(pkts)+len(caps))
	}
	for _, f := range append(files, append(pkts, caps...)...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ver := AMF0
		if strings.HasSuffix(f, ".amf3") {
			ver = AMF3
		}
		in = append(in, arenaInput{filepath.Base(f), ver, strings.HasSuffix(f, ".amf"), data})
	}
	for _, tc := range decodeCases {
		in = append(in, arenaInput{tc.name, tc.ver, false, mustHex(tc.hex)})
	}
	for _, tc := range decodeErrorCases {
		in = append(in, arenaInput{tc.name, tc.ver, false, mustHex(tc.hex)})
	}
	for _, ver := range []Version{AMF0, AMF3} {
		for _, n := range []int{3000, 20} {
			data, err := Marshal(arenaRows(n), ver)
			if err != nil {
				t.Fatal(err)
			}
			in = append(in, arenaInput{fmt.Sprintf("%d rows %v", n, ver), ver, false, data})
		}
	}
	return in
}

// arenaRows is an array of n objects, each with a nested object, an
// array, a date and numbers: more than one chunk of each slab.
func arenaRows(n int) *Array {
	rows := &Array{}
	for i := range n {
		rows.Dense = append(rows.Dense, anon(
			m("id", float64(i)), m("name", fmt.Sprint("row ", i)), m("price", 1.5*float64(i)),
			m("when", &Date{Ms: float64(i) * 1000}), m("none", nil),
			m("tags", dense("a", float64(i%7), true)),
			m("sub", anon(m("k", fmt.Sprint(i%13)), m("v", -float64(i))))))
	}
	return rows
}

// checkArena decodes in with a and compares the result with a fresh
// decode's: the same value (or packet) and the same error.
func checkArena(t *testing.T, a *Arena, in arenaInput) {
	t.Helper()
	if in.packet {
		want, werr := UnmarshalPacket(in.data)
		got, err := a.UnmarshalPacket(in.data)
		if !sameErr(err, werr) {
			t.Fatalf("%s: Arena.UnmarshalPacket error %v, UnmarshalPacket %v", in.name, err, werr)
		}
		if werr == nil && !samePacket(got, want) {
			t.Fatalf("%s: Arena.UnmarshalPacket decodes another packet than UnmarshalPacket", in.name)
		}
		return
	}
	var want, got any
	wrest, werr := UnmarshalFirst(in.data, in.ver, &want)
	rest, err := a.UnmarshalFirst(in.data, in.ver, &got)
	if !sameErr(err, werr) || len(rest) != len(wrest) {
		t.Fatalf("%s: Arena.UnmarshalFirst error %v (%d bytes left), UnmarshalFirst %v (%d)", in.name, err, len(rest), werr, len(wrest))
	}
	if !valueEqual(got, want) {
		t.Fatalf("%s: Arena.UnmarshalFirst = %s\nUnmarshalFirst = %s", in.name, show(got), show(want))
	}
}

func sameErr(a, b error) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Error() == b.Error())
}

// samePacket is packetEqual, the request numbering fields included.
func samePacket(a, b *Packet) bool {
	if !packetEqual(a, b) {
		return false
	}
	for i, msg := range a.Messages {
		g := b.Messages[i]
		if msg.UnregisteredArgs != g.UnregisteredArgs || msg.DateRefs != g.DateRefs {
			return false
		}
	}
	return true
}

// One Arena decodes every input, one after another, to what a fresh
// decode gives, whatever the Arena decoded before (larger or smaller
// values, errors halfway through a value, packets and bare values).
func TestArenaDecodesAsUnmarshal(t *testing.T) {
	in := arenaInputs(t)
	a := NewArena()
	for _, x := range in {
		checkArena(t, a, x)
	}
	for i := len(in) - 1; i >= 0; i-- { // again, after larger values
		checkArena(t, a, in[i])
	}
	tight := tightDecMode.NewArena()
	for _, x := range in {
		var want, got any
		werr := tightDecMode.Unmarshal(x.data, x.ver, &want)
		err := tight.Unmarshal(x.data, x.ver, &got)
		if !sameErr(err, werr) || !valueEqual(got, want) {
			t.Fatalf("%s: a tight Arena gives %v, the tight DecMode %v", x.name, err, werr)
		}
	}
}

// The values of a decode are reused by the next, but strings are never:
// a string kept from one decode stays what it was.
func TestArenaKeepsStrings(t *testing.T) {
	a := NewArena()
	var v any
	first := mustHex(`0A 0B 01 03 "k" 06 0B "hello" 03 "n" 06 07 "abc" 01`) // {k: "hello", n: "abc"}
	if err := a.Unmarshal(first, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	k, _ := o.Get("k")
	kept, name := k.(string), o.Members[1].Name
	other := mustHex(`0A 0B 01 03 "x" 06 0B "WORLD" 03 "y" 06 07 "XYZ" 01`)
	if err := a.Unmarshal(other, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	if kept != "hello" || name != "n" {
		t.Errorf("strings kept from the first decode changed: %q, %q", kept, name)
	}
	if got, _ := v.(*Object).Get("y"); got != "XYZ" {
		t.Errorf("second decode: y = %v", got)
	}
}
