package commands

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// oddPollServer is amfcall's gateway, except that it answers every
// poll with the Flex message reply returns (nil: a value that is no
// Flex message at all). It counts the polls.
func oddPollServer(t *testing.T, reply func() any) (string, *atomic.Int64) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	polls := &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p, err := amf.UnmarshalPacket(body)
		if err == nil && len(p.Messages) == 1 {
			if a, ok := p.Messages[0].Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if m, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok && m.Class == amf.ClassCommandMessage {
					if op, _ := amf.FlexField(m, "operation").(amf.Int); op == 2 {
						polls.Add(1)
						v := reply()
						target := p.Messages[0].Response + "/onResult"
						if o, ok := v.(*amf.Object); ok && o.Class == amf.ClassErrorMessage {
							target = p.Messages[0].Response + "/onStatus"
						}
						out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: target, Response: "null", Value: amf.AVMPlus{Value: v}}}})
						w.Header().Set("Content-Type", "application/x-amf")
						w.Write(out)
						return
					}
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", polls
}

func flexReply(class string, body any) *amf.Object {
	return &amf.Object{Class: class, Members: []amf.Member{
		{Name: "body", Value: body},
		{Name: "clientId", Value: nil},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSPollWait", Value: amf.Int(0)}}}},
		{Name: "operation", Value: amf.Int(4)},
	}}
}

// subscribe meets poll replies that are not what it expects: it warns
// once and goes on, or ends with a clear error; never a crash, a spin
// or a warning per poll.
func TestSubscribeOddPollReplies(t *testing.T) {
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{{Name: "body", Value: "hello"}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	for _, tc := range []struct {
		name   string
		reply  any
		code   int
		stdout string
		stderr []string
	}{
		{name: "body a string", reply: flexReply(amf.ClassCommandMessage, "surprise"), code: 0,
			stderr: []string{"amfcall: warning: the poll reply's body is a string, not an array of messages; ignored (told once)\n"}},
		{name: "body an object", reply: flexReply(amf.ClassCommandMessage, &amf.Object{}), code: 0,
			stderr: []string{"amfcall: warning: the poll reply's body is an object, not an array of messages; ignored (told once)\n"}},
		{name: "body null", reply: flexReply(amf.ClassCommandMessage, nil), code: 0},
		{name: "array of odd values", reply: flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{1.0, "x", nil}}), code: 0,
			stderr: []string{"amfcall: warning: the poll reply holds 3 values that are not Flex messages; skipped (told once)\n"}},
		{name: "messages in an acknowledgement", reply: flexReply(amf.ClassAcknowledgeMessage, &amf.Array{Dense: []any{msg}}), code: 0,
			stdout: `"hello"`},
		{name: "ErrorMessage", reply: &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{{Name: "faultCode", Value: "Server.Poll"}, {Name: "faultString", Value: "no more"}}}, code: 1,
			stderr: []string{"no more"}},
		{name: "not a Flex message", reply: "just a string", code: 3,
			stderr: []string{"CommandMessage poll", "not a Flex message"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, polls := oddPollServer(t, func() any { return tc.reply })
			stdout, stderr, code := run(t, []string{"subscribe", "--for", "300ms", "--interval", "10ms", u, "chat"}, "", nil, false)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout %q, want %q in it", stdout, tc.stdout)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
			if n := strings.Count(stderr, "warning:"); n > 1 {
				t.Errorf("%d warnings over %d polls, want at most 1:\n%.500s", n, polls.Load(), stderr)
			}
			if tc.code == 0 && polls.Load() < 2 {
				t.Errorf("%d polls: subscribe did not go on", polls.Load())
			}
		})
	}
}
