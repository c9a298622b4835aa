package amf_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpJSONPathsOfCutInput: in the JSON dump of an input cut short,
// the ranges shown of the value the cut falls in (its marker and
// header, an object's class name and sealed member names) had the path
// of the value around it: an AMF3 object cut after its header, item 5
// of an array, was "/messages/0/value/0" instead of
// "/messages/0/value/0/5", and an argument array cut after its count
// was "/messages/0/length". Each range that the dump of a prefix shows
// as the whole input's dump shows it (same offset, length and start of
// text) now has its path.
func TestDumpJSONPathsOfCutInput(t *testing.T) {
	for _, tc := range []struct {
		file string
		in   amf.DumpInput
	}{
		{"../testdata/pyamf/captures/default-echo_amf3_rich.request.amf", amf.DumpPacket},
		{"../testdata/pyamf/captures/default-echo_amf0_rich.request.amf", amf.DumpPacket},
		{"../testdata/pyamf/captures/default-echo_amf3_rich.response.amf", amf.DumpPacket},
		{"../testdata/pyamf/captures/default-flex_remoting.request.amf", amf.DumpPacket},
		{"../testdata/pyamf/vectors/array_mixed.amf3", amf.DumpAMF3},
		{"../testdata/pyamf/vectors/array_nested.amf0", amf.DumpAMF0},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			// A range's key: where it is and how its text starts
			// (a cut value's header lacks the table slot the whole
			// one names at its end).
			key := func(r pathRange) string {
				text, _, _ := strings.Cut(r.Text, " → ")
				return fmt.Sprintf("%d+%d %s", r.Offset, r.Length, text)
			}
			whole := map[string]string{}
			for _, r := range dumpPaths(t, data, tc.in) {
				if r.Path != nil {
					whole[key(r)] = *r.Path
				}
			}
			wrong := 0
			// Its first 1500 bytes at most: the AMF0 capture is 70 KB.
			for n := 1; n < min(len(data), 1500); n++ {
				for _, r := range dumpPaths(t, data[:n], tc.in) {
					want, ok := whole[key(r)]
					if !ok || r.Path == nil || *r.Path == want {
						continue
					}
					if wrong++; wrong <= 5 {
						t.Errorf("cut at %d: the range at %d (%.50s) has the path %q, want %q", n, r.Offset, r.Text, *r.Path, want)
					}
				}
			}
		})
	}
}
