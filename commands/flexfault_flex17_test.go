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

// faultServer is amfcall's gateway, except that a RemotingMessage or an
// AsyncMessage gets the ErrorMessage fault makes (BlazeDS's, here).
func faultServer(t *testing.T, fault func() *amf.Object) string {
	return faultServerFor(t, func(m *amf.Object) bool {
		return m.Class == amf.ClassRemotingMessage || m.Class == amf.ClassAsyncMessage
	}, fault)
}

// faultServerFor is amfcall's gateway, except that the messages match
// takes get the ErrorMessage fault makes.
func faultServerFor(t *testing.T, match func(*amf.Object) bool, fault func() *amf.Object) string {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if p, err := amf.UnmarshalPacket(body); err == nil && len(p.Messages) == 1 {
			if a, ok := p.Messages[0].Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if m, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok && match(m) {
					f := fault()
					f.Members = append(f.Members, amf.Member{Name: "correlationId", Value: amf.FlexField(m, "messageId")})
					out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: p.Messages[0].Response + "/onStatus", Response: "null", Value: amf.AVMPlus{Value: f}}}})
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

// javaException is a Java Throwable as BlazeDS writes one: a typed
// object of the exception's class, with its message and cause.
func javaException(class string, message, cause any) *amf.Object {
	return &amf.Object{Class: class, Members: []amf.Member{
		{Name: "cause", Value: cause},
		{Name: "localizedMessage", Value: message},
		{Name: "message", Value: message},
	}}
}

// A BlazeDS fault's rootCause is the Java exception, a typed object:
// plain JSON (which has no class names) printed a NullPointerException
// as {"cause":null,"localizedMessage":null,"message":null}, and the
// error line said "There was an unhandled failure on the server. null"
// alone. The error line now names the exception's class, and its causes'.
func TestFlexFaultNamesRootCauseClasses(t *testing.T) {
	t.Parallel()
	u := faultServer(t, func() *amf.Object {
		return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
			{Name: "faultCode", Value: "Server.Processing"},
			{Name: "faultString", Value: "There was an unhandled failure on the server. wrapped"},
			{Name: "rootCause", Value: javaException("java.lang.RuntimeException", "wrapped",
				javaException("java.sql.SQLException", "Connection refused\n\x1b[31m", nil))},
		}}
	})
	const line = "amfcall: error: Server.Processing: There was an unhandled failure on the server. wrapped; root cause: java.lang.RuntimeException: wrapped (caused by java.sql.SQLException: Connection refused \\x1b[31m)\n" // sec17: escaped as the faultString is, not a lossy ?
	for _, args := range [][]string{
		{"call", "--destination", "orderService", u, "getOrder", "42"},
		{"publish", u, "chat", `"hi"`},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 1 || !strings.Contains(stdout, `"faultCode":"Server.Processing"`) || !strings.Contains(stderr, line) {
			t.Errorf("%s: code %d\nstdout %s\nstderr %s", args[0], code, stdout, stderr)
		}
	}
}

// A rootCause that is no typed object (PyAMF's, amfcall serve's: its
// name is in the JSON) adds nothing.
func TestFlexFaultAnonymousRootCause(t *testing.T) {
	t.Parallel()
	u := faultServer(t, func() *amf.Object {
		return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
			{Name: "faultCode", Value: "Echo.Failure"},
			{Name: "faultString", Value: "boom"},
			{Name: "rootCause", Value: &amf.Object{Members: []amf.Member{{Name: "message", Value: "boom"}, {Name: "name", Value: "EchoFailure"}}}},
		}}
	})
	_, stderr, code := run(t, []string{"call", "--destination", "echo", u, "fail", `"boom"`}, "", nil, false)
	if code != 1 || !strings.Contains(stderr, "amfcall: error: Echo.Failure: boom\n") {
		t.Errorf("code %d\nstderr %s", code, stderr)
	}
}

