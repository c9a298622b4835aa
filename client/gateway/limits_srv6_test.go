package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestSnapshotsBatchCharged: a packet of many getSnapshots calls, with
// many images in the folder, is a small request with a large reply.
// Each call's list is charged to the request's share of the memory
// budget: once the budget cannot hold more, the calls left are faults
// (Server.ResourceLimit) rather than lists. Before, all 40 calls of
// this test were answered with 400 names each (and 400 calls with
// 10,000 images took serve to 900 MB under a budget of 256 MiB).
func TestSnapshotsBatchCharged(t *testing.T) {
	dir := t.TempDir()
	const images = 400
	for i := range images {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("snapshot_%08d.jpg", i)), jpegBytes, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := newTestGateway(t, Options{ImagesDir: dir, MaxMemory: 1 << 20})
	const calls = 40
	p := &amf.Packet{}
	for i := range calls {
		p.Messages = append(p.Messages, amf.Message{Target: "getSnapshots", Response: fmt.Sprintf("/%d", i+1), Value: []any{}})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, g, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Messages) != calls {
		t.Fatalf("%d reply bodies, want %d", len(reply.Messages), calls)
	}
	listed, faults := 0, 0
	for _, m := range reply.Messages {
		if strings.HasSuffix(m.Target, "/onResult") {
			listed++
			continue
		}
		if code := faultCode(t, m); code != "Server.ResourceLimit" {
			t.Fatalf("fault %s, want Server.ResourceLimit", code)
		}
		o, _ := amf.Unwrap(m.Value).(*amf.Object)
		desc, _ := o.Get("description")
		if s, _ := desc.(string); !strings.Contains(s, "list of 400 snapshots") || !strings.Contains(s, "memory budget of 1 MiB") {
			t.Fatalf("fault description %q does not say what and which budget", s)
		}
		faults++
	}
	// 400 images are 100 KiB for the first list (listedCost each) and
	// 50 KiB for each list after it (listedAgainCost): the budget of
	// 1 MiB holds about 18 of them besides the request's own.
	if listed < 2 || faults == 0 || faults != calls-listed {
		t.Fatalf("%d calls listed, %d faults; want some lists, then faults for the rest", listed, faults)
	}
	// The budget is whole again once the request is answered.
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved after the request", n)
	}
	if m := callGW(t, g, packet(0, "getSnapshots")); !strings.HasSuffix(m.Target, "/onResult") {
		t.Fatalf("a lone getSnapshots after the batch: %s", m.Target)
	}
}

// TestSnapshotsListedAfterSave: the getSnapshots calls of one request
// share their list, but not across a saveSnapshot: a list after it
// holds the new image.
func TestSnapshotsListedAfterSave(t *testing.T) {
	g := newTestGateway(t, Options{})
	p := &amf.Packet{Messages: []amf.Message{
		{Target: "getSnapshots", Response: "/1", Value: []any{}},
		{Target: "getSnapshots", Response: "/2", Value: []any{}},
		{Target: "ByteArray.saveSnapshot", Response: "/3", Value: []any{amf.AVMPlus{Value: &amf.ByteArray{Data: jpegBytes}}, "jpg"}},
		{Target: "getSnapshots", Response: "/4", Value: []any{}},
	}}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, g, body)
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil || len(reply.Messages) != 4 {
		t.Fatalf("status %d, %v: %s", rec.Code, err, rec.Body.String())
	}
	counts := []int{}
	for _, i := range []int{0, 1, 3} {
		one := &amf.Packet{Messages: reply.Messages[i : i+1]}
		counts = append(counts, len(snapshotNames(one)))
	}
	if counts[0] != 0 || counts[1] != 0 || counts[2] != 1 {
		t.Fatalf("lists of %v images, want [0 0 1]", counts)
	}
}

