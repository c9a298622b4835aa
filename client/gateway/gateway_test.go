package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

var (
	jpegBytes = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 0xFF, 0xD9}
	pngBytes  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0}
)

func packet(version uint16, target string, args ...any) []byte {
	p := &amf.Packet{Version: version, Messages: []amf.Message{{Target: target, Response: "/1", Value: args}}}
	b, err := amf.MarshalPacket(p)
	if err != nil {
		panic(err)
	}
	return b
}

// callGW posts a packet to the gateway and returns the first reply body.
func callGW(t *testing.T, g *Gateway, body []byte) amf.Message {
	t.Helper()
	rec := post(t, g, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	p, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("reply does not decode: %v", err)
	}
	if len(p.Messages) == 0 {
		t.Fatal("reply has no bodies")
	}
	return p.Messages[0]
}

func faultCode(t *testing.T, m amf.Message) string {
	t.Helper()
	if !strings.HasSuffix(m.Target, "/onStatus") {
		t.Fatalf("reply %s, want a fault", m.Target)
	}
	o, _ := amf.Unwrap(m.Value).(*amf.Object)
	if o == nil {
		t.Fatalf("fault value %#v", m.Value)
	}
	if c := memberString(o, "faultCode"); c != "" {
		return c
	}
	return memberString(o, "code")
}

func TestSaveSnapshotChecks(t *testing.T) {
	g := newTestGateway(t, Options{MaxUpload: 100})
	tests := []struct {
		name string
		args []any
		code string
	}{
		{"jpg", []any{&amf.ByteArray{Data: jpegBytes}, "jpg"}, ""},
		{"jpeg alias", []any{&amf.ByteArray{Data: jpegBytes}, "JPEG"}, ""},
		{"png", []any{&amf.ByteArray{Data: pngBytes}, "png"}, ""},
		{"gif refused", []any{&amf.ByteArray{Data: []byte("GIF89a")}, "gif"}, "Snapshot.UnsupportedType"},
		{"png that is a jpeg", []any{&amf.ByteArray{Data: jpegBytes}, "png"}, "Snapshot.ContentMismatch"},
		{"empty", []any{&amf.ByteArray{}, "jpg"}, "Snapshot.ContentMismatch"},
		{"one argument", []any{&amf.ByteArray{Data: jpegBytes}}, "TypeError"},
		{"string not bytes", []any{"abc", "jpg"}, "TypeError"},
		{"number type", []any{&amf.ByteArray{Data: jpegBytes}, 1.0}, "TypeError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, ver := range []uint16{0, 3} {
				m := callGW(t, g, packet(ver, "ByteArray.saveSnapshot", tc.args...))
				if tc.code != "" {
					if c := faultCode(t, m); c != tc.code {
						t.Fatalf("v%d: fault %s, want %s", ver, c, tc.code)
					}
					continue
				}
				if m.Target != "/1/onResult" {
					t.Fatalf("v%d: %s %#v", ver, m.Target, amf.Unwrap(m.Value))
				}
				o := amf.Unwrap(m.Value).(*amf.Object)
				name := memberString(o, "name")
				if !regexp.MustCompile(`^snapshot_[a-z0-9_]{8}\.(jpg|png)$`).MatchString(name) {
					t.Fatalf("name %q", name)
				}
				saved, err := os.ReadFile(filepath.Join(g.ImagesDir(), name))
				if err != nil || !bytes.Equal(saved, amf.Unwrap(tc.args[0]).(*amf.ByteArray).Data) {
					t.Fatalf("saved file: %v", err)
				}
			}
		})
	}
	// Only finished images are listed, never a partial upload.
	os.WriteFile(filepath.Join(g.ImagesDir(), ".snapshot_abcdefgh.jpg.part"), jpegBytes, 0o644)
	os.WriteFile(filepath.Join(g.ImagesDir(), "notes.txt"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(g.ImagesDir(), "dir.jpg"), 0o755)
	m := callGW(t, g, packet(0, "getSnapshots"))
	names := snapshotNames(&amf.Packet{Messages: []amf.Message{m}})
	if len(names) != 6 {
		t.Fatalf("listed %v, want the 6 saved images", names)
	}
}

