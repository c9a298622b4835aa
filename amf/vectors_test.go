package amf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// knownNonCanonical lists PyAMF vectors whose bytes are not what a
// canonical encoder writes (PyAMF's known faults, see testdata/pyamf).
var knownNonCanonical = map[string]string{}

// wantDecodeError lists the PyAMF vectors that must not decode, each with
// the start of the error it must fail with: invalid input PyAMF itself
// refuses (bad references, truncation), a reserved marker,
// an externalizable class nobody registered, and two values in a row
// (Unmarshal reads one). Any other vector that fails to decode fails the
// test.
var wantDecodeError = map[string]string{
	"dec_amf0_movieclip.amf0":              "amf0: unknown or invalid marker 0x04 (movieclip is reserved)",
	"dec_amf3_bad_string_ref.amf3":         "amf3: invalid string reference 5 (table has 0)",
	"dec_amf3_externalizable_unknown.amf3": `amf3: unknown externalizable class "x.Y"`,
	"dec_amf3_truncated_int.amf3":          "amf3: unexpected EOF",
	"shared_bytearray.amf0":                "amf0: invalid object reference 1 (table has 1)",
	"two_values_shared.amf0":               "amf: 3 bytes of trailing data",
	"two_values_shared.amf3":               "amf: 2 bytes of trailing data",
}

func TestPyAMFVectorsRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf[03]")
	if len(files) < 100 {
		t.Fatalf("found only %d vectors", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ver := AMF0
			if strings.HasSuffix(name, ".amf3") {
				ver = AMF3
			}
			var v any
			err = Unmarshal(data, ver, &v)
			if want, ok := wantDecodeError[name]; ok {
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Fatalf("decode: %v, want an error starting %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := Marshal(v, ver)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("round trip differs:\n got %x\nwant %x", out, data)
			}
		})
	}
}

func TestPyAMFPacketsRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/vectors/env_*.amf")
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, f := range append(files, caps...) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			p, err := UnmarshalPacket(data)
			if strings.Contains(name, "garbage") {
				// The client sent garbage on purpose; it must not decode.
				if err == nil {
					t.Fatal("garbage decoded as a packet")
				}
				return
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := MarshalPacket(p)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("round trip differs:\n got %x\nwant %x", out, data)
			}
		})
	}
}
