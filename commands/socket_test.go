package commands

import (
	"context"
	"github.com/amfcall/amfcall/client/socket/sockettest"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// The socket commands run against the demo server in process and against
// misbehaving servers, all on 127.0.0.1 with timeouts of a few seconds.

func socketDemo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- (&socket.Server{Options: socket.Options{OnRequest: socket.DemoRequest}}).Serve(ctx, ln)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// misbehaving accepts one connection, reads the client's first request
// and hands it to f.
func misbehaving(t *testing.T, f func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC)) string {
	t.Helper()
	return sockettest.OneConn(t, func(nc net.Conn, fr *amf.FrameReader) {
		var v any
		if err := fr.Decode(&v); err != nil {
			t.Errorf("server: %v", err)
			return
		}
		r, err := socket.ParseRPC(v)
		if err != nil {
			t.Errorf("server: %v", err)
			return
		}
		f(nc, fr, r)
	})
}

func frameOf(t *testing.T, v any) []byte {
	b, err := amf.AppendFrame(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var idPattern = regexp.MustCompile(`amfcall:[0-9a-f]{8}:[0-9]+`)

func TestSocketCall(t *testing.T) {
	addr := socketDemo(t)
	for _, tc := range []cliCase{
		{name: "add", args: []string{"socket", "call", addr, "add", `{"a": 2, "b": 3}`}, stdout: "5\n"},
		{name: "beyond 29 bits a double", args: []string{"socket", "call", "-x", addr, "add", `{"a": 268435455, "b": 1}`}, stdout: "268435456.0\n"},
		{name: "no params", args: []string{"socket", "call", addr, "echo"}, stdout: "{}\n"},
		{name: "several in order", args: []string{"socket", "call", addr,
			"--call", `sleep={"ms": 300}`, "--call", `add={"a": 1, "b": 2.5}`, "--call", "echo"},
			stdout: "{\"slept\":300}\n3.5\n{}\n"},
		{name: "pretty on a terminal", args: []string{"socket", "call", addr, "echo", `{"a": [1]}`}, term: true,
			stdout: "{\n  \"a\": [\n    1\n  ]\n}\n"},
		{name: "answer", args: []string{"socket", "call", addr, "ask", "--answer", `question={"name": "Brian"}`},
			stdout: "{\"answer\":{\"name\":\"Brian\"}}\n"},
		{name: "unanswered", args: []string{"socket", "call", addr, "ask", `{"command": "riddle"}`},
			stdout: `{"answer":{"error":{"code":"unanswered","message":"no answer for the command \"riddle\""}}}` + "\n",
			stderr: "amfcall: warning: the peer's request \"riddle\" (\"ID\") had no answer: answering with the \"unanswered\" error result\n" +
				"amfcall: hint: answer it with --answer COMMAND=JSON\n"},
		{name: "params not an object", args: []string{"socket", "call", addr, "add", "[1, 2]"}, code: 2,
			stderr: "amfcall: error: PARAMS: params must be a JSON object, not [1, 2]\n" +
				"amfcall: hint: servers drop the connection on other params; wrap the value, e.g. '{\"value\": 5}'\n"},
		{name: "params not JSON", args: []string{"socket", "call", addr, "add", "{a"}, code: 4,
			stderr: "amfcall: error: PARAMS: json: invalid character 'a' looking for beginning of object key string at line 1, column 2 (offset 1)\n" +
				"amfcall: hint: give JSON, such as '{\"a\": 1}' (quote it for the shell)\n"},
		{name: "--call params not JSON", args: []string{"socket", "call", addr, "--call", "echo={bad}"}, code: 4,
			stderr: "amfcall: error: --call echo: json: invalid character 'b' looking for beginning of object key string at line 1, column 2 (offset 1)\n" +
				"amfcall: hint: give JSON, such as '{\"a\": 1}' (quote it for the shell)\n"},
		{name: "--answer not JSON", args: []string{"socket", "call", addr, "ask", "--answer", "question=[1,"}, code: 4,
			stderr: "amfcall: error: --answer question: json: unexpected end of JSON input at line 1, column 4 (offset 3)\n" +
				"amfcall: hint: give JSON, such as '{\"a\": 1}' (quote it for the shell)\n"},
		{name: "--call param not an object", args: []string{"socket", "call", addr, "--call", "add=5"}, code: 2,
			stderr: "amfcall: error: --call add: params must be a JSON object, not 5\n" +
				"amfcall: hint: servers drop the connection on other params; wrap the value, e.g. '{\"value\": 5}'\n"},
		{name: "--call and COMMAND", args: []string{"socket", "call", addr, "--call", "add", "echo"}, code: 2,
			stderr: "amfcall: error: amfcall socket call: too many arguments (want at most 1, got 2: \"ADDR\", \"echo\")\n" +
				"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n" +
				"amfcall: hint: with --call, the commands are given by --call only\n"},
		{name: "no command", args: []string{"socket", "call", addr}, code: 2,
			stderr: "amfcall: error: amfcall socket call: missing COMMAND\n" +
				"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n"},
		{name: "command but no address", args: []string{"socket", "call", "echo"}, code: 2,
			stderr: "amfcall: error: amfcall socket call: missing HOST:PORT (\"echo\" is not one)\n" +
				"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n"},
		{name: "no arguments", args: []string{"socket", "call"}, code: 2,
			stderr: "amfcall: error: amfcall socket call: missing HOST:PORT and COMMAND\n" +
				"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n"},
		{name: "bad address", args: []string{"socket", "call", "localhost", "add"}, code: 2,
			stderr: "amfcall: error: invalid address \"localhost\": want HOST:PORT\n" +
				"amfcall: hint: for example 127.0.0.1:9001\n"},
		{name: "timeout", args: []string{"socket", "call", addr, "sleep", `{"ms": 3000}`, "--timeout", "200ms"}, code: 3,
			stderr: "amfcall: error: socket: ADDR: no response to \"sleep\" within 200ms\n" +
				"amfcall: hint: wait longer with --timeout DURATION\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.args, "", nil, tc.term)
			stderr = strings.ReplaceAll(idPattern.ReplaceAllString(stderr, "ID"), addr, "ADDR")
			stderr = regexp.MustCompile(`within [0-9.]+m?s`).ReplaceAllString(stderr, "within 200ms") // at least that
			if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("amfcall %s\n got code %d, stdout:\n%s\nstderr:\n%s\nwant code %d, stdout:\n%s\nstderr:\n%s",
					strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestSocketCallRefused(t *testing.T) {
	addr := closedPort(t)
	_, stderr, code := run(t, []string{"socket", "call", addr, "add"}, "", nil, false)
	stderr = osText(stderr)
	want := "amfcall: error: socket: dial " + addr + ": connect: connection refused\n" +
		"amfcall: hint: is the server running? try one with: amfcall serve --socket " + addr + "\n"
	if code != 3 || stderr != want {
		t.Fatalf("code %d, stderr:\n%s\nwant 3 and\n%s", code, stderr, want)
	}
}

func TestSocketListen(t *testing.T) {
	addr := socketDemo(t)
	stdout, stderr, code := run(t, []string{"socket", "listen", addr, "--send", `push={"count": 3, "interval": 0}`,
		"--count", "2", "--message", `hello={"x": 1}`}, "", nil, false)
	want := `{"response":{"messageId":"ID","result":{"pushing":3}},"type":"rpcResponse"}
{"message":{"command":"tick","messageId":"ID","params":{"n":1,"of":3,"time":T}},"type":"rpcMessage"}
{"message":{"command":"tick","messageId":"ID","params":{"n":2,"of":3,"time":T}},"type":"rpcMessage"}
`
	stdout = regexp.MustCompile(`"time":[0-9]+`).ReplaceAllString(idPattern.ReplaceAllString(stdout, "ID"), `"time":T`)
	if code != 0 || stdout != want || stderr != "" {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s\nwant 0 and\n%s", code, stdout, stderr, want)
	}

	// --for ends a quiet listen with success; the server's requests print
	// and get their answers.
	start := time.Now()
	stdout, stderr, code = run(t, []string{"socket", "listen", addr, "--for", "300ms", "--send", "ask",
		"--answer", `question="Brian"`}, "", nil, false)
	want = `{"request":{"command":"question","messageId":"ID","params":{"text":"What is your name?"}},"type":"rpcRequest"}
{"response":{"messageId":"ID","result":{"answer":"Brian"}},"type":"rpcResponse"}
`
	if stdout = idPattern.ReplaceAllString(stdout, "ID"); code != 0 || stdout != want || stderr != "" {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s\nwant 0 and\n%s", code, stdout, stderr, want)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 5*time.Second {
		t.Errorf("--for 300ms took %v", d)
	}
}

func TestSocketVerbose(t *testing.T) {
	addr := socketDemo(t)
	_, stderr, code := run(t, []string{"socket", "call", "-vv", addr, "add", `{"a": 1, "b": 2}`}, "", nil, false)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 0 || len(lines) != 2 ||
		!regexp.MustCompile(`^> request "add", 97 bytes at \+0\.\d{3}s: \{"request":\{"command":"add","messageId":"amfcall:[0-9a-f]{8}:1","params":\{"a":1,"b":2\}\},"type":"rpcRequest"\}$`).MatchString(lines[0]) ||
		!regexp.MustCompile(`^< response, 77 bytes at \+0\.\d{3}s, [0-9.]+ ms after the request: \{"response":\{"messageId":"amfcall:[0-9a-f]{8}:1","result":3\},"type":"rpcResponse"\}$`).MatchString(lines[1]) {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}
}

func TestSocketMisbehavingServers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC)
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{name: "pings, out of order, split and pipelined",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				var v any
				if err := fr.Decode(&v); err != nil {
					t.Error(err)
					return
				}
				second, _ := socket.ParseRPC(v)
				nc.Write(frameOf(t, socket.RequestObject("p1", socket.PingCommand, &amf.Object{})))
				if err := fr.Decode(&v); err != nil { // the pong
					t.Error(err)
					return
				}
				out := frameOf(t, socket.ResponseObject(second.MessageID, "second"))
				out = append(out, frameOf(t, socket.ResponseObject(first.MessageID, "first"))...)
				for i := 0; i < len(out); i += 7 {
					nc.Write(out[i:min(i+7, len(out))])
					time.Sleep(time.Millisecond)
				}
				io.Copy(io.Discard, nc)
			},
			args: []string{"--call", "one", "--call", "two"}, stdout: "\"first\"\n\"second\"\n"},
		{name: "2 GiB length header",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				nc.Write([]byte{0x80, 0, 0, 0, 0x0a, 0x01})
				io.Copy(io.Discard, nc)
			},
			args: []string{"x"}, code: 4,
			stderr: "amfcall: error: amf: frame of 2147483648 bytes exceeds the limit of 67108864 bytes at offset 0\n" +
				"amfcall: hint: the server's first 4 bytes (hex 80 00 00 00) claim the first frame is that large: check that ADDR is an AMF Socket server; if it is and the frame is real, raise the limit with --max-frame SIZE\n"},
		{name: "an HTTP server",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				nc.Write([]byte("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"))
			},
			args: []string{"x"}, code: 4,
			stderr: "amfcall: error: amf: frame of 1213486160 bytes exceeds the limit of 67108864 bytes at offset 0\n" +
				"amfcall: hint: the server's first bytes are the text \"HTTP\", not a frame length: it is not an AMF Socket server\n" +
				"amfcall: hint: an AMF gateway over HTTP is called with: amfcall call http://ADDR/ TARGET\n"},
		{name: "a request whose id holds terminal escapes",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				nc.Write(frameOf(t, socket.RequestObject("x\x1b[2Jy", "q", &amf.Object{})))
				var v any
				if err := fr.Decode(&v); err != nil { // the "unanswered" result
					t.Error(err)
					return
				}
				nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, "done")))
				io.Copy(io.Discard, nc)
			},
			args: []string{"x"}, stdout: "\"done\"\n",
			stderr: "amfcall: warning: the peer's request \"q\" (\"x\\x1b[2Jy\") had no answer: answering with the \"unanswered\" error result\n" +
				"amfcall: hint: answer it with --answer COMMAND=JSON\n"},
		{name: "non-AMF frame",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				nc.Write([]byte("\x00\x00\x00\x04<pol"))
				io.Copy(io.Discard, nc)
			},
			args: []string{"x"}, code: 4,
			stderr: "amfcall: error: amf: frame 1 at offset 0: amf3: unknown or invalid marker 0x3c at offset 0\n"},
		{name: "not an RPC object, then the answer",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				nc.Write(frameOf(t, "hello"))
				nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, amf.Int(7))))
				io.Copy(io.Discard, nc)
			},
			args: []string{"x"}, stdout: "7\n",
			stderr: "amfcall: warning: frame 1 ignored: not an RPC object: the value is a string, not an object\n"},
		{name: "abrupt close",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {},
			args:   []string{"x"}, code: 3,
			stderr: "amfcall: error: socket: read ADDR: the peer closed the connection\n" +
				"amfcall: hint: the server closed the connection without sending a byte: if ADDR is no AMF Socket server (a TLS or HTTP port closes on bytes it cannot read), check the port; if it is one, it may be at its connection limit (amfcall serve refuses past --socket-max-conns): try again later; -v shows each frame sent\n"},
		{name: "silent",
			server: func(t *testing.T, nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
				io.Copy(io.Discard, nc)
			},
			args: []string{"x", "--idle-timeout", "0.2"}, code: 3,
			stderr: "amfcall: error: socket: ADDR: no data from the peer within 200ms\n" +
				"amfcall: hint: wait longer with --idle-timeout DURATION (0 for ever)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) { tc.server(t, nc, fr, first) })
			start := time.Now()
			stdout, stderr, code := run(t, append([]string{"socket", "call", addr}, tc.args...), "", nil, false)
			stderr = strings.ReplaceAll(stderr, addr, "ADDR")
			if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("got code %d, stdout:\n%s\nstderr:\n%s\nwant code %d, stdout:\n%s\nstderr:\n%s",
					code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// serveWithSocket runs serve with --addr httpAddr and --socket sockAddr
// in the background. It returns the HTTP and AMF Socket addresses it
// listens on, and stop, which ends it and returns its exit code and
// stderr.
func serveWithSocket(t *testing.T, httpAddr, sockAddr string) (string, string, func() (int, string)) {
	t.Helper()
	ch := make(chan context.CancelFunc, 1)
	addrs := make(chan string, 1)
	sock := make(chan string, 1)
	serveStarted = func(addr string, stop context.CancelFunc) { addrs <- addr; ch <- stop }
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { serveStarted, socketServeStarted = nil, nil })
	done := make(chan int, 1)
	var serveErr string
	go func() {
		_, stderr, code := run(t, []string{"serve", "--addr", httpAddr, "--images", t.TempDir(), "--socket", sockAddr}, "", nil, false)
		serveErr = stderr
		done <- code
	}()
	var stop context.CancelFunc
	var haddr, saddr string
	select {
	case stop = <-ch:
		haddr, saddr = <-addrs, <-sock
	case code := <-done:
		t.Fatalf("serve ended with %d: %s", code, serveErr)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not start")
	}
	return haddr, saddr, func() (int, string) {
		stop()
		c := <-done
		return c, serveErr
	}
}

func TestServeSocket(t *testing.T) {
	_, addr, stopServe := serveWithSocket(t, "127.0.0.1:0", "127.0.0.1:0")
	stdout, stderr, code := run(t, []string{"socket", "call", addr, "add", `{"a": 2, "b": 3}`}, "", nil, false)
	c, serveErr := stopServe()
	if c != 0 {
		t.Errorf("serve exit %d: %s", c, serveErr)
	}
	if code != 0 || stdout != "5\n" || stderr != "" {
		t.Fatalf("socket call: %d %q %q", code, stdout, stderr)
	}
	if !strings.Contains(serveErr, "AMF Socket server at "+addr) || !strings.Contains(serveErr, "socket client 127.0.0.1:") {
		t.Errorf("serve log:\n%s", serveErr)
	}
}

// Frame captures convert to one JSON line per frame and back, byte for
// byte in the typed form; the frames come from the AMF Socket notes.
func TestConvertSocketFrames(t *testing.T) {
	dir := t.TempDir()
	hello := "\x00\x00\x00\x51\x0a\x0b\x01\x0frequest\x0a\x01\x0fcommand\x06\x0bhello\x13messageId\x06\x07abc\x0dparams\x0a\x01\x07foo\x06\x07bar\x01\x01\x09type\x06\x15rpcRequest\x01"
	capture := hello + hello[:4] + "\x0a\x0b\x01\x11response\x0a\x01\x13messageId\x06\x07abc\x0dresult\x0a\x01\x01\x01\x09type\x06\x17rpcResponse\x01"
	capture = capture[:len(hello)] + string([]byte{0, 0, 0, byte(len(capture) - len(hello) - 4)}) + capture[len(hello)+4:]
	in := filepath.Join(dir, "capture.bin")
	if err := os.WriteFile(in, []byte(capture), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"convert", "-v", in}, "", nil, false)
	want := `{"request":{"command":"hello","messageId":"abc","params":{"foo":"bar"}},"type":"rpcRequest"}
{"response":{"messageId":"abc","result":{}},"type":"rpcResponse"}
`
	if code != 0 || stdout != want || !strings.Contains(stderr, "AMF Socket frames; guessed from the content") {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	typed, _, code := run(t, []string{"convert", "--typed", in}, "", nil, false)
	if code != 0 {
		t.Fatal(code)
	}
	back := filepath.Join(dir, "back.bin")
	if _, stderr, code := run(t, []string{"convert", "--to", "socket", "-o", back, "-"}, typed, nil, false); code != 0 {
		t.Fatalf("--to socket: %d %s", code, stderr)
	}
	got, _ := os.ReadFile(back)
	if string(got) != capture {
		t.Fatalf("round trip:\n%x\nwant\n%x", got, capture)
	}
	for _, tc := range []cliCase{
		{name: "cut short", args: []string{"convert", "--from", "socket"}, stdin: capture[:50], code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 81 bytes, but the input ends 46 bytes after it, at offset 50: unexpected EOF\n" +
				"amfcall: hint: the capture ends inside this frame: it was cut short\n"},
		{name: "cut short, recognised", args: []string{"convert"}, stdin: capture[:len(hello)+30], code: 4,
			stderr: "amfcall: error: stdin: amf: frame 2 at offset 85: its length says 59 bytes, but the input ends 26 bytes after it, at offset 115: unexpected EOF\n" +
				"amfcall: hint: the capture ends inside this frame: it was cut short\n"},
		{name: "one frame cut short, recognised", args: []string{"convert"}, stdin: capture[:50], code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 81 bytes, but the input ends 46 bytes after it, at offset 50: unexpected EOF\n" +
				"amfcall: hint: the capture ends inside this frame: it was cut short\n"},
		{name: "too large", args: []string{"convert", "--from", "socket"}, stdin: "\x80\x00\x00\x00\x0a", code: 4,
			stderr: "amfcall: error: stdin: amf: frame of 2147483648 bytes exceeds the limit of 67108864 bytes at offset 0\n"},
		{name: "frames to amf3", args: []string{"convert", "--to", "amf3", "-o", "-", in}, code: 2,
			stderr: "amfcall: error: AMF Socket frames can't be written as amf3\n" +
				"amfcall: hint: use --to json or --to socket\n"},
		{name: "hex", args: []string{"convert", "--to", "hex:socket"}, stdin: "\"hi\"\n5\n",
			stdout: "00000004060568690000000204" + "05\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestSocketNoSubcommand(t *testing.T) {
	stdout, stderr, code := run(t, []string{"socket"}, "", nil, false)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "amfcall socket call") ||
		!strings.HasSuffix(stderr, "amfcall: error: missing socket command\namfcall: hint: use \"amfcall socket call\" or \"amfcall socket listen\"\n") {
		t.Errorf("amfcall socket: code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	checkCase(t, cliCase{args: []string{"socket", "calls"}, code: 2,
		stderr: "amfcall: error: unknown socket command \"calls\"\namfcall: hint: use \"amfcall socket call\" or \"amfcall socket listen\"\n"})
}

// listen prints frames in the order they arrive, pings left out, and
// prints nothing after the --count-th message.
func TestSocketListenOrder(t *testing.T) {
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		var out []byte
		out = append(out, frameOf(t, socket.RequestObject("p", socket.PingCommand, &amf.Object{}))...)
		out = append(out, frameOf(t, socket.RequestObject("q", "question", &amf.Object{}))...)
		out = append(out, frameOf(t, socket.MessageObject("m1", "news", &amf.Object{}))...)
		out = append(out, frameOf(t, socket.ResponseObject(first.MessageID, "done"))...)
		out = append(out, frameOf(t, socket.MessageObject("m2", "news", &amf.Object{}))...)
		out = append(out, frameOf(t, socket.MessageObject("m3", "news", &amf.Object{}))...)
		nc.Write(out)
		io.Copy(io.Discard, nc)
	})
	stdout, stderr, code := run(t, []string{"socket", "listen", addr, "--send", "go", "--count", "2", "--answer", "question=42"}, "", nil, false)
	want := `{"request":{"command":"question","messageId":"q","params":{}},"type":"rpcRequest"}
{"message":{"command":"news","messageId":"m1","params":{}},"type":"rpcMessage"}
{"response":{"messageId":"ID","result":"done"},"type":"rpcResponse"}
{"message":{"command":"news","messageId":"m2","params":{}},"type":"rpcMessage"}
`
	if stdout = idPattern.ReplaceAllString(stdout, "ID"); code != 0 || stdout != want || stderr != "" {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s\nwant 0 and\n%s", code, stdout, stderr, want)
	}
}

