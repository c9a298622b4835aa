package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestTextWarningsInOrder: the warnings of a reply with text before its
// packet come as its bytes do: the text before first, then the packet's
// count made right or the text after it, each once. The text before
// was said last when the packet after it decoded with text after it
// (counted as such, or as bodies its count left out).
func TestTextWarningsInOrder(t *testing.T) {
	t.Parallel()
	notice := []byte("<b>Notice</b>: x\n")
	two := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "a"}, {Target: "/2/onResult", Response: "null", Value: "b"}}}
	one := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "a"}}}
	replies := map[string][]byte{
		"/recount":  append(append([]byte{}, notice...), replyBytes(t, two, 1)...),
		"/trailing": append(append(append([]byte{}, notice...), replyBytes(t, one, 1)...), "?>"...),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Write(replies[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	for path, second := range map[string]string{"/recount": "the reply's packet counts 1 body (its message count, at byte 21)", "/trailing": "after its AMF packet"} {
		rec := &recorder{}
		c := newClient(t, srv.URL+path, Config{Events: rec})
		if _, err := c.Call(context.Background(), "a.one", nil); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// (Then, of /recount, its body "/2/onResult" that answers no call.)
		all := strings.Join(rec.warns, "\n")
		if len(rec.warns) < 2 || !strings.Contains(rec.warns[0], "17 bytes before its AMF packet") || !strings.Contains(rec.warns[1], second) || strings.Count(all, "before its AMF packet") != 1 {
			t.Errorf("%s: warnings %q", path, rec.warns)
		}
	}
}
