package client

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// digestHex reads the byte examples of the protocol digest: hex bytes and
// "quoted" ASCII.
func digestHex(t testing.TB, s string) []byte {
	t.Helper()
	var out []byte
	for _, tok := range regexp.MustCompile(`"[^"]*"|\S+`).FindAllString(s, -1) {
		if strings.HasPrefix(tok, `"`) {
			out = append(out, strings.Trim(tok, `"`)...)
			continue
		}
		b, err := hex.DecodeString(tok)
		if err != nil {
			t.Fatalf("bad hex %q", tok)
		}
		out = append(out, b...)
	}
	return out
}

// The Flex ping of protocol digest §4.9 (Flash Player 9), 244 bytes.
const flashPingHex = `00 03 00 00 00 01 00 04 "null" 00 02 "/1" 00 00 00 E0
	0A 00 00 00 01 11
	0A 81 13 4D "flex.messaging.messages.CommandMessage"
	13 "operation" 1B "correlationId" 09 "body" 13 "messageId" 11 "clientId"
	13 "timestamp" 15 "timeToLive" 0F "headers" 17 "destination"
	04 05 06 01 0A 0B 01 01 06 49 "94F130C5-5F35-6F09-50EF-EF3D5663FAC4" 01 04 00 04 00
	0A 05 25 "DSMessagingVersion" 04 01 09 "DSId" 06 07 "nil" 01
	06 01`

// The RemotingMessage of digest §4.9 (DSId known, body /2), 287 bytes.
const digestRemotingHex = `00 03 00 00 00 01 00 04 "null" 00 02 "/2" 00 00 01 0B
	0A 00 00 00 01 11
	0A 81 13 4F "flex.messaging.messages.RemotingMessage"
	09 "body" 11 "clientId" 17 "destination" 0F "headers" 13 "messageId"
	13 "operation" 0D "source" 13 "timestamp" 15 "timeToLive"
	09 03 01 06 05 "hi" 01 06 17 "echoService"
	0A 0B 01 09 "DSId" 06 49 "3F2504E0-4F89-11D3-9A0C-0305E82C3301" 15 "DSEndpoint" 06 0D "my-amf" 01
	06 49 "C0FFEE00-1111-2222-3333-444455556666" 06 09 "echo" 01 04 00 04 00`

// The DSK of digest §4.6: body "hi", a double timestamp, the ids as bytes.
const digestDSKHex = `0A 07 07 "DSK" A1 03 06 05 "hi" 05 42 78 BC FE 56 80 00 00
	0C 21 3F 25 04 E0 4F 89 11 D3 9A 0C 03 05 E8 2C 33 01
	0C 21 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19
	02 0C 21 C0 FF EE 00 11 11 22 22 33 33 44 44 55 55 66 66
	00`

// replyPacket frames one AMF3 value (its bytes after the 0x11 switch) as
// the only body of a version-3 reply.
func replyPacket(target string, amf3 []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 3, 0, 0, 0, 1})
	binary.Write(&b, binary.BigEndian, uint16(len(target)))
	b.WriteString(target)
	b.Write([]byte{0, 4})
	b.WriteString("null")
	binary.Write(&b, binary.BigEndian, uint32(len(amf3)+1))
	b.WriteByte(0x11)
	b.Write(amf3)
	return b.Bytes()
}

// flexServer answers the requests in turn with the given reply bodies and
// keeps what it got.
type flexServer struct {
	*httptest.Server
	mu      sync.Mutex
	got     [][]byte
	replies [][]byte
}

func newFlexServer(t *testing.T, replies ...[]byte) *flexServer {
	s := &flexServer{replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.got)
		s.got = append(s.got, body)
		s.mu.Unlock()
		if n >= len(s.replies) {
			http.Error(w, "no more replies", http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Write(s.replies[n])
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *flexServer) requests() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.got...)
}

// withMessageID replaces the (random) 36-character messageId of a request
// by id, for byte comparisons.
func withMessageID(t *testing.T, req []byte, id string) []byte {
	t.Helper()
	p := mustPacket(t, req)
	m := amf.Unwrap(p.Messages[0].Value.(*amf.Array).Dense[0]).(*amf.Object)
	old, _ := m.Get("messageId")
	s, _ := old.(string)
	if len(s) != 36 || strings.ToUpper(s) != s {
		t.Fatalf("messageId %q is not an upper-case UUID", s)
	}
	return bytes.Replace(req, []byte(s), []byte(id), 1)
}

