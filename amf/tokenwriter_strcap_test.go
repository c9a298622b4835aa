package amf

import (
	"bytes"
	"strconv"
	"testing"
)

// TestWriterStringTableCap: the Writer's string table stops at
// maxStrTable strings (a JSON array of 5 million distinct strings took
// it to 192 MB). Up to the cap the output is as before, a string met
// again a reference; past it a string not entered is written again,
// inline, and the output still decodes to the same values (the
// reader's numbering of the strings after it unchanged).
func TestWriterStringTableCap(t *testing.T) {
	for _, extra := range []int{0, 1000} {
		k := maxStrTable + extra
		names := make([]string, k)
		for i := range names {
			names[i] = "s" + strconv.Itoa(i)
		}
		w := AppendWriter(nil, AMF3)
		if err := w.BeginArray(k + 3); err != nil {
			t.Fatal(err)
		}
		for _, s := range names {
			w.WriteString(s)
		}
		// Entry 0, the last entered, and the last written.
		last := maxStrTable - 1
		w.WriteString(names[0])
		w.WriteString(names[last])
		w.WriteString(names[k-1])
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		out, err := w.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if w.strs.n > maxStrTable {
			t.Errorf("extra %d: the table holds %d strings (cap %d)", extra, w.strs.n, maxStrTable)
		}
		want := append([]byte{0x06, 0x00, 0x06}, AppendU29(nil, uint32(last)<<1)...)
		if extra == 0 {
			want = append(want, 0x06)
			want = AppendU29(want, uint32(k-1)<<1)
		} else {
			want = append(want, 0x06)
			want = AppendU29(want, uint32(len(names[k-1]))<<1|1)
			want = append(want, names[k-1]...)
		}
		if !bytes.HasSuffix(out, want) {
			t.Errorf("extra %d: the output ends % x, want % x", extra, out[len(out)-len(want):], want)
		}
		var v any
		if err := Unmarshal(out, AMF3, &v); err != nil {
			t.Fatalf("extra %d: %v", extra, err)
		}
		a, ok := v.(*Array)
		if !ok || len(a.Dense) != k+3 {
			t.Fatalf("extra %d: decoded %T", extra, v)
		}
		for i, s := range append(names, names[0], names[last], names[k-1]) {
			if a.Dense[i] != s {
				t.Fatalf("extra %d: item %d is %v, want %q", extra, i, a.Dense[i], s)
			}
		}
	}
}
