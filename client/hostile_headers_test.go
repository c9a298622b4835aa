package client

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// manyHeaders is a RequestPersistentHeader value in PyAMF's map form
// naming n headers: more than a packet holds when n > 65,535.
func manyHeaders(n int, value any) *amf.Object {
	o := &amf.Object{Members: make([]amf.Member, n)}
	for i := range o.Members {
		o.Members[i] = amf.Member{Name: fmt.Sprintf("h%06d", i), Value: value}
	}
	return o
}

// A hostile gateway asks for 70,000 headers to be sent with every
// request. Before, each was looked up among the others (70,000 of them
// took about 20 s, 80,000 in a 720 KB reply 26 s), -v printed a line for
// each, and the next request failed to encode (more than 65,535
// headers), as did every request of a session saved from it. Now the
// first MaxServerHeaders are kept, one warning says how many were not,
// and the calls after it go on.
func TestPersistentHeadersBounded(t *testing.T) {
	const n = 70000
	ss := &scriptedServer{replies: [][]amf.Header{
		{{Name: "RequestPersistentHeader", Value: manyHeaders(n, true)}},
		// then a hostile gateway toggles them: set, removed, set...
		{
			{Name: "RequestPersistentHeader", Value: manyHeaders(n, nil)},
			{Name: "RequestPersistentHeader", Value: manyHeaders(n, "again")},
		},
	}}
	srv := server(t, ss.ServeHTTP)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	c.SetHeader("Mine", false, "m")
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Call(ctx, "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if len(ss.got) != 3 {
		t.Fatalf("the gateway got %d requests, want 3", len(ss.got))
	}
	for i, want := range []int{1, 1 + MaxServerHeaders, 1 + MaxServerHeaders} {
		if got := len(ss.got[i].headers); got != want {
			t.Errorf("request %d has %d headers, want %d", i+1, got, want)
		}
	}
	if v := headerValue(ss.got[2].headers, "h000063"); v != "again" {
		t.Errorf("h000063 = %#v, want \"again\"", v)
	}
	if v := headerValue(ss.got[2].headers, "h000064"); v != "<absent>" {
		t.Errorf("h000064 = %#v, want it absent", v)
	}
	warned := 0
	for _, w := range rec.warns {
		if strings.Contains(w, "ignored") && strings.Contains(w, "RequestPersistentHeader") {
			warned++
			if !strings.Contains(w, fmt.Sprint(n-MaxServerHeaders)) || !strings.Contains(w, `"h000064"`) {
				t.Errorf("warning %q: want the count %d and the first name ignored", w, n-MaxServerHeaders)
			}
		}
	}
	if warned != 2 { // one for each reply that asked for too many
		t.Errorf("%d warnings of ignored headers, want 2:\n%s", warned, strings.Join(rec.warns, "\n"))
	}
	// 3 × 70,000 changes asked for: a bounded number of lines.
	if len(rec.notices) > 3*(MaxServerHeaders+2)+10 {
		t.Errorf("%d notices for the gateway's headers; want at most %d a reply", len(rec.notices), MaxServerHeaders+2)
	}

	// The session saved from it holds what is sent, and loads as it was.
	data, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	c2 := newClient(t, srv.URL+"/gw", Config{})
	if err := c2.LoadSession(data); err != nil {
		t.Fatal(err)
	}
	if got := len(c2.Headers()); got != MaxServerHeaders {
		t.Errorf("the loaded session sends %d headers, want %d", got, MaxServerHeaders)
	}
}

// A session file holding more headers than MaxServerHeaders (saved by an
// older amfcall from such a gateway, or edited) loads the first of them,
// with a warning, and its next request encodes: before, 70,000 headers
// took about 30 s to load, then every call failed with "more than 65535
// headers or messages" (exit 4) until the file was deleted.
func TestLoadSessionManyHeaders(t *testing.T) {
	const n = 70000
	ss := &scriptedServer{}
	srv := server(t, ss.ServeHTTP)
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"version":%d,"gateway":%q,"headers":[`, sessionVersion, srv.URL+"/gw")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"h%06d","mustUnderstand":false,"value":true}`, i)
	}
	b.WriteString(`],"cookies":[]}`)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	if err := c.LoadSession(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatalf("call with the loaded session: %v", err)
	}
	if len(ss.got) != 1 || len(ss.got[0].headers) != MaxServerHeaders {
		t.Fatalf("the gateway got %d requests; want 1 with %d headers", len(ss.got), MaxServerHeaders)
	}
	if w := strings.Join(rec.warns, "\n"); !strings.Contains(w, fmt.Sprintf("holds %d headers", n)) || !strings.Contains(w, fmt.Sprintf("%d are left out", n-MaxServerHeaders)) {
		t.Errorf("warnings %q: want the count of headers left out", w)
	}
}
