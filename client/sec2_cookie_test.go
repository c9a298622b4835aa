package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// answerCall answers the one call of the request r with "hi".
func answerCall(t *testing.T, w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	id := "/1"
	if p, err := amf.UnmarshalPacket(b); err == nil && len(p.Messages) == 1 {
		id = p.Messages[0].Response
	}
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: id + "/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Error(err)
	}
	w.Header().Set("Content-Type", ContentType)
	w.Write(reply)
}

// TestCookiesStayWithTheirOrigin: the gateway's session cookie, set by
// a reply or restored from a session file, does not follow a 307 (the
// gateway's answer to a request with the cookie) to another port of the
// same host (RFC 6265 cookies ignore ports, so Go's jar sent it), and the
// warning says it was held back; with LocationTrusted it goes along, as
// the -H headers do.
func TestCookiesStayWithTheirOrigin(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string // the Cookie field of each request to the other port
	otherSrv := server(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Cookie"))
		mu.Unlock()
		answerCall(t, w, r)
	})
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("SID"); err == nil {
			http.Redirect(w, r, otherSrv.URL+"/gw", http.StatusTemporaryRedirect)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "SID", Value: "secret123", Path: "/"})
		answerCall(t, w, r)
	})
	last := func() string {
		mu.Lock()
		defer mu.Unlock()
		if len(got) == 0 {
			return "(no request)"
		}
		return got[len(got)-1]
	}
	var saved []byte
	for _, trusted := range []bool{false, true} {
		var notes []string
		ev := redirectNotices(func(n Notice) { notes = append(notes, n.Msg) })
		c := newClient(t, gw.URL+"/gw", Config{Events: ev, LocationTrusted: trusted})
		for range 2 { // the first sets the cookie, the second is redirected
			if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
				t.Fatal(err)
			}
		}
		want := ""
		if trusted {
			want = "SID=secret123"
		} else {
			saved, _ = c.SaveSession()
		}
		if g := last(); g != want {
			t.Errorf("trusted %v: the other port got Cookie %q, want %q", trusted, g, want)
		}
		if !trusted && (len(notes) != 1 || !strings.Contains(notes[0], "not sending the cookies of "+gw.URL)) {
			t.Errorf("notices: %q", notes)
		}
	}
	// A session restored from its file keeps its cookies to their origin too.
	c := newClient(t, gw.URL+"/gw", Config{})
	if err := c.LoadSession(saved); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if g := last(); g != "" || len(got) != 3 {
		t.Errorf("restored session: the other port got Cookie %q (%d requests)", g, len(got))
	}
}