// TestFlexDigestExchange: the ping is Flash Player's byte for byte, the
// call is the digest's RemotingMessage, and a DSK reply (the small form)
// gives the result.
func TestFlexDigestExchange(t *testing.T) {
	const dsid = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	ack := &amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
		{Name: "body", Value: true},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: dsid}, {Name: "DSMessagingVersion", Value: 1.0}}}},
	}}
	ackBytes, err := amf.Marshal(ack, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	srv := newFlexServer(t, replyPacket("/1/onResult", ackBytes), replyPacket("/2/onResult", digestHex(t, digestDSKHex)))
	var warnings []string
	c := newClient(t, srv.URL, Config{Flex: true, Events: noticeFunc(func(n Notice) {
		if n.Warning {
			warnings = append(warnings, n.Msg)
		}
	})})
	res, err := c.Call(context.Background(), "echoService.echo", []any{"hi"})
	if err != nil || res != "hi" {
		t.Fatalf("result %#v, %v", res, err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want the ping and the call", len(reqs))
	}
	if got, want := withMessageID(t, reqs[0], "94F130C5-5F35-6F09-50EF-EF3D5663FAC4"), digestHex(t, flashPingHex); !bytes.Equal(got, want) {
		t.Errorf("ping\n got %x\nwant %x", got, want)
	}
	if got, want := withMessageID(t, reqs[1], "C0FFEE00-1111-2222-3333-444455556666"), digestHex(t, digestRemotingHex); !bytes.Equal(got, want) {
		t.Errorf("call\n got %x\nwant %x", got, want)
	}
	// The DSK answers the digest's message id, not our random one (and its
	// correlationId, read from its 16 bytes, says so).
	if len(warnings) != 1 || !strings.Contains(warnings[0], `correlationId "C0FFEE00-1111-2222-3333-444455556666"`) {
		t.Errorf("warnings %q", warnings)
	}
	if c.DSId() != dsid {
		t.Errorf("DSId %q", c.DSId())
	}
}

type noticeFunc func(Notice)

func (noticeFunc) OnRequest(*RequestEvent)   {}
func (noticeFunc) OnResponse(*ResponseEvent) {}
func (f noticeFunc) OnNotice(n Notice)       { f(n) }

// TestFlexLoginRedirect: a login (its body holds the password) follows a
// 307 on the same origin only; a ping follows it anywhere.
func TestFlexLoginRedirect(t *testing.T) {
	ack, _ := amf.Marshal(&amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
		{Name: "body", Value: "success"},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "D1"}}}},
	}}, amf.AMF3)
	var otherHits int
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		otherHits++
		mu.Unlock()
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ContentType)
		w.Write(replyPacket("/1/onResult", ack))
	}))
	defer other.Close()
	var self *httptest.Server
	self = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/elsewhere":
			http.Redirect(w, r, other.URL+"/gateway", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, self.URL+"/gateway", http.StatusTemporaryRedirect)
		default:
			w.Header().Set("Content-Type", ContentType)
			w.Write(replyPacket("/1/onResult", ack))
		}
	}))
	defer self.Close()
	ctx := context.Background()

	c := newClient(t, self.URL+"/elsewhere", Config{Flex: true})
	err := c.FlexLogin(ctx, "alice", "wonderland")
	var he *HTTPError
	if !errors.As(err, &he) || !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "carries a password") || !strings.Contains(err.Error(), "redirects to "+other.URL+"/gateway;") {
		t.Fatalf("login redirected to another host: %v", err)
	}
	if otherHits != 0 {
		t.Fatalf("the other host got %d requests", otherHits)
	}
	c = newClient(t, self.URL+"/elsewhere", Config{Flex: true})
	if err := c.FlexPing(ctx); err != nil || otherHits != 1 {
		t.Errorf("ping: %v, other host hits %d", err, otherHits)
	}
	// The DSRemoteCredentials of a call are a secret too (the ping before
	// it is not).
	c = newClient(t, self.URL+"/elsewhere", Config{Flex: true, FlexRemoteUser: "bob", FlexRemotePassword: "pw"})
	if _, err := c.Call(ctx, "d.op", nil); !errors.Is(err, ErrRedirect) || otherHits != 2 {
		t.Errorf("call with remote credentials: %v, other host hits %d", err, otherHits)
	}
	c = newClient(t, self.URL+"/here", Config{Flex: true})
	if err := c.FlexLogin(ctx, "alice", "wonderland"); err != nil || c.FlexUser() != "alice" || c.DSId() != "D1" {
		t.Errorf("same-origin redirect: %v user %q DSId %q", err, c.FlexUser(), c.DSId())
	}
}

