package client

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

func newClient(t testing.TB, url string, cfg Config) *Client {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	c, err := New(url, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// jsonArgs turns JSON texts into arguments the way the command line does.
func jsonArgs(t testing.TB, texts ...string) []any {
	t.Helper()
	out := make([]any, len(texts))
	for i, s := range texts {
		v, err := convert.FromJSON([]byte(s))
		if err != nil {
			t.Fatalf("FromJSON(%s): %v", s, err)
		}
		out[i] = v
	}
	return out
}

// viaTypedJSON passes values through the typed JSON form and back, as a
// user who copies -v output into arguments does.
func viaTypedJSON(t testing.TB, vs []any) []any {
	t.Helper()
	out := make([]any, len(vs))
	for i, v := range vs {
		js, err := convert.AppendValue(nil, amf.Unwrap(v), &convert.Options{Typed: true})
		if err != nil {
			t.Fatal(err)
		}
		out[i], err = convert.FromJSON(js)
		if err != nil {
			t.Fatalf("FromJSON(%.200s): %v", js, err)
		}
	}
	return out
}

func captureArgs(t testing.TB, name string) []any {
	t.Helper()
	p := mustPacket(t, loadCapture(t, name).request)
	return p.Messages[0].Value.(*amf.Array).Dense
}

// checkRequest checks that the last request decodes to the captured one;
// exact also wants the same bytes.
func checkRequest(t *testing.T, rs *replayServer, name string, exact bool) {
	t.Helper()
	got := rs.last(t).body
	want := loadCapture(t, name).request
	if err := samePacket(mustPacket(t, got), mustPacket(t, want)); err != nil {
		t.Errorf("request differs from capture %s: %v", name, err)
	}
	if exact && !bytes.Equal(got, want) {
		t.Errorf("request bytes differ from capture %s:\n got %x\nwant %x", name, got, want)
	}
}

func wantFault(t *testing.T, err error, code, desc string) *Fault {
	t.Helper()
	var f *Fault
	if !errors.As(err, &f) {
		t.Fatalf("err = %v (%T), want a *Fault", err, err)
	}
	if f.Code != code || f.Description != desc || f.Level != "error" {
		t.Errorf("fault = %q %q level %q, want %q %q level error", f.Code, f.Description, f.Level, code, desc)
	}
	return f
}

func TestReplayGetSnapshots(t *testing.T) {
	rs := newReplayServer(t)
	c := newClient(t, rs.URL+"/gateway", Config{})
	res, err := c.Call(context.Background(), "getSnapshots", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, rs, "getSnapshots_strict", true)
	if want := captureResult(t, "getSnapshots_strict", 0); !sameValue(res, want) {
		t.Errorf("result = %#v, want %#v", res, want)
	}
	g := rs.last(t)
	if ct := g.header.Get("Content-Type"); ct != "application/x-amf" {
		t.Errorf("Content-Type = %q", ct)
	}
	if ua := g.header.Get("User-Agent"); ua != "amfcall/"+Version {
		t.Errorf("User-Agent = %q", ua)
	}
	if g.uri != "/gateway" {
		t.Errorf("request URI = %q", g.uri)
	}
}

func TestReplayFaults(t *testing.T) {
	rs := newReplayServer(t)
	ctx := context.Background()
	tests := []struct {
		capture, target string
		args            []string
		code, desc      string
	}{
		{"fail", "echo.fail", []string{`"boom"`}, "Echo.Failure", "boom"},
		{"unknown_service", "nosuch.method", nil, "Service.ResourceNotFound", "Unknown service nosuch.method"},
		{"secure_nocreds", "secure.whoami", nil, "AuthenticationError", "Authentication failed"},
	}
	for _, tc := range tests {
		t.Run(tc.capture, func(t *testing.T) {
			c := newClient(t, rs.URL, Config{})
			res, err := c.Call(ctx, tc.target, jsonArgs(t, tc.args...))
			f := wantFault(t, err, tc.code, tc.desc)
			if res != nil {
				t.Errorf("result = %#v with a fault", res)
			}
			if f.Target != tc.target || f.Response != "/1" {
				t.Errorf("fault names %q %q", f.Target, f.Response)
			}
			if want := captureResult(t, tc.capture, 0); !sameValue(f.Value, want) {
				t.Errorf("fault value = %#v, want %#v", f.Value, want)
			}
			checkRequest(t, rs, tc.capture, true)
		})
	}
}

func TestReplayCredentials(t *testing.T) {
	rs := newReplayServer(t)
	c := newClient(t, rs.URL, Config{})
	c.SetCredentials("alice", "wonderland")
	res, err := c.Call(context.Background(), "secure.whoami", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != "alice" {
		t.Errorf("result = %#v", res)
	}
	// Same bytes as PyAMF's setCredentials: must-understand, userid first.
	checkRequest(t, rs, "credentials", true)
}

func TestReplayBatch(t *testing.T) {
	rs := newReplayServer(t)
	c := newClient(t, rs.URL, Config{})
	rs2, err := c.Batch(context.Background(), []Call{
		{Target: "echo.echo", Args: jsonArgs(t, `"first"`)},
		{Target: "echo.fail", Args: jsonArgs(t, `"second"`)},
		{Target: "getSnapshots"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, rs, "batch", true)
	if rs2[0].Err != nil || rs2[0].Value != "first" || rs2[0].Response != "/1" {
		t.Errorf("result 1 = %+v", rs2[0])
	}
	wantFault(t, rs2[1].Err, "Echo.Failure", "second")
	if rs2[2].Err != nil || !sameValue(rs2[2].Value, captureResult(t, "batch", 2)) {
		t.Errorf("result 3 = %+v", rs2[2])
	}
	// The next packet continues the numbering.
	p := c.BuildPacket([]Call{{Target: "x"}})
	if p.Messages[0].Response != "/4" {
		t.Errorf("next response URI = %q, want /4", p.Messages[0].Response)
	}
}

func TestReplayEchoRich(t *testing.T) {
	rs := newReplayServer(t)
	for _, tc := range []struct {
		name string
		amf3 bool
	}{{"echo_amf0_rich", false}, {"echo_amf3_rich", true}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, rs.URL, Config{AMF3: tc.amf3})
			args := viaTypedJSON(t, captureArgs(t, tc.name))
			res, err := c.Call(context.Background(), "echo.echo", args)
			if err != nil {
				t.Fatal(err)
			}
			checkRequest(t, rs, tc.name, false)
			if want := captureResult(t, tc.name, 0); !sameValue(res, want) {
				t.Errorf("result differs from the capture")
			}
		})
	}
}

func TestReplaySaveSnapshotAMF3(t *testing.T) {
	rs := newReplayServer(t)
	jpg, err := os.ReadFile(filepath.Join(capturesDir, "tiny.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, rs.URL, Config{AMF3: true})
	res, err := c.Call(context.Background(), "ByteArray.saveSnapshot", []any{&amf.ByteArray{Data: jpg}, "jpg"})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, rs, "saveSnapshot_amf3", true)
	o, ok := res.(*amf.Object)
	if !ok {
		t.Fatalf("result = %#v", res)
	}
	if name, _ := o.Get("name"); name != "snapshot_8c_t_nje.jpg" {
		t.Errorf("name = %#v", name)
	}
}

func TestReplayFlex(t *testing.T) {
	rs := newReplayServer(t)
	ctx := context.Background()
	c := newClient(t, rs.URL, Config{Flex: true})
	res, err := c.Call(ctx, "echo.echo", jsonArgs(t, `[1, "two"]`))
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonArgs(t, `[1, "two"]`)[0]; !sameValue(res, want) {
		t.Errorf("result = %#v, want %#v", res, want)
	}
	// First the ping, then the call with the DSId the ping's
	// acknowledgement gave: the captured call but for the random message
	// id, the DSId and the response number.
	rs.mu.Lock()
	got := append([]gotRequest(nil), rs.got...)
	rs.mu.Unlock()
	if len(got) != 2 || !strings.HasSuffix(got[0].key, ":5") {
		t.Fatalf("requests %d, first %q; want a ping then the call", len(got), got[0].key)
	}
	call := mustPacket(t, got[1].body)
	want := mustPacket(t, loadCapture(t, "flex_remoting").request)
	gm := amf.Unwrap(call.Messages[0].Value.(*amf.Array).Dense[0]).(*amf.Object)
	wm := amf.Unwrap(want.Messages[0].Value.(*amf.Array).Dense[0]).(*amf.Object)
	id, _ := gm.Get("messageId")
	if s, _ := id.(string); len(s) != 36 || strings.ToUpper(s) != s {
		t.Errorf("messageId = %#v, want an upper-case UUID", id)
	}
	wid, _ := wm.Get("messageId")
	gm.Set("messageId", wid)
	wh, _ := wm.Get("headers")
	wh.(*amf.Object).Set("DSId", "a6a7307d-9aea-4fb3-aec8-af0eb0386b12") // from the ping's reply
	want.Messages[0].Response = "/2"
	if err := samePacket(call, want); err != nil {
		t.Errorf("request differs from capture: %v", err)
	}
	// The server's DSId is sent from now on.
	p := c.BuildPacket([]Call{{Target: "echo.echo"}})
	m := amf.Unwrap(p.Messages[0].Value.(*amf.Array).Dense[0]).(*amf.Object)
	h, _ := m.Get("headers")
	if dsid, _ := h.(*amf.Object).Get("DSId"); dsid != "ecf0c4b9-c8af-43f0-802d-b7e5e4559676" {
		t.Errorf("DSId = %#v", dsid)
	}

	c = newClient(t, rs.URL, Config{Flex: true})
	_, err = c.Call(ctx, "echo.fail", jsonArgs(t, `"flex boom"`))
	f := wantFault(t, err, "Echo.Failure", "flex boom")
	if f.Type != amf.ClassErrorMessage {
		t.Errorf("fault type = %q", f.Type)
	}
}

func TestGarbageRequest(t *testing.T) {
	rs := newReplayServer(t)
	c := newClient(t, rs.URL, Config{})
	garbage := loadCapture(t, "garbage").request
	_, err := c.PostStream(context.Background(), bytes.NewReader(garbage), int64(len(garbage)))
	var he *HTTPError
	if !errors.As(err, &he) || !errors.Is(err, ErrStatus) {
		t.Fatalf("err = %v", err)
	}
	if he.Status != "400 Bad Request" || !strings.Contains(he.Snippet, "unable to be successfully decoded") {
		t.Errorf("status %q snippet %q", he.Status, he.Snippet)
	}
}

// TestFaultTextEscaped: a gateway's fault text cannot put control
// characters on the terminal.
func TestFaultTextEscaped(t *testing.T) {
	f := &Fault{Code: "X\x1b", Description: "a\x1b[2Jb\u009bc\u202ed\nnext"}
	if got, want := f.Error(), `X\x1b: a\x1b[2Jb\u009bc\u202ed next`; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
