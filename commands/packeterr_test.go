package commands

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// packetErr gives what amf.UnmarshalPacket gives, error or none, for
// every cut of real packets (PyAMF captures) and for hostile ones.
func TestPacketErrIsUnmarshalPacketError(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	if len(files) == 0 {
		t.Fatal("no captures in ../testdata/pyamf/captures")
	}
	var inputs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n <= len(b); n++ {
			inputs = append(inputs, b[:n])
		}
	}
	inputs = append(inputs,
		[]byte("\x00\x03\x00\x00\x00\x01\x00\x01a\x00\x02/1\xff\xff\xff\xff\x11\x09\x07\x01\x0a\x03\x01\x0a\x01\x0a\x05"), // bad traits reference
		[]byte("\x00\x00\x00\x00\x00\x01\x00\x01a\x00\x02/1\x00\x00\x00\x00\x0a\x00\x00\x00\x01\x07\x00\x05"),             // AMF0 reference out of range
	)
	var failed int
	for _, in := range inputs {
		_, want := amf.UnmarshalPacket(in)
		got := packetErr(in)
		if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
			t.Errorf("% x:\n packetErr        %v\n UnmarshalPacket  %v", in, got, want)
		}
		if want != nil {
			failed++
		}
	}
	if failed < len(files) {
		t.Fatalf("only %d of %d inputs fail to decode", failed, len(inputs))
	}
}
