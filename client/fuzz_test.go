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

// FuzzFindPacket: looking for a packet after text never panics, tries at
// most maxPrefixTries places, and what it finds starts within the first
// amf.MaxPacketPrefix bytes and is a packet that decodes from there to the end.
func FuzzFindPacket(f *testing.F) {
	reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	f.Add(append([]byte("<br />\n<b>Notice</b>: x on line <b>3</b><br />\n"), reply...))
	f.Add(append([]byte("\ufeff"), reply...))
	f.Add(append([]byte("a\x00\x03\x00\x00b\x00\x00\x00\x01"), reply...))
	f.Add([]byte("\x00\x03\x00\x01\x00\x00\x00"))
	c, err := New("http://127.0.0.1:1/", Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i, p := c.findPacket(data)
		if p == nil {
			if i != 0 {
				t.Fatalf("findPacket(%q) = %d, nil", data, i)
			}
			return
		}
		if i < 1 || i > amf.MaxPacketPrefix {
			t.Fatalf("findPacket(%q): a packet at %d", data, i)
		}
		if _, err := amf.UnmarshalPacket(data[i:]); err != nil {
			t.Fatalf("findPacket(%q) = %d, but from there: %v", data, i, err)
		}
		if w := prefixWarning(data[:i]); bytes.ContainsAny([]byte(w), "\x00\x1b\n") {
			t.Fatalf("warning %q has control bytes", w)
		}
	})
}
