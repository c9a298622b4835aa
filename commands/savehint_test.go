package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A reply that does not decode gets the hint to keep its bytes with
// --save-response. Only call has that flag: list, describe, subscribe
// and the others gave the hint, and the flag then failed as unknown.
func TestSaveResponseHintOnlyWhereTheFlagIs(t *testing.T) {
	srv := undecodableReplyServer(t)
	_, stderr, code := run(t, []string{"call", srv.URL, "x"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "hint: keep the reply's bytes with --save-response FILE; amfcall dump FILE then shows each byte up to the fault") {
		t.Errorf("call: exit %d\n%s", code, stderr)
	}
	_, stderr, code = run(t, []string{"list", srv.URL}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "hint: to keep the reply's bytes, save that request packet to FILE and send it again with amfcall call --packet FILE --save-response OUT URL") {
		t.Errorf("list: exit %d\n%s", code, stderr)
	}
}

// undecodableReplyServer answers every request with the same 34-byte AMF0
// packet whose one string says 9 bytes and holds 2: the reply decodes up
// to offset 30 and fails there.
func undecodableReplyServer(t *testing.T) *httptest.Server {
	bad := []byte("\x00\x00\x00\x00\x00\x01\x00\x0b/1/onResult\x00\x04null\x00\x00\x00\x05\x02\x00\x09ab")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(bad)
	}))
	t.Cleanup(srv.Close)
	return srv
}
