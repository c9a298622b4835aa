package convert

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// TestFLVOtherVersion: an FLV file whose version byte is not 1 was called
// one "missing the FLV signature" (which is there), and, guessed, a
// packet after 10 bytes of text cut short; it is now named an FLV file of
// that version, at its byte, by every path that reads FLV.
func TestFLVOtherVersion(t *testing.T) {
	data, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
	if err != nil {
		t.Fatal(err)
	}
	data[3] = 2
	const want = "flv: FLV version 2: only version 1 is known (dump shows its bytes) at offset 3"
	_, errGuess := Load(data, "v2.flv", InSpec{})
	_, errAsked := Load(data, "v2.flv", InSpec{Kind: KindFLV, KindSet: true})
	_, errStream := ReadFLVFrom(bytes.NewReader(data))
	_, errJSON := WriteFLVJSON(io.Discard, bytes.NewReader(data), "v2.flv", &Options{})
	for i, err := range []error{errGuess, errAsked, errStream, errJSON} {
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("path %d: %v, want ...%s", i, err, want)
		}
	}
	// Not FLV at all: the signature is said missing, as before.
	if _, err := ReadFLVFrom(strings.NewReader("FLX\x01\x05\x00\x00\x00\x09")); err == nil || !strings.Contains(err.Error(), `missing "FLV" signature`) {
		t.Errorf("FLX: %v", err)
	}
}
