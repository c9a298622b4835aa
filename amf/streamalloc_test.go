package amf_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A stream that claims a 100 MB long string and then ends after two
// bytes must fail without allocating what it claimed: a hostile peer
// would otherwise buy 100 MB of memory with seven bytes.
func TestStreamReaderAllocatesAsBytesArrive(t *testing.T) {
	for _, c := range []struct {
		ver amf.Version
		in  []byte
	}{
		{amf.AMF0, []byte{0x0C, 0x05, 0xF5, 0xE1, 0x00, 'a', 'b'}}, // long string of 100,000,000 bytes
		{amf.AMF3, []byte{0x06, 0xAF, 0xD7, 0xC2, 0x01, 'a', 'b'}}, // string of 100,000,000 bytes
	} {
		checkStreamAlloc(t, c.ver, c.in)
	}
}

func checkStreamAlloc(t *testing.T, ver amf.Version, in []byte) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := amf.NewStreamReader(bytes.NewReader(in), ver)
	var err error
	for err == nil {
		_, err = r.ReadToken()
	}
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() == "EOF" {
		t.Fatalf("%v: ReadToken: %v, want an unexpected-EOF error", ver, err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("%v: reading 7 bytes allocated %d bytes (%v)", ver, got, err)
	}
}
