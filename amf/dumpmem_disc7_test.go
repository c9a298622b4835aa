package amf_test

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// bigByteArrayRequest is a request packet whose argument is an AMF3
// ByteArray of n bytes (ByteArray.saveSnapshot's upload).
func bigByteArrayRequest(t *testing.T, n int) []byte {
	t.Helper()
	data, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{
		Target: "ByteArray.saveSnapshot", Response: "/1",
		Value: []any{amf.AVMPlus{Value: &amf.ByteArray{Data: bytes.Repeat([]byte{0xab}, n)}}, "jpg"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDumpRequestDoesNotCopyValues: the dump of a request read its value
// with UnmarshalPacket's reference numbering, which it chose by building
// the value: a 200 MB upload captured and dumped took 630 MB resident
// (the ByteArray copied once by the guess of the input, once by the
// dump, and the file itself). A value with no AMF0 reference is read
// alike by every numbering, and is no longer built: the text and JSON
// dumps of a 16 MB request now allocate less than a quarter of it.
func TestDumpRequestDoesNotCopyValues(t *testing.T) {
	const n = 16 << 20
	data := bigByteArrayRequest(t, n)
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if got := allocated(func() {
		if !amf.PacketDecodes(data) {
			t.Error("PacketDecodes = false")
		}
	}); got > n/4 {
		t.Errorf("PacketDecodes of a %d-byte request allocated %d bytes", len(data), got)
	}
	if got := allocated(func() {
		if err := amf.WriteDumpText(io.Discard, data, amf.DumpPacket, nil, false); err != nil {
			t.Error(err)
		}
	}); got > n/4 {
		t.Errorf("the text dump of a %d-byte request allocated %d bytes", len(data), got)
	}

}

// TestDumpJSONLongRangeInPieces: the JSON dump wrote a range's hex into
// one buffer: the 200 MB ByteArray of a request took a 400 MB one
// (445 MB resident for the whole dump; 22 MB now). The hex is written
// in pieces; the document is the same.
func TestDumpJSONLongRangeInPieces(t *testing.T) {
	const n = 16 << 20
	data := bigByteArrayRequest(t, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var out countingWriter
	if err := amf.WriteDumpJSON(&out, data, amf.DumpPacket, false); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > n/4 {
		t.Errorf("the JSON dump of a %d-byte request allocated %d bytes", len(data), got)
	}
	// Every byte's hex is there, once.
	if out.hexRun < 2*n {
		t.Errorf("the longest run of hex digits is %d, want the ByteArray's %d", out.hexRun, 2*n)
	}
}

// countingWriter keeps the longest run of 'ab' hex pairs written to it,
// across writes.
type countingWriter struct{ run, hexRun int }

func (w *countingWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if c == 'a' || c == 'b' {
			w.run++
			w.hexRun = max(w.hexRun, w.run)
		} else {
			w.run = 0
		}
	}
	return len(p), nil
}
