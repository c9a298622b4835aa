package convert

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// chunkWriter counts the writes it is given, and keeps their bytes
// (or only counts them, with discard).
type chunkWriter struct {
	buf     bytes.Buffer
	n       int64
	writes  int
	discard bool
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.writes++
	c.n += int64(len(p))
	if !c.discard {
		c.buf.Write(p)
	}
	return len(p), nil
}

// records is a list of objects sharing one class and a string, whose
// JSON is some hundreds of KB: WriteValue flushes it in several pieces.
func records(n int) any {
	traits := &amf.Traits{Class: "Rec", Sealed: []string{"id", "name", "note", "when"}}
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "shared"}}}
	dense := make([]any, n)
	for i := range dense {
		dense[i] = &amf.Object{Traits: traits, Members: []amf.Member{
			{Name: "id", Value: amf.Int(i)},
			{Name: "name", Value: strings.Repeat("n\u00e9\x01", i%7)},
			{Name: "note", Value: shared},
			{Name: "when", Value: &amf.Date{Ms: float64(i) * 1e6}},
		}}
	}
	return &amf.Array{Dense: dense}
}

// TestWriteValueSameAsAppend: WriteValue writes AppendValue's bytes and
// a newline, in every form, in more than one write.
func TestWriteValueSameAsAppend(t *testing.T) {
	v := records(5000)
	for _, o := range []Options{
		{}, {Typed: true}, {Indent: "  "}, {Typed: true, Indent: "  ", Palette: DefaultPalette}, {Palette: DefaultPalette},
	} {
		want, err := AppendValue(nil, v, &o)
		if err != nil {
			t.Fatal(err)
		}
		var w chunkWriter
		if err := WriteValue(&w, v, &o); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w.buf.Bytes(), append(want, '\n')) {
			t.Fatalf("%+v: WriteValue differs from AppendValue (%d bytes against %d)", o, w.buf.Len(), len(want)+1)
		}
		if w.writes < 3 {
			t.Fatalf("%+v: %d bytes in %d writes: not streamed", o, w.buf.Len(), w.writes)
		}
	}
}

// TestWriteValueLimitExact: past MaxOutput, exactly MaxOutput bytes are
// written, then the limit error; the same with the newline at the limit.
func TestWriteValueLimitExact(t *testing.T) {
	v := records(3000)
	checkLimitExact(t, []int64{100, 200000},
		func(o *Options) ([]byte, error) { return AppendValue(nil, v, o) },
		func(w io.Writer, o *Options) error { return WriteValue(w, v, o) })
}

// checkLimitExact checks, plain and typed, that write under each limit
// (and a limit of the whole output, which the newline passes) writes
// exactly the first limit bytes of what appendAll makes, then fails
// with the output limit error of its kind.
func checkLimitExact(t *testing.T, limits []int64, appendAll func(*Options) ([]byte, error), write func(io.Writer, *Options) error) {
	t.Helper()
	for _, typed := range []bool{false, true} {
		full, err := appendAll(&Options{Typed: typed})
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range append(limits, int64(len(full))) {
			var w chunkWriter
			err := write(&w, &Options{Typed: typed, MaxOutput: limit})
			if !errors.As(err, new(*OutputLimitError)) {
				t.Fatalf("typed %v, limit %d: err %v, want an output limit error", typed, limit, err)
			}
			if typed != errors.As(err, new(*TypedOutputLimitError)) {
				t.Fatalf("typed %v: %T", typed, err)
			}
			if !bytes.Equal(w.buf.Bytes(), full[:limit]) {
				t.Fatalf("typed %v, limit %d: wrote %d bytes, not the first %d", typed, limit, w.buf.Len(), limit)
			}
		}
	}
}

// TestWriteValueBombBoundedMemory: a value naming one 1 MB string 2,000
// times is 2 GB of JSON. Under a 200 MB limit it fails after writing
// exactly 200 MB, and allocates a few MB, not the output (AppendValue
// holds it all).
func TestWriteValueBombBoundedMemory(t *testing.T) {
	s := strings.Repeat("A", 1<<20)
	dense := make([]any, 2000)
	for i := range dense {
		dense[i] = s
	}
	v := &amf.Array{Dense: dense}
	checkBombNotHeld(t, func(w io.Writer, o *Options) error { return WriteValue(w, v, o) })
}

// checkBombNotHeld writes a bomb (write, plain and typed) under a 200 MB
// limit: it must fail with the limit error after exactly 200 MB, having
// allocated at most 16 MiB, not the output.
func checkBombNotHeld(t *testing.T, write func(io.Writer, *Options) error) {
	t.Helper()
	const limit = 200 << 20
	for _, typed := range []bool{false, true} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w := &chunkWriter{discard: true}
		err := write(w, &Options{Typed: typed, MaxOutput: limit})
		runtime.ReadMemStats(&after)
		if !errors.As(err, new(*OutputLimitError)) || w.n != limit {
			t.Fatalf("typed %v: err %v after %d bytes, want the limit error after %d", typed, err, w.n, limit)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("typed %v: %d bytes written, %.1f MiB allocated", typed, w.n, float64(alloc)/(1<<20))
		if alloc > 16<<20 {
			t.Fatalf("typed %v: %.1f MiB allocated for %d bytes written: the output is held", typed, float64(alloc)/(1<<20), w.n)
		}
	}
}
