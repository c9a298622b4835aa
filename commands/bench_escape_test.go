package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// bench printed a fault code's controls as '?' on stdout (two codes could
// look the same) and as \a on stderr, where call writes \x07 (review P1):
// both now escape as the other commands do.
func TestBenchEscapesAsCall(t *testing.T) {
	t.Parallel()
	const code = "X\x1b[2J\x1b]0;pwned\x07"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		fault := &amf.Object{Members: []amf.Member{{Name: "level", Value: "error"}, {Name: "code", Value: code},
			{Name: "description", Value: "no"}, {Name: "faultCode", Value: code}, {Name: "faultString", Value: "no"}}}
		reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: p.Messages[0].Response + "/onStatus", Response: "null", Value: fault}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	const want = `X\x1b[2J\x1b]0;pwned\x07`
	stdout, stderr, exit := run(t, []string{"bench", "-n", "4", "-c", "2", srv.URL + "/", "x.y"}, "", nil, false)
	if exit != exitFault || !strings.Contains(stdout, "           4  "+want+"\n") || !strings.Contains(stderr, "the commonest "+want+")") ||
		strings.ContainsAny(stdout+stderr, "\x1b\x07") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", exit, stdout, stderr)
	}
	_, callErr, _ := run(t, []string{"call", srv.URL + "/", "x.y"}, "", nil, false)
	if !strings.Contains(callErr, want) {
		t.Errorf("call writes %q", callErr)
	}
}
