package convert

import (
	"os"
	"testing"
)

// convert --to hex of an FLV file said "FLV input converts to JSON only,
// not to " and named nothing: --to hex leaves the format to the guess,
// and the message named the empty format. It names hex (or base64).
func TestFLVTargetNamesTheEncoding(t *testing.T) {
	data, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(data, "x.flv", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	for enc, want := range map[Encoding]string{Hex: "FLV input converts to JSON only, not to hex", Base64: "FLV input converts to JSON only, not to base64"} {
		if _, err := src.Target(OutSpec{Encoding: enc}); err == nil || err.Error() != want {
			t.Errorf("--to %s: %v, want %q", enc, err, want)
		}
	}
	if _, err := src.Target(OutSpec{Format: "amf3"}); err == nil || err.Error() != "FLV input converts to JSON only, not to amf3" {
		t.Errorf("--to amf3: %v", err)
	}
}
