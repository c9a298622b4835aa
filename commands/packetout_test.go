package commands

import (
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestCallPacketReplyStreamed: call --packet and --from-har printed the
// reply packet's JSON built whole in memory (convert.AppendPacket), up to
// --max-output's default of 1000 times the reply. It is now written as
// it is rendered: a 262 KB reply naming a 256 KiB string 2,000 times
// (524 MB of JSON) stops at exactly 1000 times the reply's bytes, exit
// 4, the error naming the limit, having allocated a few MiB.
func TestCallPacketReplyStreamed(t *testing.T) {
	url, size := replyServer(t, resultPacket(bombValue(2000, 256<<10)))
	limit := int64(1000 * size)
	raw := writeFile(t, "req.amf", captureBytes(t, "default-unknown_service.request.amf"))
	for _, how := range [][]string{{"--packet", raw}, {"--from-har", harFile + "#1"}} {
		for _, typed := range []string{"--compact", "--typed"} {
			args := append(append([]string{"call", typed}, how...), url)
			out, stderr, code, alloc := runCounted(t, args...)
			t.Logf("%v: exit %d, %d bytes out, %.1f MiB allocated", args[1:4], code, out.n, float64(alloc)/(1<<20))
			if code != exitInput || out.n != limit {
				t.Fatalf("%v: exit %d after %d bytes, want 4 after %d; stderr %.400q", args, code, out.n, limit, stderr)
			}
			if !strings.HasPrefix(string(out.head), `{"version":3,"headers":[],"messages":[{"target":"/1/onResult"`) {
				t.Errorf("%v: output starts %.100q", args, out.head)
			}
			if !strings.Contains(stderr, "output exceeds "+strconv.FormatInt(limit, 10)+" bytes") || !strings.Contains(stderr, "--max-output") {
				t.Errorf("%v: stderr %.400q", args, stderr)
			}
			if alloc > 64<<20 {
				t.Errorf("%v: %.1f MiB allocated to write %d bytes: the output is held", args, float64(alloc)/(1<<20), out.n)
			}
		}
	}
}

// TestCallPacketQueryHeldBounded: -q with --packet selects from the
// reply packet's whole JSON, held in memory: it has call's bound of 16
// times the reply's bytes plus 64 MiB (some 68 MB here), and the error
// says so, where it held up to --max-output's default (262 MB here; the
// 79 MB of JSON printed, exit 0).
func TestCallPacketQueryHeldBounded(t *testing.T) {
	url, size := replyServer(t, resultPacket(bombValue(300, 256<<10)))
	held := heldBase + heldPerByte*int64(size)
	raw := writeFile(t, "req.amf", captureBytes(t, "default-unknown_service.request.amf"))
	out, stderr, code, _ := runCounted(t, "call", "--packet", raw, "-q", "messages.0.target", url)
	if code != exitInput || out.n != 0 {
		t.Fatalf("exit %d, %d bytes out; stderr %.400q", code, out.n, stderr)
	}
	if !strings.Contains(stderr, "exceeds "+strconv.FormatInt(held, 10)+" bytes") || !strings.Contains(stderr, "-q and -r hold the whole JSON") {
		t.Errorf("stderr %.600q", stderr)
	}
	// Under the bound, -q picks from the packet.
	out, stderr, code, _ = runCounted(t, "call", "--packet", raw, "-q", "messages.0.target", "--max-output", "100M", url)
	if code != 0 || string(out.head) != "\"/1/onResult\"\n" {
		t.Errorf("--max-output 100M: exit %d, stdout %q, stderr %.400q", code, out.head, stderr)
	}
}

// TestUploadReplyBounded: upload's output had a flat 1 GiB default
// --max-output, and -q held up to that: they are now call's, 1000 times
// the reply's bytes and 16 times them plus 64 MiB. A 262 KB reply naming
// a 256 KiB string 2,000 times (524 MB of JSON, all printed before)
// stops at exactly 1000 times the reply, exit 4; with -q, one naming it
// 300 times (79 MB) stops at the -q bound.
func TestUploadReplyBounded(t *testing.T) {
	file := writeFile(t, "photo.jpg", []byte("not much of a photo"))
	url, size := replyServer(t, resultPacket(bombValue(2000, 256<<10)))
	limit := int64(1000 * size)
	out, stderr, code, alloc := runCounted(t, "upload", url, "ByteArray.saveSnapshot", file)
	t.Logf("exit %d, %d bytes out, %.1f MiB allocated", code, out.n, float64(alloc)/(1<<20))
	if code != exitInput || out.n != limit || !strings.Contains(stderr, "output exceeds "+strconv.FormatInt(limit, 10)+" bytes") {
		t.Fatalf("exit %d after %d bytes, want 4 after %d; stderr %.400q", code, out.n, limit, stderr)
	}
	url, size = replyServer(t, resultPacket(bombValue(300, 256<<10)))
	held := heldBase + heldPerByte*int64(size)
	out, stderr, code, _ = runCounted(t, "upload", "-q", "0", url, "ByteArray.saveSnapshot", file)
	if code != exitInput || out.n != 0 || !strings.Contains(stderr, "exceeds "+strconv.FormatInt(held, 10)+" bytes") || !strings.Contains(stderr, "-q and -r hold the whole JSON") {
		t.Fatalf("-q: exit %d, %d bytes out; stderr %.600q", code, out.n, stderr)
	}
}

// TestQueryBombHoldsNothing: -q held the JSON as it grew, up to its
// bound, before failing: 352 MiB allocated for a 68 MB bound. It is now
// counted first without being held, and the same error comes having
// allocated a few MiB, with call, --packet and upload.
func TestQueryBombHoldsNothing(t *testing.T) {
	url, size := replyServer(t, resultPacket(bombValue(2000, 256<<10)))
	held := heldBase + heldPerByte*int64(size)
	raw := writeFile(t, "req.amf", captureBytes(t, "default-unknown_service.request.amf"))
	file := writeFile(t, "photo.jpg", []byte("not much of a photo"))
	for _, args := range [][]string{
		{"call", "-q", "0", url, "x.y"},
		{"call", "--typed", "-r", url, "x.y"},
		{"call", "--packet", raw, "-q", "messages.0.value.0", url},
		{"upload", "-q", "0", url, "ByteArray.saveSnapshot", file},
	} {
		out, stderr, code, alloc := runCounted(t, args...)
		t.Logf("%v: exit %d, %.1f MiB allocated", args[:3], code, float64(alloc)/(1<<20))
		if code != exitInput || out.n != 0 || !strings.Contains(stderr, "exceeds "+strconv.FormatInt(held, 10)+" bytes") || !strings.Contains(stderr, "-q and -r hold the whole JSON") {
			t.Fatalf("%v: exit %d, %d bytes out; stderr %.600q", args, code, out.n, stderr)
		}
		if alloc > 32<<20 {
			t.Errorf("%v: %.1f MiB allocated under a bound of %d bytes: the JSON was held", args, float64(alloc)/(1<<20), held)
		}
	}
}

// TestQueryWarnsOnce: -q writes the JSON twice (counted, then held):
// its warnings (a cycle, a string that is not UTF-8) come once, and the
// part selected is the one printed without -q.
func TestQueryWarnsOnce(t *testing.T) {
	list := &amf.Array{}
	list.Dense = []any{"a\xff", list}
	url, _ := replyServer(t, resultPacket(amf.AVMPlus{Value: list}))
	whole, stderrWhole, code := run(t, []string{"call", "--compact", url, "x.y"}, "", nil, false)
	if code != 0 || strings.Count(stderrWhole, "warning:") != 2 {
		t.Fatalf("without -q: exit %d, stderr %q", code, stderrWhole)
	}
	for _, args := range [][]string{{"-q", "@this"}, {"-r"}} {
		stdout, stderr, code := run(t, append([]string{"call", "--compact"}, append(args, url, "x.y")...), "", nil, false)
		if code != 0 || stdout != whole || stderr != stderrWhole {
			t.Errorf("%v: exit %d, stdout %q (want %q), stderr %q (want %q)", args, code, stdout, whole, stderr, stderrWhole)
		}
	}
}