// TestBatchRepliesCharged: the reply bodies of a packet of many calls
// are charged before the calls run (replyCallCost each), so that
// packets of calls that each fault, small requests with larger replies,
// cannot together take memory past the budget (16 packets of 65,535
// such calls took serve to 505 MB under a budget of 256 MiB). With half
// the budget taken, a packet of 1,000 faulting calls (15 KB) waits,
// then gets a 503; before, it was charged for its bytes and values only
// and ran. Once the budget is free it runs (alone).
func TestBatchRepliesCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	g.lim.wait = 100 * time.Millisecond
	p := &amf.Packet{}
	for i := range 1000 {
		p.Messages = append(p.Messages, amf.Message{Target: "x", Response: fmt.Sprintf("/%d", i+1)})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	release, err := g.Budget().Reserve(context.Background(), 512<<10)
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, g, body)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "memory budget") {
		release()
		t.Fatalf("with half the budget taken: status %d, want 503: %s", rec.Code, rec.Body.String())
	}
	release()
	rec = post(t, g, body)
	if rec.Code != 200 {
		t.Fatalf("with the budget free: status %d: %s", rec.Code, rec.Body.String())
	}
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil || len(reply.Messages) != 1000 {
		t.Fatalf("reply: %v, %d bodies", err, len(reply.Messages))
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved after the request", n)
	}
}

// TestBatchLogBounded: a packet of many calls logs its first
// maxCallLines calls one by one and counts the rest in its summary
// line, and a call's line cuts the response id the client chose. Before,
// each of 100 calls had its line, each with the whole 5,000-byte id:
// 65,535 faulting calls (1 MB) logged 6.5 MB.
func TestBatchLogBounded(t *testing.T) {
	var log lockedBuffer
	g := newTestGateway(t, Options{Log: &log})
	p := &amf.Packet{}
	for i := range 100 {
		p.Messages = append(p.Messages, amf.Message{Target: "x\x1b[31m\u202e", Response: fmt.Sprintf("/%d", i+1) + strings.Repeat("r", 5000)})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	if rec := post(t, g, body); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	text := log.String()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	calls := 0
	for _, l := range lines {
		if len(l) > 600 {
			t.Fatalf("a log line of %d bytes: %.200q", len(l), l)
		}
		if strings.Contains(l, "-> onStatus") {
			calls++
		}
	}
	if calls != maxCallLines {
		t.Fatalf("%d call lines, want %d:\n%s", calls, maxCallLines, text)
	}
	if !strings.Contains(text, "100 messages") || !strings.Contains(text, "(80 calls after the first 20 not logged one by one, 80 of them faults)") {
		t.Fatalf("the summary line does not count the calls not logged:\n%s", text)
	}
	if strings.ContainsAny(text, "\x1b\u202e") {
		t.Fatalf("the log holds the client's escapes raw:\n%q", text)
	}
}

// TestUnreadBodyAnswered: a request whose handler does not read its
// body (a Content-Length over the limit, a body sent to /images/) is
// answered even when the client sends its head and then nothing, and
// its connection then closes. Before, net/http waited (with no
// deadline) for up to 256 KiB of the body before writing the reply: the
// client never had its 413, and held its connection, and a place of
// MaxConns, for good (still open after 130 s in serve).
func TestUnreadBodyAnswered(t *testing.T) {
	g := newTestGateway(t, Options{MaxUpload: 1000})
	addr := startServe(t, g)
	for _, tc := range []struct {
		head string
		want string
	}{
		{"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: 70000000\r\n\r\n", "HTTP/1.1 413 "},
		{"POST /images/x.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n", "HTTP/1.1 405 "},
		{"PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n", "HTTP/1.1 400 "},
	} {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		if _, err := io.WriteString(nc, tc.head); err != nil {
			t.Fatal(err)
		}
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(nc) // to the end: the connection closes
		if !strings.HasPrefix(string(got), tc.want) || err != nil {
			t.Fatalf("%q: got %q, %v; want %q and the connection closed", tc.head, got, err, tc.want)
		}
	}
}

// TestPollCharged: the messages a poll hands over are charged to its
// request (pollCostFactor times their queued size); those the budget
// has no room for stay queued for the next poll. Before, one poll took
// every queued message (here 16 of 900 KB, a 14 MB reply under a budget
// of 8 MiB) with its request charged for its own few hundred bytes.
func TestPollCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 8 << 20})
	a := ping(t, g)
	const subs = 16
	var ids []string
	for range subs {
		ids = append(ids, subscribe(t, g, a, "big", ""))
	}
	if _, ok := publishTo(t, g, a, "big", "", &amf.ByteArray{Data: make([]byte, 900<<10)}); !ok {
		t.Fatal("publish refused")
	}
	var got []int
	total := 0
	for range subs {
		n := len(poll(t, g, a, ids...))
		if n == 0 {
			break
		}
		got = append(got, n)
		total += n
		if g.lim.inFlight.Load() != 0 {
			t.Fatalf("%d bytes still reserved after a poll", g.lim.inFlight.Load())
		}
	}
	t.Logf("messages per poll: %v", got)
	if total != subs || got[0] >= subs || got[0] == 0 {
		t.Fatalf("polls handed over %v messages; want all %d in all, fewer than all in the first", got, subs)
	}
}

