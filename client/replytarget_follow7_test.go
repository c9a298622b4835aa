package client

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reply's body answers no call, or is of an unknown kind, and its
// target is 60 KB of control bytes: the warning quoted it whole (about 240 KB
// of "\x01" on one line). It is now cut at 200 bytes, as the client's
// other warnings cut what a gateway said, and still escaped.
func TestStrayTargetWarningCut(t *testing.T) {
	long := "/9" + strings.Repeat("\x01", 60000) + "/onResult"
	odd := "/1/on" + strings.Repeat("\x1b", 60000)
	p := &amf.Packet{Messages: []amf.Message{
		{Target: long, Response: "null", Value: "x"},
		{Target: odd, Response: "null", Value: "y"},
		{Target: "/1/onResult", Response: "null", Value: "hi"},
	}}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	s := server(t, amfHandler(body))
	rec := &recorder{}
	if res, err := call(t, s.URL, Config{Events: rec}); err != nil || res != "hi" {
		t.Fatalf("res %v, err %v", res, err)
	}
	if len(rec.warns) == 0 {
		t.Fatal("no warning")
	}
	for _, w := range rec.warns {
		if len(w) > 400 {
			t.Errorf("a warning of %d bytes: %.120q...", len(w), w)
		}
		if strings.ContainsAny(w, "\x01\x1b") {
			t.Errorf("a warning with a raw control byte: %.120q", w)
		}
		if !strings.Contains(w, `\x01\x01`) && !strings.Contains(w, `\x1b\x1b`) {
			t.Errorf("a warning that does not show the target: %.120q", w)
		}
	}
}
