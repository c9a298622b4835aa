package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestWrongCountRvlast16: a saved reply whose message count says fewer
// bodies than it holds (a batch's first answer only) got, from convert
// and dump, the hint that the bytes after the packet "are no AMF" (text
// a PHP gateway printed) with a head -c that keeps the first body alone
// and drops the others; convert --from packet named the count. All three
// now name the count. A header count that says 0 before 1 header said
// "1 header follow".
func TestWrongCountRvlast16(t *testing.T) {
	t.Parallel()
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: "hi"},
		{Target: "/2/onResult", Response: "null", Value: "ho"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	low := append([]byte{}, p...)
	low[5] = 1 // the message count's low byte: 1 of 2 bodies
	h, err := amf.MarshalPacket(&amf.Packet{
		Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x"}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h[3] = 0 // the header count's low byte: 0 before 1 header
	dir := t.TempDir()
	lowFile, hdrFile := filepath.Join(dir, "low.amf"), filepath.Join(dir, "hdr.amf")
	if err := os.WriteFile(lowFile, low, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hdrFile, h, 0o644); err != nil {
		t.Fatal(err)
	}
	// (read17: they now read it as call does, with its warning.)
	const lowHint = "the reply's packet counts 1 body (its message count, at byte 4) but 2 follow: all are read"
	for _, args := range [][]string{{"convert", lowFile}, {"convert", "--from", "packet", lowFile}, {"dump", lowFile}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.Contains(stderr, lowHint) || strings.Contains(stderr, "no AMF") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
	const hdrHint = "the reply's packet counts no header (its header count, at byte 2) but 1 header follows: read as such"
	for _, args := range [][]string{{"convert", hdrFile}, {"dump", hdrFile}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.Contains(stderr, hdrHint) {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
}
