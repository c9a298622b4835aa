package commands

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// TestDescribeMethodListsOnce: "describe URL S.M" asked for the name
// S.M, which no service has, then for the service S, and listed the
// services for each: one discovery round trip too many (three more, and
// Zend's introspector, on a gateway that has none). The listing is now
// made once for the command.
func TestDescribeMethodListsOnce(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var mu sync.Mutex
	var targets []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if p, err := amf.UnmarshalPacket(body); err == nil {
			mu.Lock()
			for _, m := range p.Messages {
				targets = append(targets, m.Target)
			}
			mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	defer srv.Close()
	for _, tc := range []struct{ name, want string }{
		{"echo.echo", "echo.echo("},
		{"getSnapshots", "getSnapshots("}, // a method called without a service
	} {
		targets = nil
		out, stderr, code := run(t, []string{"describe", srv.URL + "/", tc.name}, "", nil, false)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Fatalf("describe %s: code %d, stdout:\n%s\nstderr:\n%s", tc.name, code, out, stderr)
		}
		mu.Lock()
		if len(targets) != 1 || targets[0] != "amfcall.discover" {
			t.Errorf("describe %s made the calls %q, want amfcall.discover once", tc.name, targets)
		}
		mu.Unlock()
	}
}
