package commands

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestBothCountsWrongLeft17: convert and dump read a saved reply whose
// two counts are both wrong, a warning for each, as call does; they
// failed with exit 4 and a hint that call reads it, which it did not.
func TestBothCountsWrongLeft17(t *testing.T) {
	t.Parallel()
	b, err := amf.MarshalPacket(&amf.Packet{
		Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x=1"}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(b[2:], 0xffff)
	binary.BigEndian.PutUint16(b[36:], 0xffff)
	f := filepath.Join(t.TempDir(), "both.amf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"convert", "--from", "packet", f}, "", nil, false)
	want := "amfcall: warning: " + f + ": the reply's packet counts 65535 headers (its header count, at byte 2) but holds 1: read as such; written back as AMF, its header count says 1\n" +
		"amfcall: warning: " + f + ": the reply's packet counts 65535 bodies (its message count, at byte 36) but holds 1: the reply ends at byte 66; written back as AMF, its message count says 1\n"
	if code != 0 || !strings.Contains(stdout, `"value":"ok"`) || stderr != want {
		t.Errorf("convert: code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"dump", "--from", "packet", f}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "65535 messages, but the bytes hold 1 message: read as such") ||
		strings.Count(stderr, "warning") != 2 {
		t.Errorf("dump: code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