// --message goes out, as a one-way rpcMessage, before the requests.
func TestSocketMessage(t *testing.T) {
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		if first.Kind != socket.KindMessage || first.Command != "hello" {
			t.Errorf("first frame %v, want the message hello", first.Value)
		}
		if x, _ := first.Params.(*amf.Object).Get("x"); x != amf.Int(1) {
			t.Errorf("message params %v", first.Params)
		}
		var v any
		if err := fr.Decode(&v); err != nil {
			t.Error(err)
			return
		}
		req, _ := socket.ParseRPC(v)
		nc.Write(frameOf(t, socket.ResponseObject(req.MessageID, req.Command)))
		io.Copy(io.Discard, nc)
	})
	checkCase(t, cliCase{args: []string{"socket", "call", addr, "status", "--message", `hello={"x": 1}`}, stdout: "\"status\"\n"})
}

// TestSocketTimeoutNamesTheFlag: "no response within" gives the --timeout
// the user set, not the time measured (1.001s for --timeout 1s).
func TestSocketTimeoutNamesTheFlag(t *testing.T) {
	err := socketErr(&socket.TimeoutError{What: `no response to "sleep"`, After: 1001 * time.Millisecond, Wait: socket.WaitResponse}, &socketSettings{timeout: time.Second})
	if code, _ := classify(err); code != exitNetwork || err.Error() != `socket: no response to "sleep" within 1s` {
		t.Errorf("exit %d: %v", code, err)
	}
}

