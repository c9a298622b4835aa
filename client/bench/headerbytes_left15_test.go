package bench

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/amfcall/amfcall/client"
)

func TestHeaderBytes(t *testing.T) {
	for _, tc := range []struct {
		max     int64
		workers int
		want    int64
	}{
		{0, 1, client.MaxHeaderBytes},
		{0, 16, 256 << 10},
		{0, 17, 240 << 10},
		{0, 200, 20 << 10},
		{0, 10000, MinHeaderBytes},
		{2 << 20, 8, 16 << 10},
		{1 << 40, 1, client.MaxHeaderBytes},
	} {
		if got := HeaderBytes(tc.max, tc.workers); got != tc.want {
			t.Errorf("HeaderBytes(%d, %d) = %d, want %d", tc.max, tc.workers, got, tc.want)
		}
	}
}

// Each connection read up to client.MaxHeaderBytes (256 KiB) of a
// reply's header fields whatever their number, outside the share of
// reply bytes: 200 connections took 190 MB against 250 KB of fields per
// reply. The bound now shrinks with -c: at 8 connections with replies
// of 2 MiB, 16 KiB each, and 32 KiB of fields fail as their own kind.
func TestBenchHeaderFieldsShared(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fields int // bytes of header fields
		kind   string
	}{
		{32 << 10, KindHeaderTooLarge},
		{4 << 10, BadReply}, // read whole: the body is no AMF packet
	} {
		url := replyServer(t, func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < tc.fields/32; i++ {
				w.Header().Add(fmt.Sprintf("X-F%05d", i), "vvvvvvvvvvvvvvvvvvvv")
			}
			w.Header().Set("Content-Type", client.ContentType)
			w.Write([]byte("x"))
		})
		s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo"}},
			Client: client.Config{MaxResponseSize: 2 << 20}, Concurrency: 8, Count: 16})
		if err != nil {
			t.Fatal(err)
		}
		if s.Requests != 16 || s.TransportErrors[tc.kind] != 16 {
			t.Errorf("%d bytes of header fields: %+v; want 16 %q", tc.fields, s.TransportErrors, tc.kind)
		}
	}
}
