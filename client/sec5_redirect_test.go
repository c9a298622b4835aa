package client

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A gateway that redirects to a host that then fails had the failure
// told as the gateway's own: a TLS failure at the https host it pointed
// to was "TLS failure (http://gateway...)", with the hint to skip the
// check with --insecure, for a gateway that does not speak TLS at all;
// a refused connection there was "is the gateway running?". The error
// now names the URL that failed and the gateway URL it was redirected
// from.
func TestRedirectFailureNamesWhere(t *testing.T) {
	bad := httptest.NewUnstartedServer(amfHandler(okReply(t)))
	bad.Config.ErrorLog = log.New(io.Discard, "", 0)
	bad.StartTLS() // a certificate no one trusts
	t.Cleanup(bad.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/closed"
	ln.Close()
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/to-tls":
			http.Redirect(w, r, bad.URL+"/gw", http.StatusTemporaryRedirect)
		case "/to-refused":
			http.Redirect(w, r, refused, http.StatusTemporaryRedirect)
		case "/to-big":
			http.Redirect(w, r, "/big", http.StatusTemporaryRedirect)
		case "/big":
			w.Header().Set("Content-Type", ContentType)
			w.Write(make([]byte, 2<<20))
		}
	})
	for _, tc := range []struct {
		path, failed string
		kind         error
	}{
		{"/to-tls", bad.URL + "/gw", ErrTLS},
		{"/to-refused", refused, ErrRefused},
		{"/to-big", gw.URL + "/big", ErrTooLarge}, // the reply read after the redirect
	} {
		c := newClient(t, gw.URL+tc.path, Config{Timeout: 5 * time.Second, MaxResponseSize: 1 << 20})
		_, err := c.Call(context.Background(), "svc.m", nil)
		var he *HTTPError
		if !errors.As(err, &he) || !errors.Is(err, tc.kind) {
			t.Errorf("%s: got %v, want a %v", tc.path, err, tc.kind)
			continue
		}
		want := tc.failed + ", redirected from " + gw.URL + tc.path
		if he.URL != want {
			t.Errorf("%s: the error names %q, want %q (%v)", tc.path, he.URL, want, err)
		}
		if !strings.Contains(err.Error(), "("+want+")") {
			t.Errorf("%s: %v does not say (%s)", tc.path, err, want)
		}
	}
	// Without a redirect, the gateway URL alone, as before.
	c := newClient(t, bad.URL+"/gw", Config{Timeout: 5 * time.Second})
	_, err = c.Call(context.Background(), "svc.m", nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.URL != bad.URL+"/gw" {
		t.Errorf("no redirect: got %v (URL %q), want a TLS error naming %s", err, he.URL, bad.URL+"/gw")
	}
}

// A 304 Not Modified, or a 3xx that names no Location, was told "a
// streamed request is not sent again; use the new location as the
// gateway URL", for a call that was not streamed and a reply that names
// no location.
func TestStatus3xxWithoutLocation(t *testing.T) {
	for _, code := range []int{http.StatusNotModified, http.StatusMultipleChoices, http.StatusTemporaryRedirect} {
		srv := server(t, func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(code)
		})
		c := newClient(t, srv.URL+"/gw", Config{})
		_, err := c.Call(context.Background(), "svc.m", nil)
		var he *HTTPError
		if !errors.As(err, &he) || !errors.Is(err, ErrStatus) {
			t.Errorf("%d: got %v, want a status error", code, err)
			continue
		}
		if strings.Contains(he.Hint, "location") || !strings.Contains(he.Hint, "no other URL") {
			t.Errorf("%d: the hint is %q", code, he.Hint)
		}
	}
}
