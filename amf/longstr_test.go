package amf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// pair is U+1F600 as a CESU-8 surrogate pair (digest §7 #21), and
// pairUTF8 what the decoders make of it.
const (
	pair     = "\xed\xa0\xbd\xed\xb8\x80"
	pairUTF8 = "\U0001F600"
)

// copyFindEdges are the positions copyFind's loop cuts at, for a string
// of n bytes copied from offset 0: every 128-byte round, the blocks of
// copyBlock, the 128-byte tail left to copyFindGeneric.
func copyFindEdges(n int) []int {
	edges := []int{0, 1, 31, 32, 33, 127, 128, 129, 255, 256, 257, n - 129, n - 128, n - 127, n - 33, n - 32, n - 1}
	for b := copyBlock; b < n; b += copyBlock {
		edges = append(edges, b-1, b, b+1)
	}
	if t := n &^ 127; t < n {
		edges = append(edges, t-1, t, t+1)
	}
	var out []int
	for _, e := range edges {
		if e >= 0 && e < n {
			out = append(out, e)
		}
	}
	return out
}

// checkCopyFind runs copyFind and copyFindGeneric on the same src into
// dst buffers fenced with guard bytes, and fails where they differ in
// what they copy, in what they report or in a byte outside dst.
func checkCopyFind(t *testing.T, src []byte, dstOff int, what string) {
	t.Helper()
	const guard = 64
	mk := func() []byte {
		b := make([]byte, guard+dstOff+len(src)+guard)
		for i := range b {
			b[i] = 0xA5
		}
		return b
	}
	got, want := mk(), mk()
	g := copyFind(got[guard+dstOff:guard+dstOff+len(src)], src)
	w := copyFindGeneric(want[guard+dstOff:guard+dstOff+len(src)], src)
	if g != w {
		t.Fatalf("%s: copyFind reports 0xED %v, copyFindGeneric %v", what, g, w)
	}
	if w != (bytes.IndexByte(src, 0xED) >= 0) {
		t.Fatalf("%s: copyFindGeneric reports 0xED %v", what, w)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: buffers differ from byte %d (dst starts at %d, ends at %d): got 0x%02x, want 0x%02x", what, i, guard+dstOff, guard+dstOff+len(src), got[i], want[i])
	}
}

// TestCopyFindAgrees holds the one-pass copy (assembly on amd64 with
// AVX2) to the portable copy and scan: the same bytes copied, no byte
// written outside dst, 0xED found wherever it is, at every length up to
// a few rounds, around each cut of the loop, and at every alignment of
// source and destination. Without the assembly it checks the fallback
// against itself and against bytes.IndexByte.
func TestCopyFindAgrees(t *testing.T) {
	t.Logf("one-pass loop: %v", haveFused)
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(0xED)) // any byte but 0xED and above
		}
		return b
	}
	for n := 0; n <= 700; n++ {
		src := text(n + 40)
		for _, off := range []int{0, 1, 7, 31} {
			s := src[off : off+n]
			checkCopyFind(t, s, off%5, "no ED")
			for _, e := range copyFindEdges(n) {
				s[e] = 0xED
				checkCopyFind(t, s, off%5, "ED at "+strconv.Itoa(e)+" of "+strconv.Itoa(n))
				s[e] = 0
			}
		}
	}
	// Long enough for blocks of copyBlock and the non-temporal stores,
	// at each alignment of the destination around 32.
	for _, n := range []int{ntMin - 1, ntMin, ntMin + 3*copyBlock + 200} {
		src := text(n)
		for _, dstOff := range []int{0, 1, 16, 31} {
			checkCopyFind(t, src, dstOff, "no ED, "+strconv.Itoa(n)+" bytes")
		}
		for _, e := range copyFindEdges(n) {
			src[e] = 0xED
			checkCopyFind(t, src, e%33, "ED at "+strconv.Itoa(e)+" of "+strconv.Itoa(n))
			src[e] = 0
		}
	}
}

// longString0 is an AMF0 long string (marker 0x0C) holding s.
func longString0(s string) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{0x0C}, uint32(len(s))), s...)
}

