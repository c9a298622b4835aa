package commands

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// TestSocketWriteTimeoutHint: a server that sends and never reads (its
// pings' answers pile up) ends the connection after the write timeout:
// the error names the server and the hint says what happened; it had no
// hint and no address ("socket: the peer took no data within 10s").
func TestSocketWriteTimeoutHint(t *testing.T) {
	err := socketErr(&socket.TimeoutError{What: "the peer took no data", After: 10 * time.Second, Addr: "127.0.0.1:9001", Wait: socket.WaitWrite}, &socketSettings{addr: "127.0.0.1:9001", timeout: time.Second})
	code, hints := classify(err)
	if code != exitNetwork || err.Error() != "socket: 127.0.0.1:9001: the peer took no data within 10s" ||
		len(hints) != 1 || !strings.HasPrefix(hints[0], "the server stopped reading what amfcall sends") {
		t.Errorf("exit %d: %v, hints %q", code, err, hints)
	}
}

// TestSocketHugeFirstFrameHint: a first length header that is not text
// (a banner starting with an escape code) and claims more than
// --max-frame is more likely another protocol than a real frame: the
// hint shows its bytes and says to check the port before raising the
// limit (it said only "raise the limit with --max-frame SIZE").
func TestSocketHugeFirstFrameHint(t *testing.T) {
	s := &socketSettings{addr: "127.0.0.1:9001"}
	err := socketErr(&amf.FrameSizeError{Size: 0x1b5b324a, Limit: 64 << 20, Offset: 0}, s)
	code, hints := classify(err)
	if code != exitInput || len(hints) != 1 || !strings.Contains(hints[0], "(hex 1b 5b 32 4a)") || !strings.Contains(hints[0], "check that 127.0.0.1:9001 is an AMF Socket server") {
		t.Errorf("exit %d: %v, hints %q", code, err, hints)
	}
	// A later frame over the limit is one the server sent as such.
	err = socketErr(&amf.FrameSizeError{Size: 100 << 20, Limit: 64 << 20, Offset: 500}, s)
	if _, hints := classify(err); len(hints) != 1 || hints[0] != "raise the limit with --max-frame SIZE if the frame is real" {
		t.Errorf("later frame: hints %q", hints)
	}
}

// TestSocketClosedAfterSpeaking: a server that answers a ping of its own
// and then closes the connection without answering gave only "socket:
// read ADDR: the peer closed the connection" (exit 3), nothing to do
// next; a hint now says what -v shows.
func TestSocketClosedAfterSpeaking(t *testing.T) {
	addr := acceptAll(t, func(nc net.Conn) {
		fr := amf.NewFrameReader(bufio.NewReader(nc))
		var v any
		_ = fr.Decode(&v) // the request
		_, _ = nc.Write(frameOf(t, socket.RequestObject("p1", socket.PingCommand, &amf.Object{})))
		_ = fr.Decode(&v) // its answer
		nc.Close()
	})
	_, stderr, code := run(t, []string{"socket", "call", addr, "add", "{}"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "amfcall: error: socket: read "+addr+": ") ||
		!strings.HasSuffix(stderr, "amfcall: hint: the server ended the connection (it may have dropped it on a frame of ours, or stopped): run again with -v to see each frame sent and received up to then\n") {
		t.Errorf("code %d\n%s", code, stderr)
	}
}
