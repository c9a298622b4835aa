package amf_test

import (
	"bytes"
	"runtime"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// The encoders allocate nothing per value: amf.Append into a buffer that is
// large enough allocates nothing at all, and amf.Marshal only its result.
func TestEncodeAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts")
	}
	w1 := amftest.W1(1000)
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(w1, ver)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, len(data))
		if n := testing.AllocsPerRun(20, func() {
			if _, err := amf.Append(buf[:0], w1, ver); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%v: amf.Append allocates %v times, want 0", ver, n)
		}
		if n := testing.AllocsPerRun(20, func() {
			if _, err := amf.Marshal(w1, ver); err != nil {
				t.Fatal(err)
			}
		}); n > 1 {
			t.Errorf("%v: amf.Marshal allocates %v times, want 1", ver, n)
		}
	}
	p := benchW1Packet(amf.AMF3)
	if n := testing.AllocsPerRun(20, func() {
		if _, err := amf.MarshalPacket(p); err != nil {
			t.Fatal(err)
		}
	}); n > 1 {
		t.Errorf("MarshalPacket allocates %v times, want 1", n)
	}
}

// Pooled decoders must not keep earlier results alive: decoding the same
// input many times and dropping the results leaves the heap small.
func TestDecodedValuesAreNotRetained(t *testing.T) {
	for _, tc := range []struct {
		ver    amf.Version
		packet bool
	}{{amf.AMF0, false}, {amf.AMF3, false}, {amf.AMF3, true}} {
		var data []byte
		var err error
		if tc.packet {
			data, err = amf.MarshalPacket(benchW1Packet(tc.ver))
		} else {
			data, err = amf.Marshal(amftest.W1(1000), tc.ver)
		}
		if err != nil {
			t.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		for range 200 {
			if tc.packet {
				_, err = amf.UnmarshalPacket(data)
			} else {
				var v any
				err = amf.Unmarshal(data, tc.ver, &v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		// One result is about 600 KB; 200 of them would be 120 MB.
		if grown := int64(ms.HeapAlloc) - int64(before); grown > 8<<20 {
			t.Errorf("%v packet=%v: heap grew by %d bytes over 200 decodes", tc.ver, tc.packet, grown)
		}
	}
}

// The pooled decoders and encoders are safe for concurrent use: run with
// -race.
func TestConcurrentUse(t *testing.T) {
	w1 := amftest.W1(50)
	want := map[amf.Version][]byte{}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		b, err := amf.Marshal(w1, ver)
		if err != nil {
			t.Fatal(err)
		}
		want[ver] = b
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ver := []amf.Version{amf.AMF0, amf.AMF3}[g%2]
			for range 50 {
				var v any
				if err := amf.Unmarshal(want[ver], ver, &v); err != nil {
					t.Error(err)
					return
				}
				out, err := amf.Marshal(v, ver)
				if err != nil || !bytes.Equal(out, want[ver]) {
					t.Errorf("%v: round trip differs (%v)", ver, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Once an amf.Arena has grown to W1's size, a decode of W1 allocates a
// few times (the top array, larger than a chunk), against 31 for a fresh
// decode.
func TestArenaAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts")
	}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(amftest.W1(1000), ver)
		if err != nil {
			t.Fatal(err)
		}
		a := amf.NewArena()
		var v any
		n := testing.AllocsPerRun(20, func() {
			if err := a.Unmarshal(data, ver, &v); err != nil {
				t.Fatal(err)
			}
		})
		fresh := testing.AllocsPerRun(5, func() {
			if err := amf.Unmarshal(data, ver, &v); err != nil {
				t.Fatal(err)
			}
		})
		if n > 8 || n >= fresh {
			t.Errorf("%v: a decode into an Arena allocates %v times (a fresh decode %v), want at most 8", ver, n, fresh)
		}
	}
}
