package client

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzParseBatch: ParseBatch never panics, and what it accepts is calls
// with targets, at most MaxBatch of them.
func FuzzParseBatch(f *testing.F) {
	f.Add([]byte("{\"target\": \"a.b\", \"args\": [1, \"x\"]}\n{\"target\": \"c\"}\n"))
	f.Add([]byte(`{"target": "a", "args": [{"$bytes": "AAEC"}, {"$ref": 0}]}`))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8192 {
			return
		}
		calls, err := ParseBatch(data)
		if err != nil {
			return
		}
		if len(calls) == 0 || len(calls) > MaxBatch {
			t.Fatalf("ParseBatch(%q): %d calls", data, len(calls))
		}
		for _, c := range calls {
			if c.Target == "" {
				t.Fatalf("ParseBatch(%q): a call without a target", data)
			}
		}
	})
}

// FuzzTrace: a reply packet the trace shows (any packet that decodes,
// shared and cyclic values included) never makes the trace panic, at
// either level.
func FuzzTrace(f *testing.F) {
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, c := range caps {
		if b, err := os.ReadFile(c); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	big, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: amf.AVMPlus{Value: &amf.ByteArray{Data: bytes.Repeat([]byte{7}, 2000)}}}}})
	f.Add(big)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := amf.UnmarshalPacket(data)
		if err != nil {
			return
		}
		for _, level := range []int{1, 2} {
			h := &TraceHandler{Out: io.Discard, VerbosityLevel: level}
			h.OnResponse(&ResponseEvent{Packet: p, Body: data})
		}
	})
}
