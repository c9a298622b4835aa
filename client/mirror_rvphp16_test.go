package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestMirrorAnswersNoCall: a server that sends the request back (a
// mirror, a proxy's echo) answers no call: the request's bodies have
// the calls' response URIs ("/1") under their own targets ("a.one"),
// and were read as the calls' answers (the calls' own arguments, exit 0
// from amfcall call) by the rule for a gateway that names its call in
// the response URI only. That rule is for targets that name no service.
func TestMirrorAnswersNoCall(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", ContentType)
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	rec := &recorder{}
	c := newClient(t, srv.URL, Config{Events: rec})
	for _, calls := range [][]Call{{{Target: "a.one", Args: []any{1.0}}}, {{Target: "a.one", Args: []any{1.0}}, {Target: "a.two", Args: []any{2.0}}}} {
		rs, err := c.Batch(context.Background(), calls)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if !errors.Is(r.Err, ErrNoReply) {
				t.Errorf("%d calls: %s answered: %v, %v", len(calls), r.Call.Target, r.Value, r.Err)
			}
		}
	}
}
