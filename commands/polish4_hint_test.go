package commands

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// junkFlexServer is amfcall's gateway, except that it answers a
// publish (AsyncMessage), a poll (CommandMessage 2) and a logout
// (CommandMessage 9) with bytes that are not a valid AMF packet, and
// keeps the kind of each request it answered so.
func junkFlexServer(t *testing.T, junk []byte) (string, func() []string) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	var mu sync.Mutex
	var junked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if p, err := amf.UnmarshalPacket(body); err == nil && len(p.Messages) == 1 {
			if a, ok := p.Messages[0].Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if m, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok {
					op, _ := amf.FlexField(m, "operation").(amf.Int)
					kind := ""
					switch {
					case m.Class == amf.ClassAsyncMessage:
						kind = "publish"
					case m.Class == amf.ClassCommandMessage && op == 2:
						kind = "poll"
					case m.Class == amf.ClassCommandMessage && op == 9:
						kind = "logout"
					}
					if kind != "" {
						mu.Lock()
						junked = append(junked, kind)
						mu.Unlock()
						w.Header().Set("Content-Type", "application/x-amf")
						w.Write(junk)
						return
					}
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), junked...)
	}
}

// TestJunkReplyHintWithoutSameCall: publish, subscribe and logout
// meeting a reply that is not AMF were told to keep its bytes with
// "amfcall call --save-response FILE, the same URL and the same call",
// but no call of theirs is named on their command line (the reply was
// to a Flex message, a poll or a logout). They are now told to see the
// request with -v and send it again with call --packet --save-response;
// this follows those words: the request packet -v prints with no reply
// packet after it (for subscribe the poll, which the unsubscribe
// follows), sent by call, gets the same bytes, and OUT holds them.
func TestJunkReplyHintWithoutSameCall(t *testing.T) {
	t.Parallel()
	junk := []byte("\x00\x03\x00\x00\x00\x01\xff\xff\x07junk!!")
	u, junked := junkFlexServer(t, junk)
	for _, tc := range []struct {
		args []string
		kind string
	}{
		{[]string{"publish", u, "chat", `"hi"`}, "publish"},
		{[]string{"subscribe", "--interval", "10ms", u, "chat"}, "poll"},
		{[]string{"logout", u}, "logout"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 3 || strings.Contains(stderr, "the same call") ||
			!strings.Contains(stderr, "amfcall: hint: -v prints each request packet, and the reply packet of each that got one, as typed JSON on stderr: the request with no reply packet after it got this reply\n") ||
			!strings.Contains(stderr, "amfcall: hint: to keep the reply's bytes, save that request packet to FILE and send it again with amfcall call --packet FILE --save-response OUT URL; call then says how amfcall dump shows OUT\n") {
			t.Errorf("%s: exit %d\n%s", tc.args[0], code, stderr)
			continue
		}
		// As the hints say: -v, the request packet that no reply packet
		// follows, call --packet.
		_, stderr, code = run(t, append([]string{tc.args[0], "-v"}, tc.args[1:]...), "", nil, false)
		var unanswered []string
		lines := strings.Split(stderr, "\n")
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "* request packet") && i+1 < len(lines):
				unanswered = append(unanswered, lines[i+1])
			case strings.HasPrefix(l, "* reply packet") && len(unanswered) > 0:
				unanswered = unanswered[:len(unanswered)-1]
			}
		}
		if code != 3 || len(unanswered) != 1 || !strings.HasPrefix(unanswered[0], "{") {
			t.Errorf("%s -v: exit %d, requests without a reply %q\n%s", tc.args[0], code, unanswered, stderr)
			continue
		}
		// Given -v, the hint points at the trace printed above; it said
		// "-v prints ..." to a user who had just given -v.
		if strings.Contains(stderr, "hint: -v prints") ||
			!strings.Contains(stderr, "amfcall: hint: the trace above shows each request packet, and the reply packet of each that got one, as typed JSON: the request with no reply packet after it got this reply\n") {
			t.Errorf("%s -v: the hint does not point at the trace\n%s", tc.args[0], stderr)
		}
		last := unanswered[0]
		dir := t.TempDir()
		file, out := filepath.Join(dir, "req.json"), filepath.Join(dir, "reply.amf")
		if err := os.WriteFile(file, []byte(last+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		before := len(junked())
		_, stderr, code = run(t, []string{"call", "--packet", file, "--save-response", out, u}, "", nil, false)
		got, _ := os.ReadFile(out)
		if code != 3 || !bytes.Equal(got, junk) || !strings.Contains(stderr, "amfcall dump --from packet "+shellWord(out)) {
			t.Errorf("%s: call --packet: exit %d, saved %q, want %q\n%s", tc.args[0], code, got, junk, stderr)
		}
		if k := junked(); len(k) != before+1 || k[before] != tc.kind {
			t.Errorf("%s: the packet sent again was answered as %q, want a %s", tc.args[0], k[before:], tc.kind)
		}
	}
}
