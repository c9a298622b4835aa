package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A hostile gateway answers each call of a batch with a 10 KB body that
// names one 2 KiB string 4,000 times: 8 MB of JSON a line. --max-output
// (and its default, 1000 times the reply) bounded each line on its own,
// so a batch of 4 calls printed 32 MB under --max-output 20M, exit 0,
// and a batch of K calls K times the bound. The lines now share it: the
// output stops at the bound, exit 4.
func TestBatchOutputBoundShared(t *testing.T) {
	long := strings.Repeat("s", 2<<10)
	refs := &amf.Array{Dense: make([]any, 4000)}
	for i := range refs.Dense {
		refs.Dense[i] = long
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		req, err := amf.UnmarshalPacket(b)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		p := &amf.Packet{Version: 3}
		for _, m := range req.Messages {
			p.Messages = append(p.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: amf.AVMPlus{Value: refs}})
		}
		out, _ := amf.MarshalPacket(p)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	batch := filepath.Join(t.TempDir(), "calls.jsonl")
	if err := os.WriteFile(batch, []byte(strings.Repeat(`{"target": "svc.m", "args": []}`+"\n", 4)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []bool{false, true} {
		args := []string{"call", "--batch", batch, "--max-output", "20M", srv.URL}
		if typed {
			args = append(args, "--typed")
		}
		stdout, stderr, code := run(t, args, "", nil, false)
		t.Logf("typed %v: exit %d, %d bytes of stdout", typed, code, len(stdout))
		if code != exitInput || len(stdout) > 20<<20 {
			t.Errorf("typed %v: exit %d and %d bytes of stdout; want exit 4 and at most 20 MiB\n%s", typed, code, len(stdout), stderr)
		}
		if !strings.Contains(stderr, "exceeds 20971520 bytes") {
			t.Errorf("typed %v: the error does not name the bound:\n%s", typed, stderr)
		}
	}
}