func TestImagesRefuseEscapes(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.jpg"), jpegBytes, 0o644)
	g := newTestGateway(t, Options{})
	os.WriteFile(filepath.Join(g.ImagesDir(), "ok.jpg"), jpegBytes, 0o644)
	os.WriteFile(filepath.Join(g.ImagesDir(), ".hidden.jpg"), jpegBytes, 0o644)
	if err := os.Symlink(filepath.Join(outside, "secret.jpg"), filepath.Join(g.ImagesDir(), "link.jpg")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	for _, path := range []string{
		"/images/../captures_test.go",
		"/images/..%2fcaptures_test.go",
		"/images/%2e%2e/secret.jpg",
		"/images/.hidden.jpg",
		"/images/link.jpg",
		"/images/sub/ok.jpg",
		"/images/ok.jpg%00.png",
		"/images/",
		"/images/ok.txt",
	} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == 200 {
			t.Errorf("GET %s: 200 with %d bytes, want a refusal", path, len(body))
		}
	}
	res, err := http.Get(srv.URL + "/images/ok.jpg")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(body, jpegBytes) || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET ok.jpg: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res, err = http.Post(srv.URL+"/images/ok.jpg", "image/jpeg", bytes.NewReader(jpegBytes))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST image: %d, want 405", res.StatusCode)
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"snapshot_ab_cd123.jpg": true, "a.png": true, "A-b.jpeg": true,
		"": false, ".x.jpg": false, "a/b.jpg": false, `a\b.jpg`: false, "..jpg": false,
		"a..jpg": false, "x.gif": false, "x": false, "x.jpg\x00": false, "é.jpg": false,
		strings.Repeat("a", 125) + ".jpg": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestEcho(t *testing.T) {
	g := newTestGateway(t, Options{})
	tests := []struct {
		ver  uint16
		args []any
		want any
	}{
		{0, nil, nil},
		{0, []any{"hi"}, "hi"},
		{3, []any{amf.AVMPlus{Value: "hi"}}, amf.AVMPlus{Value: "hi"}},
		{0, []any{"a", 2.0}, &amf.Array{Dense: []any{"a", 2.0}}},
	}
	for _, tc := range tests {
		m := callGW(t, g, packet(tc.ver, "echo.echo", tc.args...))
		if m.Target != "/1/onResult" || m.Response != "null" {
			t.Fatalf("%v: target %q response %q", tc.args, m.Target, m.Response)
		}
		c := &comparer{seen: map[[2]any]bool{}}
		if err := c.equal(m.Value, tc.want, "", ""); err != nil {
			t.Errorf("echo %v: %v", tc.args, err)
		}
	}
	// A version 1 packet (Flash Media Server) is answered with version 0.
	rec := post(t, g, append([]byte{0, 1}, packet(0, "echo.echo", "x")[2:]...))
	if p, err := amf.UnmarshalPacket(rec.Body.Bytes()); err != nil || p.Version != 0 {
		t.Fatalf("version 1: %v %v", p, err)
	}
}

// TestReferenceReading: the same bytes, read Flash's way (the arguments
// array is reference 0) or PyAMF's way (User-Agent PyAMF/...).
func TestReferenceReading(t *testing.T) {
	g := newTestGateway(t, Options{})
	// echo.echo([{x: 1}, ref 1]): under Flash's numbering reference 1 is
	// the inner array itself; under PyAMF's it is the object. An argument
	// list that contains itself is no player's meaning, so the codec reads
	// PyAMF's way whatever the client (digest §1.4: Flash Player 9
	// requests to Red5 are numbered so too).
	body := []byte("\x00\x00\x00\x00\x00\x01\x00\x09echo.echo\x00\x02/1\x00\x00\x00\x00" +
		"\x0a\x00\x00\x00\x01\x0a\x00\x00\x00\x02\x03\x00\x01x\x00\x3f\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x09\x07\x00\x01")
	for _, ua := range []string{"Shockwave Flash", "PyAMF/0.9.1"} {
		req := newRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("User-Agent", ua)
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		p, err := amf.UnmarshalPacket(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v (%s)", ua, err, w.Body.String())
		}
		arr := amf.Unwrap(p.Messages[0].Value).(*amf.Array)
		if second := arr.Dense[1]; second != arr.Dense[0] {
			t.Errorf("%s: second element %#v, want the object", ua, second)
		}
	}
}

func TestSecure(t *testing.T) {
	creds := func(user, pass string) amf.Header {
		return amf.Header{Name: "Credentials", MustUnderstand: true, Value: &amf.Object{Members: []amf.Member{{Name: "userid", Value: user}, {Name: "password", Value: pass}}}}
	}
	withHeader := func(h amf.Header, target string) []byte {
		b, _ := amf.MarshalPacket(&amf.Packet{Headers: []amf.Header{h}, Messages: []amf.Message{{Target: target, Response: "/1", Value: []any{}}}})
		return b
	}
	g := newTestGateway(t, Options{User: "alice", Password: "wonderland"})
	if m := callGW(t, g, withHeader(creds("alice", "wonderland"), "secure.whoami")); amf.Unwrap(m.Value) != "alice" {
		t.Fatalf("good credentials: %s %#v", m.Target, m.Value)
	}
	for _, h := range []amf.Header{creds("alice", "nope"), creds("bob", "wonderland"), creds("", "")} {
		if c := faultCode(t, callGW(t, g, withHeader(h, "secure.whoami"))); c != "AuthenticationError" {
			t.Fatalf("bad credentials: %s", c)
		}
	}
	// Other services need nothing.
	if m := callGW(t, g, packet(0, "echo.echo", "x")); m.Target != "/1/onResult" {
		t.Fatal(m.Target)
	}
	// An unknown must-understand header fails the call; an optional one
	// is ignored.
	if c := faultCode(t, callGW(t, g, withHeader(amf.Header{Name: "Frob", MustUnderstand: true, Value: 1.0}, "echo.echo"))); c != "Server.Header.NotUnderstood" {
		t.Fatal(c)
	}
	if m := callGW(t, g, withHeader(amf.Header{Name: "Frob", Value: 1.0}, "echo.echo")); m.Target != "/1/onResult" {
		t.Fatal(m.Target)
	}
	// Without --user, secure is open and whoami says who the header names.
	open := newTestGateway(t, Options{})
	if m := callGW(t, open, withHeader(creds("bob", "x"), "secure.whoami")); amf.Unwrap(m.Value) != "bob" {
		t.Fatalf("open gateway: %#v", m.Value)
	}
	if m := callGW(t, open, packet(0, "secure.whoami")); m.Value != nil {
		t.Fatalf("open gateway, no credentials: %#v", m.Value)
	}
}

func flexPacket(msgs ...*amf.Object) []byte {
	p := &amf.Packet{Version: 3}
	for i, m := range msgs {
		p.Messages = append(p.Messages, amf.Message{Target: "null", Response: fmt.Sprintf("/%d", i+1), Value: []any{amf.AVMPlus{Value: m}}})
	}
	b, err := amf.MarshalPacket(p)
	if err != nil {
		panic(err)
	}
	return b
}

func flexMsg(class string, dsid string, members ...amf.Member) *amf.Object {
	o := &amf.Object{Class: class, Members: []amf.Member{
		{Name: "clientId", Value: nil},
		{Name: "destination", Value: ""},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: dsid}}}},
		{Name: "messageId", Value: amf.NewFlexID()},
		{Name: "timestamp", Value: amf.Int(0)},
		{Name: "timeToLive", Value: amf.Int(0)},
	}}
	for _, m := range members {
		o.Set(m.Name, m.Value)
	}
	return o
}

