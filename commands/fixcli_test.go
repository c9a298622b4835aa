package commands

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// call --save-response FILE replaced FILE with an empty or partial reply
// when the exchange failed before the reply was whole (a declared size
// over the limit, a connection lost mid-body). The old file is kept and a
// warning says so; a whole reply, even one that fails to decode, is
// still saved.
func TestSaveResponseKeepsFileOnPartialReply(t *testing.T) {
	t.Parallel()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Header().Set("Content-Length", "100000000000")
		w.WriteHeader(200)
	}))
	defer huge.Close()
	// 200 OK, Content-Length 100, 10 bytes, then the connection closes.
	cut := acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		br := bufio.NewReader(nc)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body) // unread bytes would make the close a reset
		nc.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Length: 100\r\n\r\n\x00\x03\x00\x00\x00\x01\x00\x0b/1/"))
	})
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write([]byte("garbage"))
	}))
	defer junk.Close()
	for _, tc := range []struct {
		name, url, want string
		keep            bool
	}{
		{"declared too large", huge.URL, "left as it was: the reply was not received whole (0 bytes of it were read)", true},
		{"cut short", "http://" + cut + "/", "left as it was: the reply was not received whole (11 bytes of it were read)", true},
		{"whole but not AMF", junk.URL, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "r.bin")
			if err := os.WriteFile(file, []byte("KEEP\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := run(t, []string{"call", "--save-response", file, tc.url, "x.y"}, "", nil, false)
			if code != exitNetwork {
				t.Errorf("exit %d, want 3; stderr %s", code, stderr)
			}
			got, _ := os.ReadFile(file)
			switch {
			case tc.keep && string(got) != "KEEP\n":
				t.Errorf("the file now holds %q; want it kept", got)
			case !tc.keep && string(got) != "garbage":
				t.Errorf("the file holds %q; want the whole reply", got)
			}
			if tc.want != "" && !strings.Contains(stderr, "amfcall: warning: --save-response "+file+" "+tc.want) {
				t.Errorf("stderr %s\nwant the warning %q", stderr, tc.want)
			}
			if !tc.keep && !strings.HasSuffix(stderr, "amfcall: hint: the reply's 7 bytes are in "+file+": amfcall dump "+shellWord(file)+" shows each byte up to the fault\n") {
				t.Errorf("stderr %s\nwant the hint that names the file", stderr)
			}
		})
	}
}

// A reply labelled application/x-amf that is not AMF (junk, nested too
// deep) is the gateway's failure: exit 3 with the offset (cli.md: "3 ...
// a reply that is not AMF"); it was 4, malformed input. The same bytes
// given to convert are the user's input: still 4.
func TestReplyNotAMFIsNetworkError(t *testing.T) {
	t.Parallel()
	deep := "\x00\x00\x00\x00\x00\x01\x00\x0b/1/onResult\x00\x04null\xff\xff\xff\xff\x11" + strings.Repeat("\x09\x03\x01", 1000) + "\x01"
	for _, tc := range []struct{ name, body, want string }{
		{"junk", "garbage", "amf: unsupported packet version 26465 (want 0, 1 or 3) at offset 0"},
		{"too deep", deep, "at offset "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-amf")
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, stderr, code := run(t, []string{"call", srv.URL, "x.y"}, "", nil, false)
			if code != exitNetwork || !strings.Contains(stderr, "the reply from "+srv.URL+" is not a valid AMF packet: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("call: exit %d, stderr %s; want 3 and %q", code, stderr, tc.want)
			}
			in := writeFile(t, "reply.amf", []byte(tc.body))
			_, stderr, code = run(t, []string{"convert", "--from", "packet", in}, "", nil, false)
			if code != exitInput {
				t.Errorf("convert of the same bytes: exit %d, stderr %s; want 4", code, stderr)
			}
		})
	}
}

