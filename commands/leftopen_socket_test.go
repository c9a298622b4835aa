package commands

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// TestSocketCallDefaultLimitByFrame: socket call's --max-output default
// was 1 GiB whatever the response, so a 262 KB response naming a 256
// KiB string 2,000 times printed all its 524 MB of JSON. As call's
// default is by the reply, it is now 1000 times the response frame's
// bytes (at most 1 GiB): the JSON stops there exactly, exit 4.
func TestSocketCallDefaultLimitByFrame(t *testing.T) {
	var size atomic.Int64
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		b := frameOf(t, socket.ResponseObject(first.MessageID, amf.Unwrap(bombValue(2000, 256<<10))))
		size.Store(int64(len(b)))
		nc.Write(b)
	})
	out, stderr, code, alloc := runCounted(t, "socket", "call", addr, "big", "{}")
	limit := 1000 * size.Load()
	t.Logf("frame %d bytes: exit %d, %d bytes out, %.1f MiB allocated", size.Load(), code, out.n, float64(alloc)/(1<<20))
	if code != exitInput || out.n != limit || !strings.Contains(stderr, "the response from "+addr+": json: plain output exceeds "+strconv.FormatInt(limit, 10)+" bytes") ||
		!strings.Contains(stderr, "--max-output") {
		t.Fatalf("exit %d after %d bytes (want %d); stderr %.400q", code, out.n, limit, stderr)
	}
}

// TestSocketListenDefaultLimitByFrame: socket listen bounds each frame's
// line by that frame's bytes (1000 times them), as socket call: the
// small response's line is whole, the bomb's is cut at 1000 times its
// frame, and listening stops, exit 4 (the bound was 1 GiB a line).
func TestSocketListenDefaultLimitByFrame(t *testing.T) {
	var size atomic.Int64
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, "ok")))
		b := frameOf(t, socket.MessageObject("m1", "bomb", amf.Unwrap(bombValue(2000, 256<<10))))
		size.Store(int64(len(b)))
		nc.Write(b)
		var v any
		fr.Decode(&v) // stay open: listening ends by the error
	})
	out, stderr, code, _ := runCounted(t, "socket", "listen", "--send", "hello={}", addr)
	limit := 1000 * size.Load()
	nl := bytes.IndexByte(out.head, '\n')
	if code != exitInput || nl < 0 || !bytes.HasSuffix(out.head[:nl], []byte(`"result":"ok"},"type":"rpcResponse"}`)) ||
		out.n != int64(nl+1)+limit || !strings.Contains(stderr, "a frame from "+addr+": json: plain output exceeds "+strconv.FormatInt(limit, 10)+" bytes") {
		t.Fatalf("exit %d after %d bytes (want the first line and %d); head %.120q; stderr %.400q", code, out.n, limit, out.head, stderr)
	}
}