func TestFlexLoginAndCalls(t *testing.T) {
	g := newTestGateway(t, Options{User: "alice", Password: "wonderland"})
	flex := func(msg *amf.Object) (*amf.Object, bool) {
		t.Helper()
		m := callGW(t, g, flexPacket(msg))
		o, _ := amf.Unwrap(m.Value).(*amf.Object)
		if o == nil {
			t.Fatalf("reply %#v", m.Value)
		}
		if memberString(o, "correlationId") != memberString(msg, "messageId") {
			t.Fatalf("correlationId %q, want %q", memberString(o, "correlationId"), memberString(msg, "messageId"))
		}
		return o, strings.HasSuffix(m.Target, "/onResult")
	}
	ack, ok := flex(flexMsg(amf.ClassCommandMessage, "nil", amf.Member{Name: "operation", Value: amf.Int(opPing)}, amf.Member{Name: "body", Value: &amf.Object{}}))
	dsid := headerString(ack, "DSId")
	if !ok || ack.Class != amf.ClassAcknowledgeMessage || member(ack, "body") != true || len(dsid) != 36 {
		t.Fatalf("ping: %v %s DSId %q", ok, ack.Class, dsid)
	}
	remoting := func(dsid, dest, op string, args ...any) *amf.Object {
		return flexMsg(amf.ClassRemotingMessage, dsid, amf.Member{Name: "destination", Value: dest}, amf.Member{Name: "operation", Value: op}, amf.Member{Name: "body", Value: args}, amf.Member{Name: "source", Value: nil})
	}
	if o, ok := flex(remoting(dsid, "secure", "whoami")); ok || memberString(o, "faultCode") != "AuthenticationError" || o.Class != amf.ClassErrorMessage {
		t.Fatalf("secure before login: %v %s", ok, memberString(o, "faultCode"))
	}
	login := func(dsid, creds string) (*amf.Object, bool) {
		return flex(flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opLogin)}, amf.Member{Name: "body", Value: creds}))
	}
	if o, ok := login(dsid, base64.StdEncoding.EncodeToString([]byte("alice:nope"))); ok || memberString(o, "faultCode") != "Client.Authentication" {
		t.Fatalf("bad login accepted")
	}
	if o, ok := login(dsid, base64.StdEncoding.EncodeToString([]byte("alice:wonderland"))); !ok || member(o, "body") != "success" {
		t.Fatalf("login: %v %#v", ok, member(o, "body"))
	}
	if o, ok := flex(remoting(dsid, "secure", "whoami")); !ok || member(o, "body") != "alice" || headerString(o, "DSId") != dsid {
		t.Fatalf("secure after login: %v %#v", ok, member(o, "body"))
	}
	if _, ok := flex(remoting(amf.NewFlexID(), "secure", "whoami")); ok {
		t.Fatal("another DSId is not logged in")
	}
	if _, ok := flex(flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opLogout)})); !ok {
		t.Fatal("logout")
	}
	if _, ok := flex(remoting(dsid, "secure", "whoami")); ok {
		t.Fatal("secure after logout")
	}
	if o, ok := flex(remoting(dsid, "", "getSnapshots")); !ok || len(amf.Unwrap(member(o, "body")).(*amf.Array).Dense) != 3 {
		t.Fatalf("getSnapshots over Flex: %v", ok)
	}
	if o, ok := flex(remoting(dsid, "nosuch", "x")); ok || memberString(o, "faultCode") != "Service.ResourceNotFound" {
		t.Fatal("unknown destination")
	}
	if o, ok := flex(flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(7)})); ok || memberString(o, "faultCode") != "Server.Processing" {
		t.Fatal("cluster request")
	}
	if _, ok := flex(flexMsg(amf.ClassAsyncMessage, dsid)); ok {
		t.Fatal("AsyncMessage without a destination")
	}
}

