package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// A gateway that answers the subscription, then only 503s: Watch tries
// again for MaxOutage, then gives up with an OutageError that says for
// how long and keeps the last failure (an *HTTPError, exit 3 in the
// command line). A gateway that answers with a wrong reply is not
// tried again.
func TestWatchGivesUpAfterMaxOutage(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var down atomic.Bool
	var failed atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			failed.Add(1)
			http.Error(w, "restarting", http.StatusServiceUnavailable)
			return
		}
		g.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var warnings []string
	cl, err := New(srv.URL+"/", Config{Flex: true, Events: noticeFunc(func(n Notice) { warnings = append(warnings, n.Msg) })})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cl.Subscribe(context.Background(), "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	sub.MaxOutage = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = sub.Watch(ctx, 20*time.Millisecond, func(*amf.Object) bool { return true })
	var oe *OutageError
	var he *HTTPError
	if !errors.As(err, &oe) || !errors.As(err, &he) || he.Kind != ErrStatus || oe.For < sub.MaxOutage {
		t.Fatalf("Watch: %v, want an OutageError of an HTTP 503 after at least %v", err, sub.MaxOutage)
	}
	if ctx.Err() != nil {
		t.Fatal("Watch went on past MaxOutage")
	}
	if len(warnings) != 1 || failed.Load() < 3 {
		t.Errorf("%d tries, warnings %q: want several tries and one warning", failed.Load(), warnings)
	}
}

func TestUnanswered(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&HTTPError{Kind: ErrRefused}, true},
		{&HTTPError{Kind: ErrConnection}, true},
		{&HTTPError{Kind: ErrTimeout}, true},
		{&HTTPError{Kind: ErrStatus, Status: "503 Service Unavailable"}, true},
		{&HTTPError{Kind: ErrStatus, Status: "502 Bad Gateway"}, true},
		{&HTTPError{Kind: ErrStatus, Status: "404 Not Found"}, false},
		{&HTTPError{Kind: ErrStatus, Status: "401 Unauthorized"}, false},
		{&HTTPError{Kind: ErrNoReply}, false},
		{&HTTPError{Kind: ErrTooLarge}, false},
		{&HTTPError{Kind: ErrTLS}, false},
		{&Fault{Code: "Server.Processing"}, false},
		{errors.New("other"), false},
	} {
		if got := Unanswered(tc.err); got != tc.want {
			t.Errorf("Unanswered(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
