package amf

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// Hostile input: every limit of DecOptions, checked with errors.As, and
// claimed lengths that the input cannot back.

func repeatHex(unit string, n int) string { return strings.Repeat(unit+" ", n) }

// nestAMF3 is n arrays of one element around innermost.
func nestAMF3(n int, innermost string) string { return repeatHex("09 03 01", n) + innermost }

// nestAMF0 is n strict arrays of one element around innermost.
func nestAMF0(n int, innermost string) string { return repeatHex("0A 00 00 00 01", n) + innermost }

func TestMaxDepth(t *testing.T) {
	small := DecOptions{MaxDepth: 8}
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
		opts DecOptions
		ok   bool
	}{
		{"amf3 arrays at the default", AMF3, nestAMF3(512, "01"), DecOptions{}, true},
		{"amf3 arrays over the default", AMF3, nestAMF3(513, "01"), DecOptions{}, false},
		{"amf0 arrays over the default", AMF0, nestAMF0(513, "05"), DecOptions{}, false},
		{"amf0 objects", AMF0, repeatHex(`03 00 01 "a"`, 9) + "05", small, false},
		{"amf0 typed objects", AMF0, repeatHex(`10 00 01 "C" 00 01 "a"`, 9) + "05", small, false},
		{"amf0 ECMA arrays", AMF0, repeatHex(`08 00 00 00 00 00 01 "a"`, 9) + "05", small, false},
		{"amf3 objects", AMF3, `0A 0B 01 03 "a" ` + repeatHex("0A 01 00", 8) + "01", small, false},
		{"amf3 Vector.<Object>", AMF3, repeatHex("10 03 00 01", 9) + "01", small, false},
		{"amf3 Dictionary", AMF3, repeatHex("11 03 00 01", 9) + "01", small, false},
		{"amf3 ArrayCollection", AMF3, `0A 07 43 "flex.messaging.io.ArrayCollection" ` + repeatHex("0A 01", 8) + "01", small, false},
		{"amf3 DSK body", AMF3, `0A 07 07 "DSK" 01 ` + repeatHex("0A 01 01", 8) + "01", small, false},
		// The 0x11 switch counts, and so does the nesting on both sides.
		{"through 0x11 at the limit", AMF0, nestAMF0(4, "11 "+nestAMF3(3, "01")), small, true},
		{"through 0x11 over the limit", AMF0, nestAMF0(4, "11 "+nestAMF3(4, "01")), small, false},
		{"0x11 alone counts", AMF0, nestAMF0(7, "11 "+nestAMF3(1, "01")), small, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			var v any
			err := mustDecMode(t, tc.opts).Unmarshal(data, tc.ver, &v)
			if tc.ok {
				if err != nil {
					t.Fatalf("Unmarshal error: %v", err)
				}
				return
			}
			var de *MaxDepthError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want *MaxDepthError", err)
			}
			want := 512
			if tc.opts.MaxDepth != 0 {
				want = tc.opts.MaxDepth
			}
			if de.Limit != want || !IsLimit(err) || v != nil {
				t.Errorf("MaxDepthError.Limit = %d, IsLimit = %v, v = %v", de.Limit, IsLimit(err), v)
			}
		})
	}
}

func TestMaxDepthErrorText(t *testing.T) {
	var v any
	err := mustDecMode(t, DecOptions{MaxDepth: 4}).Unmarshal(mustHex(nestAMF3(5, "01")), AMF3, &v)
	if want := `amf3: nesting depth exceeds the limit of 4 within "/0/0/0/0" at offset 13`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestMaxElements(t *testing.T) {
	o := DecOptions{MaxElements: 16}
	members0 := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(`00 01 "` + string(rune('A'+i)) + `" 05 `)
		}
		return b.String()
	}
	dyn3 := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(`03 "` + string(rune('A'+i)) + `" 01 `)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name  string
		ver   Version
		hex   string
		ok    bool
		count int64
	}{
		{"amf0 object at the limit", AMF0, "03 " + members0(16) + "00 00 09", true, 0},
		{"amf0 object over the limit", AMF0, "03 " + members0(17) + "00 00 09", false, 17},
		{"amf0 ECMA array over the limit", AMF0, "08 00 00 00 00 " + members0(17) + "00 00 09", false, 17},
		// Each container counts its own members, not its parents' too.
		{"amf0 nested objects each under the limit", AMF0, "03 " + members0(10) + `00 01 "z" 03 ` + members0(10) + "00 00 09 00 00 09", true, 0},
		{"amf0 strict array count", AMF0, "0A 00 00 00 11 " + repeatHex("05", 17), false, 17},
		{"amf3 dense count", AMF3, "09 23 01 " + repeatHex("01", 17), false, 17},
		{"amf3 associative part", AMF3, "09 01 " + dyn3(17) + "01", false, 17},
		{"amf3 dynamic members", AMF3, "0A 0B 01 " + dyn3(17) + "01", false, 17},
		{"amf3 nested dynamic objects each under the limit", AMF3, "0A 0B 01 " + dyn3(10) + `03 "z" 0A 01 ` + dyn3(10) + "01 01", true, 0},
		{"amf3 sealed members", AMF3, "0A 82 13 01 " + repeatHex("01", 17) + repeatHex("01", 17), false, 17},
		{"amf3 Vector.<int>", AMF3, "0D 23 00 " + repeatHex("00 00 00 00", 17), false, 17},
		{"amf3 Vector.<Object>", AMF3, "10 23 00 01 " + repeatHex("01", 17), false, 17},
		{"amf3 Dictionary", AMF3, "11 23 00 " + repeatHex("01 01", 17), false, 17},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			err := mustDecMode(t, o).Unmarshal(mustHex(tc.hex), tc.ver, &v)
			if tc.ok {
				if err != nil {
					t.Fatalf("Unmarshal error: %v", err)
				}
				return
			}
			var me *MaxElementsError
			if !errors.As(err, &me) || me.Limit != 16 || me.Count != tc.count || v != nil {
				t.Fatalf("err = %v (%+v), want *MaxElementsError{16, %d}", err, me, tc.count)
			}
		})
	}
}

