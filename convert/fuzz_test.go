package convert

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil && len(data) < 4096 {
			f.Add(data)
		}
	}
}

// FuzzFromJSON: reading any JSON never panics, and what it reads survives
// typed JSON unchanged: JSON -> value -> typed JSON -> value gives the
// same AMF3 and AMF0 bytes.
func FuzzFromJSON(f *testing.F) {
	addSeeds(f, "../testdata/golden/*.json")
	f.Add([]byte(`{"$id":1,"a":[{"$ref":1},{"$bytes":"AAE="},{"$double":"NaN"},-0.0,5.0,5]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := FromJSON(data)
		if err != nil {
			return
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			want, err := amf.Marshal(v, ver)
			if err != nil {
				continue
			}
			typed, err := AppendValue(nil, v, &Options{Typed: true, MaxOutput: 1 << 20})
			if err != nil {
				t.Fatalf("typed JSON of %q: %v", data, err)
			}
			back, err := FromJSON(typed)
			if err != nil {
				t.Fatalf("reading back %s: %v", typed, err)
			}
			got, err := amf.Marshal(back, ver)
			if err != nil {
				t.Fatalf("encoding %s: %v", typed, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%v: %q -> %s -> %x, want %x", ver, data, typed, got, want)
			}
		}
	})
}

// FuzzToJSON: any AMF3 bytes that decode convert to both JSON forms
// without panicking (plain output bounded), and the typed form reads back
// to a value that encodes to the same bytes as the decoded value.
func FuzzToJSON(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		rest, err := amf.UnmarshalFirst(data, amf.AMF3, &v)
		if err != nil {
			return
		}
		_ = rest
		if _, err := AppendValue(nil, v, &Options{MaxOutput: 1 << 20}); err != nil {
			if _, ok := err.(*OutputLimitError); !ok {
				t.Fatalf("plain: %v", err)
			}
		}
		want, err := amf.Marshal(v, amf.AMF3)
		if err != nil {
			return
		}
		typed, err := AppendValue(nil, v, &Options{Typed: true})
		if err != nil {
			t.Fatalf("typed: %v", err)
		}
		back, err := FromJSON(typed)
		if err != nil && !heldWrongly(err) {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		if err != nil {
			return
		}
		got, err := amf.Marshal(back, amf.AMF3)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%x -> %s -> %x (%v), want %x", data, typed, got, err, want)
		}
	})
}

// FuzzDirectPlain: the plain form written from the token Reader is the
// plain form of the decoded values, or fails with the same error, for
// AMF0 and AMF3 streams (issue 7: one set of limits whatever the path).
func FuzzDirectPlain(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	// Names given twice (dupnames.go): inline twice, again after a child
	// that has it, an associative "0" beside a dense item 0, AMF0.
	f.Add([]byte("\x0a\x0b\x01\x03a\x04\x01\x03a\x04\x02\x01"))
	f.Add([]byte("\x0a\x0b\x01\x03a\x04\x01\x03b\x0a\x01\x00\x04\x05\x01\x00\x04\x02\x01"))
	f.Add([]byte("\x09\x03\x030\x04\x07\x01\x04\x01"))
	f.Add([]byte("\x03\x00\x01a\x00\x3f\xf0\x00\x00\x00\x00\x00\x00\x00\x01b\x03\x00\x01a\x05\x00\x00\x09\x00\x01a\x05\x00\x00\x09"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			checkDirect(t, data, ver, &Options{MaxOutput: 1 << 20})
		}
	})
}

// checkDirect holds AppendAMF's plain path to the value model.
func checkDirect(t *testing.T, data []byte, ver amf.Version, o *Options) {
	t.Helper()
	var mw, dw []string
	mo, do := *o, *o
	mo.Warn = func(s string) { mw = append(mw, s) }
	do.Warn = func(s string) { dw = append(dw, s) }
	model, merr := appendAMFModel([]byte("x"), data, ver, &mo)
	direct, derr := AppendAMF([]byte("x"), data, ver, &do)
	if (merr == nil) != (derr == nil) || merr != nil && merr.Error() != derr.Error() {
		t.Fatalf("%v %x: direct path: %q, %v; the model: %v", ver, data, direct, derr, merr)
	}
	if !bytes.Equal(direct, model) {
		t.Fatalf("%v %x:\ndirect %s\nmodel  %s", ver, data, direct, model)
	}
	if strings.Join(dw, "\n") != strings.Join(mw, "\n") {
		t.Fatalf("%v %x: direct path warns %q; the model %q", ver, data, dw, mw)
	}
}

// FuzzJSONToAMF3: the AMF3 written straight from plain JSON is the AMF3
// the value model gives (FromJSONLines, then an Encoder).
func FuzzJSONToAMF3(f *testing.F) {
	addSeeds(f, "../testdata/golden/*.amf3.json")
	f.Add([]byte(`{"a":[1,2.5,"x",{"a":"x"}],"b":null,"c":true}` + "\n" + `[268435456, -0, 1e3, ""]`))
	f.Add([]byte(`[{"a":1,"b":2},{"a":1,"b":2,"a":3},{"a":1,"a":2},{"a":{"b":1,"b":1}}]`)) // keys given twice
	f.Fuzz(func(t *testing.T, data []byte) {
		w := amf.AppendWriter(nil, amf.AMF3)
		j := newJSONAMF(w, data, amf.AMF3)
		if !j.run() {
			return
		}
		direct, _ := w.Bytes()
		var mk dupKeys
		vs, err := fromJSONLines(data, &mk)
		if dw, mw := j.dups.warning(data), mk.warning(data); err == nil && dw != mw {
			t.Fatalf("%q: direct path warns %q, the model %q", data, dw, mw)
		}
		if err != nil {
			t.Fatalf("%q: direct path wrote %x, the model failed: %v", data, direct, err)
		}
		var want []byte
		enc := amf.NewEncoder(bytesWriter{&want}, amf.AMF3)
		for _, v := range vs {
			if err := enc.Encode(v); err != nil {
				t.Fatalf("%q: direct path wrote %x, the encoder failed: %v", data, direct, err)
			}
		}
		if !bytes.Equal(direct, want) {
			t.Fatalf("%q:\ndirect %x\nmodel  %x", data, direct, want)
		}
	})
}

type bytesWriter struct{ b *[]byte }

func (w bytesWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// heldWrongly reports whether err is the refusal of a Flex wrapper that
// holds what its class does not (an ArrayCollection of 5): bytes read
// as they are, which the typed form shows but will not write back.
func heldWrongly(err error) bool {
	var we *wrapperError
	return errors.As(err, &we)
}
