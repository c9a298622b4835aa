package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reply header that moves the gateway to another host
// (ReplaceGatewayUrl, or an AppendToGatewayUrl starting with "@" after a
// URL without a path) took the Credentials header, -H headers and Flex
// logins there, which an HTTP redirect never does. The client now stays
// on the origin the user gave, warns, and keeps following rewrites
// within it; a session file that holds such a rewrite is not used for it.
func TestGatewayRewriteStaysOnOrigin(t *testing.T) {
	other := &scriptedServer{}
	evil := server(t, other.ServeHTTP)
	ctx := context.Background()
	for _, tc := range []struct {
		name, path string
		h          amf.Header
		warn       string
	}{
		{"replace", "/gw", amf.Header{Name: "ReplaceGatewayUrl", Value: evil.URL + "/stolen"},
			"ignored the gateway's ReplaceGatewayUrl header: it names " + evil.URL + "/stolen, another host than the gateway given"},
		{"append", "", amf.Header{Name: "AppendToGatewayUrl", Value: "@" + strings.TrimPrefix(evil.URL, "http://") + "/stolen"},
			"ignored the gateway's AppendToGatewayUrl header: \"@" + strings.TrimPrefix(evil.URL, "http://") + "/stolen\" makes the URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ss := &scriptedServer{replies: [][]amf.Header{{tc.h}}}
			srv := server(t, ss.ServeHTTP)
			rec := &recorder{}
			c := newClient(t, srv.URL+tc.path, Config{Events: rec, Header: http.Header{"X-Api-Key": {"K"}}})
			c.SetCredentials("alice", "SECRET")
			for i := 0; i < 2; i++ {
				if _, err := c.Call(ctx, "svc.m", nil); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			if len(ss.got) != 2 || len(other.got) != 0 {
				t.Fatalf("the gateway got %d requests, the other host %d; want 2 and 0", len(ss.got), len(other.got))
			}
			if c.URL() != srv.URL+tc.path {
				t.Errorf("URL %q", c.URL())
			}
			if w := strings.Join(rec.warns, "\n"); !strings.Contains(w, tc.warn) {
				t.Errorf("warnings:\n%s\nwant %q", w, tc.warn)
			}
			// Nothing of it goes into the session file.
			data, err := c.SaveSession()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "stolen") {
				t.Errorf("session keeps the rewrite: %s", data)
			}
		})
	}

	// A session file with such a rewrite (by hand, or an older amfcall).
	ss := &scriptedServer{}
	srv := server(t, ss.ServeHTTP)
	sf, _ := json.Marshal(map[string]any{"version": sessionVersion, "gateway": srv.URL + "/gw", "url": evil.URL + "/stolen"})
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec})
	if err := c.LoadSession(sf); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if len(ss.got) != 1 || len(other.got) != 0 || !strings.Contains(strings.Join(rec.warns, "\n"), "not used; the URL given is kept") {
		t.Errorf("session: gateway %d requests, other host %d, warnings %q", len(ss.got), len(other.got), rec.warns)
	}

	// https to http on the same host is refused too; a rewrite within
	// the origin is still followed (TestServerHeadersAndSession).
	c = newClient(t, "https://127.0.0.1:1/gw", Config{})
	if why := c.offOrigin("http://127.0.0.1:1/gw"); !strings.Contains(why, "plain http") {
		t.Errorf("downgrade: %q", why)
	}
	if why := c.offOrigin("https://127.0.0.1:1/gw;jsessionid=1"); why != "" {
		t.Errorf("same origin: %q", why)
	}
}

// A reply of thousands of bodies answering one call (or none) gave a
// warning per body: 65,535 lines on stderr. Each kind is said once now,
// with the count.
func TestReplyOdditiesSaidOnce(t *testing.T) {
	p := &amf.Packet{}
	for i := 0; i < 1000; i++ {
		p.Messages = append(p.Messages, amf.Message{Target: "/1/onResult", Response: "null", Value: "hi"},
			amf.Message{Target: "/9/onResult", Response: "null", Value: "x"})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	s := server(t, amfHandler(body))
	rec := &recorder{}
	if res, err := call(t, s.URL, Config{Events: rec}); err != nil || res != "hi" {
		t.Fatalf("res %v, err %v", res, err)
	}
	want := []string{
		`the reply has a body "/9/onResult" that answers no call (and 999 more such bodies)`,
		"the reply answers svc.m (/1) more than once; the first answer is used (and 998 more such bodies)",
	}
	if strings.Join(rec.warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q\nwant %q", rec.warns, want)
	}
}
