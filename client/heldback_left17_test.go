package client

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestHeldBackSaidOnceLeft17: a gateway that redirects back and forth
// between two hosts gets the warning of what the other host is not sent
// once, not at each hop to it (5 times in a 10-hop loop, sec17), nor at
// each call of the run.
func TestHeldBackSaidOnceLeft17(t *testing.T) {
	t.Parallel()
	reply := okReply(t)
	var gwURL string
	hop := func(r *http.Request) int { n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/")); return n }
	other := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, gwURL+"/hop/"+strconv.Itoa(hop(r)+1), http.StatusTemporaryRedirect)
	})
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		if n := hop(r); n < 6 {
			http.Redirect(w, r, other.URL+"/hop/"+strconv.Itoa(n+1), http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	gwURL = gw.URL
	var mu sync.Mutex
	var notes []string
	ev := redirectNotices(func(n Notice) {
		if n.Warning && strings.Contains(n.Msg, "redirects to another host") {
			mu.Lock()
			notes = append(notes, n.Msg)
			mu.Unlock()
		}
	})
	c := newClient(t, gw.URL+"/hop/0", Config{Header: http.Header{"X-Api-Key": {"k1"}}, Events: ev})
	for range 2 {
		if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notes) != 1 || !strings.Contains(notes[0], "not sending X-Api-Key there") {
		t.Errorf("warnings %q, want one", notes)
	}
}
