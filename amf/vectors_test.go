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
			if err != nil {
				t.Skipf("decode: %v", err)
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
