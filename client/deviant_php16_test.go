package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// replyBytes encodes p, then sets its message count to mc.
func replyBytes(t testing.TB, p *amf.Packet, mc int) []byte {
	t.Helper()
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Headers) > 0 {
		t.Fatal("replyBytes: no headers")
	}
	b[4], b[5] = byte(mc>>8), byte(mc)
	return b
}

// TestRecountBounds: a reply that counts 1 body and holds 70,000 is
// read up to the 65,535 a count can say (the rest is text after the
// packet); a count of 0 after which comes text, not a body, is no count
// to make right.
func TestRecountBounds(t *testing.T) {
	t.Parallel()
	ms := make([]amf.Message, 70000)
	for i := range ms {
		ms[i] = amf.Message{Target: "/1/onResult", Response: "", Value: nil}
	}
	b, err := amf.MarshalPacket(&amf.Packet{Messages: ms[:MaxBatch]})
	if err != nil {
		t.Fatal(err)
	}
	b[4], b[5] = 0, 1
	rest, _ := amf.MarshalPacket(&amf.Packet{Messages: ms[:70000-MaxBatch]})
	b = append(b, rest[6:]...)
	rec := &recorder{}
	c := newClient(t, "http://127.0.0.1:1/", Config{Events: rec})
	p, err := c.unmarshalReply(b)
	if err != nil || len(p.Messages) != MaxBatch {
		t.Fatalf("%d messages, %v", len(p.Messages), err)
	}
	if len(rec.warns) != 2 || !strings.Contains(rec.warns[0], "counts 1 body (its message count, at byte 4) but 70000 follow: the first 65535, the most a packet counts, are read") || // left17: the number held
		!strings.Contains(rec.warns[1], "after its AMF packet") {
		t.Errorf("warnings %q", rec.warns)
	}

	// A packet of no body, then text: as before, the text is said.
	rec.warns = nil
	b = append(replyBytes(t, &amf.Packet{}, 0), "\n?>\n"...)
	if p, err := c.unmarshalReply(b); err != nil || len(p.Messages) != 0 {
		t.Fatalf("%v, %v", p, err)
	}
	if len(rec.warns) != 1 || !strings.Contains(rec.warns[0], "4 bytes after its AMF packet") {
		t.Errorf("warnings %q", rec.warns)
	}
}