// TestLongStringCESU8AtEdges decodes long strings (AMF0 0x0C and AMF3)
// with a CESU-8 pair across every cut of copyFind's loop, with 0xED as
// the first and the last byte, with UTF-8 that holds 0xED (Hangul), and
// with bytes that are not UTF-8 beside a pair: the pair combined only
// where everything else is UTF-8, bytes otherwise kept as they came, and
// U+FFFD for them only with AllowInvalidUTF8 (then for every byte of
// the pair too, as before).
func TestLongStringCESU8AtEdges(t *testing.T) {
	lossy, err := DecOptions{AllowInvalidUTF8: true}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name             string
		in, want, lossyW string
	}
	var rows []row
	for _, n := range []int{300, ntMin + copyBlock + 500} {
		pad := strings.Repeat("abcdefghijklmnopqrstuvwxyz012345", n/32+1)[:n]
		for _, e := range copyFindEdges(n) {
			// The pair's six bytes start at e-2 .. e+3 of the copy, so
			// that the cut at e falls inside it, just before it or just
			// after it (the value starts 5 bytes into the input).
			for _, at := range []int{e - 5, e - 3, e} {
				if at < 0 || at+len(pair) > n {
					continue
				}
				in := pad[:at] + pair + pad[at+len(pair):]
				want := pad[:at] + pairUTF8 + pad[at+len(pair):]
				rows = append(rows, row{"pair at " + strconv.Itoa(at) + " of " + strconv.Itoa(n), in, want, want})
			}
		}
		rows = append(rows,
			row{"ED first of " + strconv.Itoa(n), "\xed" + pad[1:], "\xed" + pad[1:], "\uFFFD" + pad[1:]},
			row{"ED last of " + strconv.Itoa(n), pad[:n-1] + "\xed", pad[:n-1] + "\xed", pad[:n-1] + "\uFFFD"},
			row{"pair first of " + strconv.Itoa(n), pair + pad[6:], pairUTF8 + pad[6:], pairUTF8 + pad[6:]},
			row{"pair last of " + strconv.Itoa(n), pad[:n-6] + pair, pad[:n-6] + pairUTF8, pad[:n-6] + pairUTF8},
			row{"Hangul (ED 9E A3) last of " + strconv.Itoa(n), pad[:n-3] + "힣", pad[:n-3] + "힣", pad[:n-3] + "힣"},
			row{"Latin-1 and a pair in " + strconv.Itoa(n), "\xe9" + pad[1:n-6] + pair, "\xe9" + pad[1:n-6] + pair, "\uFFFD" + pad[1:n-6] + strings.Repeat("\uFFFD", 6)},
			row{"Latin-1, no ED, in " + strconv.Itoa(n), pad[:n/2] + "\xe9" + pad[n/2+1:], pad[:n/2] + "\xe9" + pad[n/2+1:], pad[:n/2] + "\uFFFD" + pad[n/2+1:]},
			row{"lone high surrogate in " + strconv.Itoa(n), pad[:n-3] + "\xed\xa0\xbd", pad[:n-3] + "\xed\xa0\xbd", pad[:n-3] + "\uFFFD\uFFFD\uFFFD"},
		)
	}
	for _, tc := range rows {
		for _, ver := range []Version{AMF0, AMF3} {
			var data []byte
			if ver == AMF0 {
				data = longString0(tc.in)
			} else {
				data = appendString3(tc.in)
			}
			var v any
			if err := Unmarshal(data, ver, &v); err != nil || v != tc.want {
				t.Fatalf("%s, %v: %s, %v; want %s", tc.name, ver, quoteEnds(v), err, quoteEnds(tc.want))
			}
			if err := lossy.Unmarshal(data, ver, &v); err != nil || v != tc.lossyW {
				t.Fatalf("%s, %v, AllowInvalidUTF8: %s, %v; want %s", tc.name, ver, quoteEnds(v), err, quoteEnds(tc.lossyW))
			}
		}
	}
}

// appendString3 is an AMF3 string value (marker 0x06, inline) holding s.
func appendString3(s string) []byte {
	b := []byte{0x06}
	u := uint32(len(s))<<1 | 1
	switch {
	case u < 1<<7:
		b = append(b, byte(u))
	case u < 1<<14:
		b = append(b, byte(u>>7)|0x80, byte(u&0x7F))
	case u < 1<<21:
		b = append(b, byte(u>>14)|0x80, byte(u>>7)|0x80, byte(u&0x7F))
	default:
		b = append(b, byte(u>>22)|0x80, byte(u>>15)|0x80, byte(u>>8)|0x80, byte(u))
	}
	return append(b, s...)
}

