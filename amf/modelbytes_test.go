package amf_test

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// modelBytes is what a decoded value needs at least in the value model:
// its structs, its slices' elements, and its boxed scalars and strings'
// bytes, each counted once however often the value refers to it (boxes
// of static memory, as the small integers', cost nothing; neither does
// the top interface value, which the caller holds).
func modelBytes(v any) int {
	seen := map[unsafe.Pointer]bool{}
	once := func(p unsafe.Pointer) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		return true
	}
	heap := func(x any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&x))[1] }
	var str func(s string) int
	str = func(s string) int {
		if len(s) == 0 || !once(unsafe.Pointer(unsafe.StringData(s))) {
			return 0
		}
		return len(s)
	}
	var walk func(v any, boxed bool) int
	members := func(ms []amf.Member) int {
		n := len(ms) * int(unsafe.Sizeof(amf.Member{}))
		for _, m := range ms {
			n += str(m.Name) + walk(m.Value, true)
		}
		return n
	}
	walk = func(v any, boxed bool) int {
		switch x := v.(type) {
		case *amf.Object:
			if !once(unsafe.Pointer(x)) {
				return 0
			}
			return int(unsafe.Sizeof(*x)) + str(x.Class) + members(x.Members)
		case *amf.Array:
			if !once(unsafe.Pointer(x)) {
				return 0
			}
			n := int(unsafe.Sizeof(*x)) + len(x.Dense)*16 + members(x.Assoc)
			for _, it := range x.Dense {
				n += walk(it, true)
			}
			return n
		case *amf.Date:
			if !once(unsafe.Pointer(x)) {
				return 0
			}
			return int(unsafe.Sizeof(*x))
		case string:
			n := str(x)
			if boxed && once(heap(v)) {
				n += 16
			}
			return n
		case float64:
			// The decoders box the whole doubles 0 to 1023 and the
			// integers -256 to 1023 in static memory.
			if boxed && !(x >= 0 && x <= 1023 && x == float64(int(x)) && !math.Signbit(x)) && once(heap(v)) {
				return 8
			}
		case amf.Int:
			if boxed && (x < -256 || x > 1023) && once(heap(v)) {
				return 4
			}
		}
		return 0
	}
	return walk(v, false)
}

// TestDecodeBytesNearModel holds the bytes a one-shot decode of W1
// allocates to what its value needs in the model (modelBytes): every
// byte a decode allocates brings the next collection closer, so an
// oversized chunk (the string boxes' second chunk, sized from the
// input's length for a value of some 60 strings: 16 KiB of 594 KiB on
// main, 7.5% over) slows decoding down as surely as the value itself.
func TestDecodeBytesNearModel(t *testing.T) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(amftest.W1(1000), ver)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		var m0, m1 runtime.MemStats
		const runs = 200
		runtime.ReadMemStats(&m0)
		for range runs {
			if err := amf.Unmarshal(data, ver, &v); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&m1)
		got := float64(m1.TotalAlloc-m0.TotalAlloc) / runs
		need := modelBytes(v)
		t.Logf("%v: %.0f bytes a decode, the value needs %d (%.3fx)", ver, got, need, got/float64(need))
		if got > 1.05*float64(need) {
			t.Errorf("%v: a decode allocates %.0f bytes, %.1f%% over the %d its value needs", ver, got, 100*(got/float64(need)-1), need)
		}
	}
}
