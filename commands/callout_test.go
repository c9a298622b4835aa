package commands

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
	"github.com/amfcall/amfcall/convert"
)

// countingOut is a stdout that keeps only the first and last bytes
// written to it, and counts them all: what a command streams is not
// held by the test either.
type countingOut struct {
	n          int64
	head, tail []byte
}

func (c *countingOut) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if len(c.head) < 256 {
		c.head = append(c.head, p[:min(len(p), 256-len(c.head))]...)
	}
	c.tail = append(c.tail, p[max(0, len(p)-256):]...)
	c.tail = c.tail[max(0, len(c.tail)-256):]
	return len(p), nil
}

// runCounted runs amfcall with stdout counted (countingOut), and
// returns the bytes the run allocated (the test is not parallel: the
// others wait).
func runCounted(t *testing.T, args ...string) (*countingOut, string, int, uint64) {
	t.Helper()
	var out countingOut
	var errb bytes.Buffer
	e := &runEnv{
		args:       append([]string{"amfcall"}, args...),
		stdin:      strings.NewReader(""),
		stdout:     &out,
		stderr:     &errb,
		getenv:     func(k string) string { return plainEnv[k] },
		isTerminal: func(any) bool { return false },
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code := e.run()
	runtime.ReadMemStats(&after)
	return &out, errb.String(), code, after.TotalAlloc - before.TotalAlloc
}

// replyServer answers every POST with the packet p, on 127.0.0.1.
func replyServer(t *testing.T, p *amf.Packet) (url string, size int) {
	t.Helper()
	reply, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/gw", len(reply)
}

// bombValue is one string of size bytes named n times: n*size bytes of
// JSON, from a few more than size bytes of AMF3 (references).
func bombValue(n, size int) any {
	s := strings.Repeat("A", size)
	dense := make([]any, n)
	for i := range dense {
		dense[i] = s
	}
	return amf.AVMPlus{Value: &amf.Array{Dense: dense}}
}

func resultPacket(v any) *amf.Packet {
	return &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: v}}}
}

// TestCallReplyBombStreamed: call rendered its result whole in memory
// (convert.AppendValue) up to --max-output's default, 1000 times the
// reply: a 1 MB reply naming one string 20,000 times ran out of memory
// at 1.6 GB RSS. The result is now written as it is rendered: a 262 KB
// reply of a 256 KiB string named 2,000 times (524 MB of JSON) stops at
// exactly 1000 times the reply's bytes, exit 4, the error naming the
// limit and the hint --max-output, having allocated a few MiB (262 MB
// and more before).
func TestCallReplyBombStreamed(t *testing.T) {
	url, size := replyServer(t, resultPacket(bombValue(2000, 256<<10)))
	limit := int64(1000 * size)
	for _, typed := range []string{"--compact", "--typed"} {
		out, stderr, code, alloc := runCounted(t, "call", typed, url, "x.y")
		t.Logf("%s: exit %d, %d bytes out, %.1f MiB allocated", typed, code, out.n, float64(alloc)/(1<<20))
		if code != exitInput || out.n != limit {
			t.Fatalf("%s: exit %d after %d bytes, want 4 after %d; stderr %.400q", typed, code, out.n, limit, stderr)
		}
		if !strings.Contains(stderr, "output exceeds "+strconv.FormatInt(limit, 10)+" bytes") || !strings.Contains(stderr, "hint:") || !strings.Contains(stderr, "--max-output") {
			t.Errorf("%s: stderr %.400q", typed, stderr)
		}
		if alloc > 64<<20 {
			t.Errorf("%s: %.1f MiB allocated to write %d bytes: the output is held", typed, float64(alloc)/(1<<20), out.n)
		}
	}
}

