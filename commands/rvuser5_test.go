package commands

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// countingGateway is a gateway that counts the requests it gets and
// answers none of them with AMF: a test that expects nothing sent
// checks the count.
func countingGateway(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", &n
}

// TestPacketBytesNotAPacket: call --packet FILE sends a packet's AMF
// bytes as they are, or typed JSON. AMF bytes that do not decode as a
// packet (a capture cut short, a tester's edited bytes) were read as
// JSON and refused as "json: invalid character '\x00' looking for
// beginning of value at line 1, column 1": the user was told about JSON
// they never wrote. Now the error says where the bytes stop being a
// packet (as convert --from packet says it), and the hint names a dump
// that shows it; a .sol, FLV, Socket capture or HAR file is named as
// what it is. Nothing is sent.
func TestPacketBytesNotAPacket(t *testing.T) {
	t.Parallel()
	u, sent := countingGateway(t)
	cut := writeFile(t, "cut.amf", []byte("\x00\x03\x00\x00\x00\x01\x00\x01a"))
	for _, tc := range []struct {
		args   []string
		stdin  string
		stderr string
		code   int
	}{
		{[]string{"call", "--packet", cut, u}, "",
			"amfcall: error: --packet " + cut + `: not typed JSON, and not an AMF packet: amf0: count 1 needs at least 9 bytes but 3 remain: unexpected EOF within "/messages" at offset 4` + "\n" +
				"amfcall: hint: amfcall dump --from packet " + shellWord(cut) + " shows each byte up to where it stops being a packet\n", 4},
		{[]string{"call", "--packet", captures + "default-garbage.request.amf", u}, "",
			"amfcall: error: --packet " + captures + `default-garbage.request.amf: not typed JSON, and not an AMF packet: amf0: count 26465 needs at least 211720 bytes but 5 remain: unexpected EOF within "/headers" at offset 2` + "\n" +
				"amfcall: hint: amfcall dump --from packet " + captures + "default-garbage.request.amf shows each byte up to where it stops being a packet\n", 4},
		// Hex text of a packet cut short: the offset is in the decoded bytes.
		{[]string{"call", "--packet", "-", u}, "0003000000010001\n",
			`amfcall: error: --packet stdin (hex-decoded): not typed JSON, and not an AMF packet: amf0: count 1 needs at least 9 bytes but 2 remain: unexpected EOF within "/messages" at offset 4` + "\n" +
				"amfcall: hint: amfcall dump --from packet FILE shows each byte up to where it stops being a packet\n", 4},
		{[]string{"call", "--packet", "../testdata/sol/shared.sol", u}, "",
			"amfcall: error: --packet ../testdata/sol/shared.sol: the input is a .sol file, not an AMF packet\n" +
				"amfcall: hint: amfcall convert ../testdata/sol/shared.sol shows what it holds\n", 4},
		{[]string{"call", "--packet", "../testdata/flv/ffmpeg-lavf58-head.flv", u}, "",
			"amfcall: error: --packet ../testdata/flv/ffmpeg-lavf58-head.flv: the input is an FLV file, not an AMF packet\n" +
				"amfcall: hint: amfcall convert ../testdata/flv/ffmpeg-lavf58-head.flv shows what it holds\n", 4},
		{[]string{"call", "--packet", "../testdata/socket/amfcall-client.frames", u}, "",
			"amfcall: error: --packet ../testdata/socket/amfcall-client.frames: the input holds AMF Socket frames, not an AMF packet\n" +
				"amfcall: hint: amfcall convert ../testdata/socket/amfcall-client.frames shows what it holds\n", 4},
		{[]string{"call", "--packet", "../testdata/har/pyamf.har", u}, "",
			"amfcall: error: --packet ../testdata/har/pyamf.har: this is a HAR file, not a packet\n" +
				"amfcall: hint: re-send its N-th AMF request with --from-har ../testdata/har/pyamf.har#N; amfcall convert ../testdata/har/pyamf.har lists them\n", 2},
		// JSON is still read as JSON, and its errors are JSON's.
		{[]string{"call", "--packet", "-", u}, "{",
			"amfcall: error: --packet stdin: json: unexpected end of JSON input at line 1, column 2 (offset 1)\n" +
				`amfcall: hint: write the packet as amfcall convert --typed prints one: {"version": 0, "headers": [], "messages": [...]}` + "\n", 4},
	} {
		checkCase(t, cliCase{args: tc.args, stdin: tc.stdin, code: tc.code, stderr: tc.stderr})
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
	// The hint followed as written: dump shows the fault at the same offset.
	stdout, stderr, code := run(t, []string{"dump", "--from", "packet", cut}, "", nil, false)
	if code != 4 || !strings.Contains(stdout, "1 message, but only 3 bytes left") || !strings.Contains(stderr, "at offset 4") {
		t.Errorf("dump --from packet: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestHARHintsNameTheFile: the hints of a HAR file given to dump, or to
// convert --to amf3, wrote FILE where the user had just typed the file's
// name, and convert's said "amfcall call --offline --from-har FILE#N",
// which prints JSON, for the bytes asked with --to. They name the file
// now, and convert's command, followed as written (N = 1, req.amf in a
// temporary folder), writes the request's bytes, which dump explains.
func TestHARHintsNameTheFile(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, []string{"convert", "--to", "amf3", harFile}, "", nil, false)
	const prefix = "amfcall: hint: write the bytes of its N-th AMF request: "
	i := strings.Index(stderr, prefix)
	if code != exitUsage || i < 0 {
		t.Fatalf("convert --to amf3 %s: exit %d\n%s", harFile, code, stderr)
	}
	line := stderr[i+len(prefix):]
	line = line[:strings.Index(line, ";")]
	want := "amfcall call --offline --from-har " + harFile + "#N --save-request req.amf"
	if line != want {
		t.Fatalf("hint command %q, want %q", line, want)
	}
	out := filepath.Join(t.TempDir(), "req.amf")
	args := strings.Fields(strings.NewReplacer("#N", "#1", "req.amf", out).Replace(line))[1:]
	if _, stderr, code := run(t, args, "", nil, false); code != 0 {
		t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	stdout, stderr, code := run(t, []string{"dump", out}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `target "nosuch.method"`) {
		t.Errorf("dump of the saved request: exit %d\n%s%s", code, stdout, stderr)
	}
	// dump names the file too, in both of its hints.
	_, stderr, _ = run(t, []string{"dump", harFile}, "", nil, false)
	if strings.Contains(stderr, "FILE") || !strings.Contains(stderr, "--from-har "+harFile+"#N") ||
		!strings.Contains(stderr, "amfcall convert "+harFile+" shows") {
		t.Errorf("dump %s:\n%s", harFile, stderr)
	}
}

// TestFromHARUnreachableURLHint: call --from-har FILE#N with no URL sends
// to the URL the HAR holds. When nothing answers there (the captured
// production host, a port long closed), the error named that URL and
// said to check it, but not that another can be given: a hint now says
// so, and the command it names, with the URL filled in, re-sends the
// capture to the gateway given. A URL given on the command line gets no
// such hint.
func TestFromHARUnreachableURLHint(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/gateway"
	ln.Close()
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	har := writeFile(t, "cap.har", bytes.ReplaceAll(data, []byte("http://127.0.0.1:8000/gateway"), []byte(closed)))
	_, stderr, code := run(t, []string{"call", "--from-har", har + "#1"}, "", nil, false)
	const prefix = "amfcall: hint: the URL is the HAR's; to send the request to another gateway, give one: "
	i := strings.Index(stderr, prefix)
	if code != exitNetwork || !strings.Contains(stderr, "("+closed+")") || i < 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	hinted := strings.TrimSuffix(stderr[i+len(prefix):], "\n")
	if want := "amfcall call --from-har " + shellWord(har+"#1") + " URL"; hinted != want {
		t.Fatalf("hint names %q, want %q", hinted, want)
	}
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	args := []string{"call", "--from-har", har + "#1", u} // the hint's words, unquoted, URL filled in
	checkCase(t, cliCase{args: args, stdout: unknownReplyJSON + "\n",
		stderr: "amfcall: /1/onStatus: Service.ResourceNotFound: Unknown service nosuch.method\namfcall: error: the reply body is a fault\n", code: exitFault})
	// A URL the user gave is not the HAR's: no hint about the HAR.
	_, stderr, _ = run(t, []string{"call", "--from-har", har + "#1", closed}, "", nil, false)
	if strings.Contains(stderr, "the HAR's") {
		t.Errorf("a given URL got the HAR hint:\n%s", stderr)
	}
}

// TestQueryFlagElsewhere: -q and -r are call's (and upload's, snapshots',
// subscribe's); a jq user who tries them on convert or dump was told
// only to read --help, which lists neither. The hint now says where
// they are and that jq does it; call, which has them, gets no such hint.
func TestQueryFlagElsewhere(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ args []string }{
		{[]string{"convert", "-q", "messages.0.target", captures + "default-fail.request.amf"}},
		{[]string{"convert", "-r", captures + "default-fail.request.amf"}},
		{[]string{"dump", "--query", "x", captures + "default-fail.request.amf"}},
	} {
		typed := tc.args[1]
		name := "amfcall " + tc.args[0]
		json := "its JSON"
		if tc.args[0] == "dump" {
			json = "its JSON (--format json)"
		}
		checkCase(t, cliCase{args: tc.args, code: exitUsage,
			stderr: "amfcall: error: unknown flag " + typed + " for " + name + "\n" +
				"amfcall: hint: " + name + " has no " + typed + " (call, upload, snapshots and subscribe have -q and -r): pipe " + json + " into jq instead (| jq '.a.b', or jq -r for text)\n" +
				"amfcall: hint: run \"" + name + " --help\" for the flags\n"})
	}
	// call has them: no such hint there.
	_, stderr, _ := run(t, []string{"call", "-q"}, "", nil, false)
	if strings.Contains(stderr, "jq") {
		t.Errorf("call -q:\n%s", stderr)
	}
}

// TestVerboseSaysWhatWasSaved: -v traced the request and reply packets
// but said nothing of --save-request and --save-response, so a tester
// could not tell from the trace whether (and how much) was kept. -v now
// says, after each is written, how many bytes went to which file; the
// counts are the files' sizes. Without -v nothing more is said.
func TestVerboseSaysWhatWasSaved(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	dir := t.TempDir()
	req, resp := filepath.Join(dir, "req.amf"), filepath.Join(dir, "resp.amf")
	_, stderr, code := run(t, []string{"call", "-v", "--packet", captures + "default-fail.request.amf",
		"--save-request", req, "--save-response", resp, u}, "", nil, false)
	if code != exitFault {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for flag, path := range map[string]string{"--save-request": req, "--save-response": resp} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("amfcall: %s: %d bytes written to %s\n", flag, st.Size(), path); !strings.Contains(stderr, want) {
			t.Errorf("-v does not say %q:\n%s", want, stderr)
		}
	}
	_, stderr, _ = run(t, []string{"call", "--offline", "--save-request", req, u, "a.b"}, "", nil, false)
	if stderr != "" {
		t.Errorf("without -v: %q", stderr)
	}
}

// TestDumpFromHintNamesDumpsFormats: dump's hint for bytes read as bare
// AMF3 by default listed convert's --from examples, "amf0, packet,
// json...", and dump --from json is refused ("dump reads AMF, not
// JSON"). It lists dump's own now; each one it names, given to dump, is
// read as that format (an error about the bytes, exit 4, never a usage
// error).
func TestDumpFromHintNamesDumpsFormats(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, []string{"dump"}, "0a0b01096104\n", nil, false)
	const prefix = "amfcall: hint: it was read as bare AMF3 values, the default; --from says what it is ("
	i := strings.Index(stderr, prefix)
	if code != exitInput || i < 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	list := stderr[i+len(prefix):]
	list = strings.TrimSuffix(list[:strings.Index(list, ")")], "...")
	if list != "amf0, packet, sol, flv, socket" {
		t.Errorf("the hint names %q", list)
	}
	for _, f := range strings.Split(list, ", ") {
		_, stderr, code := run(t, []string{"dump", "--from", "hex:" + f}, "0a0b01096104\n", nil, false)
		if code != exitInput || strings.Contains(stderr, "reads AMF, not") {
			t.Errorf("dump --from hex:%s: exit %d\n%s", f, code, stderr)
		}
	}
}

// TestWholePacketArgsHintFollowed: call --packet FILE URL TARGET (or
// --from-har) is refused, and the hint said "amfcall convert --typed,
// change it, then call --packet FILE" (no file named, and convert's
// output went nowhere). It names the user's packet and URL now; its
// commands, run as written (packet.json in a temporary folder), send the
// same bytes as the packet itself.
func TestWholePacketArgsHintFollowed(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	src := captures + "default-fail.request.amf"
	_, stderr, code := run(t, []string{"call", "--packet", src, u, "echo.echo", "1"}, "", nil, false)
	const prefix = "amfcall: hint: to change its target or arguments, edit it as typed JSON: "
	i := strings.Index(stderr, prefix)
	if code != exitUsage || i < 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	steps := strings.Split(strings.TrimSuffix(stderr[i+len(prefix):], "\n"), ", ")
	want := []string{"amfcall convert --typed " + src + " > packet.json", "edit packet.json", "then amfcall call --packet packet.json " + u}
	if strings.Join(steps, "|") != strings.Join(want, "|") {
		t.Fatalf("hint steps %q, want %q", steps, want)
	}
	pj := filepath.Join(t.TempDir(), "packet.json")
	stdout, stderr, code := run(t, []string{"convert", "--typed", src}, "", nil, false) // > packet.json
	if code != 0 {
		t.Fatalf("convert: %d %s", code, stderr)
	}
	if err := os.WriteFile(pj, []byte(stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, []string{"call", "--packet", pj, u}, "", nil, false); code != exitFault {
		t.Fatalf("call --packet packet.json: exit %d\n%s", code, stderr)
	}
	if r := gw.requests(); len(r) != 1 || !bytes.Equal(r[0], captureBytes(t, "default-fail.request.amf")) {
		t.Errorf("sent %x, want the capture's bytes", r)
	}
}

// TestVerboseHintsPointAtTheTrace: a gateway's 400 was answered with
// "see what was sent with -v" even when -v was given and the request
// packet was printed just above; the hint points at the trace then.
func TestVerboseHintsPointAtTheTrace(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad request", http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/"
	_, stderr, code := run(t, []string{"call", u, "a.b"}, "", nil, false)
	if code != exitNetwork || !strings.HasSuffix(stderr, "amfcall: hint: see what was sent with -v; try --amf3\n") {
		t.Errorf("without -v: exit %d\n%s", code, stderr)
	}
	_, stderr, code = run(t, []string{"call", "-v", u, "a.b"}, "", nil, false)
	if code != exitNetwork || strings.Contains(stderr, "with -v") ||
		!strings.HasSuffix(stderr, "amfcall: hint: the trace above shows what was sent; try --amf3\n") ||
		!strings.Contains(stderr, "* request packet:") ||
		strings.Index(stderr, "* request packet:") > strings.Index(stderr, "amfcall: error:") {
		t.Errorf("with -v: exit %d\n%s", code, stderr)
	}
}

// TestFLVOutputKeepsVideo: "convert video.flv > video.json", then
// "convert video.json -o video.flv" replaced the video with an FLV of
// its script data tags alone (253 bytes became 188: the video tag was
// gone), without a word. -o now refuses an FLV file that holds audio or
// video, before reading the input, and leaves it as it was; a new file,
// or an FLV of script tags only, is written as before.
func TestFLVOutputKeepsVideo(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vid := filepath.Join(dir, "video.flv")
	if err := os.WriteFile(vid, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	js, stderr, code := run(t, []string{"convert", vid}, "", nil, false)
	if code != 0 {
		t.Fatalf("convert: %d %s", code, stderr)
	}
	bin := filepath.Join(dir, "video.bin") // no name that asks for FLV
	if err := os.WriteFile(bin, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		file string
	}{
		{[]string{"convert", "-o", vid}, vid},                // the name asks for FLV
		{[]string{"convert", "--to", "flv", "-o", vid}, vid}, // --to does
		{[]string{"convert", "-o", bin}, bin},                // the JSON does ({"flv": ...})
	} {
		checkCase(t, cliCase{args: tc.args, stdin: js, code: exitUsage,
			stderr: "amfcall: error: -o " + tc.file + ": this FLV file holds video (tag 1, at offset 192), and the FLV written from JSON holds script data tags only: replacing it would lose them\n" +
				"amfcall: hint: write the FLV to another file (-o new.flv); its onMetaData cannot be put back into this video by amfcall\n"})
		if b, _ := os.ReadFile(tc.file); !bytes.Equal(b, orig) {
			t.Fatalf("%v: the video is now %d bytes, was %d", tc.args, len(b), len(orig))
		}
	}
	// Another name is written; an FLV of script tags only is replaced.
	meta := filepath.Join(dir, "meta.flv")
	for i := 0; i < 2; i++ {
		checkCase(t, cliCase{args: []string{"convert", "-o", meta}, stdin: js})
	}
	if st, err := os.Stat(meta); err != nil || st.Size() == 0 || st.Size() >= int64(len(orig)) {
		t.Errorf("meta.flv: %v %v", st, err)
	}
}

// TestFramesOutputNeedsToSocket: "convert --typed cap.frames > cap.json"
// then "convert cap.json -o cap.frames" wrote the JSON lines over the
// capture as bare AMF3 values (the default for JSON), frames gone and
// nothing said. -o now refuses a file of frames unless --to (or, since
// rvdata6, a .frames name: TestConvertOutputFramesName) says what to
// write; with --to socket, as the hint says, the capture comes back
// byte for byte.
func TestFramesOutputNeedsToSocket(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile("../testdata/socket/bytearray-node-server.frames")
	if err != nil {
		t.Fatal(err)
	}
	cap := filepath.Join(t.TempDir(), "cap.bin")
	if err := os.WriteFile(cap, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	js, stderr, code := run(t, []string{"convert", "--typed", cap}, "", nil, false)
	if code != 0 {
		t.Fatalf("convert --typed: %d %s", code, stderr)
	}
	checkCase(t, cliCase{args: []string{"convert", "-o", cap}, stdin: js, code: exitUsage,
		stderr: "amfcall: error: -o " + cap + ": this file holds AMF Socket frames, and the JSON would be written over it as bare AMF3 values, without frames\n" +
			"amfcall: hint: JSON lines become frames with --to socket; --to amf3 writes the bare values over it all the same\n"})
	if b, _ := os.ReadFile(cap); !bytes.Equal(b, orig) {
		t.Fatal("the capture was changed")
	}
	checkCase(t, cliCase{args: []string{"convert", "--to", "socket", "-o", cap}, stdin: js})
	if b, _ := os.ReadFile(cap); !bytes.Equal(b, orig) {
		t.Error("--to socket: not the same bytes")
	}
	// Bare values over bare values, asked with --to amf3 or not, as before.
	vals := filepath.Join(t.TempDir(), "v.bin")
	for _, args := range [][]string{{"convert", "-o", vals}, {"convert", "-o", vals}, {"convert", "--to", "amf3", "-o", cap}} {
		checkCase(t, cliCase{args: args, stdin: js})
	}
}

// TestPacketAfterHTTPHead: a request saved from a proxy with its HTTP
// head ("POST /gateway HTTP/1.1 ... \r\n\r\n" and the AMF body) is read
// by convert and dump, which skip the text before the packet with a
// warning, but call --packet refused it. It reads it the same way now:
// the packet after the head is sent, byte for byte, and the warning says
// what was skipped and how many bytes are sent.
func TestPacketAfterHTTPHead(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	pkt := captureBytes(t, "default-fail.request.amf")
	head := fmt.Sprintf("POST /gateway HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(pkt))
	raw := writeFile(t, "req.http", append([]byte(head), pkt...))
	_, stderr, code := run(t, []string{"call", "--packet", raw, u}, "", nil, false)
	want := fmt.Sprintf(`amfcall: warning: --packet %s: %d bytes before the AMF packet, skipped: "POST /gateway HTTP/1.1\x0d\x0aHost: 127.0.0.1:8000\x0d\x0aContent-Type: application/x-amf\x0d\x0aContent-Length: %d\x0d\x0a\x0d\x0a"; the %d bytes of the packet after them are sent`+"\n",
		raw, len(head), len(pkt), len(pkt))
	if code != exitFault || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d\n%s\nwant it to start with\n%s", code, stderr, want)
	}
	if r := gw.requests(); len(r) != 1 || !bytes.Equal(r[0], pkt) {
		t.Errorf("sent %x, want the capture's bytes %x", r, pkt)
	}
}

// TestLayoutFlagsOnAMFOutput: convert --pretty (or --compact) of JSON
// to AMF dropped the flag without a word, where --typed gets a warning
// in the same case; each now says it applies to JSON output only. JSON
// output takes them as before, silently.
func TestLayoutFlagsOnAMFOutput(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "p.amf")
	checkCase(t, cliCase{args: []string{"convert", "--pretty", "-o", out}, stdin: `{"messages": []}`,
		stderr: "amfcall: warning: --pretty applies to JSON output: the output is AMF (packet)\n"})
	checkCase(t, cliCase{args: []string{"convert", "--compact", "--to", "hex:amf3"}, stdin: `1`, stdout: "0401\n",
		stderr: "amfcall: warning: --compact applies to JSON output: the output is AMF (amf3)\n"})
	checkCase(t, cliCase{args: []string{"convert", "--compact", "--from", "hex"}, stdin: "0401", stdout: "1\n"})
}
