package client

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestReplyTextBeforeAndAfter: a PHP gateway's reply with a notice before
// its packet and a closing "?>" after it (the README says call reads
// both) is read whole, for every PyAMF capture, with a warning about
// each text; it failed as "a packet cut short" where the capture's bytes
// held a zero-led count (default-fail: "count 256 needs at least 2304
// bytes") because the packet cut short at a later offset was taken.
func TestReplyTextBeforeAndAfter(t *testing.T) {
	before, after := []byte("<br />\n"), []byte("?>\n")
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.response.amf")
	if len(paths) < 10 {
		t.Fatalf("only %d captures", len(paths))
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := amf.UnmarshalPacket(data)
		if err != nil {
			t.Fatal(err)
		}
		body := append(append(bytes.Clone(before), data...), after...)
		got, rec, err := sendTo(t, ContentType, body)
		if err != nil {
			t.Errorf("%s between text: %v", filepath.Base(p), err)
			continue
		}
		if len(got.Messages) != len(want.Messages) || got.Messages[0].Target != want.Messages[0].Target {
			t.Errorf("%s between text: got %d messages", filepath.Base(p), len(got.Messages))
		}
		if rec.resps[0].Skipped != len(before) {
			t.Errorf("%s: Skipped %d, want %d", filepath.Base(p), rec.resps[0].Skipped, len(before))
		}
		if w := strings.Join(rec.warns, "\n"); !strings.Contains(w, `after its AMF packet`) || !strings.Contains(w, `?>`) {
			t.Errorf("%s: warnings %q do not name the text after the packet", filepath.Base(p), w)
		}
	}
}
