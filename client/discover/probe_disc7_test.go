package discover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client"
)

// TestProbeAMFFaultWithHTTPError: a gateway that answers its faults with
// HTTP 500 and an AMF body (PyAMF's recorded "Unknown service" fault
// here) was "unknown", and probe said that no probe got an AMF reply
// (exit 3, "check that the URL is the AMF gateway"): the client refuses
// a reply with an error status. The body it kept is read now: the
// faults name the gateway.
func TestProbeAMFFaultWithHTTPError(t *testing.T) {
	body, err := os.ReadFile("../../testdata/pyamf/captures/default-unknown_service.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	xs, err := Probe(context.Background(), srv.URL, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	amfReplies := 0
	for _, x := range xs {
		if x.Packet != nil {
			amfReplies++
			if !strings.Contains(x.Err, "HTTP 500") {
				t.Errorf("%s: Err %q, want the status said", x.Probe, x.Err)
			}
		}
	}
	if amfReplies != 3 {
		t.Errorf("%d exchanges with an AMF reply, want the 3 POSTs", amfReplies)
	}
	// PyAMF's fault, which amfcall serve answers too: either, not
	// "unknown", with the faults as evidence.
	rep := Identify(xs)
	pyamf := false
	for _, f := range rep.Evidence {
		pyamf = pyamf || f.Gateway == PyAMF && strings.Contains(f.Why, "Service.ResourceNotFound")
	}
	if rep.Gateway == Unknown || !pyamf {
		t.Errorf("Identify = %q (%+v), want the faults read as PyAMF's", rep.Gateway, rep.Evidence)
	}
}
