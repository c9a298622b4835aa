package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
)

// FuzzPathsAgree (fuzz11) holds issue 7's rule, "whatever the path, the
// same input gets the same output or the same error", for bare AMF0 and
// AMF3 values, with every path side by side on the same bytes: the value
// decoder (amf.UnmarshalAll), the token Reader walking (amf.Valid) and
// building values from a stream that gives a few bytes at a time, the
// plain JSON written from tokens (AppendAMF, WriteAMF), the typed JSON
// written from tokens (writeTypedDirect) and through the value model
// (AppendAMF with Typed), and a Source rendering both forms held and
// streamed (Render, RenderTo), as convert does.
//
// The other differential targets each hold one path to the value model
// (FuzzDirectPlain, FuzzTypedDirect, FuzzErrorPaths); this one says the
// error class of each path (the wire version, the cause: sentinel,
// limit or short input, and the offset) is the decoder's, and where the
// decoder reads every value, that the plain forms are one output, the
// typed forms are one output, and the typed JSON reads back to values
// that encode to the bytes the decoded values encode to.
func FuzzPathsAgree(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	for _, in := range hostileShapes() {
		if len(in) < 4096 {
			f.Add(in)
		}
	}
	// Two values sharing one reference context; a string reference to
	// the first value's string; a reference to an object still open.
	f.Add([]byte("\x06\x07abc\x06\x00"))
	f.Add([]byte("\x0a\x0b\x01\x03a\x0a\x00\x01"))
	f.Add([]byte("\x03\x00\x01a\x07\x00\x00\x00\x00\x09"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			checkPaths(t, data, ver)
		}
	})
}

// TestPathsAgreeCorpus runs checkPaths on the inputs kept for the other
// differential targets too, so that a plain `go test` holds them to the
// same rule.
func TestPathsAgreeCorpus(t *testing.T) {
	n := 0
	for _, dir := range []string{"FuzzPathsAgree", "FuzzDirectPlain", "FuzzTypedDirect", "FuzzErrorPaths"} {
		for _, in := range pathsCorpus(t, "testdata/fuzz/"+dir) {
			for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
				checkPaths(t, in, ver)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d inputs: the corpora moved?", n)
	}
}

// pathsCorpus returns the inputs kept in a fuzz corpus folder.
func pathsCorpus(t *testing.T, dir string) [][]byte {
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, corpusInputs(data)...)
	}
	return out
}

// errClass is what two paths must agree on when they fail: the wire
// version and offset of the *amf.SyntaxError, and its cause.
func errClass(err error) string {
	if err == nil {
		return "ok"
	}
	ver, off := "-", int64(-1)
	var se *amf.SyntaxError
	if errors.As(err, &se) {
		ver, off = se.Version, se.Offset
	}
	// Trailing data is no syntax error, but has an offset too (fuzz12).
	var te *amf.TrailingDataError
	if errors.As(err, &te) {
		off = te.Offset
	}
	why := ""
	switch {
	case errors.As(err, new(*amf.MaxDepthError)):
		why = "depth limit"
	case errors.As(err, new(*amf.MaxElementsError)):
		why = "elements limit"
	case errors.As(err, new(*amf.MaxLengthError)):
		why = "length limit"
	case errors.As(err, new(*amf.MaxReferencesError)):
		why = "references limit"
	case errors.As(err, new(*OutputLimitError)):
		why = "output limit"
	case errors.Is(err, io.ErrUnexpectedEOF):
		why = "short"
	}
	for _, s := range []error{amf.ErrBadMarker, amf.ErrReference, amf.ErrInvalidUTF8,
		amf.ErrUnknownExternalizable, amf.ErrTrailingData, amf.ErrVersion, amf.ErrUnencodable} {
		if why == "" && errors.Is(err, s) {
			why = s.Error()
		}
	}
	if why == "" && se != nil {
		why = "other: " + se.Err.Error()
	}
	if why == "" {
		why = fmt.Sprintf("other %T", err)
	}
	return fmt.Sprintf("%s: %s at %d", ver, why, off)
}