// TestCallQueryHeldBounded: -q selects from the whole JSON, held in
// memory. Its bound is 16 times the reply's bytes plus 64 MiB (68 MB
// here, not the 262 MB of --max-output's default), and the error says
// so; --max-output given is the bound instead.
func TestCallQueryHeldBounded(t *testing.T) {
	url, size := replyServer(t, resultPacket(bombValue(2000, 256<<10)))
	held := heldBase + heldPerByte*int64(size)
	out, stderr, code, alloc := runCounted(t, "call", "-q", "0", url, "x.y")
	t.Logf("-q: exit %d, %.1f MiB allocated; %s", code, float64(alloc)/(1<<20), stderr)
	if code != exitInput || out.n != 0 {
		t.Fatalf("exit %d, %d bytes out; stderr %.400q", code, out.n, stderr)
	}
	if !strings.Contains(stderr, "exceeds "+strconv.FormatInt(held, 10)+" bytes") || !strings.Contains(stderr, "-q and -r hold the whole JSON") ||
		!strings.Contains(stderr, "hint: raise --max-output") {
		t.Errorf("stderr %.600q", stderr)
	}
	// The JSON is counted before it is held, and a JSON over the bound
	// is never built: 1.9 MiB allocated here. Before, AppendValue grew
	// its buffer to the bound, some 5 times it in all (and to 1.3 GB
	// under the 262 MB bound of --max-output's default).
	if alloc > uint64(held/4) {
		t.Errorf("%.1f MiB allocated for -q under a bound of %d bytes", float64(alloc)/(1<<20), held)
	}
	out, stderr, code, _ = runCounted(t, "call", "-q", "0", "--max-output", "10M", url, "x.y")
	if code != exitInput || !strings.Contains(stderr, "exceeds 10485760 bytes") || strings.Contains(stderr, "-q and -r hold") {
		t.Errorf("--max-output 10M: exit %d, stderr %.600q", code, stderr)
	}
}

// TestCallLargeReplyWhole: a normal large reply (an 8 MB ByteArray
// and 100,000 records, 3.4 MB of AMF3) prints in full, the bytes
// AppendValue gives, in every layout; and -q picks from it.
func TestCallLargeReplyWhole(t *testing.T) {
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	traits := &amf.Traits{Class: "Row", Sealed: []string{"id", "name", "score"}}
	rows := make([]any, 100000)
	for i := range rows {
		rows[i] = &amf.Object{Traits: traits, Members: []amf.Member{
			{Name: "id", Value: amf.Int(i)}, {Name: "name", Value: "row " + strconv.Itoa(i)}, {Name: "score", Value: float64(i) / 3},
		}}
	}
	v := amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{
		{Name: "blob", Value: &amf.ByteArray{Data: data}}, {Name: "rows", Value: &amf.Array{Dense: rows}},
	}}}
	url, size := replyServer(t, resultPacket(v))
	p, err := amf.UnmarshalPacket(mustMarshal(t, resultPacket(v)))
	if err != nil {
		t.Fatal(err)
	}
	decoded := amf.Unwrap(p.Messages[0].Value)
	for _, flags := range [][]string{{"--compact"}, {"--typed"}, {"--pretty"}} {
		want, err := convert.AppendValue(nil, decoded, &convert.Options{Typed: flags[0] == "--typed", Indent: map[bool]string{true: "  "}[flags[0] == "--pretty"]})
		if err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := run(t, append(append([]string{"call"}, flags...), url, "x.y"), "", nil, false)
		if code != 0 || stdout != string(want)+"\n" {
			t.Fatalf("%v (reply %d bytes): exit %d, %d bytes out, want %d; stderr %.300q", flags, size, code, len(stdout), len(want)+1, stderr)
		}
	}
	stdout, stderr, code := run(t, []string{"call", "-q", "rows.99999.name", "-r", url, "x.y"}, "", nil, false)
	if code != 0 || stdout != "row 99999\n" {
		t.Errorf("-q: exit %d, stdout %q, stderr %.300q", code, stdout, stderr)
	}
}