// TestHostileInput feeds the gateway every vector and every truncation of
// every recorded request: each answer is a 200 or a 400, never a crash.
func TestHostileInput(t *testing.T) {
	g := newTestGateway(t, Options{MaxUpload: 1 << 16})
	var inputs [][]byte
	vecs, _ := filepath.Glob("../../testdata/pyamf/vectors/*.amf*")
	reqs, _ := filepath.Glob(filepath.Join(capturesDir, "*.request.amf"))
	for _, f := range vecs {
		inputs = append(inputs, mustRead(t, f))
	}
	for _, f := range reqs {
		b := mustRead(t, f)
		if len(b) > 4096 {
			b = b[:4096]
		}
		for i := range b {
			inputs = append(inputs, b[:i])
			flipped := bytes.Clone(b)
			flipped[i] ^= 0xFF
			inputs = append(inputs, flipped)
		}
	}
	if len(inputs) < 1000 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for _, in := range inputs {
		for _, ua := range []string{"", "PyAMF/0.9.1"} {
			req := newRequest("POST", "/", bytes.NewReader(in))
			req.Header.Set("User-Agent", ua)
			w := httptest.NewRecorder()
			g.ServeHTTP(w, req)
			if w.Code != 200 && w.Code != 400 {
				t.Fatalf("input %x: status %d %s", in, w.Code, w.Body.String())
			}
			if w.Code == 200 {
				if _, err := amf.UnmarshalPacket(w.Body.Bytes()); err != nil {
					t.Fatalf("input %x: reply does not decode: %v", in, err)
				}
			}
		}
	}
}

