package client

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// endlessAMF answers every request with an application/x-amf body that
// never ends (until the client hangs up).
func endlessAMF(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", ContentType)
	buf := make([]byte, 32<<10)
	for {
		if _, err := w.Write(buf); err != nil {
			return
		}
	}
}

// allocatedBy returns the bytes the process allocated while f ran.
func allocatedBy(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// An endless reply stops at the limit with "reply too large", having
// cost about 1.25 times the limit (io.ReadAll of a LimitReader: 2.7).
func TestEndlessReplyMemory(t *testing.T) {
	const limit = 16 << 20
	s := server(t, endlessAMF)
	c := newClient(t, s.URL, Config{MaxResponseSize: limit})
	var err error
	a := allocatedBy(func() { _, err = c.Call(context.Background(), "svc.m", nil) })
	wantHTTPError(t, err, ErrTooLarge, "limit is 16777216 bytes")
	if a > limit*3/2 {
		t.Errorf("%d bytes allocated for a limit of %d", a, limit)
	}
}

// A reply of exactly the limit is read, with or without its length, and
// with its length costs little more than its size.
func TestReplyAtLimit(t *testing.T) {
	value := strings.Repeat("x", 3<<20)
	body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: value}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, withLength := range []bool{true, false} {
		s := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ContentType)
			if withLength {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			for b := body; len(b) > 0; {
				k := min(len(b), 100<<10)
				w.Write(b[:k])
				w.(http.Flusher).Flush()
				b = b[k:]
			}
		})
		c := newClient(t, s.URL, Config{MaxResponseSize: int64(len(body))})
		var res any
		a := allocatedBy(func() { res, err = c.Call(context.Background(), "svc.m", nil) })
		if err != nil || res != value {
			t.Fatalf("with length %v: %v", withLength, err)
		}
		// The body, the string made of it, and the rest.
		if withLength && a > uint64(2*len(body)+1<<20) {
			t.Errorf("with its length: %d bytes allocated for a reply of %d", a, len(body))
		}
		// One byte less is too large.
		c = newClient(t, s.URL, Config{MaxResponseSize: int64(len(body) - 1)})
		_, err = c.Call(context.Background(), "svc.m", nil)
		wantHTTPError(t, err, ErrTooLarge)
	}
}

// A body cut short of its Content-Length is a connection error, as it
// was, not a shorter packet.
func TestReplyShortOfLength(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", "100000")
		w.Write(make([]byte, 5000))
	})
	_, err := call(t, s.URL, Config{})
	wantHTTPError(t, err, ErrConnection, "reading the reply (after 5000 bytes)")
}

// A share lets one large reply be held at a time: a second waits, and
// gives up with its request's context.
func TestReplyShareLarge(t *testing.T) {
	s := NewReplyShare(1 << 20)
	ctx := context.Background()
	small, err := s.hold(ctx, 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer small()
	release, err := s.hold(ctx, 2<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.hold(done, 2<<20, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a second large reply while one is held: %v", err)
	}
	release()
	// Once the first is done, the next large one goes.
	again, err := s.hold(ctx, 2<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	again()
}

// Clients sharing a ReplyShare against an endless reply: every request
// ends in "reply too large", and together they allocate about what one
// client's share and one large reply take, not N times the limit.
func TestReplyShareEndless(t *testing.T) {
	const limit, n = 8 << 20, 8
	srv := server(t, endlessAMF)
	share := NewReplyShare(limit / n)
	errs := make(chan error, n)
	for range n {
		// The replies take their turns through the share, one 8 MiB
		// read after another: under Wine (CI's Windows run) that took
		// over newClient's 5 s. The test is about the limit, not time.
		c := newClient(t, srv.URL, Config{MaxResponseSize: limit, Replies: share, Timeout: 2 * time.Minute})
		go func() {
			_, err := c.Call(context.Background(), "svc.m", nil)
			errs <- err
		}()
	}
	for range n {
		wantHTTPError(t, <-errs, ErrTooLarge, "limit is 8388608 bytes")
	}
}

// A large reply waiting for its turn gives up at the request's timeout,
// as a slow reply does.
func TestReplyShareTimeout(t *testing.T) {
	share := NewReplyShare(64 << 10)
	held, err := share.hold(context.Background(), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held()
	body := make([]byte, 1<<20)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	c := newClient(t, s.URL, Config{Replies: share, Timeout: 200 * time.Millisecond})
	_, err = c.Call(context.Background(), "svc.m", nil)
	wantHTTPError(t, err, ErrTimeout, "waiting to read the reply")
}
