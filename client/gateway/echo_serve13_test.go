package gateway

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestEchoRawSameReply: an echo.echo call alone in its packet is
// answered with the same bytes whether its argument is copied as it
// came (echo.go) or decoded and encoded again (the usual path, which a
// verbose gateway takes), for each kind of argument, and for those the
// copy does not take (AMF0 references, an AMF0 argument in a version 3
// packet, two arguments, a header).
func TestEchoRawSameReply(t *testing.T) {
	fast := newTestGateway(t, Options{})
	slow := newTestGateway(t, Options{Verbose: true})
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	obj := &amf.Object{Class: "com.example.Item", Members: []amf.Member{{Name: "name", Value: "same"}, {Name: "other", Value: "same"}}}
	big := &amf.ByteArray{Data: bytes.Repeat([]byte{9}, 100000)}
	date := &amf.Date{Ms: 1.6e12}
	for _, tc := range []struct {
		name string
		p    *amf.Packet
	}{
		{"v0 string", pk(0, "echo.echo", "x")},
		{"v0 number", pk(0, "echo.echo", 4.5)},
		{"v0 object", pk(0, "echo.echo", &amf.Object{Members: []amf.Member{{Name: "a", Value: 1.0}, {Name: "b", Value: "s"}}})},
		{"v0 ecma array", pk(0, "echo.echo", &amf.ECMAArray{Members: []amf.Member{{Name: "0", Value: true}}})},
		{"v0 date", pk(0, "echo.echo", date)},
		{"v0 bytearray", pk(0, "echo.echo", big)},
		{"v0 null", pk(0, "echo.echo", nil)},
		{"v3 object", pk(3, "echo.echo", amf.AVMPlus{Value: obj})},
		{"v3 refs", pk(3, "echo.echo", amf.AVMPlus{Value: []any{obj, obj, "same"}})},
		{"v3 bytearray", pk(3, "echo.echo", amf.AVMPlus{Value: big})},
		{"v0 switched", pk(0, "echo.echo", amf.AVMPlus{Value: obj})},
		{"v0 amf0 refs", pk(0, "echo.echo", []any{shared, shared})},
		{"v3 amf0 argument", pk(3, "echo.echo", "x")},
		{"two arguments", pk(0, "echo.echo", "x", "y")},
		{"no argument", pk(0, "echo.echo")},
		{"header", &amf.Packet{Headers: []amf.Header{{Name: "Other", Value: 1.0}}, Messages: pk(0, "echo.echo", "x").Messages}},
		{"must understand", &amf.Packet{Headers: []amf.Header{{Name: "Other", MustUnderstand: true, Value: 1.0}}, Messages: pk(0, "echo.echo", "x").Messages}},
		{"long response", &amf.Packet{Messages: []amf.Message{{Target: "echo.echo", Response: string(bytes.Repeat([]byte{'/'}, 65530)), Value: []any{"x"}}}}},
	} {
		body, err := amf.MarshalPacket(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		a, b := postAMF(t, fast, body), postAMF(t, slow, body)
		if a.Code != b.Code || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
			t.Errorf("%s: copied %d %.100x, decoded %d %.100x", tc.name, a.Code, a.Body.Bytes(), b.Code, b.Body.Bytes())
		}
		if ct := a.Header().Get("Content-Type"); a.Code == 200 && ct != "application/x-amf" {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
	}
}

// pk is a packet of one call of target with args.
func pk(version uint16, target string, args ...any) *amf.Packet {
	if args == nil {
		args = []any{}
	}
	return &amf.Packet{Version: version, Messages: []amf.Message{{Target: target, Response: "/1", Value: args}}}
}

// TestEchoRawNoDecode: an echo.echo of values that decode to many times
// their bytes (400,000 AMF3 nulls, 400 KB, 6 MB decoded) is answered
// under a budget of 4 MiB, its argument copied as it came and never
// decoded; before, it was refused with a 413 (decoding it would pass
// the budget). It is logged as any call.
func TestEchoRawNoDecode(t *testing.T) {
	var log bytes.Buffer
	g := newTestGateway(t, Options{MaxMemory: 4 << 20, Log: &log, Now: func() time.Time { return time.Unix(0, 0) }})
	body := packet(3, "echo.echo", denseArgs("nulls", 400000))
	rec := postAMF(t, g, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
	}
	p, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := amf.Unwrap(p.Messages[0].Value).(*amf.Array)
	if p.Messages[0].Target != "/1/onResult" || a == nil || len(a.Dense) != 400000 {
		t.Fatalf("reply %s %T", p.Messages[0].Target, p.Messages[0].Value)
	}
	if !bytes.Contains(log.Bytes(), []byte(" echo.echo /1 -> onResult ")) {
		t.Fatalf("log: %s", log.String())
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved", n)
	}
}

// TestLongResponseURI: a call whose response URI is too long for its
// reply's target (65,530 bytes and /onResult) gets a 400 that says so;
// the reply is not half built.
func TestLongResponseURI(t *testing.T) {
	g := newTestGateway(t, Options{})
	p := &amf.Packet{Messages: []amf.Message{
		{Target: "echo.echo", Response: "/1", Value: []any{"x"}},
		{Target: "echo.echo", Response: string(bytes.Repeat([]byte{'/'}, 65530)), Value: []any{"y"}},
	}}
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := postAMF(t, g, body)
	if want := "call 2 of 2 has a response URI of 65530 bytes"; rec.Code != 400 || !bytes.Contains(rec.Body.Bytes(), []byte(want)) {
		t.Fatalf("status %d: %.300s; want 400 and %q", rec.Code, rec.Body.String(), want)
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved", n)
	}
}

// TestEmptyBody: a remoting POST with no body gets a 400 that says so,
// whether it has a Content-Length of 0 or is chunked.
func TestEmptyBody(t *testing.T) {
	g := newTestGateway(t, Options{})
	for _, length := range []int64{0, -1} {
		r := newRequest("POST", "/", bytes.NewReader(nil))
		r.Host = "127.0.0.1"
		r.Header.Set("Content-Type", "application/x-amf")
		r.ContentLength = length
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, r)
		if rec.Code != 400 || !bytes.Contains(rec.Body.Bytes(), []byte("The request body is empty")) {
			t.Errorf("Content-Length %d: %d %s", length, rec.Code, rec.Body.String())
		}
	}
}

// blockingWriter is a ResponseWriter whose first Write says so on
// writing and waits for release.
type blockingWriter struct {
	*httptest.ResponseRecorder
	writing, release chan struct{}
	once             bool
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	if !w.once {
		w.once = true
		close(w.writing)
		<-w.release
	}
	return w.ResponseRecorder.Write(p)
}

// TestEchoRawGivesBack: while the reply of an echo copied as it came is
// written, its request holds its body's share of the budget, not the
// three times its body it was charged before it was read.
func TestEchoRawGivesBack(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 4 << 20})
	body := packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: bytes.Repeat([]byte{5}, 1<<20)}})
	r := newRequest("POST", "/", bytes.NewReader(body))
	r.Host = "127.0.0.1"
	r.Header.Set("Content-Type", "application/x-amf")
	w := &blockingWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), release: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.ServeHTTP(w, r)
	}()
	<-w.writing
	held := g.lim.inFlight.Load()
	close(w.release)
	<-done
	if want := int64(requestBase + len(body)); held != want {
		t.Fatalf("%d bytes held while the reply is written, want %d (the body's)", held, want)
	}
	if w.Code != 200 || w.Body.Len() < 1<<20 {
		t.Fatalf("status %d, %d bytes", w.Code, w.Body.Len())
	}
}
