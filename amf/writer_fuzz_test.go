package amf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzWriteValue: whatever decodes is written with the same bytes by
// every front end of the one writer: Marshal, Append after other bytes,
// an Encoder, and a Writer's WriteValue with a destination (which writes
// long strings and ByteArrays straight through) and without one.
func FuzzWriteValue(f *testing.F) {
	for _, pat := range []string{"../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3"} {
		files, _ := filepath.Glob(pat)
		for _, fn := range files {
			data, err := os.ReadFile(fn)
			if err != nil || len(data) > 8<<10 {
				continue
			}
			f.Add(strings.HasSuffix(fn, ".amf3"), data)
		}
	}
	// Strings past 64 KiB, which a Writer with a destination writes
	// straight through: AMF0 long string, AMF3 string met twice.
	long := strings.Repeat("a", 70000)
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		seed, err := amf.Marshal([]any{long, long, &amf.ByteArray{Data: []byte(long)}}, ver)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ver == amf.AMF3, seed)
	}
	f.Fuzz(func(t *testing.T, v3 bool, data []byte) {
		ver := amf.AMF0
		if v3 {
			ver = amf.AMF3
		}
		var v any
		if amf.Unmarshal(data, ver, &v) != nil {
			return
		}
		want, err := amf.Marshal(v, ver)
		if err != nil {
			t.Fatalf("Marshal(Unmarshal(%x)): %v", data, err)
		}
		got, err := amf.Append([]byte{0xEE}, v, ver)
		if err != nil || !bytes.Equal(got[1:], want) {
			t.Fatalf("Append = %x, %v; Marshal %x", got, err, want)
		}
		var buf bytes.Buffer
		if err := amf.NewEncoder(&buf, ver).Encode(v); err != nil || !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("Encoder = %x, %v; Marshal %x", buf.Bytes(), err, want)
		}
		buf.Reset()
		w := amf.NewWriter(&buf, ver)
		if err := w.WriteValue(v); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil || !bytes.Equal(buf.Bytes(), want) || w.Len() != int64(len(want)) {
			t.Fatalf("Writer to a destination = %x, %v; Marshal %x", buf.Bytes(), err, want)
		}
		w = amf.AppendWriter(nil, ver)
		if err := w.WriteValue(v); err != nil {
			t.Fatal(err)
		}
		if got, err := w.Bytes(); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Writer = %x, %v; Marshal %x", got, err, want)
		}
	})
}
