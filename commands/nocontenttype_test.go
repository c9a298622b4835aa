package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Content-Type".
func TestReplyWithNoContentType(t *testing.T) {
	t.Parallel()
	body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = nil // no sniffing: no header at all
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, code := run(t, []string{"call", srv.URL, "a.b"}, "", nil, false)
	want := "amfcall: warning: the reply has no Content-Type (application/x-amf was expected); its body is an AMF packet and is read as one\n"
	if code != 0 || stdout != `"hi"`+"\n" || stderr != want {
		t.Errorf("code %d, stdout %q, stderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}
}
