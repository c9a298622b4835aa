package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// pollBomb is a poll reply naming one message, with a body of size
// bytes, n times by reference.
func pollBomb(size, n int) any {
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
		{Name: "body", Value: strings.Repeat("x", size)}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	refs := make([]any, n)
	for i := range refs {
		refs[i] = msg
	}
	return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: refs})
}

// The messages of one poll reply share one output bound, 1000 times
// the reply's bytes as call's result has: a small reply naming one big
// message thousands of times printed that bound at each message (a
// 140 KB reply printed 10 GB).
func TestSubscribePollReplyOutputBound(t *testing.T) {
	reply := pollBomb(10_000, 3000)
	raw, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: reply}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > 20_000 {
		t.Fatalf("the bomb's reply is %d bytes: not sent by reference", len(raw))
	}
	u, _ := oddPollServer(t, func() any { return reply })
	stdout, stderr, code := run(t, []string{"subscribe", "--count", "3000", "--for", "20s", u, "chat"}, "", nil, false)
	if code != 4 {
		t.Errorf("exit %d, want 4; stderr %q", code, stderr)
	}
	// 3000 lines of 10 KB are 30 MB; the reply's bound is some 14 MB.
	if bound := 1000 * len(raw); len(stdout) > bound+10_100 {
		t.Errorf("%d bytes on stdout, past the bound of %d for the poll reply", len(stdout), bound)
	}
	for _, want := range []string{"the messages of a ", "-byte poll reply from ", "plain output exceeds", "hint: use the typed form (--typed)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%.1000s", want, stderr)
		}
	}
}

// Each poll reply gets its own bound: --max-output 1M, with two polls
// of 600 KB each, prints both.
func TestSubscribePollBoundPerReply(t *testing.T) {
	reply := pollBomb(1000, 600)
	u, polls := oddPollServer(t, func() any { return reply })
	stdout, stderr, code := run(t, []string{"subscribe", "--max-output", "1M", "--count", "1200", "--interval", "10ms", "--for", "20s", u, "chat"}, "", nil, false)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 1200 || polls.Load() < 2 {
		t.Errorf("%d lines in %d polls, want 1200 in 2", n, polls.Load())
	}
}

// probe's summary of an AMF reply it does not know quoted the fault's
// code and description whole: 100 KB strings made lines of 200 KB. Each
// text is now cut on a character's start, and escaped.
func TestProbeReplySummaryCut(t *testing.T) {
	long := strings.Repeat("é", 50_000) // 100 KB, 2 bytes a character
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fault := &amf.Object{Members: []amf.Member{{Name: "code", Value: "Code\x1b[31m" + long}, {Name: "description", Value: "line\nforged " + long}}}
		reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null", Value: fault}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, code := run(t, []string{"probe", srv.URL + "/gateway"}, "", nil, false)
	if code != 0 {
		t.Fatalf("exit %d; stderr %.300q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 4 || lines[0] != "unknown" {
		t.Fatalf("stdout %.1000q, want unknown and three probes' lines", stdout)
	}
	for _, l := range lines[1:] {
		if len(l) > 400 || !utf8.ValidString(l) || strings.ContainsAny(l, "\x1b\n") {
			t.Errorf("a line of %d bytes (valid UTF-8 %v): %.500q", len(l), utf8.ValidString(l), l)
		}
		if !strings.Contains(l, `fault Code\x1b[31mé`) || !strings.Contains(l, `"line\nforged é`) || !strings.Contains(l, `é..."`) && !strings.Contains(l, `é"...`) {
			t.Errorf("line %q lacks the start of the code and description, cut", l)
		}
	}
}

// An HTTP 400 said "the gateway could not read the request; it may
// expect AMF3" whatever was sent: with --packet or --from-har the bytes
// are the user's, sent as they are, and an AMF3 request is AMF3 already.
func TestBadRequestSaysWhatWasSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, "bad request", http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	pkt := writeFile(t, "req.amf", captureBytes(t, "default-echo_amf3_rich.request.amf"))
	har := "../testdata/har/pyamf.har#1"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "--packet", pkt, srv.URL}, "the gateway could not read the request: the packet of " + shellWord(pkt) + ", sent as it is\n"},
		{[]string{"call", "--from-har", har, srv.URL}, "the gateway could not read the request: the packet of " + shellWord(har) + ", sent as captured\n"},
		{[]string{"call", "--amf3", srv.URL, "x.y"}, "the gateway could not read the request (AMF3, as --amf3 or the Flex flags ask)\n"},
		{[]string{"call", srv.URL, "x.y"}, "the gateway could not read the request; it may expect AMF3\n"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != exitNetwork || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "AMF3\n") != strings.HasSuffix(tc.want, "AMF3\n") {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant %q in it", tc.args[:2], code, stderr, tc.want)
		}
	}
}

// A tester could not send bytes that are no valid packet: --packet
// refuses them (exit 4, nothing sent). --packet FILE --unchecked sends
// the file's bytes as they are, whatever they hold, and prints the
// reply as --packet does.
func TestPacketUnchecked(t *testing.T) {
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "read it"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, b)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	cut := []byte("\x00\x03\x00\x00\x00\x01\x00\x05x.y") // a packet cut short
	hexText := []byte("0003000000010003782e79\n")        // hex, which --packet would decode
	for _, tc := range []struct {
		name string
		data []byte
	}{{"cut.amf", cut}, {"hex.txt", hexText}, {"head.txt", append([]byte("POST /gw HTTP/1.1\r\n\r\n"), cut...)}} {
		f := writeFile(t, tc.name, tc.data)
		got = nil
		stdout, stderr, code := run(t, []string{"call", "-v", "--packet", f, "--unchecked", srv.URL}, "", nil, false)
		if code != 0 || len(got) != 1 || string(got[0]) != string(tc.data) {
			t.Errorf("%s: exit %d, the gateway got %q, want %q; stderr %s", tc.name, code, got, tc.data, stderr)
		}
		if !strings.Contains(stdout, `"value":"read it"`) {
			t.Errorf("%s: stdout %q, want the reply packet", tc.name, stdout)
		}
		if tc.name == "cut.amf" && !strings.Contains(stderr, "is not an AMF packet (sent all the same, --unchecked): amf0:") {
			t.Errorf("%s: -v does not say why it is no packet:\n%s", tc.name, stderr)
		}
	}
	got = nil
	f := writeFile(t, "cut2.amf", cut)
	if _, stderr, code := run(t, []string{"call", "--packet", f, srv.URL}, "", nil, false); code != 4 || len(got) != 0 {
		t.Errorf("without --unchecked: exit %d, %d requests; stderr %s", code, len(got), stderr)
	}
	if _, stderr, code := run(t, []string{"call", "--unchecked", srv.URL, "x.y"}, "", nil, false); code != 2 || !strings.Contains(stderr, "--unchecked applies to --packet FILE only") || len(got) != 0 {
		t.Errorf("--unchecked alone: exit %d; stderr %s", code, stderr)
	}
}
