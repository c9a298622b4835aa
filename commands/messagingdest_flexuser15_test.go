package commands

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// noDestServer is amfcall's gateway, except that a Flex message to the
// destination "nosuch" gets BlazeDS's fault for a destination it does
// not have.
func noDestServer(t *testing.T) string {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if p, err := amf.UnmarshalPacket(body); err == nil && len(p.Messages) == 1 {
			if a, ok := p.Messages[0].Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if m, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok && amf.FlexField(m, "destination") == "nosuch" {
					fault := &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
						{Name: "correlationId", Value: amf.FlexField(m, "messageId")},
						{Name: "faultCode", Value: "Server.Processing"},
						{Name: "faultString", Value: "No destination with id 'nosuch' is registered with any service."}}}
					out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: p.Messages[0].Response + "/onStatus", Response: "null", Value: amf.AVMPlus{Value: fault}}}})
					w.Header().Set("Content-Type", "application/x-amf")
					w.Write(out)
					return
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// subscribe or publish to a destination the gateway does not have (a
// RemoteObject destination's name, a typo) said BlazeDS's fault alone;
// it now says where messaging destinations come from. Exit 1, the fault
// on stdout, as before.
func TestMessagingUnknownDestinationHint(t *testing.T) {
	t.Parallel()
	u := noDestServer(t)
	const hint = "amfcall: hint: the gateway has no messaging destination nosuch: publish and subscribe reach those of its messaging-config.xml"
	for _, args := range [][]string{
		{"subscribe", "--for", "5s", u, "nosuch"},
		{"publish", u, "nosuch", `"hi"`},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 1 || !strings.Contains(stdout, `"faultCode":"Server.Processing"`) ||
			!strings.Contains(stderr, "amfcall: error: Server.Processing: No destination with id 'nosuch' is registered with any service.\n"+hint) {
			t.Errorf("%s: code %d\nstdout %s\nstderr %s", args[0], code, stdout, stderr)
		}
	}
}