// readValues reads every value of r, as UnmarshalAll does.
func readValues(r *amf.Reader) ([]any, error) {
	var vs []any
	for {
		v, err := r.ReadValue()
		if err == io.EOF {
			return vs, nil
		}
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
}

// encodeValues encodes vs with one Encoder (one reference context).
func encodeValues(vs []any, ver amf.Version) ([]byte, error) {
	var buf bytes.Buffer
	enc := amf.NewEncoder(&buf, ver)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func checkPaths(t *testing.T, data []byte, ver amf.Version) {
	t.Helper()
	vs, verr := amf.UnmarshalAll(data, ver)
	want := errClass(verr)
	type result struct {
		path string
		out  []byte // JSON written, when the path writes JSON
		err  error
	}
	var plains, typeds []result
	others := []result{{path: "amf.Valid", err: amf.Valid(data, ver)}}

	svs, serr := readValues(amf.NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), ver))
	others = append(others, result{path: "stream Reader", err: serr})

	b, err := AppendAMF(nil, data, ver, &Options{})
	plains = append(plains, result{"AppendAMF", b, err})
	var buf bytes.Buffer
	err = WriteAMF(&buf, data, ver, &Options{})
	plains = append(plains, result{"WriteAMF", buf.Bytes(), err})

	b, err = AppendAMF(nil, data, ver, &Options{Typed: true})
	typeds = append(typeds, result{"AppendAMF typed", b, err})
	var tbuf bytes.Buffer
	if ok, err := writeTypedDirect(&tbuf, data, ver, &Options{Typed: true}); ok {
		typeds = append(typeds, result{"typed direct", tbuf.Bytes(), err})
	}

	for _, typed := range []bool{false, true} {
		src := &Source{Name: "in", Kind: KindValue, Data: data, Version: ver}
		tg := Target{Format: "json"}
		out, err := src.Render(tg, &Options{Typed: typed})
		r := result{"Render", out, err}
		var sbuf bytes.Buffer
		src = &Source{Name: "in", Kind: KindValue, Data: data, Version: ver}
		ok, err := src.RenderTo(&sbuf, tg, &Options{Typed: typed})
		rs := result{"RenderTo", sbuf.Bytes(), err}
		if typed {
			r.path, rs.path = r.path+" typed", rs.path+" typed"
			typeds = append(typeds, r)
			if ok {
				typeds = append(typeds, rs)
			}
		} else {
			plains = append(plains, r)
			if ok {
				plains = append(plains, rs)
			}
		}
	}

	for _, rs := range [][]result{others, plains, typeds} {
		for _, r := range rs {
			if got := errClass(r.err); got != want {
				t.Fatalf("%v %x: %s fails as %q (%v); the value decoder as %q (%v)", ver, cut64(data), r.path, got, r.err, want, verr)
			}
		}
	}
	if verr != nil {
		return
	}

	wb, werr := encodeValues(vs, ver)
	if sb, err := encodeValues(svs, ver); !bytes.Equal(sb, wb) || (err == nil) != (werr == nil) {
		t.Fatalf("%v %x: the stream Reader's values encode to %x (%v); the decoder's to %x (%v)", ver, cut64(data), sb, err, wb, werr)
	}
	for _, rs := range [][]result{plains, typeds} {
		for _, r := range rs[1:] {
			if !bytes.Equal(r.out, rs[0].out) {
				t.Fatalf("%v %x:\n%s: %.400s\n%s: %.400s", ver, cut64(data), r.path, r.out, rs[0].path, rs[0].out)
			}
		}
	}
	// The typed JSON reads back to the values read (one reference
	// context, as the bytes share one).
	if werr != nil {
		return
	}
	back, err := FromJSONLines(typeds[0].out)
	if err != nil {
		if heldWrongly(err) {
			return
		}
		t.Fatalf("%v %x: reading the typed JSON back: %v\n%.400s", ver, cut64(data), err, typeds[0].out)
	}
	if bb, err := encodeValues(back, ver); err != nil || !bytes.Equal(bb, wb) {
		t.Fatalf("%v %x: typed JSON %.400s\nreads back to %x (%v), want %x", ver, cut64(data), typeds[0].out, bb, err, wb)
	}
}
