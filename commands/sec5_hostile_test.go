package commands

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// hostileGateway answers every call with the reply its path names: small
// AMF replies that name one long text many times by reference.
func hostileGateway(t *testing.T) *httptest.Server {
	t.Helper()
	obj := func(kv ...any) *amf.Object {
		o := &amf.Object{}
		for i := 0; i < len(kv); i += 2 {
			o.Members = append(o.Members, amf.Member{Name: kv[i].(string), Value: kv[i+1]})
		}
		return o
	}
	refs := func(v any, n int) *amf.Array {
		a := &amf.Array{Dense: make([]any, n)}
		for i := range a.Dense {
			a.Dense[i] = v
		}
		return a
	}
	long := strings.Repeat("s", 100<<10)
	values := map[string]any{
		// 2,000 snapshots that are one object of a 100 KB name: 200 MB
		// of URLs.
		"/snapshots": &amf.Array{Dense: []any{"http://127.0.0.1:1/img/", &amf.Array{Dense: []any{"jpg"}},
			refs(obj("name", long+".jpg"), 2000)}},
		// 100 methods of 256 parameters that are one object of four
		// 100 KB texts: 420 MB of 4 KB copies.
		"/discover": &amf.Array{Dense: []any{obj("name", "svc", "methods",
			refs(obj("name", long, "description", long, "returns", long, "params",
				refs(obj("name", long, "type", long, "example", long, "default", long), 256)), 100))}},
	}
	replies := map[string][]byte{}
	for path, v := range values {
		b, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: v}}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 1<<20 {
			t.Fatalf("%s: the reply is %d bytes: not sent by reference", path, len(b))
		}
		replies[path] = b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(amftest.RenumberReply(replies[r.URL.Path], req))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A hostile gateway's small replies, each naming one long text many
// times by reference, as amfcall reads them in a child process (peak
// RSS measured there, on Linux): snapshots made a URL of each use (a 160 KB reply
// ran out of memory past 2.4 GB), list copied 4 KB of each text at each
// use (a 38 KB reply took 3.9 GB). Both now end with exit 4 and a bounded
// memory.
func TestHostileGatewayReferenceBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs amfcall in child processes")
	}
	srv := hostileGateway(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"snapshots", srv.URL + "/snapshots"}, "bytes of snapshot names and URLs"},
		{[]string{"list", srv.URL + "/discover"}, "bytes of names and descriptions in all"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		base := childAmfcall(t, tc.args...)
		cmd := exec.CommandContext(ctx, base.Path, tc.args...)
		cmd.Env = base.Env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if code := cmd.ProcessState.ExitCode(); code != 4 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%s: exit %d (%v), stderr %.300q; want exit 4 and %q", tc.args[0], code, err, stderr.String(), tc.want)
		}
		// The child's own peak (VmHWM, Linux): rusage's maxrss may be
		// this test process's, inherited across exec.
		if m := hwmLine.FindSubmatch(stderr.Bytes()); m != nil {
			kb, _ := strconv.Atoi(string(m[1]))
			t.Logf("%s: peak RSS %.1f MB, %d bytes of stdout", tc.args[0], float64(kb)/1024, stdout.Len())
			if kb > 200<<10 && !raceEnabled {
				t.Errorf("%s: peak RSS %d MB, want under 200 MB", tc.args[0], kb>>10)
			}
		}
	}
}
