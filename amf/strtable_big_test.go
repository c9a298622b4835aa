package amf

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestStrBigEdges: entries at the edges of strBig's chunks, in 16-bit
// chunks and in one turned to 32-bit offsets by an entry 64 KiB past
// its first, come back as added, after a reuse too.
func TestStrBigEdges(t *testing.T) {
	var b strBig
	n := 3*strBigChunk + 7
	want := make([]uint32, n)
	h := uint32(5)
	for round := range 2 {
		for i := range n {
			switch {
			case i == strBigChunk+100:
				h += 70_000 // past a 16-bit offset: the chunk turns to 32 bits
			case i == 2*strBigChunk:
				h = 1 << 31 // a chunk far from the last
			default:
				h += uint32(1 + i%3)
			}
			want[i] = h
			b.add(h)
		}
		if b.n != n {
			t.Fatalf("round %d: n %d, want %d", round, b.n, n)
		}
		for _, i := range []int{0, 1, strBigChunk - 1, strBigChunk, strBigChunk + 99, strBigChunk + 100, 2*strBigChunk - 1, 2 * strBigChunk, 3*strBigChunk - 1, 3 * strBigChunk, n - 1} {
			if got := b.at(i); got != want[i] {
				t.Errorf("round %d: entry %d is %d, want %d", round, i, got, want[i])
			}
		}
		for i := range n {
			if b.at(i) != want[i] {
				t.Fatalf("round %d: entry %d is %d, want %d", round, i, b.at(i), want[i])
			}
		}
		if b.chunks[1].form != formAbs || b.chunks[0].form != formD8 || b.chunks[2].form != formD8 {
			t.Errorf("round %d: chunk forms %v %v %v", round, b.chunks[0].form, b.chunks[1].form, b.chunks[2].form)
		}
		b = b.reuse()
		h = 9
	}
}

// bigTableInput is an AMF3 array of the strings of names, inline, then
// a reference to each table index of refs.
func bigTableInput(names []string, refs []int) []byte {
	in := AppendU29([]byte{m3Array}, uint32(len(names)+len(refs))<<1|1)
	in = append(in, 0x01)
	for _, s := range names {
		in = AppendU29(append(in, m3String), uint32(len(s))<<1|1)
		in = append(in, s...)
	}
	for _, i := range refs {
		in = AppendU29(append(in, m3String), uint32(i)<<1)
	}
	return in
}

