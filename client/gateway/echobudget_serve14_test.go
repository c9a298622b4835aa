package gateway

import (
	"bytes"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestEchoOverThirdOfBudget: an echo.echo call alone in its packet,
// answered with its own bytes, is charged what that takes once its
// first bytes show it is one (echoCost), not three times its body: an
// echo of 8 MiB under a budget of 16 MiB (over the third, 5.3 MiB, that
// a body read whole may be) is answered, with a Content-Length or
// without (chunked), and the budget is whole again after. Before, both
// got a 413 before the body was read.
func TestEchoOverThirdOfBudget(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 16 << 20, MaxUpload: 32 << 20})
	data := bytes.Repeat([]byte("0123456789abcdef"), 8<<20/16)
	body := packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: data}})
	if int64(len(body)) <= g.MaxWholeBody() || int64(len(body)) > g.MaxEchoBody() {
		t.Fatalf("a body of %d bytes: want one over MaxWholeBody %d, within MaxEchoBody %d", len(body), g.MaxWholeBody(), g.MaxEchoBody())
	}
	for _, chunked := range []bool{false, true} {
		var rd io.Reader = bytes.NewReader(body)
		if chunked {
			rd = io.MultiReader(rd) // no length known
		}
		r := newRequest("POST", "/", rd)
		if chunked {
			r.ContentLength = -1
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("chunked %v: status %d: %.300s", chunked, w.Code, w.Body.String())
		}
		reply, err := amf.UnmarshalPacket(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		ba, ok := reply.Messages[0].Value.(amf.AVMPlus).Value.(*amf.ByteArray)
		if reply.Messages[0].Target != "/1/onResult" || !ok || !bytes.Equal(ba.Data, data) {
			t.Fatalf("chunked %v: reply %s, not the 8 MiB echoed", chunked, reply.Messages[0].Target)
		}
		if n := g.lim.inFlight.Load(); n != 0 {
			t.Errorf("chunked %v: %d bytes of the budget still held after the reply", chunked, n)
		}
	}
}

// TestEchoDeclinedChargedInFull: a packet that looks like a lone echo
// by its first bytes, but that the echo shortcut declines (an AMF0
// argument in a version 3 packet, answered in AMF3: decoded and encoded
// again), is charged three times its body once read, and gets the 413 a
// body read whole gets when that is over the budget. An echo over what
// the budget holds even so is refused before it is read, naming the
// echo's limit.
func TestEchoDeclinedChargedInFull(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 16 << 20, MaxUpload: 32 << 20})
	body := packet(3, "echo.echo", strings.Repeat("x", 8<<20))
	w := httptest.NewRecorder()
	g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(body)))
	if w.Code != 413 || !strings.Contains(w.Body.String(), "is read whole, decoded and answered") {
		t.Errorf("declined echo: status %d: %.300s", w.Code, w.Body.String())
	}
	body = packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: make([]byte, 12<<20)}})
	w = httptest.NewRecorder()
	g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(body)))
	if w.Code != 413 || !strings.Contains(w.Body.String(), "is one echo.echo call, answered with its own bytes") || !strings.Contains(w.Body.String(), "echoes bodies of at most 9.5 MiB") {
		t.Errorf("echo over the budget: status %d: %.400s", w.Code, w.Body.String())
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Errorf("%d bytes of the budget still held", n)
	}
}
