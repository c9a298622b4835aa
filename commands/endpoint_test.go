package commands

import (
	"bytes"
	"fmt"
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

// endpointRecorder serves the gateway on 127.0.0.1 and notes, for each
// Flex message it is sent, "OPERATION:DSEndpoint" (the class's last
// name for a RemotingMessage or AsyncMessage, the operation number for a
// CommandMessage; "-" for no DSEndpoint header).
type endpointRecorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *endpointRecorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.seen, " ")
	r.seen = nil
	return s
}

func startEndpointRecorder(t *testing.T) (*endpointRecorder, string) {
	t.Helper()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rec := &endpointRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if p, err := amf.UnmarshalPacket(body); err == nil {
			for _, m := range p.Messages {
				a, ok := m.Value.(*amf.Array)
				if !ok || len(a.Dense) != 1 {
					continue
				}
				o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object)
				if !ok {
					continue
				}
				what := o.Class[strings.LastIndexByte(o.Class, '.')+1:]
				if op := amf.FlexField(o, "operation"); what == "CommandMessage" {
					what = fmt.Sprint(op)
				}
				ep := "-"
				if hs, ok := amf.FlexField(o, "headers").(*amf.Object); ok {
					if v := amf.FlexField(hs, "DSEndpoint"); v != nil {
						ep = fmt.Sprint(v)
					}
				}
				rec.mu.Lock()
				rec.seen = append(rec.seen, what+":"+ep)
				rec.mu.Unlock()
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		g.Close()
	})
	return rec, srv.URL + "/"
}

// TestEndpoint: --endpoint names the DSEndpoint of every Flex message
// but the first ping or login (as a Flex channel does), in call's
// destination mode, publish, subscribe and logout; --session remembers
// it; the default stays my-amf.
func TestEndpoint(t *testing.T) {
	t.Parallel()
	rec, u := startEndpointRecorder(t)
	session := filepath.Join(t.TempDir(), "s.json")
	steps := []struct {
		args      []string
		stdout    string
		seen      string
		sessionEP string
	}{
		{args: []string{"call", "--destination", "echo", u, "echo", `"hi"`}, stdout: `"hi"` + "\n",
			seen: "5:- RemotingMessage:my-amf"},
		{args: []string{"call", "--flex", "--endpoint", "my-secure-amf", u, "echo.echo", `"hi"`}, stdout: `"hi"` + "\n",
			seen: "5:- RemotingMessage:my-secure-amf"},
		// The session remembers the endpoint with the DSId...
		{args: []string{"call", "--session", session, "--endpoint", "my-polling-amf", "--destination", "echo", u, "echo", "1"}, stdout: "1\n",
			seen: "5:- RemotingMessage:my-polling-amf", sessionEP: "my-polling-amf"},
		{args: []string{"call", "--session", session, "--destination", "echo", u, "echo", "2"}, stdout: "2\n",
			seen: "RemotingMessage:my-polling-amf", sessionEP: "my-polling-amf"},
		{args: []string{"publish", "--session", session, u, "chat", `"x"`},
			seen: "AsyncMessage:my-polling-amf", sessionEP: "my-polling-amf"},
		// ...and --endpoint changes it.
		{args: []string{"publish", "--session", session, "--endpoint", "my-streaming-amf", u, "chat", `"x"`},
			seen: "AsyncMessage:my-streaming-amf", sessionEP: "my-streaming-amf"},
		{args: []string{"subscribe", "--session", session, "--for", "1s", "--interval", "10s", u, "chat"},
			// subscribe, poll, the last poll when --for is over, unsubscribe
			// (--for is long enough for the first poll to come before it
			// ends on a loaded machine under Wine, where 0.1 s was not)
			seen: "0:my-streaming-amf 2:my-streaming-amf 2:my-streaming-amf 1:my-streaming-amf", sessionEP: "my-streaming-amf"},
		{args: []string{"logout", "--session", session, u},
			seen: "9:my-streaming-amf", sessionEP: "my-streaming-amf"},
		{args: []string{"logout", "--endpoint", "x-amf", u},
			stdout: "", seen: "5:- 9:x-amf"},
	}
	for _, st := range steps {
		stdout, stderr, code := run(t, st.args, "", nil, false)
		name := strings.Join(st.args, " ")
		if code != 0 || stdout != st.stdout {
			t.Errorf("%s: code %d, stdout %q, stderr:\n%s", name, code, stdout, stderr)
		}
		if got := rec.take(); got != st.seen {
			t.Errorf("%s: the gateway got %q, want %q", name, got, st.seen)
		}
		if st.sessionEP != "" {
			data, err := os.ReadFile(session)
			if want := `"endpoint": "` + st.sessionEP + `"`; err != nil || !strings.Contains(string(data), want) {
				t.Errorf("%s: session file has no %s:\n%s", name, want, data)
			}
		}
	}
}

func TestEndpointUsage(t *testing.T) {
	t.Parallel()
	u := "http://" + closedPort(t) + "/" // never reached
	for _, tc := range []cliCase{
		{name: "not flex", args: []string{"call", "--endpoint", "my-secure-amf", u, "echo.echo"}, code: 2,
			stderr: "amfcall: error: --endpoint needs --destination (or --flex)\namfcall: hint: it is the DSEndpoint header of Flex messages; plain calls have none\n"},
		{name: "empty", args: []string{"call", "--flex", "--endpoint", "", u, "echo.echo"}, code: 2,
			stderr: "amfcall: error: --endpoint needs an endpoint id\namfcall: hint: for example --endpoint my-secure-amf, as the gateway's services-config.xml names its channels\n"},
		{name: "empty publish", args: []string{"publish", "--endpoint=", u, "chat", "1"}, code: 2,
			stderr: "amfcall: error: --endpoint needs an endpoint id\namfcall: hint: for example --endpoint my-secure-amf, as the gateway's services-config.xml names its channels\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}