// BlazeDS's fault for a destination it does not have got the hint to
// try --source CLASS, AMFPHP's way, which BlazeDS never routes by. It
// now says where BlazeDS's RemoteObject destinations are declared.
func TestBlazeDSNoDestinationHint(t *testing.T) {
	t.Parallel()
	u := faultServer(t, func() *amf.Object {
		return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
			{Name: "faultCode", Value: "Server.Processing"},
			{Name: "faultString", Value: "No destination with id 'orderServce' is registered with any service."},
		}}
	})
	_, stderr, code := run(t, []string{"call", "--destination", "orderServce", u, "getOrder", "42"}, "", nil, false)
	if code != 1 || strings.Contains(stderr, "try --source") ||
		!strings.Contains(stderr, "amfcall: hint: the gateway (BlazeDS or LiveCycle DS, by its words) has no RemoteObject destination orderServce: its destinations are the <destination id=...> of remoting-config.xml") {
		t.Errorf("code %d\nstderr %s", code, stderr)
	}
}

// call -x printed the fault of amfcall serve (and PyAMF) with
// "rootCause": {"$traits": {"sealed": [], "dynamic": true, "inline":
// true}, ...}: traits "sent inline again", which the reply never did
// (they were a reference to the headers' traits). The fault's object,
// made by amfcall, came first with equal traits of its own.
func TestFlexFaultTypedNoInlineTraits(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	stdout, _, code := run(t, []string{"call", "-x", "--destination", "echo", u, "fail", `"boom"`}, "", nil, false)
	const want = `{"faultCode":"Echo.Failure","faultString":"boom","faultDetail":null,"rootCause":{"message":"boom","name":"EchoFailure"},"extendedData":null}` + "\n"
	if code != 1 || stdout != want {
		t.Errorf("code %d\nstdout %s\nwant   %s", code, stdout, want)
	}
}

// BlazeDS acknowledges a subscription on a channel without polling (its
// my-amf, the URL RemoteObjects are called at), then answers the poll
// Server.PollNotSupported: subscribe stopped with the fault alone. It
// now says where polls go.
func TestSubscribePollNotSupportedHint(t *testing.T) {
	t.Parallel()
	u := faultServerFor(t, func(m *amf.Object) bool {
		op, _ := amf.FlexField(m, "operation").(amf.Int)
		return m.Class == amf.ClassCommandMessage && op == 2
	}, func() *amf.Object {
		return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
			{Name: "faultCode", Value: "Server.PollNotSupported"},
			{Name: "faultString", Value: "Polling is not supported on this channel."},
		}}
	})
	stdout, stderr, code := run(t, []string{"subscribe", "--for", "5s", "--interval", "10ms", u, "chat"}, "", nil, false)
	if code != 1 || !strings.Contains(stdout, `"faultCode":"Server.PollNotSupported"`) ||
		!strings.Contains(stderr, "amfcall: hint: the channel at "+u+" (--endpoint my-amf) takes no polls: subscribe polls, as a Flex Consumer on a polling channel does; give the URL of a channel with polling-enabled") {
		t.Errorf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// A rootCause the faultString names already (BlazeDS's
// "java.lang.IllegalArgumentException : Bad id") is not said twice; its
// cause still is, as what caused it ("caused by"), not as the root cause.
func TestFlexFaultRootCauseNotTwice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cause *amf.Object
		line  string
	}{
		{javaException("java.lang.IllegalArgumentException", "Bad id", nil),
			"amfcall: error: Server.Processing: java.lang.IllegalArgumentException : Bad id\n"},
		{javaException("java.lang.IllegalArgumentException", "Bad id", javaException("java.lang.NumberFormatException", "For input string: \"x\"", nil)),
			"amfcall: error: Server.Processing: java.lang.IllegalArgumentException : Bad id; caused by java.lang.NumberFormatException: For input string: \"x\"\n"},
	} {
		u := faultServer(t, func() *amf.Object {
			return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
				{Name: "faultCode", Value: "Server.Processing"},
				{Name: "faultString", Value: "java.lang.IllegalArgumentException : Bad id"},
				{Name: "rootCause", Value: tc.cause},
			}}
		})
		_, stderr, code := run(t, []string{"call", "--destination", "orderService", u, "getOrder", `"x"`}, "", nil, false)
		if code != 1 || !strings.HasPrefix(stderr, tc.line) {
			t.Errorf("code %d\nstderr %s\nwant   %s", code, stderr, tc.line)
		}
	}
}