// TestFlexPollSmallMessages: a poll reply in the small forms (a DSC of
// operation 4 carrying DSA messages whose ids are bytes) gives the
// messages of the subscription, and DSPollWait sets the next wait.
func TestFlexPollSmallMessages(t *testing.T) {
	subID := "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	idBytes := digestHex(t, `3F 25 04 E0 4F 89 11 D3 9A 0C 03 05 E8 2C 33 01`)
	ack := func(members ...amf.Member) []byte {
		b, err := amf.Marshal(&amf.Object{Class: amf.ClassAcknowledgeMessage, Members: members}, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dsa := func(body any, client []byte) *amf.Object {
		return &amf.Object{Class: amf.ClassDSA, Members: []amf.Member{
			{Name: "body", Value: body},
			{Name: "destination", Value: "chat"},
			{Name: "clientIdBytes", Value: &amf.ByteArray{Data: client}},
		}}
	}
	other := bytes.Repeat([]byte{7}, 16)
	sync, err := amf.Marshal(&amf.Object{Class: amf.ClassDSC, Members: []amf.Member{
		{Name: "body", Value: &amf.Array{Dense: []any{dsa("one", idBytes), dsa("not ours", other), dsa("two", idBytes)}}},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSPollWait", Value: 250.0}}}},
		{Name: "operation", Value: amf.Int(OpClientSync)},
	}}, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	dsid := []amf.Member{{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "D2"}}}}}
	srv := newFlexServer(t,
		replyPacket("/1/onResult", ack(dsid...)),
		replyPacket("/2/onResult", ack(amf.Member{Name: "clientId", Value: subID})),
		replyPacket("/3/onResult", sync),
		replyPacket("/4/onResult", ack()),
	)
	c := newClient(t, srv.URL, Config{Flex: true})
	ctx := context.Background()
	sub, err := c.Subscribe(ctx, "chat", "", "")
	if err != nil || sub.ID != subID {
		t.Fatalf("subscribe: %v, id %q", err, sub.ID)
	}
	msgs, wait, err := sub.Poll(ctx)
	if err != nil || len(msgs) != 2 || amf.FlexField(msgs[0], "body") != "one" || amf.FlexField(msgs[1], "body") != "two" || wait != 250*time.Millisecond {
		t.Fatalf("poll: %v, %d messages, wait %v", err, len(msgs), wait)
	}
	if err := sub.Unsubscribe(ctx); err != nil {
		t.Fatal(err)
	}
	unsub := mustPacket(t, srv.requests()[3])
	m := amf.Unwrap(unsub.Messages[0].Value.(*amf.Array).Dense[0]).(*amf.Object)
	if op := amf.FlexField(m, "operation"); op != amf.Int(OpUnsubscribe) || amf.FlexField(m, "clientId") != subID {
		t.Errorf("unsubscribe: operation %v clientId %v", op, amf.FlexField(m, "clientId"))
	}
}

// BenchmarkFlexCall measures a destination-mode call against a local
// gateway (amfcall's own, on 127.0.0.1): "first" is a new client (ping,
// then the call: two exchanges), "known" a client that already has its
// DSId (the call only), as with --session.
func BenchmarkFlexCall(b *testing.B) {
	g, err := gateway.New(gateway.Options{ImagesDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	rs := httptest.NewServer(g)
	defer rs.Close()
	args := []any{&amf.Array{Dense: []any{amf.Int(1), "two"}}}
	ctx := context.Background()
	b.Run("first", func(b *testing.B) {
		c, _ := New(rs.URL, Config{Flex: true})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c.mu.Lock()
			c.dsid = "nil" // a new Flex client, on a warm connection
			c.mu.Unlock()
			if _, err := c.Call(ctx, "echo.echo", args); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("known", func(b *testing.B) {
		c, _ := New(rs.URL, Config{Flex: true})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.Call(ctx, "echo.echo", args); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestFlexPingRefused: a gateway that answers the ping with a fault still
// gets the call, with a warning, and is not pinged again.
func TestFlexPingRefused(t *testing.T) {
	fault, _ := amf.Marshal(&amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
		{Name: "faultCode", Value: "Server.Processing"}, {Name: "faultString", Value: "no CommandMessage here"},
	}}, amf.AMF3)
	ack, _ := amf.Marshal(&amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{{Name: "body", Value: "ok"}}}, amf.AMF3)
	srv := newFlexServer(t, replyPacket("/1/onStatus", fault), replyPacket("/2/onResult", ack), replyPacket("/3/onResult", ack))
	var warnings []string
	c := newClient(t, srv.URL, Config{Flex: true, Events: noticeFunc(func(n Notice) { warnings = append(warnings, n.Msg) })})
	for range 2 {
		if res, err := c.Call(context.Background(), "d.op", nil); err != nil || res != "ok" {
			t.Fatalf("call: %#v, %v", res, err)
		}
	}
	if len(srv.requests()) != 3 || len(warnings) != 1 || !strings.Contains(warnings[0], "no CommandMessage here") {
		t.Errorf("%d requests, warnings %q", len(srv.requests()), warnings)
	}
}

func TestFaultIsNotFound(t *testing.T) {
	for _, tc := range []struct {
		code, desc string
		want       bool
	}{
		{"Server.Processing", "No destination with id 'x' is registered with any service.", true}, // BlazeDS
		{"Service.ResourceNotFound", "Unknown service x.op", true},                                // PyAMF
		{"404", "no such destination", true},
		{"Service.MethodNotFound", "Unknown method echo.nope", false},
		{"Echo.Failure", "boom", false},
	} {
		if got := (&Fault{Code: tc.code, Description: tc.desc}).IsNotFound(); got != tc.want {
			t.Errorf("IsNotFound(%s: %s) = %v", tc.code, tc.desc, got)
		}
	}
}
