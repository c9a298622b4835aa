package convert

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Plain JSON of a double past 2^53 (PyAMF's int_2p64 vector: 2^64 sent as
// a double) was the digits 18446744073709552000, which reading JSON
// refuses (an integer literal past 2^53 may not be exact: exit 4), so
// amfcall could not read back its own plain output. It is now written
// with an exponent, as jq 1.6 prints it, and reads back as the same
// double, by each of the writers of plain JSON.
func TestPlainDoublePast2p53ReadsBack(t *testing.T) {
	for _, x := range []float64{math.Ldexp(1, 64), -math.Ldexp(1, 64), math.Ldexp(1, 53) + 2, 1e20, 123456789012345678} {
		data := binary.BigEndian.AppendUint64([]byte{0x05}, math.Float64bits(x))
		vs, err := amf.UnmarshalAll(data, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		values, err := AppendValues(nil, vs, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		direct, err := AppendAMF(nil, data, amf.AMF3, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, plain := range [][]byte{values, direct} {
			vs, err := FromJSONLines(plain)
			if err != nil {
				t.Errorf("%v: plain JSON %s does not read back: %v", x, plain, err)
				continue
			}
			back, err := encodeAll(vs, amf.AMF3)
			if err != nil || !bytes.Equal(back, data) {
				t.Errorf("%v: plain JSON %s reads back as % x, want % x", x, plain, back, data)
			}
		}
	}
	// Up to 2^53 the digits stay digits, and read back.
	for x, want := range map[float64]string{math.Ldexp(1, 53): "9007199254740992", -math.Ldexp(1, 53): "-9007199254740992", 1e15: "1000000000000000"} {
		if got := string(appendDouble(nil, x, false)); got != want {
			t.Errorf("appendDouble(%v) = %s, want %s", x, got, want)
		}
	}
}
