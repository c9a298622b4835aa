package amf

import (
	"runtime"
	"testing"
)

// allocBound is what decoding n bytes into values may allocate: a
// constant (pooled buffers, tables) and a fixed factor of the input. The
// widest honest spread is a two-byte AMF3 reference or trait reference
// that becomes a Go value (an interface slot, an *Object, a Member):
// well under 128 bytes for each input byte.
func allocBound(n int) uint64 { return 1<<20 + 128*uint64(n) }

// dumpAllocBound is the same for dump's streamed ranges, whose labels
// and texts are made and dropped for every range (a byte can be one):
// what it allocates is garbage, not held, and may run higher.
func dumpAllocBound(n int) uint64 { return 1<<20 + 512*uint64(n) }

// decodeAllocs is the bytes decoding data allocates, each way a reply
// or a file is decoded in memory, as a share of the bound of that way
// (over 1, the bound is passed), with the worst way's name and bytes.
func decodeAllocs(data []byte) (share float64, where string, bytes uint64) {
	var before, after runtime.MemStats
	try := func(name string, bound uint64, f func()) {
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		d := after.TotalAlloc - before.TotalAlloc
		if s := float64(d) / float64(bound); s > share {
			share, where, bytes = s, name, d
		}
	}
	vb, db := allocBound(len(data)), dumpAllocBound(len(data))
	try("UnmarshalAll amf0", vb, func() { UnmarshalAll(data, AMF0) })
	try("UnmarshalAll amf3", vb, func() { UnmarshalAll(data, AMF3) })
	try("UnmarshalPacket", vb, func() { UnmarshalPacket(data) })
	try("UnmarshalSOL", vb, func() { UnmarshalSOL(data) })
	// dump streams its ranges (NewDump holds them all, by design).
	skip := func(DumpRange) error { return nil }
	for _, in := range []DumpInput{DumpAMF0, DumpAMF3, DumpPacket, DumpSOL, DumpFLV, DumpFrames} {
		try("DumpFunc "+in.String(), db, func() { defaultDecMode.DumpFunc(data, in, skip) })
	}
	return share, where, bytes
}

// FuzzDecodeAllocBound: no input makes a decoder allocate more than a
// fixed factor of its size (a count or length the input only claims is
// never allocated ahead of the bytes that back it).
func FuzzDecodeAllocBound(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3", "../testdata/pyamf/captures/*.amf", "../testdata/sol/*.sol")
	for _, tc := range decodeErrorCases {
		f.Add(mustHex(tc.hex))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		if share, where, got := decodeAllocs(data); share > 1 {
			t.Fatalf("%s of %d bytes allocated %d bytes, %.1f times its bound: %x", where, len(data), got, share, data[:min(len(data), 64)])
		}
	})
}

// TestDecodeAllocsMeasures: the measure FuzzDecodeAllocBound holds to
// its bound sees a decoded value tree: an AMF3 array of 4096 empty
// anonymous objects (the second on, a trait reference: 2 bytes each)
// allocates an object each, over 32 bytes per input byte, and stays
// under the bound.
func TestDecodeAllocsMeasures(t *testing.T) {
	const n = 4096
	const u = n<<1 | 1 // the array's U29: a count, not a reference
	data := []byte{0x09, 0x80 | u>>7, u & 0x7F, 0x01, 0x0A, 0x0B, 0x01, 0x01}
	for range n - 1 {
		data = append(data, 0x0A, 0x01, 0x01)
	}
	var v any
	if err := Unmarshal(data, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	share, where, got := decodeAllocs(data)
	t.Logf("%s of %d bytes: %d bytes allocated, %.2f of its bound", where, len(data), got, share)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	UnmarshalAll(data, AMF3)
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d < 32*uint64(len(data)) {
		t.Errorf("decoding %d bytes allocated %d bytes: the measure misses the values", len(data), d)
	}
	if share > 1 {
		t.Errorf("%s of %d bytes allocated %d bytes, over its bound", where, len(data), got)
	}
}