// An -H, --user-agent or --referer value with a line break or another
// control character, or a header name that is no token, is a usage error
// (2) found before anything is sent; it was a "connection failed ... try
// again" (3) from net/http.
func TestBadHeaderFlagsAreUsageErrors(t *testing.T) {
	t.Parallel()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"-H", "X: a\r\nInjected: 1"}, `error: -H "X: a\r\nInjected: 1": the value holds a line break`},
		{[]string{"-H", "X: a\nb"}, `the value holds a line break`},
		{[]string{"-H", "X: a\x00b"}, `the value holds the control character \x00`},
		{[]string{"-H", "X(y): 1"}, `error: -H "X(y): 1": the name "X(y)" holds '(', which a header name can't`},
		{[]string{"--user-agent", "ua\r\nX: 1"}, `error: --user-agent "ua\r\nX: 1": the value holds a line break`},
		{[]string{"--referer", "http://r/\n"}, `error: --referer "http://r/\n": the value holds a line break`},
	} {
		args := append(append([]string{"call"}, tc.flags...), srv.URL, "echo.echo", "1")
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "connection failed") {
			t.Errorf("%q: exit %d, stderr %s; want 2 and %s", tc.flags, code, stderr, tc.want)
		}
	}
	// A tab is allowed in a value.
	if _, stderr, code := run(t, []string{"call", "-H", "X: a\tb", srv.URL, "echo.echo", "1"}, "", nil, false); code == exitUsage {
		t.Errorf("a tab in a value: %s", stderr)
	}
	if hits != 1 {
		t.Errorf("the gateway was called %d times; want 1 (the tab)", hits)
	}
}

// A redirect to file:// and a reply whose header fields pass net/http's
// 10 MiB are no connection failures: they were worded "connection failed
// ...; the connection failed; try again".
func TestRedirectSchemeAndHugeHeadersWording(t *testing.T) {
	t.Parallel()
	file := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusTemporaryRedirect)
	}))
	defer file.Close()
	_, stderr, code := run(t, []string{"call", file.URL, "x.y"}, "", nil, false)
	if code != exitNetwork || !strings.Contains(stderr, "redirect refused ("+file.URL+"): HTTP 307 Temporary Redirect: the gateway redirects to file:///etc/passwd: only http and https locations are followed") ||
		strings.Contains(stderr, "try again") {
		t.Errorf("redirect to file://: exit %d, stderr %s", code, stderr)
	}
	big := acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		req, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body) // unread bytes would make the close a reset
		nc.Write([]byte("HTTP/1.1 200 OK\r\nX-Big: "))
		nc.Write([]byte(strings.Repeat("a", 11<<20)))
		nc.Write([]byte("\r\n\r\n"))
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, nc) // until the client gives up on it
	})
	_, stderr, code = run(t, []string{"call", "http://" + big + "/", "x.y"}, "", nil, false)
	if code != exitNetwork || !strings.Contains(stderr, "reply too large (http://"+big+"/): the reply's HTTP header fields exceed the 256 KiB read of them") ||
		strings.Contains(stderr, "try again") || strings.Contains(stderr, "--max-response-size") {
		t.Errorf("11 MiB of headers: exit %d, stderr %s", code, stderr)
	}
}

// serve --socket warns about odd frames (not RPC objects, bytes after the
// value) at the default level, once per kind with a count at the end, as
// README says; it did only with -v.
func TestServeSocketWarnsOddFramesWithoutVerbose(t *testing.T) {
	_, saddr, stop := serveWithSocket(t, "127.0.0.1:0", "127.0.0.1:0")
	nc, err := net.Dial("tcp", saddr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	frames := strings.Repeat("\x00\x00\x00\x02\x04\x05", 3) + "\x00\x00\x00\x03\x04\x05\x01"
	if _, err := nc.Write([]byte(frames)); err != nil {
		t.Fatal(err)
	}
	nc.(*net.TCPConn).CloseWrite()
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, nc) // serve has read it all and closed
	_, stderr := stop()
	for _, want := range []string{
		"amfcall: warning: socket: frame 1 ignored: not an RPC object",
		"amfcall: warning: socket: frame 4: 1 bytes after its value ignored",
		"amfcall: warning: socket: 4 frames that are not RPC objects (ignored) in all on this connection",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve's stderr:\n%s\nwant %q", stderr, want)
		}
	}
}

