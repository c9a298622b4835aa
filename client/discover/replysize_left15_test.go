package discover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client"
)

// Probe read each reply up to the client's 64 MiB: three probes against
// a gateway whose replies never end peaked at 229 MB. With no bound in
// its Config it now reads up to MaxReplySize, and says which probes went
// over it (TooLarge); a bound given is kept.
func TestProbeReplyBound(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", client.ContentType)
		if r.Method == http.MethodGet {
			return
		}
		chunk := make([]byte, 64<<10)
		for sent := 0; sent < MaxReplySize+len(chunk); sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		max      int64
		limit    string
		tooLarge bool
	}{
		{0, "the limit is 8388608 bytes", true},
		{16 << 20, "", false}, // read whole: 8 MiB and 64 KiB of zeros, no AMF packet
	} {
		xs, err := Probe(context.Background(), srv.URL+"/gw", client.Config{MaxResponseSize: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range xs[:3] {
			if x.TooLarge != tc.tooLarge || !strings.Contains(x.Err, tc.limit) {
				t.Errorf("bound %d: %s: TooLarge %v, error %q; want %v and %q", tc.max, x.Probe, x.TooLarge, x.Err, tc.tooLarge, tc.limit)
			}
		}
	}
}
