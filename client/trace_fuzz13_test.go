package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/termsafe"
)

// checkTraceOutput (fuzz13) holds the trace of a reply packet that
// decodes to what a terminal can be given and a reader can use: valid
// UTF-8 without C0 controls but newlines, nor any character
// internal/termsafe escapes (C1 controls, line separators, bidi
// overrides: a reply's strings are escaped), and, at each level, the
// packet shown as JSON that reads, or a line saying why it cannot be
// shown. DEL (0x7f) is not escaped in JSON output, by termsafe's rule:
// terminals ignore it.
func checkTraceOutput(t *testing.T, data []byte, p *amf.Packet) {
	t.Helper()
	for _, level := range []int{1, 2} {
		var out bytes.Buffer
		h := &TraceHandler{Out: &out, VerbosityLevel: level}
		h.OnResponse(&ResponseEvent{Packet: p, Body: data})
		s := out.String()
		if !utf8.ValidString(s) {
			t.Fatalf("packet %x, level %d: the trace is not UTF-8: %q", head200(data), level, head200([]byte(s)))
		}
		for i, r := range s {
			if r < 0x20 && r != '\n' || termsafe.Is(r) {
				t.Fatalf("packet %x, level %d: %U at %d of the trace: %q", head200(data), level, r, i, head200([]byte(s)))
			}
		}
		i := strings.Index(s, "* reply packet (")
		if i < 0 {
			t.Fatalf("packet %x, level %d: the trace shows no packet: %q", head200(data), level, head200([]byte(s)))
		}
		_, js, ok := strings.Cut(s[i:], ":\n")
		if !ok {
			if !strings.Contains(s[i:], "(cannot show it: ") {
				t.Fatalf("packet %x, level %d: the trace shows no packet: %q", head200(data), level, head200([]byte(s)))
			}
			continue
		}
		if !json.Valid([]byte(js)) {
			t.Fatalf("packet %x, level %d: the trace's packet is no JSON: %q", head200(data), level, head200([]byte(s)))
		}
	}
}

func head200(b []byte) []byte { return b[:min(len(b), 200)] }
