package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// faultAnswers is a gateway that answers every AMF call with the fault
// code: description, with the given HTTP status and Content-Type (200
// and AMF's for faultEverything); it returns its URL.
func faultAnswers(t *testing.T, status int, ct, code, description string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil || len(req.Messages) == 0 {
			http.Error(w, "bad request", 400)
			return
		}
		fault := &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: code}, {Name: "faultString", Value: description}}}
		out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onStatus", Response: "null", Value: fault}}})
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	return srv.URL + "/gateway"
}

// TestProbeRedirectAMFReply: a gateway that answers with a 3xx status
// (here 302 without a Location) and an AMF body made every probe fail
// with "unexpected HTTP status" (exit 3); the reply is now read, as one
// behind a 4xx or 5xx is, and the report says the status (the client's
// warning, which says it too, is not given again on stderr).
func TestProbeRedirectAMFReply(t *testing.T) {
	url := faultAnswers(t, http.StatusFound, "application/x-amf", "Server.NoService", "Unknown service")
	stdout, stderr, code := run(t, []string{"probe", url}, "", nil, false)
	want := "unknown\n" +
		"  (amf0-unknown-service: HTTP 302, with an AMF reply (read all the same))\n" +
		"  (amf0-unknown-service: an AMF reply, not one amfcall knows: \"/1/onStatus\" fault Server.NoService \"Unknown service\")\n"
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, want) {
		t.Errorf("probe: exit %d, stderr %q, stdout:\n%s\nwant it to start:\n%s", code, stderr, stdout, want)
	}
}

// TestProbeWarningOffProgressLine: while probe guessed on a terminal, a
// warning of the client's (here: each reply's Content-Type is
// text/html) was written after the progress line, on the same line
// ("... 0 names found\x1b[Kamfcall: warning: ..."). The progress line
// is now taken off first, so each warning starts a line of its own.
func TestProbeWarningOffProgressLine(t *testing.T) {
	url := faultAnswers(t, http.StatusOK, "text/html", "Server.NoService", "Unknown service")
	words := writeFile(t, "words.txt", []byte("alpha\nbeta\ngamma\n"))
	_, stderr, code := runTTY(t, "probe", "--wordlist", words, "--rate", "1000", "--max", "6", url)
	if code != 0 {
		t.Fatalf("probe: exit %d, stderr %q", code, stderr)
	}
	const warn = "amfcall: warning: "
	afterProgress := 0
	for i := strings.Index(stderr, warn); i >= 0; {
		before := stderr[:i]
		switch {
		case strings.HasSuffix(before, "\r\x1b[K"):
			afterProgress++
		case before == "" || strings.HasSuffix(before, "\n"):
		default:
			t.Errorf("a warning does not start a line: %q", stderr[max(0, i-80):i+len(warn)])
		}
		j := strings.Index(stderr[i+1:], warn)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if afterProgress == 0 || !strings.Contains(stderr, "\rguessing: ") {
		t.Errorf("no warning came while the progress line was shown: %q", stderr)
	}
}