func TestBodyLimit(t *testing.T) {
	g := newTestGateway(t, Options{MaxUpload: 1000})
	big := packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: make([]byte, requestOverhead+2000)}, "jpg")
	srv := httptest.NewServer(g)
	defer srv.Close()
	res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 413 || !strings.Contains(string(text), "the upload limit of 1000 bytes") || strings.Contains(string(text), "--") {
		t.Fatalf("declared length: %d %s", res.StatusCode, text)
	}
	// The same without a Content-Length (chunked).
	res, err = http.Post(srv.URL, "application/x-amf", io.MultiReader(bytes.NewReader(big)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("chunked: %d", res.StatusCode)
	}
}

// TestConcurrentClients runs uploads, listings and downloads from many
// goroutines over real loopback HTTP.
func TestConcurrentClients(t *testing.T) {
	g := newTestGateway(t, Options{})
	srv := httptest.NewServer(g)
	defer srv.Close()
	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				img := append(bytes.Clone(jpegBytes), byte(w), byte(i))
				res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(packet(3, "ByteArray.saveSnapshot", &amf.ByteArray{Data: img}, "jpg")))
				if err != nil {
					errs <- err
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				p, err := amf.UnmarshalPacket(body)
				if err != nil {
					errs <- err
					return
				}
				o, _ := amf.Unwrap(p.Messages[0].Value).(*amf.Object)
				url := memberString(o, "url")
				res, err = http.Get(url)
				if err != nil {
					errs <- err
					return
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if !bytes.Equal(got, img) {
					errs <- fmt.Errorf("%s: got other bytes", url)
					return
				}
				if _, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(packet(0, "getSnapshots"))); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	names, err := g.listImages()
	if err != nil || len(names) != workers*rounds {
		t.Fatalf("%d images saved (%v), want %d", len(names), err, workers*rounds)
	}
}

func TestServeShutsDown(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{Log: &logBuf})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String() + "/"
	res, err := http.Post(url, "application/x-amf", bytes.NewReader(packet(0, "echo.fail", "boom")))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Post(url, "application/x-amf", bytes.NewReader(packet(0, "echo.echo"))); err == nil {
		t.Fatal("gateway still answers after shutdown")
	}
	line := logBuf.String()
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} 127\.0\.0\.1:\d+ echo\.fail /1 -> onStatus Echo\.Failure: boom [\d.]+(ms|s)\n$`).MatchString(line) {
		t.Fatalf("log line %q", line)
	}
}

func TestVerboseLog(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{Log: &logBuf, Verbose: true})
	big := append(bytes.Clone(jpegBytes), make([]byte, 10000)...)
	p := &amf.Packet{Version: 3, Headers: []amf.Header{{Name: "Credentials", Value: &amf.Object{Members: []amf.Member{{Name: "userid", Value: "alice"}, {Name: "password", Value: "wonderland"}}}}},
		Messages: []amf.Message{{Target: "ByteArray.saveSnapshot", Response: "/1", Value: []any{&amf.ByteArray{Data: big}, "jpg"}}}}
	body, _ := amf.MarshalPacket(p)
	callGW(t, g, body)
	out := logBuf.String()
	if strings.Contains(out, "wonderland") || !strings.Contains(out, `"password":"***"`) {
		t.Errorf("the password is not masked:\n%.600s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want request, call and reply lines, got:\n%s", out)
	}
	if !strings.Contains(lines[0], "request packet (ByteArrays over 4096 bytes cut to their first 64): {") ||
		!strings.Contains(lines[0], `"ByteArray.saveSnapshot"`) || len(lines[0]) > 2000 {
		t.Errorf("request line: %.300s", lines[0])
	}
	if !strings.Contains(lines[1], " ByteArray.saveSnapshot /1 -> onResult ") {
		t.Errorf("call line: %.300s", lines[1])
	}
	if !strings.Contains(lines[2], "reply packet: {") || !strings.Contains(lines[2], "/1/onResult") {
		t.Errorf("reply line: %.300s", lines[2])
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("no images folder accepted")
	}
	_, err := New(Options{ImagesDir: t.TempDir(), MaxUpload: MaxByteArray + 1})
	if err == nil || !strings.Contains(err.Error(), "268435455") {
		t.Errorf("over-limit upload size: %v", err)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := New(Options{ImagesDir: file}); err == nil {
		t.Error("a file as images folder accepted")
	}
}