// list, describe and probe --format json lay out their JSON as call does
// (cli.md): compact in a pipe, indented on a terminal, --pretty and
// --compact force either. They always indented, and refused --compact.
func TestGatewayJSONLayout(t *testing.T) {
	u := serveGateway(t)
	for _, cmd := range [][]string{{"list", u}, {"describe", u, "echo"}, {"probe", u}} {
		for _, tc := range []struct {
			flags    []string
			term     bool
			indented bool
		}{
			{nil, false, false},
			{nil, true, true},
			{[]string{"--pretty"}, false, true},
			{[]string{"--compact"}, true, false},
		} {
			args := append(append([]string{cmd[0], "--format", "json"}, tc.flags...), cmd[1:]...)
			stdout, stderr, code := run(t, args, "", nil, tc.term)
			lines := strings.Count(stdout, "\n")
			if code != 0 || !strings.HasPrefix(stdout, "{") || (tc.indented && (lines < 3 || !strings.HasPrefix(stdout, "{\n  \""))) || (!tc.indented && lines != 1) {
				t.Errorf("%v (terminal %v): exit %d, %d lines, stderr %s\n%.300s", args, tc.term, code, lines, stderr, stdout)
			}
		}
		args := append([]string{cmd[0], "--format", "json", "--pretty", "--compact"}, cmd[1:]...)
		if _, stderr, code := run(t, args, "", nil, false); code != exitUsage || !strings.Contains(stderr, "--pretty can't be used with --compact") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

// "amfcall help socket call" printed socket's help, not socket call's;
// socket's usage line did not say it takes a COMMAND.
func TestHelpOfSubcommand(t *testing.T) {
	t.Parallel()
	want, _, code := run(t, []string{"socket", "call", "--help"}, "", nil, false)
	if code != 0 || !strings.Contains(want, "amfcall socket call - send requests") {
		t.Fatalf("socket call --help: %d\n%s", code, want)
	}
	got, stderr, code := run(t, []string{"help", "socket", "call"}, "", nil, false)
	if code != 0 || got != want {
		t.Errorf("help socket call: exit %d, %s\n%s\nwant\n%s", code, stderr, got, want)
	}
	got, _, _ = run(t, []string{"help", "socket"}, "", nil, false)
	if !strings.Contains(got, "USAGE:\n   amfcall socket COMMAND [command options]") {
		t.Errorf("help socket:\n%s", got)
	}
	_, stderr, code = run(t, []string{"help", "socket", "nosuch"}, "", nil, false)
	if code != exitUsage || !strings.Contains(stderr, `no command "nosuch" in amfcall socket`) {
		t.Errorf("help socket nosuch: exit %d, %s", code, stderr)
	}
}

// call's error when the reply's JSON passes --max-output names the reply
// and its URL (it named nothing: the request, the reply or a file?); a
// 400 hints "try --amf3" only when the request was AMF0 and built by
// amfcall.
func TestCallReplyErrorsSayWhere(t *testing.T) {
	t.Parallel()
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: strings.Repeat("x", 200)}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if strings.HasSuffix(r.URL.Path, "/400") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	defer srv.Close()
	_, stderr, code := run(t, []string{"call", "--max-output", "50", srv.URL + "/gw", "x.y"}, "", nil, false)
	if code != exitInput || !strings.HasPrefix(stderr, "amfcall: error: the reply from "+srv.URL+"/gw: ") || !strings.Contains(stderr, "50") {
		t.Errorf("--max-output 50: exit %d, stderr %s", code, stderr)
	}
	pkt := writeFile(t, "req.amf", captureBytes(t, "default-echo_amf3_rich.request.amf"))
	for _, tc := range []struct {
		args []string
		amf3 bool
	}{
		{[]string{"call", srv.URL + "/400", "x.y"}, true},
		{[]string{"call", "--amf3", srv.URL + "/400", "x.y"}, false},
		{[]string{"call", "--packet", pkt, srv.URL + "/400"}, false},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != exitNetwork || strings.Contains(stderr, "try --amf3") != tc.amf3 || !strings.Contains(stderr, "hint: see what was sent with -v") {
			t.Errorf("%v: exit %d, stderr %s; want the --amf3 hint: %v", tc.args, code, stderr, tc.amf3)
		}
	}
}

// call @FILE over what a ByteArray holds (256 MiB - 1) fails before the
// file is read, naming the argument and the file; it was read whole,
// then failed to encode naming neither.
func TestByteArrayArgumentTooLarge(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "sp.bin")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 300<<20); err != nil { // sparse
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"call", "--offline", "http://x/", "a.b", "1", "@" + big}, "", nil, false)
	if want := "amfcall: error: argument 2: " + big + " is 314572800 bytes; an AMF3 ByteArray holds at most 268435455 bytes (256 MiB - 1)\n"; code != exitUsage || !strings.HasPrefix(stderr, want) || strings.Contains(stderr, "upload") {
		t.Errorf("exit %d, stderr %q\nwant %q", code, stderr, want)
	}
}

