package commands

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// phpNotice is what PHP prints before the AMF bytes when a service
// touches an undefined index with display_errors on.
const phpNotice = "<br />\n<b>Notice</b>:  Undefined index: name in <b>/var/www/amfphp/services/Echo.php</b> on line <b>12</b><br />\n"

// noisyGateway serves the gateway on 127.0.0.1, with prefix written
// before every reply body, as a PHP gateway with display_errors does;
// contentType replaces the reply's Content-Type unless empty.
func noisyGateway(t *testing.T, prefix, contentType string) string {
	t.Helper()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write([]byte(prefix))
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(func() {
		srv.Close()
		g.Close()
	})
	return srv.URL + "/"
}

// TestTextBeforeReply: every command that reads a reply reads one that
// has a PHP notice (or a byte order mark) before its packet, and warns
// once on stderr with the text escaped on one line; -v shows it whole.
func TestTextBeforeReply(t *testing.T) {
	cache := t.TempDir() // list keeps what it found there
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	u := noisyGateway(t, phpNotice, "")
	warn := `amfcall: warning: the reply has 113 bytes before its AMF packet, skipped: "<br />\x0a<b>Notice</b>:  Undefined index: name in <b>/var/www/amfphp/services/Echo.php</b> on line <b>12</b><br />\x0a"` + "\n"
	for _, tc := range []cliCase{
		{name: "call", args: []string{"call", u, "echo.echo", `"hi"`}, stdout: `"hi"` + "\n", stderr: warn},
		{name: "call amf3", args: []string{"call", "--amf3", u, "echo.echo", `[1,"x"]`}, stdout: `[1,"x"]` + "\n", stderr: warn},
		// A ping and a call: the same notice twice is one warning.
		{name: "flex", args: []string{"call", "--flex", u, "echo.echo", `"hi"`}, stdout: `"hi"` + "\n", stderr: warn},
		{name: "destination", args: []string{"call", "--destination", "echo", u, "echo", `"hi"`}, stdout: `"hi"` + "\n", stderr: warn},
		{name: "list", args: []string{"list", u},
			stdout: "getSnapshots\nlogin\nlogout\nByteArray\namfcall\necho\nsecure\nsession\n", stderr: warn},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}

	t.Run("-v", func(t *testing.T) {
		stdout, stderr, code := run(t, []string{"call", "-v", u, "echo.echo", `"hi"`}, "", nil, false)
		if code != 0 || stdout != `"hi"`+"\n" {
			t.Fatalf("code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
		for _, want := range []string{
			warn,
			`* the reply's first 113 bytes are not AMF and were skipped: "<br />\x0a<b>Notice</b>:  Undefined index: name in <b>/var/www/amfphp/services/Echo.php</b> on line <b>12</b><br />\x0a"` + "\n",
			"* reply packet (",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr does not contain %q:\n%s", want, stderr)
			}
		}
	})

	t.Run("probe", func(t *testing.T) {
		stdout, stderr, code := run(t, []string{"probe", u}, "", nil, false)
		if code != 0 || stderr != warn || !strings.HasPrefix(stdout, "amfcall serve\n") {
			t.Errorf("code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		}
	})

	t.Run("bench", func(t *testing.T) {
		// Each worker reads the same notice: the warning shows once.
		stdout, stderr, code := run(t, []string{"bench", "-c", "3", "-n", "9", u, "echo.echo", `"x"`}, "", nil, false)
		if code != 0 || stderr != warn || !regexp.MustCompile(`\n  calls      9 answered \([\d,.]+/s\): 9 results, 0 faults\n`).MatchString(stdout) {
			t.Errorf("code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		}
	})
}

// TestTextBeforeReplyAsHTML: PHP that printed a notice often labels the
// reply text/html too; the packet after the notice is still read.
func TestTextBeforeReplyAsHTML(t *testing.T) {
	t.Parallel()
	u := noisyGateway(t, "\ufeff", "text/html; charset=UTF-8")
	checkCase(t, cliCase{args: []string{"call", u, "echo.echo", `"hi"`}, stdout: `"hi"` + "\n",
		stderr: "amfcall: warning: the reply's Content-Type is text/html; charset=UTF-8, not application/x-amf; its body holds an AMF packet and is read as one\n" +
			`amfcall: warning: the reply has 3 bytes before its AMF packet, skipped: "\ufeff"` + "\n"})
}