// quoteEnds shows a long string by its length and ends.
func quoteEnds(v any) string {
	s, ok := v.(string)
	if !ok {
		return show(v)
	}
	if len(s) < 80 {
		return strconv.Quote(s)
	}
	return strconv.Itoa(len(s)) + " bytes " + strconv.Quote(s[:30]) + "..." + strconv.Quote(s[len(s)-30:]) + " valid " + map[bool]string{true: "yes", false: "no"}[utf8.ValidString(s)]
}

// FuzzCopyFind holds copyFind to copyFindGeneric on any bytes, at any
// alignment of source and destination.
func FuzzCopyFind(f *testing.F) {
	f.Add([]byte(strings.Repeat("x", 300)+"\xed"), uint8(0), uint8(0))
	f.Add([]byte("\xed"+strings.Repeat("x", 200)), uint8(3), uint8(1))
	f.Add([]byte(strings.Repeat(pair, 50)), uint8(1), uint8(31))
	f.Fuzz(func(t *testing.T, data []byte, srcOff, dstOff uint8) {
		o := min(int(srcOff)%64, len(data))
		checkCopyFind(t, data[o:], int(dstOff)%64, "fuzz")
	})
}

// decodeCESU8Rune is decodeCESU8 as it was, rune by rune: the reference
// the faster one is held to.
func decodeCESU8Rune(b []byte) (string, bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+5 < len(b) && b[i] == 0xED && b[i+1]&0xF0 == 0xA0 && b[i+3] == 0xED && b[i+4]&0xF0 == 0xB0 &&
			b[i+2]&0xC0 == 0x80 && b[i+5]&0xC0 == 0x80 {
			hi := rune(b[i+1]&0x0F)<<6 | rune(b[i+2]&0x3F)
			lo := rune(b[i+4]&0x0F)<<6 | rune(b[i+5]&0x3F)
			out = utf8.AppendRune(out, hi<<10+lo+0x10000)
			i += 6
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return "", false
		}
		out = append(out, b[i:i+n]...)
		i += n
	}
	return string(out), true
}

// TestDecodeCESU8AgreesRuneByRune holds decodeCESU8, which checks the
// bytes between two 0xED whole, to the rune-by-rune reference: pairs,
// lone and reversed surrogates, Hangul (ED 80-9F), pairs cut short at
// the end, bytes that are not UTF-8 before, between and after.
func TestDecodeCESU8AgreesRuneByRune(t *testing.T) {
	parts := []string{"", "a", "é", "힣", "\xe9", pair, pair[:3], pair[3:], pair[:5], "\xed", "\xed\xa0", "\xed\x9f\xbf", "\xf0\x9f\x98", "\U0001F600", "\xc3", "xyz"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				in := []byte(a + b + c)
				got, gok := decodeCESU8(in)
				want, wok := decodeCESU8Rune(in)
				if got != want || gok != wok {
					t.Errorf("decodeCESU8(%q) = %q, %v; want %q, %v", in, got, gok, want, wok)
				}
			}
		}
	}
}

// FuzzDecodeCESU8 holds decodeCESU8 to the rune-by-rune reference on any
// bytes.
func FuzzDecodeCESU8(f *testing.F) {
	f.Add([]byte("a" + pair + "b"))
	f.Add([]byte(pair[:4] + "힣" + "\xe9"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, gok := decodeCESU8(in)
		want, wok := decodeCESU8Rune(in)
		if got != want || gok != wok {
			t.Fatalf("decodeCESU8(%q) = %q, %v; want %q, %v", in, got, gok, want, wok)
		}
	})
}

// BenchmarkDecodeCESU8 compares decodeCESU8 with the rune-by-rune
// reference on 64 KiB of text with a surrogate pair in every KiB.
func BenchmarkDecodeCESU8(b *testing.B) {
	in := []byte(strings.Repeat(strings.Repeat("abcdefgh", 127)+pair+"xy", 64))
	for _, f := range []struct {
		name string
		f    func([]byte) (string, bool)
	}{{"rune", decodeCESU8Rune}, {"chunked", decodeCESU8}} {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := f.f(in); !ok {
					b.Fatal("not decoded")
				}
			}
		})
	}
}

// viaBuilder is UnmarshalFirst without bareBytes: the value decoder.
func viaBuilder(m *DecMode, data []byte, ver Version) (any, []byte, error) {
	b := getBuilder(m, data, ver)
	x, err := b.top()
	off := b.r.off
	putBuilder(b)
	if err != nil {
		return nil, nil, err
	}
	return x, data[off:], nil
}