func mustMarshal(t *testing.T, p *amf.Packet) []byte {
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSocketCallResultStreamed: socket call's result is written as it
// is rendered: a response naming a 256 KiB string 2,000 times stops at
// --max-output exactly, exit 4, having allocated a few MiB.
func TestSocketCallResultStreamed(t *testing.T) {
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, amf.Unwrap(bombValue(2000, 256<<10)))))
	})
	out, stderr, code, alloc := runCounted(t, "socket", "call", "--max-output", "100M", addr, "big", "{}")
	t.Logf("exit %d, %d bytes out, %.1f MiB allocated", code, out.n, float64(alloc)/(1<<20))
	if code != exitInput || out.n != 100<<20 || !strings.Contains(stderr, "the response from "+addr+": json: plain output exceeds 104857600 bytes") {
		t.Fatalf("exit %d after %d bytes; stderr %.400q", code, out.n, stderr)
	}
	if alloc > 64<<20 {
		t.Errorf("%.1f MiB allocated to write %d bytes: the output is held", float64(alloc)/(1<<20), out.n)
	}
}

// TestSocketListenFrameCut: socket listen writes a frame's line as it
// is rendered; a frame past --max-output is cut there and listening
// stops with exit 4 (it warned and went on, having built the line
// whole: up to 1 GiB by default).
func TestSocketListenFrameCut(t *testing.T) {
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, "ok")))
		nc.Write(frameOf(t, socket.MessageObject("m1", "bomb", amf.Unwrap(bombValue(2000, 256<<10)))))
		// Stay open: listening ends by the error, not by the close.
		var v any
		fr.Decode(&v)
	})
	out, stderr, code, alloc := runCounted(t, "socket", "listen", "--max-output", "50M", "--send", "hello={}", addr)
	t.Logf("exit %d, %d bytes out, %.1f MiB allocated", code, out.n, float64(alloc)/(1<<20))
	first := "\"result\":\"ok\"},\"type\":\"rpcResponse\"}\n{\"message\""
	if code != exitInput || !bytes.Contains(out.head, []byte(first)) || !strings.Contains(stderr, "a frame from "+addr+": json: plain output exceeds 52428800 bytes") {
		t.Fatalf("exit %d after %d bytes (%.100q); stderr %.400q", code, out.n, out.head, stderr)
	}
	if alloc > 64<<20 {
		t.Errorf("%.1f MiB allocated to write %d bytes: the output is held", float64(alloc)/(1<<20), out.n)
	}
}

// TestSubscribeMessageStreamed: subscribe writes each message's line as
// it is rendered, bounded as call's result by the poll reply that
// brought it: a 262 KB poll reply whose message names a 256 KiB string
// 2,000 times stops at 1000 times the reply's bytes, exit 4, having
// allocated a few MiB (subscribe's bound was 1 GiB, held whole).
func TestSubscribeMessageStreamed(t *testing.T) {
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
		{Name: "body", Value: amf.Unwrap(bombValue(2000, 256<<10))}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	reply := flexReply(amf.ClassAcknowledgeMessage, &amf.Array{Dense: []any{msg}})
	size := len(mustMarshal(t, &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/2/onResult", Response: "null", Value: amf.AVMPlus{Value: reply}}}}))
	u, _ := oddPollServer(t, func() any { return reply })
	out, stderr, code, alloc := runCounted(t, "subscribe", "--for", "5s", "--interval", "10ms", u, "chat")
	t.Logf("exit %d, %d bytes out (poll reply about %d bytes), %.1f MiB allocated", code, out.n, size, float64(alloc)/(1<<20))
	if code != exitInput || !bytes.HasPrefix(out.head, []byte(`{"destination":"chat"`)) || !strings.Contains(stderr, "-byte poll reply from "+u+": json: plain output exceeds") {
		t.Fatalf("exit %d after %d bytes (%.80q); stderr %.400q", code, out.n, out.head, stderr)
	}
	if out.n < 200<<20 || out.n > 300<<20 {
		t.Errorf("%d bytes out: not 1000 times the poll reply's %d bytes", out.n, size)
	}
	if alloc > 64<<20 {
		t.Errorf("%.1f MiB allocated to write %d bytes: the output is held", float64(alloc)/(1<<20), out.n)
	}
}
