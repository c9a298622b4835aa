package convert

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestFLVCutInMediaTag: an FLV file that ends inside the data of an
// audio or video tag (a recording stopped, a download not finished)
// gives the script tags before it, with one warning saying where the
// file ends, read whole and as a stream alike; a file that ends inside
// a script tag, or inside a tag's header, is still an error.
func TestFLVCutInMediaTag(t *testing.T) {
	data, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	whole, _, err := publicJSON(data, "in.flv", false)
	if err != nil {
		t.Fatal(err)
	}
	// The header (9), PreviousTagSize (4), tag 0 (11 + 164), its size
	// (4), then tag 1's header (11) and data (46) and size (4).
	const tag1Data = 9 + 4 + 11 + 164 + 4 + 11
	for cut := tag1Data - 12; cut < len(data); cut++ {
		in := data[:cut]
		got, warns, err := publicJSON(in, "in.flv", false)
		inData := cut >= tag1Data && cut < tag1Data+46
		switch {
		case inData:
			if err != nil {
				t.Fatalf("cut at %d: %v", cut, err)
			}
			if !bytes.Equal(got, whole) {
				t.Errorf("cut at %d: JSON %s, want %s", cut, got, whole)
			}
			want := fmt.Sprintf("in.flv: the file ends inside tag 1 (video, 46 bytes of data announced, %d there): it was cut short; the script data tags before it are read", cut-tag1Data)
			if len(warns) != 1 || warns[0] != want {
				t.Errorf("cut at %d: warnings %q, want %q", cut, warns, want)
			}
		case cut == tag1Data-11 || cut == tag1Data+46:
			// After a tag's PreviousTagSize, or after tag 1's data:
			// where a file may end.
			if err != nil || len(warns) > 0 {
				t.Errorf("cut at %d: %v, warnings %q", cut, err, warns)
			}
		default:
			// Inside a PreviousTagSize or tag 1's header: the error it
			// always was.
			if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
				t.Errorf("cut at %d: %v, want an unexpected EOF", cut, err)
			}
		}
		checkFLVJSON(t, fmt.Sprintf("cut at %d", cut), in)
	}
	// Inside the script tag: the error it always gave.
	if _, _, err := publicJSON(data[:100], "in.flv", false); err == nil || !strings.Contains(err.Error(), "flv: tag 0: data size 164 exceeds the 76 bytes left") {
		t.Errorf("cut inside the script tag: %v", err)
	}
	// ReadFLV, which has no one to warn, keeps the error.
	if _, err := ReadFLV(data[:tag1Data+10]); err == nil {
		t.Error("ReadFLV of a file cut short: no error")
	}
}
