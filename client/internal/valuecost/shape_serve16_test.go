package valuecost_test

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// TestInlineTraitsCost: objects of inline traits (each its own traits,
// not a reference to earlier ones) are charged at least what their
// decoded value holds, with the three times the body the gateway
// charges besides. Each held 228 bytes once decoded (and allocated up
// to 641 while it was) where 128 were charged.
func TestInlineTraitsCost(t *testing.T) {
	const n = 20000
	shapes := map[string]func(v *bytes.Buffer, i int){
		// 0a 03 <class>: no members, a short class name of its own.
		"classes": func(v *bytes.Buffer, i int) {
			c := strconv.FormatInt(int64(i), 36)
			v.WriteString("\x0a\x03")
			v.Write(amf.AppendU29(nil, uint32(len(c)<<1|1)))
			v.WriteString(c)
		},
		// 0a 03 01: anonymous, no members, 3 bytes.
		"anonymous": func(v *bytes.Buffer, i int) { v.WriteString("\x0a\x03\x01") },
		// One sealed member each, its name a reference, a null.
		"sealed": func(v *bytes.Buffer, i int) {
			if i == 0 {
				v.WriteString("\x0a\x13\x01\x03a\x01")
				return
			}
			v.WriteString("\x0a\x13\x01\x00\x01")
		},
	}
	for name, item := range shapes {
		var v bytes.Buffer
		v.WriteString("\x11\x09")
		v.Write(amf.AppendU29(nil, uint32(n<<1|1)))
		v.WriteByte(0x01)
		for i := range n {
			item(&v, i)
		}
		data := v.Bytes()
		cost, ok := valuecost.Value(amf.NewReader(data, amf.AMF0))
		if !ok {
			t.Fatalf("%s: not read", name)
		}
		if cost > valuecost.MaxPerByte*int64(len(data)) {
			t.Errorf("%s: cost %d of %d bytes is over MaxPerByte (%d) a byte", name, cost, len(data), valuecost.MaxPerByte)
		}
		// What the decoded value holds: after two collections (the
		// pools emptied, as when requests come at once) and one more
		// with the value kept. (What decoding allocates depends on the
		// pooled arenas: 2.3 to 12.2 MB for the same input.)
		var val any
		var a, b runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&a)
		if err := amf.Unmarshal(data, amf.AMF0, &val); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runtime.GC()
		runtime.ReadMemStats(&b)
		runtime.KeepAlive(val)
		held := int64(b.HeapAlloc) - int64(a.HeapAlloc)
		reserved := 3*int64(len(data)) + cost
		t.Logf("%s: %d bytes, %d reserved, the value holds %d", name, len(data), reserved, held)
		if reserved < held {
			t.Errorf("%s: %d bytes reserved for %d bytes whose value holds %d", name, reserved, len(data), held)
		}
	}
}

// BenchmarkValueOrdinary: objects of one traits, three members each
// (id, name, price), 256 KiB.
func BenchmarkValueOrdinary(b *testing.B) {
	var v bytes.Buffer
	n := 6000
	v.WriteString("\x11\x09")
	v.Write(amf.AppendU29(nil, uint32(n<<1|1)))
	v.WriteByte(0x01)
	for i := range n {
		if i == 0 {
			v.WriteString("\x0a\x33\x0da.Item\x05id\x09name\x0bprice")
		} else {
			v.WriteString("\x0a\x01")
		}
		v.WriteByte(0x04)
		v.Write(amf.AppendU29(nil, uint32(i)))
		s := "item " + strconv.Itoa(i)
		v.WriteByte(0x06)
		v.Write(amf.AppendU29(nil, uint32(len(s)<<1|1)))
		v.WriteString(s)
		v.WriteString("\x05\x40\x59\x00\x00\x00\x00\x00\x00")
	}
	data := v.Bytes()
	r := amf.NewReader(data, amf.AMF0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(data, amf.AMF0)
		if _, ok := valuecost.Value(r); !ok {
			b.Fatal("not read")
		}
	}
}
