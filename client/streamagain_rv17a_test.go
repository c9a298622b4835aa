package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// An upload redirected (307/308) to another host is sent without its
// Credentials header (net17): checkRedirect set the request's body to
// the one made again without them, but left its GetBody, copied by
// net/http from the first request, making the body with them; net/http
// calls GetBody to send that same request again (HTTP/2's
// REFUSED_STREAM, a retry of a replayable request), which would then
// carry the credentials to the host they were held back from. GetBody
// now makes the body without them too, as call's strip does.
func TestStreamAgainStripsGetBody_rv17a(t *testing.T) {
	t.Parallel()
	c, err := New("http://127.0.0.1:1/gateway", Config{})
	if err != nil {
		t.Fatal(err)
	}
	const with, without = "packet+Credentials", "packet"
	sa := &streamAgain{fn: func(strip bool) (io.Reader, int64, bool, error) {
		if strip {
			return strings.NewReader(without), int64(len(without)), true, nil
		}
		return strings.NewReader(with), int64(len(with)), false, nil
	}}
	ctx := context.WithValue(context.Background(), streamAgainKey{}, sa)
	first, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1:1/gateway", strings.NewReader(with))
	// As net/http makes the redirected request: the first's body made
	// again, and its GetBody copied.
	firstGetBody := func() (io.ReadCloser, error) {
		rc, _, _, err := sa.body(false, int64(len(with)))
		return rc, err
	}
	body, _ := firstGetBody()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.2:2/other", body)
	req.ContentLength, req.GetBody = int64(len(with)), firstGetBody
	if err := c.checkRedirect(req, []*http.Request{first}); err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(req.Body)
	if string(got) != without || req.ContentLength != int64(len(without)) {
		t.Fatalf("body %q (%d bytes), want %q", got, req.ContentLength, without)
	}
	if req.GetBody == nil {
		t.Fatal("no GetBody")
	}
	rc, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := io.ReadAll(rc)
	if string(again) != without {
		t.Errorf("GetBody makes %q: the request sent again to another host would carry the credentials", again)
	}
}