// TestReaderBigStringTable: a string table past strFast entries (in
// Reader.big) gives back every entry referred to, at the edges of
// strs and of big's chunks (entry 0, the last of strs, the first of
// big, a chunk's last and the next's first, the last), through
// NextToken over bytes and over a stream (whose entries are copies),
// ReadBatch and the value decoder, with a chunk in 32-bit offsets (a
// long string) among them.
func TestReaderBigStringTable(t *testing.T) {
	n := strFast + 3*strBigChunk + 3
	names := make([]string, n)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	names[strFast+strBigChunk+5] = strings.Repeat("x", 70_000) // a chunk of 32-bit offsets
	refs := []int{0, strFast - 1, strFast, strFast + 1, strFast + strBigChunk - 1, strFast + strBigChunk,
		strFast + strBigChunk + 5, strFast + strBigChunk + 6, strFast + 2*strBigChunk, n - 1, 7}
	in := bigTableInput(names, refs)
	all := append(append([]string(nil), names...), make([]string, len(refs))...)
	for k, i := range refs {
		all[n+k] = names[i]
	}

	check := func(what string, r *Reader) {
		t.Helper()
		if tk, err := r.NextToken(); err != nil || tk.Kind != KindArray {
			t.Fatalf("%s: %v %v", what, tk, err)
		}
		for k, s := range all {
			tk, err := r.NextToken()
			if err != nil {
				t.Fatalf("%s: item %d: %v", what, k, err)
			}
			if tk.Kind != KindString || string(tk.Bytes) != s {
				t.Fatalf("%s: item %d: %v %.20q, want %.20q", what, k, tk.Kind, tk.Bytes, s)
			}
			if want := min(k, n) + 1; k >= n && tk.StrIndex != refs[k-n]+1 || k < n && tk.StrIndex != want {
				t.Fatalf("%s: item %d: StrIndex %d", what, k, tk.StrIndex)
			}
		}
		if r.strN() != n || len(r.strs) != strFast {
			t.Errorf("%s: %d entries, %d in strs", what, r.strN(), len(r.strs))
		}
	}
	check("bytes", NewReader(in, AMF3))
	check("stream", NewStreamReader(bytes.NewReader(in), AMF3))
	r := NewReader(in, AMF3)
	r.Reset(in, AMF3)
	check("reset", r)
	r.Reset(in, AMF3) // big's chunks reused
	check("reused", r)

	// ReadBatch.
	r = NewReader(in, AMF3)
	batch := make([]BatchToken, 64)
	var got []string
	for done := false; !done; {
		k := r.ReadBatch(batch)
		if k == 0 {
			tk, err := r.NextToken()
			if err != nil {
				t.Fatal(err)
			}
			if tk.Kind == KindString {
				got = append(got, string(tk.Bytes))
			}
			done = tk.Kind == KindEnd
			continue
		}
		for i := range batch[:k] {
			if batch[i].Kind == KindString {
				got = append(got, string(r.BatchBytes(&batch[i])))
			}
			done = done || batch[i].Kind == KindEnd
		}
	}
	if len(got) != len(all) {
		t.Fatalf("ReadBatch: %d strings, want %d", len(got), len(all))
	}
	for i := range all {
		if got[i] != all[i] {
			t.Fatalf("ReadBatch: item %d %.20q, want %.20q", i, got[i], all[i])
		}
	}

	var v any
	if err := Unmarshal(in, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	a := v.(*Array)
	for _, k := range []int{n, n + 1, n + 2, n + 5, n + 6, len(all) - 2} {
		if a.Dense[k] != all[k] {
			t.Errorf("Unmarshal: item %d %.20q, want %.20q", k, a.Dense[k], all[k])
		}
	}

	// A reference one past the table fails, naming the table's size.
	bad := bigTableInput(names[:strFast+10], []int{strFast + 10})
	r = NewReader(bad, AMF3)
	var err error
	for err == nil {
		_, err = r.NextToken()
	}
	if !strings.Contains(err.Error(), strconv.Itoa(strFast+10)) {
		t.Errorf("a reference past the table: %v", err)
	}
}

// fuzzStrFast lowers strFast and traitFast for half the inputs of a
// fuzz target (by their length), so that small inputs reach Reader.big
// and Reader.tbig too.
func fuzzStrFast(t *testing.T, data []byte) {
	old, oldT := strFast, traitFast
	if len(data)&1 == 0 {
		strFast, traitFast = 2, 2
	}
	t.Cleanup(func() { strFast, traitFast = old, oldT })
}

// TestReaderBigTraitsTable: traits past traitFast (in Reader.tbig, read
// again from the input when referred to) give the same class and sealed
// names, at the edges (entry 0, the last of traits, the first of tbig,
// a chunk's edge, the last), through NextToken and ReadBatch.
func TestReaderBigTraitsTable(t *testing.T) {
	n := traitFast + strBigChunk + 3
	refs := []int{0, traitFast - 1, traitFast, traitFast + 1, traitFast + strBigChunk - 1, traitFast + strBigChunk, n - 1, traitFast}
	in := AppendU29([]byte{m3Array}, uint32(n+len(refs))<<1|1)
	in = append(in, 0x01)
	name := func(i int) string { return "n" + strconv.Itoa(i) }
	for i := range n {
		// Sealed traits of class "C" (a reference after the first) and
		// one name of their own.
		in = append(in, m3Object, 1<<4|0x03)
		if i == 0 {
			in = append(in, 0x03, 'C')
		} else {
			in = append(in, 0x00)
		}
		s := name(i)
		in = AppendU29(in, uint32(len(s))<<1|1)
		in = append(in, s...)
		in = append(in, m3Integer, byte(i&0x3F))
	}
	for _, i := range refs {
		in = AppendU29(append(in, m3Object), uint32(i)<<2|1)
		in = append(in, m3Integer, byte(i&0x3F))
	}
	want := func(k int) int { // the traits of item k
		if k < n {
			return k
		}
		return refs[k-n]
	}
	r := NewReader(in, AMF3)
	if tk, err := r.NextToken(); err != nil || tk.Kind != KindArray {
		t.Fatal(tk, err)
	}
	for k := range n + len(refs) {
		tk, err := r.NextToken()
		if err != nil {
			t.Fatalf("item %d: %v", k, err)
		}
		i := want(k)
		if tk.Kind != KindObject || tk.Traits.Class != "C" || len(tk.Traits.Sealed) != 1 || tk.Traits.Sealed[0] != name(i) {
			t.Fatalf("item %d: %v %+v, want the traits of %d", k, tk.Kind, tk.Traits, i)
		}
		if tk, err = r.NextToken(); err != nil || tk.Kind != KindName || string(tk.Bytes) != name(i) {
			t.Fatalf("item %d: name %v %v", k, tk, err)
		}
		if tk, err = r.NextToken(); err != nil || tk.Kind != KindInt || tk.Int != int64(i&0x3F) {
			t.Fatalf("item %d: value %v %v", k, tk, err)
		}
		if tk, err = r.NextToken(); err != nil || tk.Kind != KindEnd {
			t.Fatalf("item %d: end %v %v", k, tk, err)
		}
	}
	if len(r.traits) != traitFast || r.traitN() != n {
		t.Errorf("%d traits, %d in traits", r.traitN(), len(r.traits))
	}
	// ReadBatch: the names of the members.
	r = NewReader(in, AMF3)
	batch := make([]BatchToken, 64)
	var names []string
	for done := false; !done; {
		k := r.ReadBatch(batch)
		if k == 0 {
			tk, err := r.NextToken()
			if err != nil {
				t.Fatal(err)
			}
			if tk.Kind == KindName {
				names = append(names, string(tk.Bytes))
			}
			done = tk.Kind == KindEnd && r.Depth() == 0
			continue
		}
		for i := range batch[:k] {
			if bt := &batch[i]; bt.Named {
				names = append(names, string(r.BatchName(bt)))
			} else if bt.Kind == KindName {
				names = append(names, string(r.BatchBytes(bt)))
			}
			done = done || batch[i].Kind == KindEnd && r.Depth() == 0
		}
	}
	if len(names) != n+len(refs) {
		t.Fatalf("ReadBatch: %d names, want %d", len(names), n+len(refs))
	}
	for k, s := range names {
		if s != name(want(k)) {
			t.Fatalf("ReadBatch: name %d %q, want %q", k, s, name(want(k)))
		}
	}
}

// TestObjectTableBig: the object table's entries moved to objBig (2
// or 4 bytes each) come back as registered, at the chunk edges, and a
// Reader reading again finds them (registerObj's search).
func TestObjectTableBig(t *testing.T) {
	r := NewReader(make([]byte, 16), AMF3)
	n := 2*objChunk + strBigChunk + 5
	want := make([]int, n)
	at := 0
	for i := range n {
		at += 1 + i%5
		if i == objChunk+strBigChunk+3 {
			at += 100_000 // a chunk of 32-bit entries
		}
		want[i] = at
		if k, err := r.registerObj(at); err != nil || k != i {
			t.Fatalf("entry %d: %d %v", i, k, err)
		}
	}
	if r.objN0 == 0 || r.objBig.n != r.objN0 || r.objCount() != n {
		t.Fatalf("objN0 %d, objBig %d, count %d", r.objN0, r.objBig.n, r.objCount())
	}
	for i := range n {
		if got := r.objAt(i); int(got) != want[i] {
			t.Fatalf("entry %d is %d, want %d", i, got, want[i])
		}
	}
	r.replay = 1
	for _, i := range []int{0, objChunk - 1, objChunk, objChunk + strBigChunk + 3, 2*objChunk - 1, 2 * objChunk, n - 1} {
		if k, _ := r.registerObj(want[i]); k != i {
			t.Errorf("reading again entry %d: %d", i, k)
		}
	}
}

// TestResetBigTables: Reset with input keeps the room of the chunked
// tables (read again, the typed JSON writer costs no second table);
// with nil it lets them go (a Reader back in a pool).
func TestResetBigTables(t *testing.T) {
	names := make([]string, strFast+10)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	in := bigTableInput(names, []int{strFast + 5})
	r := NewReader(in, AMF3)
	if err := r.Skip(); err != nil {
		t.Fatal(err)
	}
	if r.big.n != 10 || cap(r.big.chunks) == 0 {
		t.Fatalf("big: %d entries", r.big.n)
	}
	r.Reset(in, AMF3)
	if r.big.n != 0 || cap(r.big.chunks) == 0 {
		t.Errorf("Reset(data): %d entries, room for %d chunks", r.big.n, cap(r.big.chunks))
	}
	if err := r.Skip(); err != nil || r.strN() != len(names) {
		t.Fatalf("read again: %v, %d entries", err, r.strN())
	}
	r.Reset(nil, AMF3)
	if cap(r.big.chunks) != 0 || cap(r.objBig.chunks) != 0 || cap(r.tbig.chunks) != 0 {
		t.Errorf("Reset(nil) kept the chunks")
	}
}