// checkBare holds bareBytes to the value decoder on data: where it
// takes a value, the same value (string or ByteArray bytes) and the same
// bytes left. It reports whether bareBytes took it.
func checkBare(t *testing.T, m *DecMode, data []byte, ver Version, what string) bool {
	t.Helper()
	got, n, ok := m.bareBytes(data, ver)
	if !ok {
		if got != nil || n != 0 {
			t.Fatalf("%s, %v: not taken, but %s and %d bytes", what, ver, quoteEnds(got), n)
		}
		return false
	}
	want, rest, err := viaBuilder(m, data, ver)
	if err != nil {
		t.Fatalf("%s, %v: bareBytes took %d bytes, the value decoder fails: %v", what, ver, n, err)
	}
	if len(data)-n != len(rest) {
		t.Fatalf("%s, %v: bareBytes took %d bytes, the value decoder %d", what, ver, n, len(data)-len(rest))
	}
	switch w := want.(type) {
	case string:
		if g, isStr := got.(string); !isStr || g != w {
			t.Fatalf("%s, %v: bareBytes %s, the value decoder %s", what, ver, quoteEnds(got), quoteEnds(w))
		}
	case *ByteArray:
		g, isBA := got.(*ByteArray)
		if !isBA || !bytes.Equal(g.Data, w.Data) || (g.Data == nil) != (w.Data == nil) {
			t.Fatalf("%s, %v: bareBytes %s, the value decoder %s", what, ver, show(got), show(w))
		}
		if len(g.Data) > 0 && &g.Data[0] == &data[n-len(g.Data)] {
			t.Fatalf("%s, %v: the ByteArray shares the input's bytes", what, ver)
		}
	default:
		t.Fatalf("%s, %v: bareBytes took %s, the value decoder made %s", what, ver, show(got), show(want))
	}
	return true
}

// byteArray3 is an AMF3 ByteArray value (marker 0x0C, inline) holding s.
func byteArray3(s string) []byte {
	b := appendString3(s)
	b[0] = 0x0C
	return b
}

// string0 is an AMF0 string (marker 0x02) holding s (at most 65535 bytes).
func string0(s string) []byte {
	return append(binary.BigEndian.AppendUint16([]byte{0x02}, uint16(len(s))), s...)
}

// TestBareBytesAgrees holds UnmarshalFirst's way around the builder
// (bareBytes, for a value that is one long string or ByteArray) to the
// value decoder: the same value and the same rest wherever it takes the
// value, at lengths around longTextMin and the U29 sizes, with CESU-8,
// bytes that are not UTF-8, trailing bytes; and that it leaves to the
// value decoder (which names the error) whatever is cut short, over
// MaxLength, a reference, short, or read with AllowInvalidUTF8.
func TestBareBytesAgrees(t *testing.T) {
	lossy, err := DecOptions{AllowInvalidUTF8: true}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	limited, err := DecOptions{MaxLength: 300}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("abcdefghijklmnopqrstuvwxyz012345", 3000)
	type enc struct {
		name string
		ver  Version
		f    func(string) []byte
	}
	encs := []enc{{"0x02", AMF0, string0}, {"0x0C", AMF0, longString0}, {"string", AMF3, appendString3}, {"bytearray", AMF3, byteArray3}}
	for _, n := range []int{0, 1, 63, 64, 65, 66, 127, 128, 299, 300, 301, 8191, 8192, 16383, 16384, 65535, 65536, 70000} {
		for _, body := range []struct{ name, s string }{
			{"ascii", pad[:n]},
			{"pair", (pad[:max(n-6, 0)] + pair)[:n]},
			{"latin1", ("\xe9" + pad)[:n]},
			{"latin1 and pair", ("\xe9" + pad[:max(n-7, 0)] + pair)[:n]},
		} {
			for _, e := range encs {
				if e.name == "0x02" && n > 65535 {
					continue
				}
				data := e.f(body.s)
				what := body.name + " of " + strconv.Itoa(n) + " in " + e.name
				taken := checkBare(t, defaultDecMode, data, e.ver, what)
				if wantTaken := n > longTextMin || e.name == "bytearray"; taken != wantTaken {
					t.Errorf("%s: taken %v, want %v", what, taken, wantTaken)
				}
				checkBare(t, defaultDecMode, append(data[:len(data):len(data)], 0x05, 0x01), e.ver, what+", trailing bytes")
				if checkBare(t, lossy, data, e.ver, what+", AllowInvalidUTF8") && e.name != "bytearray" {
					t.Errorf("%s: taken with AllowInvalidUTF8", what)
				}
				if checkBare(t, limited, data, e.ver, what+", MaxLength 300") && n > 300 {
					t.Errorf("%s: taken over MaxLength", what)
				}
				for cut := 1; cut <= 6 && cut <= len(data); cut++ {
					if checkBare(t, defaultDecMode, data[:len(data)-cut], e.ver, what+", cut short") {
						t.Errorf("%s: taken cut short by %d", what, cut)
					}
				}
			}
		}
	}
	// References, other markers, nothing: left to the value decoder.
	for _, tc := range []struct {
		ver  Version
		data []byte
	}{
		{AMF3, []byte{0x06, 0x00}}, {AMF3, []byte{0x0C, 0x00}}, {AMF3, []byte{0x0C}}, {AMF3, []byte{0x06}},
		{AMF3, []byte{0x0C, 0xFF, 0xFF, 0xFF, 0xFF}}, {AMF3, []byte{0x04, 0x01}}, {AMF0, []byte{0x0C, 0, 0}},
		{AMF0, []byte{0x02, 0}}, {AMF0, []byte{0x0F, 0, 0, 0, 1, 'a'}}, {AMF0, nil}, {AMF3, nil},
	} {
		if checkBare(t, defaultDecMode, tc.data, tc.ver, fmt.Sprintf("% x", tc.data)) {
			t.Errorf("% x, %v: taken", tc.data, tc.ver)
		}
	}
}

