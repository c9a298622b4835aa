package discover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// A server that answers the probe's POSTs but never its GET, probed with
// no overall timeout (--timeout 0) and a short idle timeout: the GET
// gives up when no byte has moved for the idle timeout, as the POSTs do.
// Before, the GET had a transport of its own without the idle (or
// connect) timeout, and probe waited for ever.
func TestProbeGETIdleTimeout(t *testing.T) {
	fault, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null",
		Value: &amf.Object{Members: []amf.Member{{Name: "code", Value: "Service.NotFound"}, {Name: "description", Value: "no such service"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			select { // hold the GET, answering nothing
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", client.ContentType)
		w.Write(fault)
	}))
	defer srv.Close()
	defer close(release)

	type result struct {
		xs  []Exchange
		err error
	}
	done := make(chan result, 1)
	go func() {
		xs, err := Probe(context.Background(), srv.URL, client.Config{Timeout: -1, IdleTimeout: 200 * time.Millisecond})
		done <- result{xs, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(30 * time.Second): // a bound on a hang, not a measure
		t.Fatal("Probe still waits for the GET 30 s on, with an idle timeout of 200ms")
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.xs) != 4 || res.xs[3].Probe != ProbeGET {
		t.Fatalf("exchanges = %+v", res.xs)
	}
	if got := res.xs[3].Err; !strings.Contains(got, "no bytes moved for 200ms") {
		t.Errorf("the GET's error is %q, want the idle timeout", got)
	}
}
