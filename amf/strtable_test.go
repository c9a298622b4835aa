package amf

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestStrTable: every string finds its own entry through growth, an
// entry takes a new index, and reset forgets all.
func TestStrTable(t *testing.T) {
	var tab strTable
	key := func(i int) string {
		// Lengths 0-40: every case of strHash.
		s := strconv.Itoa(i)
		for len(s) < i%41 {
			s += "-" + s
		}
		return s[:i%41]
	}
	idx := map[string]int{}
	for i := range 20000 {
		s := key(i) + strconv.Itoa(i/41)
		e := tab.slot(s)
		if want, ok := idx[s]; ok != (e.i > 0) || ok && int(e.i)-1 != want {
			t.Fatalf("slot(%q) = index %d, want %d (%v)", s, e.i-1, want, ok)
		}
		tab.set(e, s, i)
		idx[s] = i
	}
	if tab.n != len(idx) {
		t.Fatalf("table holds %d strings, want %d", tab.n, len(idx))
	}
	for s, want := range idx {
		if e := tab.slot(s); int(e.i)-1 != want {
			t.Fatalf("slot(%q) = index %d, want %d", s, e.i-1, want)
		}
	}
	tab.reset()
	for s := range idx {
		if e := tab.slot(s); e.i != 0 {
			t.Fatalf("after reset, slot(%q) = index %d", s, e.i-1)
		}
	}
}

// TestStrHashSpread: strings that differ in one byte anywhere, or only
// in length, hash apart.
func TestStrHashSpread(t *testing.T) {
	seen := map[uint64]string{}
	add := func(s string) {
		h := strHash(s)
		if o, ok := seen[h]; ok && o != s {
			t.Fatalf("strHash(%q) = strHash(%q)", s, o)
		}
		seen[h] = s
	}
	base := []byte("2023-11-14T22:13:20.123Z-product-00-abcdefgh")
	for n := 0; n <= len(base); n++ {
		add(string(base[:n]))
		for i := 0; i < n; i++ {
			b := append([]byte(nil), base[:n]...)
			b[i] ^= 1
			add(string(b))
		}
	}
	add("\x00")
	add("\x00\x00")
	add("\x00\x00\x00")
}

// TestWriterStringRefLimit: a string whose table index a U29 reference
// cannot name is written again each time, not referred to by a
// truncated index.
func TestWriterStringRefLimit(t *testing.T) {
	w := AppendWriter(nil, AMF3)
	w.nstrs = maxStrRef // as if that many strings came before
	w.BeginArray(4)
	for _, s := range []string{"a", "a", "b", "b"} {
		w.WriteString(s)
	}
	w.End()
	got, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ref := AppendU29(nil, maxStrRef<<1)
	want := append([]byte{0x09, 0x09, 0x01, 0x06, 0x03, 'a', 0x06}, ref...)
	want = append(want, 0x06, 0x03, 'b', 0x06, 0x03, 'b')
	if string(got) != string(want) {
		t.Fatalf("got %x, want %x", got, want)
	}
}

// TestWriterFlushLag: a Writer with a destination writes its buffer out
// once it holds 64 KiB and no count is open, whichever token comes, and
// right after an open count closes.
func TestWriterFlushLag(t *testing.T) {
	var dst bytes.Buffer
	w := NewWriter(&dst, AMF3)
	lag := func(where string) {
		t.Helper()
		if d := w.Offset() - int64(dst.Len()); d > 64<<10+200 {
			t.Fatalf("%s: %d bytes held, %d written", where, d, dst.Len())
		}
	}
	w.BeginObject(nil)
	for i := range 5000 {
		w.WriteName("k" + strconv.Itoa(i%7))
		w.WriteString(strconv.Itoa(i) + strings.Repeat("x", 100))
		lag("object member " + strconv.Itoa(i))
	}
	w.End()
	w.BeginArray(-1) // open: held whole
	for i := range 3000 {
		w.WriteString(strconv.Itoa(i) + strings.Repeat("y", 100))
	}
	before := dst.Len()
	w.End()
	if dst.Len() == before {
		t.Fatalf("nothing written out when the array of unknown count ended")
	}
	lag("after the array")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var v1, v2 any
	rest, err := UnmarshalFirst(dst.Bytes(), AMF3, &v1)
	if err != nil {
		t.Fatal(err)
	}
	if err := Unmarshal(rest, AMF3, &v2); err != nil {
		t.Fatal(err)
	}
}
