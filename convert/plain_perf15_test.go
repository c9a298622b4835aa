package convert

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// perf15Doubles are doubles around the edges of writeFast's short
// decimals: decimals of up to four fraction digits below 1000 and the
// doubles next to them (which must not take the decimal's text), powers
// of two and theirs (where the gap below is half the gap above), values
// around 2^-11 (where the test changes method), integers, and random
// doubles below 1000 and a little past.
func perf15Doubles() []float64 {
	var xs []float64
	add := func(x float64) {
		xs = append(xs, x, -x)
		lo, hi := x, x
		for range 3 {
			lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
			xs = append(xs, lo, hi, -lo, -hi)
		}
	}
	rng := rand.New(rand.NewPCG(15, 15))
	for k := range 3000 {
		add(float64(k) / 1e4)
		add(float64(rng.IntN(1e7)) / 1e4)
		add(float64(rng.IntN(1000)) + 0.99)
		add(float64(rng.IntN(1e5)) / 100)
		xs = append(xs, rng.Float64()*1100, math.Float64frombits(rng.Uint64()>>2))
	}
	for e := -30; e <= 12; e++ {
		add(math.Ldexp(1, e))
		add(math.Ldexp(1, e) * 3)
	}
	for _, x := range []float64{0, 1000, 999.9999, 999.99995, 1e8 - 1, 1e8, 1e4, 0.00048828125, 0.0004, 0.0005, 0.0001, 1e-5} {
		add(x)
	}
	return xs
}

// TestPlainDoublesAsModelPerf15 writes perf15Doubles as the items of an
// AMF3 array and as the members of objects through the direct path
// (writeFast's short decimals among them) and through the value model
// (appendPlainDouble): the texts must be the same.
func TestPlainDoublesAsModelPerf15(t *testing.T) {
	xs := perf15Doubles()
	items := make([]any, 0, len(xs)/4+1)
	dense := make([]any, len(xs))
	for i, x := range xs {
		dense[i] = x
		if i%4 == 0 {
			items = append(items, &amf.Object{Members: []amf.Member{{Name: "a", Value: x}, {Name: "b", Value: xs[len(xs)-1-i]}}})
		}
	}
	for _, v := range []any{&amf.Array{Dense: dense}, &amf.Array{Dense: items}} {
		for _, ver := range []amf.Version{amf.AMF3, amf.AMF0} {
			plainAsModel(t, v, ver)
		}
	}
}

// TestPlainW1AsModelPerf15 is the same for W1 (the benchmark's data):
// its prices, dates and small integers.
func TestPlainW1AsModelPerf15(t *testing.T) {
	for _, ver := range []amf.Version{amf.AMF3, amf.AMF0} {
		plainAsModel(t, amftest.W1(3000), ver)
	}
}

// writeSizes records the size of each Write.
type writeSizes struct {
	bytes.Buffer
	sizes []int
}

func (w *writeSizes) Write(b []byte) (int, error) {
	w.sizes = append(w.sizes, len(b))
	return w.Buffer.Write(b)
}

// TestWriteAMFFlushesInFastPathPerf15 streams W1 through WriteAMF, whose
// tokens writeFast writes nearly all: the output must go out in pieces
// of about flushAt (writeFast stops where writeTokens flushes), and be
// what AppendAMF gives.
func TestWriteAMFFlushesInFastPathPerf15(t *testing.T) {
	data, err := amf.Marshal(amftest.W1(5000), amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	want, err := AppendAMF(nil, data, amf.AMF3, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 3*flushAt {
		t.Fatalf("W1(5000) is %d bytes of JSON: too short for the test", len(want))
	}
	var w writeSizes
	if err := WriteAMF(&w, data, amf.AMF3, &Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatal("WriteAMF and AppendAMF differ")
	}
	for i, n := range w.sizes {
		if n > flushAt+fastRoom {
			t.Fatalf("write %d of %v is %d bytes: past flushAt (%d) and a token", i, w.sizes, n, flushAt)
		}
	}
}

// sameAsModel fails the test, showing where, when the direct path's JSON
// is not the value model's.
func sameAsModel(t *testing.T, what string, direct, model []byte) {
	t.Helper()
	if bytes.Equal(direct, model) {
		return
	}
	i := 0
	for i < len(direct) && i < len(model) && direct[i] == model[i] {
		i++
	}
	lo := max(i-60, 0)
	t.Fatalf("%s: direct and model differ at byte %d:\ndirect ...%q\nmodel  ...%q", what, i, direct[lo:min(i+40, len(direct))], model[lo:min(i+40, len(model))])
}

// plainAsModel encodes v in ver and checks that the direct path writes
// the value model's plain JSON of it.
func plainAsModel(t *testing.T, v any, ver amf.Version) {
	t.Helper()
	data, err := amf.Marshal(v, ver)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := AppendAMF(nil, data, ver, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	model, err := appendAMFModel(nil, data, ver, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameAsModel(t, ver.String(), direct, model)
}