// -d @FILE of an AMF packet hints --packet (it hinted quoting the whole
// binary file as a JSON string); other bytes hint a ByteArray argument;
// the quoting hint of a word with ' is one a shell takes.
func TestDataFileHints(t *testing.T) {
	t.Parallel()
	pkt := writeFile(t, "req.amf", captureBytes(t, "default-echo_amf3_rich.request.amf"))
	bin := writeFile(t, "x.bin", []byte("\x00\x01\x02\xffabc"))
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"-d", "@" + pkt}, "amfcall: hint: " + pkt + " is an AMF packet: send it as it is with --packet " + shellWord(pkt) + "\n"},
		{[]string{"-d", "@" + bin}, "amfcall: hint: -d takes JSON; to send the bytes of " + bin + " as a ByteArray, give " + atWord(bin) + " as an argument\n"},
		{[]string{"it's"}, "amfcall: hint: arguments are JSON: write a string with its quotes, e.g. " + shellQuote(`"it's"`) + "\n"},
	} {
		args := append([]string{"call", "--offline", "http://x/", "echo.echo"}, tc.args...)
		_, stderr, code := run(t, args, "", nil, false)
		if code != exitInput || !strings.HasSuffix(stderr, tc.hint) || strings.Count(stderr, "hint:") != 1 {
			t.Errorf("%q: exit %d, stderr %q\nwant the hint %q", tc.args, code, stderr, tc.hint)
		}
	}
}

// Polish: a URL with a port out of range is a usage error (it was a
// network error, exit 3); a bad AMFCALL_URL is named; --cacert names its
// file; subscribe --for says what timed out.
func TestPolishMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"call", "http://127.0.0.1:99999/", "echo.echo", "1"}, nil,
			"amfcall: error: invalid gateway URL \"http://127.0.0.1:99999/\": port 99999 is not from 1 to 65535\namfcall: hint: check the port in the gateway URL\n"},
		{[]string{"call", "echo.echo", "1"}, map[string]string{"NO_COLOR": "1", "AMFCALL_URL": "notaurl"},
			"amfcall: error: AMFCALL_URL: invalid gateway URL \"notaurl\": want an http:// or https:// URL\n" +
				"amfcall: hint: set AMFCALL_URL to the gateway URL, e.g. http://localhost:8000/gateway, or give the URL first\n"},
		{[]string{"call", "--cacert", writeFile(t, "ca.pem", []byte("not a certificate\n")), "https://127.0.0.1:1/", "x.y"}, nil,
			"no PEM certificate found in it\namfcall: hint: give a PEM file of CA certificates\n"},
	} {
		_, stderr, code := run(t, tc.args, "", tc.env, false)
		if code != exitUsage || !strings.HasSuffix(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q\nwant 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, stderr, _ := run(t, []string{"call", "--cacert", "/nonexistent/ca.pem", "https://127.0.0.1:1/", "x.y"}, "", nil, false); !strings.Contains(stderr, "/nonexistent/ca.pem") {
		t.Errorf("--cacert missing file: %s", stderr)
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer hang.Close()
	_, stderr, code := run(t, []string{"subscribe", "--for", "300ms", hang.URL, "chat"}, "", nil, false)
	if code != exitNetwork || !strings.Contains(stderr, "no subscription within --for 300ms: the gateway did not answer the subscribe request in that time") || strings.Contains(stderr, "30s") {
		t.Errorf("subscribe --for: exit %d, stderr %s", code, stderr)
	}
}

// A malformed -q path is a usage error before anything is sent; it gave
// null and exit 0, as a path with no value does. gjson's syntax (#,
// queries, modifiers, escapes, quoted patterns) is still taken.
func TestMalformedQueryIsUsageError(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"..[", "a.", "", "items.#(a>1", `#(name=="x)`, "a]"} {
		_, stderr, code := run(t, []string{"call", "--offline", "http://x/", "a.b", "1", "-q", q}, "", nil, false)
		if code != exitUsage || !strings.Contains(stderr, "amfcall: error: -q ") {
			t.Errorf("-q %q: exit %d, stderr %s", q, code, stderr)
		}
	}
	for _, q := range []string{"a.b.c", "items.#.name", `#(name=="x")`, `a\.b`, `#(name%"*[a*")`, "@reverse", "a|@pretty", "items.#(a>1)#.b"} {
		if _, stderr, code := run(t, []string{"call", "--offline", "http://x/", "a.b", "1", "-q", q}, "", nil, false); code != 0 {
			t.Errorf("-q %q: exit %d, stderr %s", q, code, stderr)
		}
	}
}

// convert --from amf3 (amf0, packet) of hex text hints --from hex:amf3;
// it gave the decode error alone.
func TestConvertHexTextHint(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, []string{"convert", "--from", "amf3"}, "0a0b010361040101\n", nil, false)
	if code != exitInput || !strings.HasSuffix(stderr, "amfcall: hint: the input is hex text: read it with --from hex:amf3\n") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if stdout, stderr, code := run(t, []string{"convert", "--from", "hex:amf3"}, "0a0b010361040101\n", nil, false); code != 0 {
		t.Errorf("--from hex:amf3: exit %d, %s %s", code, stdout, stderr)
	}
}
