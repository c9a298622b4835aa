package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A gateway whose every reply is an AMF packet cut short: call and bench
// exit alike, 3 (cli.md: "a reply that is not AMF"; it was 4 for both
// until the fixcli review, F-C); a reply that is not AMF at all is 3 for
// both too.
func TestBenchCutReplyExitsAsCall(t *testing.T) {
	t.Parallel()
	whole, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "a longer string"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/html") {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>hi</html>"))
			return
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(whole[:len(whole)-5])
	}))
	defer srv.Close()
	for _, tc := range []struct {
		path string
		code int
	}{{"/cut", exitNetwork}, {"/html", exitNetwork}} {
		_, callErr, callCode := run(t, []string{"call", srv.URL + tc.path, "echo.echo", "1"}, "", nil, false)
		_, benchErr, benchCode := run(t, []string{"bench", "-n", "3", "-c", "1", srv.URL + tc.path, "echo.echo", "1"}, "", nil, false)
		if callCode != tc.code || benchCode != tc.code {
			t.Errorf("%s: call exit %d, bench exit %d; want %d for both\ncall: %s\nbench: %s", tc.path, callCode, benchCode, tc.code, callErr, benchErr)
		}
		if !strings.Contains(benchErr, "amfcall: error: no call was answered (3 requests)\n") {
			t.Errorf("%s: bench stderr:\n%s", tc.path, benchErr)
		}
	}
}