// FuzzBareBytes holds bareBytes to the value decoder on any bytes.
func FuzzBareBytes(f *testing.F) {
	f.Add([]byte(longString0(strings.Repeat("x", 100)+pair)), false)
	f.Add(appendString3(strings.Repeat("y", 70)+"\xe9"), true)
	f.Add(byteArray3("z"), true)
	f.Fuzz(func(t *testing.T, data []byte, amf3 bool) {
		ver := AMF0
		if amf3 {
			ver = AMF3
		}
		checkBare(t, defaultDecMode, data, ver, "fuzz")
	})
}

// TestBareLongStringOneAllocation: a value that is one long string is
// one allocation, its bytes and its header together (boxedLongText), in
// AMF0 and AMF3; a ByteArray two (the *ByteArray and its bytes).
func TestBareLongStringOneAllocation(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	long := strings.Repeat("abcdefgh", 1<<15)
	for _, tc := range []struct {
		name string
		data []byte
		ver  Version
		want float64
	}{
		{"amf0 0x0C", longString0(long), AMF0, 1},
		{"amf0 0x02", string0(long[:300]), AMF0, 1},
		{"amf3 string", appendString3(long), AMF3, 1},
		{"amf3 bytearray", byteArray3(long), AMF3, 2},
	} {
		var v any
		got := testing.AllocsPerRun(20, func() {
			if err := Unmarshal(tc.data, tc.ver, &v); err != nil {
				t.Fatal(err)
			}
		})
		if got != tc.want {
			t.Errorf("%s: %v allocations per value, want %v", tc.name, got, tc.want)
		}
	}
}

// TestBoxedLongTextLives keeps strings from boxedLongText through
// collections: the interface alone, and a string taken from it alone
// (the interface dropped), each still holding its bytes after the heap
// has been churned.
func TestBoxedLongTextLives(t *testing.T) {
	const n = 20
	boxes := make([]any, n)
	strs := make([]string, n)
	want := make([]string, n)
	for i := range n {
		want[i] = strings.Repeat(string(rune('a'+i)), 100+i*4099)
		b := boxedLongText([]byte(want[i]))
		if i%2 == 0 {
			boxes[i] = b
		} else {
			strs[i] = b.(string) // and the interface dropped
		}
	}
	for range 3 {
		runtime.GC()
		junk := make([][]byte, 0, 1000)
		for j := range 1000 {
			junk = append(junk, bytes.Repeat([]byte{0x55}, 64+j*37))
		}
		_ = junk
	}
	for i := range n {
		var got string
		if i%2 == 0 {
			got = boxes[i].(string)
		} else {
			got = strs[i]
		}
		if got != want[i] {
			t.Fatalf("string %d: %s, want %s", i, quoteEnds(got), quoteEnds(want[i]))
		}
	}
}