// TestReachable: a listener on a wildcard address is shown as an
// address a user can paste (127.0.0.1, same port), and said to listen on
// all interfaces.
func TestReachable(t *testing.T) {
	for _, tc := range []struct {
		ip          string
		addr, where string
	}{
		{"0.0.0.0", "127.0.0.1:8000", "all interfaces (port 8000)"},
		{"::", "127.0.0.1:8000", "all interfaces (port 8000)"},
		{"127.0.0.1", "127.0.0.1:8000", ""},
		{"::1", "[::1]:8000", ""},
		{"192.0.2.7", "192.0.2.7:8000", "192.0.2.7:8000"},
	} {
		addr, where := reachable(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 8000})
		if addr != tc.addr || where != tc.where {
			t.Errorf("%s: %q, %q; want %q, %q", tc.ip, addr, where, tc.addr, tc.where)
		}
	}
}

// TestServeWildcardAddr: serve --addr 0.0.0.0:0 (and --socket [::]:0)
// prints URLs a user can paste, and they work (dialled on 127.0.0.1
// only).
func TestServeWildcardAddr(t *testing.T) {
	haddr, addr, stopServe := serveWithSocket(t, "0.0.0.0:0", "[::]:0")
	url := "http://" + haddr + "/"
	callOut, callErr, callCode := run(t, []string{"call", url, "echo.echo", `"hi"`}, "", nil, false)
	sockOut, sockErr, sockCode := run(t, []string{"socket", "call", addr, "add", `{"a": 2, "b": 3}`}, "", nil, false)
	c, serveErr := stopServe()
	if c != 0 {
		t.Fatalf("serve exit %d: %s", c, serveErr)
	}
	if !strings.HasPrefix(haddr, "127.0.0.1:") || !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("addresses %q, %q: want 127.0.0.1:PORT", haddr, addr)
	}
	_, port, _ := net.SplitHostPort(haddr)
	_, sport, _ := net.SplitHostPort(addr)
	for _, want := range []string{
		"amfcall: gateway at " + url + " (",
		"amfcall: warning: listening on all interfaces (port " + port + "): ",
		"amfcall: AMF Socket server at " + addr + " (",
		"amfcall: warning: AMF Socket server listening on all interfaces (port " + sport + "): ",
	} {
		if !strings.Contains(serveErr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, serveErr)
		}
	}
	if strings.Contains(serveErr, "[::]") || strings.Contains(serveErr, "0.0.0.0") {
		t.Errorf("stderr names a wildcard address:\n%s", serveErr)
	}
	if callCode != 0 || callOut != "\"hi\"\n" {
		t.Errorf("call %s: %d %q %q", url, callCode, callOut, callErr)
	}
	if sockCode != 0 || sockOut != "5\n" {
		t.Errorf("socket call %s: %d %q %q", addr, sockCode, sockOut, sockErr)
	}
}

// "amfcall socket help call" gives what "amfcall help socket call" and
// "amfcall socket call --help" give, as git and go take "help" after a
// command; before, it was "unknown socket command \"help\"" (exit 2).
func TestSocketHelpSubcommand(t *testing.T) {
	want, _, code := run(t, []string{"help", "socket", "call"}, "", plainEnv, false)
	if code != 0 || !strings.Contains(want, "amfcall socket call - ") {
		t.Fatalf("help socket call: code %d, stdout:\n%s", code, want)
	}
	stdout, stderr, code := run(t, []string{"socket", "help", "call"}, "", plainEnv, false)
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("socket help call: code %d, stderr %q, stdout differs from help socket call: %v", code, stderr, stdout != want)
	}
	stdout, _, code = run(t, []string{"socket", "help"}, "", plainEnv, false)
	if code != 0 || !strings.Contains(stdout, "amfcall socket - ") || !strings.Contains(stdout, "listen") {
		t.Errorf("socket help: code %d, stdout:\n%s", code, stdout)
	}
	checkCase(t, cliCase{args: []string{"socket", "help", "nope"}, code: 2,
		stderr: "amfcall: error: no command \"nope\" in amfcall socket\namfcall: hint: amfcall help socket lists them\n"})
}
