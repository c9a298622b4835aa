package client

import (
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestRecountCopiesOnce: making a reply's message count right copies
// the reply once. recountHeaders copied every reply it looked at (to
// read its headers under a count of 65535), whether or not its header
// count was wrong: a 60 MB reply counted 1 body took 60 MB more at its
// peak (amfcall call's peak RSS 266 MB, now 206 MB). Not parallel: it
// weighs what the heap gave.
func TestRecountCopiesOnce(t *testing.T) {
	ms := make([]amf.Message, 2000)
	for i := range ms {
		ms[i] = amf.Message{Target: "/1/onResult", Response: "null", Value: strings.Repeat("x", 1000)}
	}
	b := replyBytes(t, &amf.Packet{Messages: ms}, 1)
	c := newClient(t, "http://127.0.0.1:1/", Config{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fixed, msg := c.recount(b, 0)
	runtime.ReadMemStats(&after)
	if fixed == nil || !strings.Contains(msg, "2000 follow") {
		t.Fatalf("not recounted: %q", msg)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(len(b))*3/2 {
		t.Errorf("recount of %d bytes allocated %d", len(b), got)
	}
}

// TestRecountSaysWhenCapped: the count warning says "or more" only
// when a reply body follows the 65,535th (the most a count says), not
// for text after exactly that many.
func TestRecountSaysWhenCapped(t *testing.T) {
	t.Parallel()
	ms := make([]amf.Message, MaxBatch)
	for i := range ms {
		ms[i] = amf.Message{Target: "/1/onResult", Response: "", Value: nil}
	}
	b := append(replyBytes(t, &amf.Packet{Messages: ms}, 1), "?>"...)
	c := newClient(t, "http://127.0.0.1:1/", Config{})
	if _, msg := c.recount(b, 0); !strings.HasSuffix(msg, "but 65535 follow: all are read") {
		t.Errorf("warning %q", msg)
	}
}
