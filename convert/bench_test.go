package convert

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

func mustMarshal(b *testing.B, v any, ver amf.Version) []byte {
	data, err := amf.Marshal(v, ver)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// benchToJSON measures AMF bytes -> JSON, decode included, per byte of AMF.
func benchToJSON(b *testing.B, data []byte, ver amf.Version, o *Options) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		var v any
		if err := amf.Unmarshal(data, ver, &v); err != nil {
			b.Fatal(err)
		}
		var err error
		out, err = AppendValue(out[:0], v, o)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToJSON_W1_AMF3_Plain(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3, &Options{})
}

func BenchmarkToJSON_W1_AMF3_Typed(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3, &Options{Typed: true})
}

func BenchmarkToJSON_W1_AMF0_Plain(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W1(1000), amf.AMF0), amf.AMF0, &Options{})
}

func BenchmarkToJSON_W2_Plain(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W2(4<<20), amf.AMF3), amf.AMF3, &Options{})
}

func BenchmarkToJSON_W3_Plain(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W3(100000), amf.AMF3), amf.AMF3, &Options{})
}

func BenchmarkToJSON_W4_Plain(b *testing.B) {
	benchToJSON(b, mustMarshal(b, amftest.W4(), amf.AMF0), amf.AMF0, &Options{})
}

// BenchmarkBase64_W2 measures the JSON writer alone on one 4 MiB
// ByteArray (the base64 part of W2).
func BenchmarkBase64_W2(b *testing.B) {
	v := amftest.W2(4 << 20)
	b.SetBytes(int64(len(v.Data)))
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		out, _ = AppendValue(out[:0], v, &Options{})
	}
}

// benchFromJSON measures JSON text -> AMF bytes, per byte of JSON.
func benchFromJSON(b *testing.B, v any, o *Options, ver amf.Version) {
	js, err := AppendValue(nil, v, o)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		x, err := FromJSON(js)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := amf.Marshal(x, ver); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromJSON_W1_AMF3_Plain(b *testing.B) {
	benchFromJSON(b, amftest.W1(1000), &Options{}, amf.AMF3)
}

func BenchmarkFromJSON_W1_AMF3_Typed(b *testing.B) {
	benchFromJSON(b, amftest.W1(1000), &Options{Typed: true}, amf.AMF3)
}

// BenchmarkStdlibJSON_W1 is the reference point the issue names:
// encoding/json unmarshalling the same W1 data to generic values and
// marshalling it again.
func BenchmarkStdlibJSON_W1(b *testing.B) {
	js, _ := AppendValue(nil, amftest.W1(1000), &Options{})
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(js, &v); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDirect measures AppendAMF: AMF bytes -> plain JSON straight from
// the bytes, per byte of AMF.
func benchDirect(b *testing.B, data []byte, ver amf.Version) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		var err error
		out, err = AppendAMF(out[:0], data, ver, &Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDirect_W1_AMF3(b *testing.B) {
	benchDirect(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3)
}

func BenchmarkDirect_W1_AMF0(b *testing.B) {
	benchDirect(b, mustMarshal(b, amftest.W1(1000), amf.AMF0), amf.AMF0)
}

func BenchmarkDirect_W2(b *testing.B) {
	benchDirect(b, mustMarshal(b, amftest.W2(4<<20), amf.AMF3), amf.AMF3)
}

func BenchmarkDirect_W3(b *testing.B) {
	benchDirect(b, mustMarshal(b, amftest.W3(100000), amf.AMF3), amf.AMF3)
}

func BenchmarkDirect_W4(b *testing.B) {
	benchDirect(b, mustMarshal(b, amftest.W4(), amf.AMF0), amf.AMF0)
}

// BenchmarkJSONToAMF3_W1 measures AppendJSONAsAMF, plain JSON text -> AMF3
// bytes straight from the text, per byte of JSON.
func BenchmarkJSONToAMF3_W1(b *testing.B) {
	benchJSONToAMF(b, amftest.W1(1000), nil, amf.AMF3)
}

// sealedW1 is W1 with every object typed and sealed, as Java back ends
// (BlazeDS, ColdFusion) write their value objects: the member names are
// in the traits, sent once and referred to after.
func sealedW1(n int) *amf.Array {
	a := amftest.W1(n)
	var product, supplier *amf.Traits
	for _, v := range a.Dense {
		o := v.(*amf.Object)
		product = seal(o, "com.example.Product", product)
		if s, ok := o.Members[5].Value.(*amf.Object); ok {
			supplier = seal(s, "com.example.Supplier", supplier)
		}
	}
	return a
}

// seal gives o the traits t (made from o's members when nil: one
// Traits for every object of the class, which the encoder refers to).
func seal(o *amf.Object, class string, t *amf.Traits) *amf.Traits {
	if t == nil {
		t = &amf.Traits{Class: class}
		for _, m := range o.Members {
			t.Sealed = append(t.Sealed, m.Name)
		}
	}
	o.Class, o.Traits = class, t
	return t
}

func BenchmarkDirect_W1Sealed_AMF3(b *testing.B) {
	benchDirect(b, mustMarshal(b, sealedW1(1000), amf.AMF3), amf.AMF3)
}

// BenchmarkJSONToAMF0_W1 is BenchmarkJSONToAMF3_W1 writing AMF0.
func BenchmarkJSONToAMF0_W1(b *testing.B) {
	benchJSONToAMF(b, amftest.W1(1000), nil, amf.AMF0)
}

// benchDirectTyped measures bare AMF values -> typed JSON, per byte of
// AMF: the direct writer (typeddirect.go) when direct, else the value
// path it replaces (decode into the model, then AppendValues).
func benchDirectTyped(b *testing.B, data []byte, ver amf.Version, direct bool) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	o := &Options{Typed: true}
	for b.Loop() {
		if !direct {
			if _, err := appendAMFModel(nil, data, ver, o); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if ok, err := writeTypedDirect(io.Discard, data, ver, o); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkDirectTyped_W1_AMF3(b *testing.B) {
	benchDirectTyped(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3, true)
}

func BenchmarkDirectTyped_W1_AMF0(b *testing.B) {
	benchDirectTyped(b, mustMarshal(b, amftest.W1(1000), amf.AMF0), amf.AMF0, true)
}

// BenchmarkModelTyped_W1_AMF3 is the value path BenchmarkDirectTyped_W1_AMF3
// replaces, for a ratio measured in the same run.
func BenchmarkModelTyped_W1_AMF3(b *testing.B) {
	benchDirectTyped(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3, false)
}

func BenchmarkModelTyped_W1_AMF0(b *testing.B) {
	benchDirectTyped(b, mustMarshal(b, amftest.W1(1000), amf.AMF0), amf.AMF0, false)
}
