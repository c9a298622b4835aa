package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A reply of another Content-Type (text/html) whose body starts as an
// AMF packet is read as one: the client read it up to MaxResponseSize
// at once, without its turn in a shared bound (Config.Replies), so a
// load test's 16 workers held 16 such replies of 60 MB together (peak
// RSS 1.3 GB, where the share is to keep them to about twice the
// limit). Such a reply now takes its turn as an AMF reply does: while
// another client holds the share's large turn, it waits (here until its
// timeout), then is read.
func TestOtherContentTypeTakesItsTurn(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := readAMFRequest(w, r)
		if req == nil {
			return
		}
		writeReply(w, "text/html", resultsFor(req, strings.Repeat("x", 1<<20)))
	})
	share := NewReplyShare(64 << 10)
	share.large <- struct{}{} // another client reads a large reply
	c := newClient(t, srv.URL+"/gw", Config{Replies: share, Timeout: 500 * time.Millisecond, Events: &warnings{}})
	_, err := c.Call(context.Background(), "svc.m", nil)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "waiting to read the reply") {
		t.Fatalf("a 1 MB text/html reply while another client holds the large turn: got %v; want it to wait for its turn (and time out)", err)
	}
	<-share.large // the other is done
	v, err := c.Call(context.Background(), "svc.m", nil)
	if s, _ := v.(string); err != nil || len(s) != 1<<20 {
		t.Fatalf("the same reply with the turn free: %d bytes, %v", len(s), err)
	}
}