// TestNotUnderstoodBounded: the fault that answers each call of a packet
// with must-understand headers the gateway does not know names the first
// five, each cut. Before, it named every header whole in every call's
// fault: 16 headers of 60 KB names and 50 calls (960 KB) were answered
// with 48 MB.
func TestNotUnderstoodBounded(t *testing.T) {
	g := newTestGateway(t, Options{})
	p := &amf.Packet{}
	for i := range 16 {
		p.Headers = append(p.Headers, amf.Header{Name: fmt.Sprintf("h%02d", i) + strings.Repeat("x", 60000), MustUnderstand: true})
	}
	for i := range 50 {
		p.Messages = append(p.Messages, amf.Message{Target: "echo.echo", Response: fmt.Sprintf("/%d", i+1)})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, g, body)
	if rec.Code != 200 || rec.Body.Len() > 64<<10 {
		t.Fatalf("status %d, a reply of %d bytes to %d", rec.Code, rec.Body.Len(), len(body))
	}
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil || len(reply.Messages) != 50 {
		t.Fatalf("reply: %v, %d bodies", err, len(reply.Messages))
	}
	if code := faultCode(t, reply.Messages[49]); code != "Server.Header.NotUnderstood" {
		t.Fatalf("fault %s", code)
	}
	desc, _ := amf.Unwrap(reply.Messages[49].Value).(*amf.Object).Get("description")
	if s, _ := desc.(string); !strings.HasPrefix(s, "the gateway does not understand the headers h00xxx") || !strings.Contains(s, "..., h01x") || !strings.Contains(s, "(and 11 more) that the client marked must-understand") {
		t.Fatalf("description %.300q", s)
	}
}

// TestBatchLoginsOneSession: a packet of many login calls gets one
// Set-Cookie and one RequestPersistentHeader (the last login's), and
// keeps one session: the others' sessions stay. Before, 5,000 logins
// were 5,000 Set-Cookie lines and 5,000 AMF headers, and filled the
// table of 4,096 sessions, ending everyone else's.
func TestBatchLoginsOneSession(t *testing.T) {
	g := newTestGateway(t, Options{})
	rec := post(t, g, packet(0, "login", "alice", "pw"))
	alice := rec.Result().Cookies()
	if len(alice) != 1 {
		t.Fatalf("alice's login: %d cookies", len(alice))
	}
	p := &amf.Packet{}
	for i := range 5000 {
		p.Messages = append(p.Messages, amf.Message{Target: "login", Response: fmt.Sprintf("/%d", i+1), Value: []any{fmt.Sprintf("m%d", i), "pw"}})
	}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec = post(t, g, body)
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if rec.Code != 200 || err != nil {
		t.Fatalf("status %d, %v", rec.Code, err)
	}
	if n := len(rec.Result().Header.Values("Set-Cookie")); n != 1 || len(reply.Headers) != 1 {
		t.Fatalf("%d Set-Cookie lines and %d AMF headers, want 1 and 1", n, len(reply.Headers))
	}
	g.sessMu.Lock()
	n := len(g.sessions)
	g.sessMu.Unlock()
	if n != 2 {
		t.Fatalf("%d sessions, want alice's and the batch's last", n)
	}
	// Alice is still logged in, and so is the batch's last login.
	for who, ck := range map[string]*http.Cookie{"alice": alice[0], "m4999": rec.Result().Cookies()[0]} {
		req := newRequest("POST", "/", bytes.NewReader(packet(0, "session.whoami")))
		req.Host = "127.0.0.1:8000"
		req.Header.Set("Content-Type", "application/x-amf")
		req.AddCookie(ck)
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		p, err := amf.UnmarshalPacket(w.Body.Bytes())
		if err != nil || len(p.Messages) != 1 || p.Messages[0].Value != who {
			t.Fatalf("session.whoami with %s's cookie: %v %+v", who, err, p)
		}
	}
}
