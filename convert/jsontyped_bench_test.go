package convert

import (
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// benchJSONToAMF measures AppendJSONAsAMF of the JSON of v (typed or
// plain, as convert writes it) to AMF of version ver, per byte of JSON.
func benchJSONToAMF(b *testing.B, v any, o *Options, ver amf.Version) {
	benchJSONText(b, v, o, ver, AppendJSONAsAMF)
}

// benchJSONText measures conv (JSON text -> AMF of version ver) on the
// JSON of v as convert writes it with o, per byte of JSON.
func benchJSONText(b *testing.B, v any, o *Options, ver amf.Version, conv func(dst, js []byte, ver amf.Version) ([]byte, error)) {
	js, err := AppendValue(nil, v, o)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		if out, err = conv(out[:0], js, ver); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONToAMF3_W1_Typed is the direct path on typed JSON (issue
// 7): W1's dates are {"$date": ...}. BenchmarkFromJSON_W1_AMF3_Typed is
// the value model on the same text.
func BenchmarkJSONToAMF3_W1_Typed(b *testing.B) {
	benchJSONToAMF(b, amftest.W1(1000), &Options{Typed: true}, amf.AMF3)
}

func BenchmarkJSONToAMF0_W1_Typed(b *testing.B) {
	benchJSONToAMF(b, amftest.W1(1000), &Options{Typed: true}, amf.AMF0)
}

// BenchmarkJSONToAMF3_W1Sealed_Typed: every object {"$class": ...}, its
// member names read before it is written.
func BenchmarkJSONToAMF3_W1Sealed_Typed(b *testing.B) {
	benchJSONToAMF(b, sealedW1(1000), &Options{Typed: true}, amf.AMF3)
}

// BenchmarkModelJSONToAMF3_W1_Typed is the value model's JSON -> AMF3
// (FromJSONLines and the encoder) on the text of
// BenchmarkJSONToAMF3_W1_Typed: the path typed JSON took before.
func BenchmarkModelJSONToAMF3_W1_Typed(b *testing.B) {
	benchJSONText(b, amftest.W1(1000), &Options{Typed: true}, amf.AMF3, appendModelOf)
}

// BenchmarkModelJSONToAMF3_W1Sealed_Typed is the value model on the text
// of BenchmarkJSONToAMF3_W1Sealed_Typed.
func BenchmarkModelJSONToAMF3_W1Sealed_Typed(b *testing.B) {
	benchJSONText(b, sealedW1(1000), &Options{Typed: true}, amf.AMF3, appendModelOf)
}

// BenchmarkWriteJSONAsAMF3_W1x100 is what `amfcall convert w1x100.json
// --to amf3` does: WriteJSONAsAMF, to a destination, on W1 x 100 (18.5
// MB of JSON, one top-level array whose count is written at its end, so
// that its whole output is held until then).
func BenchmarkWriteJSONAsAMF3_W1x100(b *testing.B) {
	js, err := AppendValue(nil, amftest.W1(100*1000), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSONAsAMF(io.Discard, js, amf.AMF3); err != nil {
			b.Fatal(err)
		}
	}
}