func TestMaxLength(t *testing.T) {
	o := DecOptions{MaxLength: 256}
	s257 := `"` + strings.Repeat("s", 257) + `"`
	s256 := `"` + strings.Repeat("s", 256) + `"`
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
		ok   bool
	}{
		{"amf0 string at the limit", AMF0, "02 01 00 " + s256, true},
		{"amf0 string", AMF0, "02 01 01 " + s257, false},
		{"amf0 long string", AMF0, "0C 00 00 01 01 " + s257, false},
		{"amf0 key", AMF0, "03 01 01 " + s257 + " 05 00 00 09", false},
		{"amf0 class name", AMF0, "10 01 01 " + s257 + " 00 00 09", false},
		{"amf0 XML document", AMF0, "0F 00 00 01 01 " + s257, false},
		{"amf3 string", AMF3, "06 84 03 " + s257, false},
		{"amf3 XML", AMF3, "0B 84 03 " + s257, false},
		{"amf3 ByteArray", AMF3, "0C 84 03 " + s257, false},
		{"amf3 key", AMF3, "0A 0B 01 84 03 " + s257 + " 01 01", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			err := mustDecMode(t, o).Unmarshal(mustHex(tc.hex), tc.ver, &v)
			if tc.ok {
				if err != nil {
					t.Fatalf("Unmarshal error: %v", err)
				}
				return
			}
			var le *MaxLengthError
			if !errors.As(err, &le) || le.Limit != 256 || le.Length != 257 || v != nil {
				t.Fatalf("err = %v, want *MaxLengthError{256, 257}", err)
			}
		})
	}
}

func TestMaxReferences(t *testing.T) {
	o := DecOptions{MaxReferences: 16}
	strs := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(`06 03 "` + string(rune('A'+i)) + `" `)
		}
		return b.String()
	}
	traits := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(`0A 03 03 "` + string(rune('A'+i)) + `" `)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
		ok   bool
	}{
		{"amf3 strings at the limit", AMF3, "09 21 01 " + strs(16), true},
		{"amf3 strings", AMF3, "09 23 01 " + strs(17), false},
		{"amf3 objects", AMF3, "09 21 01 " + repeatHex("0A 0B 01 01", 16), false}, // 16 objects + the array
		{"amf3 dates", AMF3, "09 21 01 " + repeatHex("08 01 00 00 00 00 00 00 00 00", 16), false},
		{"amf3 traits", AMF3, "09 23 01 " + traits(17), false},
		{"amf0 objects", AMF0, "0A 00 00 00 10 " + repeatHex("03 00 00 09", 16), false},
		{"amf0 XML documents (Flash profile)", AMF0, "0A 00 00 00 10 " + repeatHex("0F 00 00 00 00", 16), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			err := mustDecMode(t, o).Unmarshal(mustHex(tc.hex), tc.ver, &v)
			if tc.ok {
				if err != nil {
					t.Fatalf("Unmarshal error: %v", err)
				}
				return
			}
			var re *MaxReferencesError
			if !errors.As(err, &re) || re.Limit != 16 || v != nil {
				t.Fatalf("err = %v, want *MaxReferencesError{16}", err)
			}
		})
	}
}

