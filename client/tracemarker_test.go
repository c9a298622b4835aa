package client

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestTraceMarkerNotForged: -v cuts a ByteArray over 1 KiB through a
// marker appended to its first bytes, replaced in the JSON by "$size"
// and "$cut". The marker was fixed ("\x00cut00000001\x00"): a reply whose
// small ByteArray, shown whole, ended with it took the cut one's "$size"
// and "$cut" (the trace said it held 5,000 bytes of which 3 were shown),
// and the cut one showed the marker's bytes. Markers are now random per
// trace: a small ByteArray ending with any marker of the old form, or a
// "\x00cu" and 19 more bytes, is shown whole, and the big one cut.
func TestTraceMarkerNotForged(t *testing.T) {
	big := bytes.Repeat([]byte{0xAB}, 5000)
	for _, forged := range [][]byte{
		[]byte("abc\x00cut00000001\x00"),
		[]byte("\x00cut00000001\x00"),
		append([]byte("\x00cu"), make([]byte, 19)...),
		append(append([]byte("\x00cu"), make([]byte, 15)...), 0, 0, 0, 1),
	} {
		// The forged one before the cut one: the first marker in the
		// JSON took the size.
		out, _ := traceReply(t, 1, replyOf(&amf.Array{Dense: []any{&amf.ByteArray{Data: forged}, &amf.ByteArray{Data: big}}}))
		whole := fmt.Sprintf(`{"$bytes":%q}`, base64.StdEncoding.EncodeToString(forged))
		cut := fmt.Sprintf(`{"$bytes":%q,"$size":5000,"$cut":true}`, base64.StdEncoding.EncodeToString(big[:48]))
		if strings.Count(out, `"$cut"`) != 1 || !strings.Contains(compact(out), whole) || !strings.Contains(compact(out), cut) {
			t.Errorf("a reply holding %q:\n%s\nwant %s and %s", forged, out, whole, cut)
		}
	}
	// Two traces do not share their markers.
	c1, c2 := &cutter{}, &cutter{}
	if bytes.Equal(c1.marker(1), c2.marker(1)) || !bytes.HasPrefix(c1.marker(1), []byte("\x00cu")) || len(c1.marker(2)) != 22 {
		t.Errorf("markers %q and %q", c1.marker(1), c2.marker(1))
	}
}

// compact removes the trace's layout (new lines and indents).
func compact(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '"':
			in = !in
		case !in && (r == ' ' || r == '\n' || r == '\t'):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