// TestRecountSaidOnce: a gateway whose every reply has the same wrong
// count is warned about once.
func TestRecountSaidOnce(t *testing.T) {
	t.Parallel()
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(b)
		if err != nil || len(req.Messages) != 1 {
			http.Error(w, "bad", 400)
			return
		}
		reply := replyBytes(t, &amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onResult", Response: "null", Value: "a"}}}, 2)
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	rec := &recorder{}
	c := newClient(t, s.URL, Config{Events: rec})
	for range 3 {
		v, err := c.Call(context.Background(), "svc.m", nil)
		if err != nil || v != "a" {
			t.Fatalf("%v, %v", v, err)
		}
	}
	if len(rec.warns) != 1 {
		t.Errorf("warnings %q", rec.warns)
	}
}

// TestStrayBodies: bodies that name no call are taken only where they
// can answer one call alone, or refuse all; a reply of many such bodies
// gives one warning of each kind.
func TestStrayBodies(t *testing.T) {
	t.Parallel()
	calls := []Call{{Target: "a.one"}, {Target: "a.two"}}
	for _, tc := range []struct {
		name   string
		bodies []amf.Message
		want   [2]string // each call's result, or "fault CODE", or "none"
		warns  []string
	}{
		{"two strays, two calls", []amf.Message{{Target: "", Value: "x"}, {Target: "null", Value: "y"}}, [2]string{"none", "none"},
			[]string{`the reply has a body "" that answers no call (and 1 more such bodies)`}},
		{"one stray, one call left", []amf.Message{{Target: "/2/onResult", Value: "b"}, {Target: "/onResult", Value: "a"}}, [2]string{"a", "b"},
			[]string{`the reply's body "/onResult" names no call: read as the answer to a.one (/1)`}},
		{"a fault for the rest", []amf.Message{{Target: "/1/onResult", Value: "a"}, {Target: "onStatus", Value: &amf.Object{Members: []amf.Member{{Name: "code", Value: "E"}}}}},
			[2]string{"a", "fault E"}, []string{`the reply's body "onStatus" names no call: read as the fault answering a.two (/2)`}},
		{"two faults, no call", []amf.Message{{Target: "/onStatus", Value: "x"}, {Target: "/onStatus", Value: "y"}}, [2]string{"none", "none"},
			[]string{`the reply has a body "/onStatus" that answers no call (and 1 more such bodies)`}},
		{"debug with no call", []amf.Message{{Target: "/onDebugEvents", Value: nil}, {Target: "/1/onResult", Value: "a"}, {Target: "/2/onResult", Value: "b"}}, [2]string{"a", "b"},
			[]string{`the reply has a body "/onDebugEvents" that answers no call`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.bodies {
				tc.bodies[i].Response = "null"
			}
			b, _ := amf.MarshalPacket(&amf.Packet{Messages: tc.bodies})
			s := server(t, amfHandler(b))
			rec := &recorder{}
			c := newClient(t, s.URL, Config{Events: rec})
			rs, err := c.Batch(context.Background(), calls)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rs {
				got := "none"
				var f *Fault
				switch {
				case r.Err == nil:
					got, _ = r.Value.(string)
				case errors.As(r.Err, &f):
					got = "fault " + f.Code
				case !errors.Is(r.Err, ErrNoReply):
					got = r.Err.Error()
				}
				if got != tc.want[i] {
					t.Errorf("call %d: %q, want %q", i+1, got, tc.want[i])
				}
			}
			if len(rec.warns) != len(tc.warns) {
				t.Fatalf("warnings %q, want %q", rec.warns, tc.warns)
			}
			for i, w := range tc.warns {
				if !strings.Contains(rec.warns[i], w) {
					t.Errorf("warning %q, want %q", rec.warns[i], w)
				}
			}
		})
	}
}

// FuzzRecount: any reply is read (made right or not) without a panic;
// a packet that decodes as it is is not recounted; one recounted has
// the bodies its count now says.
func FuzzRecount(f *testing.F) {
	one, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	two, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}, {Target: "/2/onStatus", Response: "", Value: 1.0}}})
	hdr, _ := amf.MarshalPacket(&amf.Packet{Headers: []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x=1"}}, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	f.Add(one)
	f.Add(append(bytes.Clone(two[:5]), append([]byte{1}, two[6:]...)...))
	f.Add(append(bytes.Clone(one[:5]), append([]byte{3}, one[6:]...)...))
	f.Add(append(append(bytes.Clone(hdr[:3]), 0), hdr[4:]...))
	f.Add(append([]byte("<b>Notice</b>\n"), two[:len(two)-9]...))
	c, err := New("http://127.0.0.1:1/", Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, plain := amf.UnmarshalPacket(data)
		fixed, msg := c.recount(data, 0)
		if fixed == nil {
			return
		}
		if plain == nil {
			t.Fatalf("recount of a packet that decodes: %q", msg)
		}
		if len(fixed) != len(data) {
			t.Fatalf("recount changed the length: %d, %d", len(fixed), len(data))
		}
		if p, _, err := c.decodeThenText(fixed); err == nil {
			r := amf.NewReader(fixed, amf.AMF0)
			r.UncheckedCounts = true
			if _, h, err := r.ReadPacketStart(); err != nil || h != len(p.Headers) {
				t.Fatalf("header count %d, %d headers (%v)", h, len(p.Headers), err)
			}
		}
		_, _, _ = c.findPacket(append([]byte("x"), data...))
	})
}

// TestRecountValueBound: the bodies a wrong count left out are bounded
// as the others are (what their values take once decoded): a reply that
// counts 1 body and holds a second of 900,000 nulls (some 20 MB of
// values from 900 KB) under a bound of 1 MiB keeps it out, as text
// after the packet, rather than decode it.
func TestRecountValueBound(t *testing.T) {
	t.Parallel()
	b := replyBytes(t, &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}}, 1)
	nulls := 900000
	b = append(b, 0, 11)
	b = append(b, "/2/onResult"...)
	b = append(b, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A, byte(nulls>>24), byte(nulls>>16), byte(nulls>>8), byte(nulls))
	b = append(b, bytes.Repeat([]byte{0x05}, nulls)...)
	rec := &recorder{}
	c := newClient(t, "http://127.0.0.1:1/", Config{Events: rec, MaxResponseSize: 1 << 20})
	p, err := c.unmarshalReply(b)
	if err != nil || len(p.Messages) != 1 {
		t.Fatalf("%v; %d messages", err, len(p.Messages))
	}
	if len(rec.warns) != 1 || !strings.Contains(rec.warns[0], "after its AMF packet") {
		t.Errorf("warnings %q", rec.warns)
	}
	// Bounded higher, it is read.
	c = newClient(t, "http://127.0.0.1:1/", Config{MaxResponseSize: 64 << 20})
	if p, err = c.unmarshalReply(b); err != nil || len(p.Messages) != 2 {
		t.Fatalf("%v; %d messages", err, len(p.Messages))
	}
}