// allocated runs f n times and returns the bytes allocated per run.
func allocated(n int, f func()) uint64 {
	f() // warm the pools
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

// §7#33: no claimed length or count allocates more than the input can
// justify; a short input claiming a huge value fails fast.
func TestClaimsDoNotAllocate(t *testing.T) {
	wide := mustDecMode(t, DecOptions{MaxElements: 1<<31 - 1, MaxLength: 1<<32 - 1})
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
		dm   *DecMode
	}{
		{"ByteArray of 2^28-1", AMF3, "0C FF FF FF FF 00 00 00 00 00", defaultDecMode},
		{"string of 2^28-1", AMF3, "06 FF FF FF FF 00 00 00 00 00", defaultDecMode},
		{"XML of 2^28-1", AMF3, "0B FF FF FF FF 00 00 00 00 00", defaultDecMode},
		{"dense array of 2^28-1", AMF3, "09 FF FF FF FF 01 00 00 00 00", wide},
		{"Vector.<Number> of 2^28-1", AMF3, "0F FF FF FF FF 00 00 00 00 00", wide},
		{"Vector.<Object> of 2^28-1", AMF3, "10 FF FF FF FF 00 01 00 00 00", wide},
		{"Dictionary of 2^28-1", AMF3, "11 FF FF FF FF 00 00 00 00 00", wide},
		{"sealed members 2^25-1", AMF3, "0A FF FF FF F3 01 00 00 00 00", wide},
		{"strict array of 2^32-1", AMF0, "0A FF FF FF FF 00 00 00 00 00", wide},
		{"strict array of 2^32-1 (default)", AMF0, "0A FF FF FF FF 00 00 00 00 00", defaultDecMode},
		{"long string of 2^32-1", AMF0, "0C FF FF FF FF 00 00 00 00 00", wide},
		{"XML document of 2^32-1", AMF0, "0F FF FF FF FF 00 00 00 00 00", wide},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			var v any
			if err := tc.dm.Unmarshal(data, tc.ver, &v); err == nil {
				t.Fatal("decoded")
			}
			if n := allocated(50, func() { _ = tc.dm.Unmarshal(data, tc.ver, &v) }); n > 4096 {
				t.Errorf("a %d-byte input allocates %d bytes", len(data), n)
			}
		})
	}
	t.Run("packet of 65535 messages", func(t *testing.T) {
		data := mustHex("00 00 00 00 FF FF 00 01 02 03 04 05")
		if n := allocated(50, func() { _, _ = UnmarshalPacket(data) }); n > 4096 {
			t.Errorf("allocates %d bytes", n)
		}
	})
}

// Nested claims must not count the same remaining bytes twice: 500 arrays
// each claiming 4097 items over a 6 KB input may not allocate 500 times
// 4097 slots up front.
func TestNestedClaimsDoNotAllocate(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
	}{
		{"amf3 arrays", AMF3, repeatHex("09 C0 03 01", 500) + repeatHex("00", 4200)},
		{"amf3 Vector.<Object>", AMF3, repeatHex("10 C0 03 00 01", 500) + repeatHex("00", 4200)},
		{"amf3 Dictionaries", AMF3, repeatHex("11 C0 03 00 00", 500) + repeatHex("00", 8400)},
		{"amf0 strict arrays", AMF0, repeatHex("0A 00 00 10 01", 500) + repeatHex("06", 4200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			var v any
			if err := Unmarshal(data, tc.ver, &v); err == nil {
				t.Fatal("decoded")
			}
			if n := allocated(10, func() { _ = Unmarshal(data, tc.ver, &v) }); n > 64*uint64(len(data))+64<<10 {
				t.Errorf("a %d-byte input allocates %d bytes", len(data), n)
			}
		})
	}
}

// A reference bomb decodes to shared pointers: memory is linear in the
// input, whatever the expanded size.
func TestReferenceBomb(t *testing.T) {
	// 30 levels, each an array holding the previous one twice.
	var b bytes.Buffer
	b.Write(mustHex("09 05 01 01 01")) // object 0: [null, null]
	for i := 1; i < 30; i++ {
		// Level i-1 is object i (the outer array is object 0).
		b.Write(mustHex("09 05 01 09"))
		b.Write(AppendU29(nil, uint32(i)<<1))
		b.WriteByte(0x09)
		b.Write(AppendU29(nil, uint32(i)<<1))
	}
	// Wrap the levels in one outer array so that the references resolve.
	data := append(mustHex("09 3D 01"), b.Bytes()...)
	var v any
	if err := Unmarshal(data, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	if n := allocated(10, func() { _ = Unmarshal(data, AMF3, &v) }); n > 64<<10 {
		t.Errorf("allocates %d bytes", n)
	}
	out, err := Marshal(v, AMF3)
	if err != nil || !bytes.Equal(out, data) {
		t.Fatalf("re-encoding = %x, %v", out, err)
	}
}
