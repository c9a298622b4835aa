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
)

// amfcall list against a gateway whose every reply asks, with
// RequestPersistentHeader, for a header naming a 1 MiB string 200 times
// by AMF3 reference (a 1 MB reply): each next dialect's request wrote the
// string at each use, a 200 MB packet (2,000 references: out of memory
// at 1.56 GB). Run in a child process for its own peak RSS (Linux): the
// header is now ignored with a warning, and list ends as it would
// without it (exit 4: no discovery service), well under 150 MB.
func TestListPersistentHeaderBombChild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs amfcall in a child process")
	}
	long := strings.Repeat("s", 1<<20)
	refs := &amf.Array{Dense: make([]any, 200)}
	for i := range refs.Dense {
		refs.Dense[i] = long
	}
	header := amf.Header{Name: "RequestPersistentHeader", Value: amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{{Name: "Bomb", Value: refs}}}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		req, err := amf.UnmarshalPacket(b)
		if err != nil {
			http.Error(w, "not a packet", http.StatusBadRequest)
			return
		}
		p := &amf.Packet{Version: 3, Headers: []amf.Header{header}}
		for _, m := range req.Messages {
			p.Messages = append(p.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: "ok"})
		}
		out, _ := amf.MarshalPacket(p)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := childAmfcall(t, "list", srv.URL)
	cmd := exec.CommandContext(ctx, base.Path, "list", srv.URL)
	cmd.Env = base.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitInput || !strings.Contains(stderr.String(), `ignored the gateway's header "Bomb"`) {
		t.Errorf("list: exit %d (%v), stderr %.600q; want exit 4 and the header ignored", code, err, stderr.String())
	}
	if m := hwmLine.FindSubmatch(stderr.Bytes()); m != nil {
		kb, _ := strconv.Atoi(string(m[1]))
		t.Logf("list: peak RSS %.1f MB", float64(kb)/1024)
		if kb > 150<<10 && !raceEnabled {
			t.Errorf("list: peak RSS %d MB, want under 150 MB", kb>>10)
		}
	}
}
