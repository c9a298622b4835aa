package commands

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// TestSnapshotsHeadersOnlyToGateway: the -H headers go to the gateway's
// own host, not to the host its base_url names, unless
// --location-trusted; --max-download caps the total.
func TestSnapshotsHeadersOnlyToGateway(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var keys []string
	images := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.URL.Path+" key="+r.Header.Get("X-Api-Key")+" ua="+r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Write(sampleJPEG)
	}))
	t.Cleanup(images.Close)
	url := fakeSnapshots(t, func(string) any {
		return []any{images.URL + "/img/", []any{"jpg"}, names("a.jpg", "b.jpg")}
	})
	for _, tc := range []struct {
		trusted bool
		want    string
	}{
		{false, "/img/a.jpg key= ua=amfcall/x|/img/b.jpg key= ua=amfcall/x"},
		{true, "/img/a.jpg key=k1 ua=amfcall/x|/img/b.jpg key=k1 ua=amfcall/x"},
	} {
		keys = nil
		args := []string{"snapshots", "-H", "X-Api-Key: k1", "--user-agent", "amfcall/x", "--download", t.TempDir(), url}
		if tc.trusted {
			args = append([]string{"snapshots", "--location-trusted"}, args[1:]...)
		}
		_, stderr, code := runCLI(t, nil, args...)
		if code != 0 || strings.Join(keys, "|") != tc.want {
			t.Errorf("trusted=%v: exit %d, the image host got %q, want %q\n%s", tc.trusted, code, keys, tc.want, stderr)
		}
	}

	// The total cap: 314-byte images, at most 400 bytes in all.
	dir := t.TempDir()
	stdout, stderr, code := runCLI(t, nil, "snapshots", "--max-download", "400", "--download", dir, url)
	// A limit the user set: done as asked, with a warning (exit 0).
	if code != 0 || stderr != "amfcall: a.jpg: downloaded 314 bytes to "+filepath.Join(dir, "a.jpg")+"\n"+
		"amfcall: warning: b.jpg declares 314 bytes, more than the 86 bytes left of the download limit of 400 bytes (314 bytes downloaded before): 1 of 2 snapshots not downloaded; raise --max-download to fetch them all\n" ||
		!strings.Contains(stdout, `"status":"not downloaded: the total limit was reached"`) {
		t.Errorf("--max-download: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want 1", len(ents))
	}
	// One byte: said in the singular; nothing was downloaded, and the
	// image that stopped it is named with the size it declared (review F-F).
	_, stderr, code = runCLI(t, nil, "snapshots", "--max-download", "1", "--download", t.TempDir(), url)
	if code != 0 || stderr != "amfcall: warning: a.jpg declares 314 bytes, more than the 1 byte left of the download limit of 1 byte: 2 of 2 snapshots not downloaded; raise --max-download to fetch them all\n" {
		t.Errorf("--max-download 1: exit %d\n%s", code, stderr)
	}
}

// TestUploadIdleTimeout: an upload to a server that reads the request and
// never answers ends after the idle timeout (there is no overall one),
// with exit 3, and the progress line ended before the error.
func TestUploadIdleTimeout(t *testing.T) {
	t.Parallel()
	addr := acceptAll(t, func(conn net.Conn) { defer conn.Close(); io.Copy(io.Discard, conn) })
	file := writeFile(t, "x.jpg", sampleJPEG)
	_, stderr, code := runCLI(t, nil, "upload", "--idle-timeout", "0.2", "http://"+addr+"/", "ByteArray.saveSnapshot", file)
	want := "amfcall: error: timed out (http://" + addr + "/): no bytes moved for 200ms; the gateway stopped answering\n" +
		"amfcall: hint: raise --idle-timeout if the gateway is only slow (0 turns it off)\n"
	if code != 3 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	_, stderr, code = runTTY(t, "upload", "--idle-timeout", "0.2", "http://"+addr+"/", "ByteArray.saveSnapshot", file)
	if code != 3 || !strings.Contains(stderr, "\x1b[K\namfcall: error: timed out") {
		t.Errorf("progress line not ended before the error: exit %d, stderr %q", code, stderr)
	}
}

// TestVerboseMasksSecrets: -vv shows no cookie value, no Set-Cookie value
// and no secret-looking header value.
func TestVerboseMasksSecrets(t *testing.T) {
	t.Parallel()
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "cookie-secret", Path: "/"})
		w.Header().Set("X-Auth-Token", "reply-token-secret")
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	session := filepath.Join(t.TempDir(), "s.json")
	for i := 0; i < 2; i++ {
		_, stderr, code := run(t, []string{"call", "-vv", "--session", session,
			"-H", "X-Api-Key: key-secret", "-H", "X-Session-Token: token-secret", "-H", "Authorization: Basic basic-secret",
			"-H", "Accept-Language: fr", srv.URL, "svc.m"}, "", nil, false)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		for _, s := range []string{"cookie-secret", "reply-token-secret", "key-secret", "token-secret", "basic-secret"} {
			if strings.Contains(stderr, s) {
				t.Errorf("-vv shows %q:\n%s", s, stderr)
			}
		}
		for _, s := range []string{"< Set-Cookie: JSESSIONID=***; Path=/\n", "> X-Api-Key: ***\n", "> Authorization: Basic ***\n",
			"< X-Auth-Token: ***\n", "> Accept-Language: fr\n"} {
			if !strings.Contains(stderr, s) {
				t.Errorf("-vv lacks %q:\n%s", s, stderr)
			}
		}
		if i == 1 && !strings.Contains(stderr, "> Cookie: JSESSIONID=***\n") {
			t.Errorf("-vv lacks the masked cookie sent back:\n%s", stderr)
		}
	}
}

// TestOutputThroughSymlink: -o through a symbolic link replaces the
// link's target, atomically, and the link stays a link; a dangling link
// creates its target.
func TestOutputThroughSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.txt")
	if err := os.WriteFile(real, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	dangling := filepath.Join(dir, "dangling.txt")
	symlinkOrSkip(t, "real.txt", link)
	symlinkOrSkip(t, "new.txt", dangling)
	for _, tc := range []struct{ out, target string }{{link, real}, {dangling, filepath.Join(dir, "new.txt")}} {
		_, stderr, code := run(t, []string{"convert", "--to", "hex:amf3", "-o", tc.out}, "[1,2]", nil, false)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if st, err := os.Lstat(tc.out); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", tc.out)
		}
		if b, err := os.ReadFile(tc.target); err != nil || string(b) != "09050104010402\n" {
			t.Errorf("%s holds %q, %v", tc.target, b, err)
		}
	}
	if st, _ := os.Stat(real); !permIs(st.Mode(), 0o600) {
		t.Errorf("the target's permissions changed to %v", st.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("the folder holds %d entries, want 4 (no temporary files left)", len(ents))
	}
}

// TestQueryLayoutMatchesConvert: a value picked with -q is laid out and
// coloured as convert lays out and colours the same value.
func TestQueryLayoutMatchesConvert(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	for _, flags := range [][]string{{"--pretty"}, {"--color=always"}, {"--pretty", "--color=always"}} {
		got, stderr, code := run(t, append(append([]string{"call"}, flags...), gw.URL, "getSnapshots", "-q", "2"), "", nil, false)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", flags, code, stderr)
		}
		plain, _, _ := run(t, []string{"call", gw.URL, "getSnapshots", "-q", "2"}, "", nil, false)
		want, _, code := run(t, append(append([]string{"convert"}, flags...), "--from", "json", "--to", "json"), plain, nil, false)
		if code != 0 || got != want {
			t.Errorf("%v: call -q wrote\n%q\nconvert writes\n%q", flags, got, want)
		}
	}
}

// TestVerboseAbbreviatesByteArrays: -v shows a ByteArray over 1 KiB as
// {"$bytes": <first 48 bytes>, "$size": N, "$cut": true} inside the
// "$amf3" switch that was sent, the same in call and upload; -vv shows it
// whole in call (upload streams it, so it stays abbreviated).
func TestVerboseAbbreviatesByteArrays(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	data := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 600) // 2400 bytes
	file := writeFile(t, "big.jpg", data)
	b64 := base64.StdEncoding.EncodeToString(data)
	cut := `{"$amf3":{"$bytes":"` + b64[:64] + `","$size":2400,"$cut":true}}`
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"call", "-v", url, "echo.echo", "@" + file}, cut, b64[:100]},
		{[]string{"upload", "-v", url, "echo.echo", file}, cut, b64[:100]},
		{[]string{"call", "-vv", url, "echo.echo", "@" + file}, `{"$amf3":{"$bytes":"` + b64 + `"}}`, `"$cut"`},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		req, _, _ := strings.Cut(stderr, "* reply packet")
		if code != 0 || !strings.Contains(req, tc.want) || strings.Contains(req, tc.not) {
			t.Errorf("%v: exit %d, the request trace lacks %.120s... or has %.40s...:\n%.600s", tc.args, code, tc.want, tc.not, stderr)
		}
	}
}

// TestConvertDetection: guesses that explain nothing believable are
// refused, saying what was tried; -v gives both sizes of hex text.
func TestConvertDetection(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "garbage packet", args: []string{"convert"}, stdin: "\x00\x03garbage", code: 4,
			stderr: "amfcall: error: stdin: cannot tell what the 9 bytes are: not a .sol or FLV file, not JSON, hex or base64 text, not an AMF packet, " +
				"not bare AMF3 values (amf3: unknown or invalid marker 0x67 at offset 2), and as AMF0 they read as the lone number 2.928672637809577e-292, which is not believable\n" +
				"amfcall: hint: --from says what it is (amf0, amf3, packet, json...)\n"},
		{name: "garbage asked for as AMF0", args: []string{"convert", "--from", "amf0"}, stdin: "\x00\x03garbage", stdout: "2.928672637809577e-292\n"},
		{name: "a real AMF0 number", args: []string{"convert"}, stdin: "\x00\x40\x09\x21\xfb\x54\x44\x2d\x18", stdout: "3.141592653589793\n"},
		{name: "lone 0x09", args: []string{"convert"}, stdin: "\x09", code: 4,
			stderr: "amfcall: error: stdin: the input is only white space (09): not JSON, and not complete AMF either (amf3: unexpected EOF at offset 1)\n" +
				"amfcall: hint: --from says what it is (amf0, amf3, packet, json...)\n"},
		{name: "really empty", args: []string{"convert"}, stdin: "", code: 4, stderr: "amfcall: error: stdin: the input is empty\n"},
		{name: "-v sizes of hex", args: []string{"convert", "-v"}, stdin: "0401 0402\n", stdout: "1\n2\n",
			stderr: "amfcall: input: stdin (hex-decoded), 10 bytes of hex text, 4 bytes decoded: bare AMF values, read as AMF3 (the default for bare values), in hex text; the kind guessed from the content\n" +
				"amfcall: output: JSON (plain, compact) to stdout\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

// TestOutputExtension: -o's extension says the form when --to does not;
// an FLV's JSON goes back to an FLV's script data, byte for byte.
func TestOutputExtension(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	flvJSON := `{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"duration":12.5,"width":640}},{"tag":1,"timestamp":1500,"name":"onCuePoint","value":{"name":"c1"},"extra":[1]}]}` + "\n"
	for _, tc := range []struct {
		stdin, out, args, want string
		code                   int
	}{
		{`{"a":1}`, "x.amf0", "", "03000161003ff00000000000000000 09", 0},
		{`{"a":1}`, "x.amf3", "", "0a0b010361040101", 0},
		{`{"a":1}`, "x.amf0", "--to amf3", "0a0b010361040101", 0},
		{`{"sol":"prefs","version":0,"data":{"a":1}}`, "x.sol", "", "00bf000000225443534f0004000000000005707265667300000000000161003ff000000000000000", 0},
		{`{"a":1}`, "x.sol", "", "", 4},
		{flvJSON, "x.flv", "", "464c5601000000000900000000", 0},
	} {
		path := filepath.Join(dir, tc.out)
		os.Remove(path)
		args := append(append([]string{"convert"}, strings.Fields(tc.args)...), "-o", path)
		_, stderr, code := run(t, args, tc.stdin, nil, false)
		got, _ := os.ReadFile(path)
		want := strings.ReplaceAll(tc.want, " ", "")
		if code != tc.code || !strings.HasPrefix(fmt.Sprintf("%x", got), want) || (tc.code != 0 && len(got) != 0) {
			t.Errorf("%s -o %s: exit %d, wrote %x, want %d and %s...\n%s", tc.stdin, tc.out, code, got, tc.code, want, stderr)
		}
	}
	// FLV -> JSON -> FLV gives the same bytes.
	flv, _ := os.ReadFile(filepath.Join(dir, "x.flv"))
	js, stderr, code := run(t, []string{"convert", "--from", "flv", "-"}, string(flv), nil, false)
	if code != 0 || js != flvJSON {
		t.Fatalf("FLV to JSON: exit %d %s\n%s", code, js, stderr)
	}
	again := filepath.Join(dir, "again.flv")
	if _, stderr, code := run(t, []string{"convert", "-o", again}, js, nil, false); code != 0 {
		t.Fatalf("JSON to FLV: exit %d %s", code, stderr)
	}
	if b, _ := os.ReadFile(again); !bytes.Equal(b, flv) {
		t.Errorf("FLV round trip differs:\n%x\n%x", b, flv)
	}
}

// TestJSONErrorLineColumn: a JSON error names the line and column, as
// well as the offset.
func TestJSONErrorLineColumn(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "{\n  \"a\": [1,\n  }\n}\n", code: 4,
		stderr: "amfcall: error: stdin: json: invalid character '}' looking for beginning of value at line 3, column 3 (offset 15)\n"})
	checkCase(t, cliCase{args: []string{"convert", "--to", "hex:amf3"}, stdin: "[1,\n 2,\n 1e999]", code: 4,
		stderr: "amfcall: error: stdin: json: number 1e999 is out of range for a double at \"/2\", line 3, column 2 (offset 9)\n"})
}

// TestSessionEndToEnd: the call --help example against serve's gateway:
// login sets a cookie and asks for a persistent SessionToken header;
// --session keeps both for the next run, which is then known; -vv shows
// neither the cookie nor the token; logout ends it.
func TestSessionEndToEnd(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	session := filepath.Join(t.TempDir(), "s.json")
	stdout, stderr, code := run(t, []string{"call", "--session", session, "-vv", url, "login", `"bob"`, `"secret"`}, "", nil, false)
	if code != 0 || stdout != `{"user":"bob","session":"started"}`+"\n" ||
		!strings.Contains(stderr, "< Set-Cookie: AMFSESSIONID=***; Path=/; HttpOnly; SameSite=Strict\n") ||
		!strings.Contains(stderr, `* the gateway asked to send the "SessionToken" header with every request`) {
		t.Fatalf("login: exit %d\n%s\n%s", code, stdout, stderr)
	}
	saved, _ := os.ReadFile(session)
	var token string
	if i := strings.Index(string(saved), `"value": "`); i >= 0 {
		token = string(saved[i+10 : i+42])
	}
	if len(token) != 32 || strings.Contains(stderr, token) {
		t.Fatalf("the token %q is missing from the session file, or shown by -vv:\n%s\n%s", token, saved, stderr)
	}
	if st, _ := os.Stat(session); !permIs(st.Mode(), 0o600) {
		t.Errorf("session file mode %v, want 0600", st.Mode().Perm())
	}
	stdout, stderr, code = run(t, []string{"call", "--session", session, "-vv", url, "session.whoami"}, "", nil, false)
	if code != 0 || stdout != `"bob"`+"\n" || !strings.Contains(stderr, "> Cookie: AMFSESSIONID=***\n") || strings.Contains(stderr, token) {
		t.Fatalf("whoami with the session: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, stderr, code := run(t, []string{"call", url, "session.whoami"}, "", nil, false); code != 1 || !strings.Contains(stderr, "Session.Required") {
		t.Errorf("whoami without the session: exit %d %s", code, stderr)
	}
	if stdout, _, code := run(t, []string{"call", "--session", session, url, "logout"}, "", nil, false); code != 0 || stdout != "true\n" {
		t.Errorf("logout: exit %d %s", code, stdout)
	}
	if _, _, code := run(t, []string{"call", "--session", session, url, "session.whoami"}, "", nil, false); code != 1 {
		t.Errorf("whoami after logout: exit %d", code)
	}
}

// TestManPage: the man page has a usage line per command, examples and
// the environment it reads.
func TestManPage(t *testing.T) {
	t.Parallel()
	man, err := manPage()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		".SH SYNOPSIS\n\\fBamfcall\\fP [\\fB\\-\\-color\\fP \\fIWHEN\\fP] \\fBcall\\fP [\\fIOPTIONS\\fP] URL TARGET [ARG...]\n",
		"\\fBconvert\\fP [\\fIOPTIONS\\fP] [FILE]\n", ".SH EXAMPLES\n", ".SH ENVIRONMENT\n", ".B AMFCALL_URL\n", ".B NO_COLOR\n",
		".B HTTPS_PROXY, HTTP_PROXY, NO_PROXY", "\\fB--proxy\\fP", "\\fB--idle-timeout\\fP", "\\fB--location-trusted\\fP", ".SH EXIT STATUS\n",
	} {
		if !strings.Contains(man, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
}

// TestProxyFlag: --proxy sends the request through the proxy given,
// whatever the environment says.
func TestProxyFlag(t *testing.T) {
	t.Parallel()
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "via proxy"}}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(proxy.Close)
	stdout, stderr, code := run(t, []string{"call", "--proxy", proxy.URL, "http://gateway.example.invalid/amf", "svc.m"}, "", nil, false)
	if code != 0 || stdout != `"via proxy"`+"\n" || len(seen) != 1 || seen[0] != "POST http://gateway.example.invalid/amf" {
		t.Errorf("exit %d, stdout %q, stderr %q, the proxy saw %q", code, stdout, stderr, seen)
	}
	_, stderr, code = run(t, []string{"call", "--proxy", "ftp://x", "http://h/", "svc.m"}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, `--proxy "ftp://x": want http://HOST:PORT`) {
		t.Errorf("bad --proxy: exit %d %s", code, stderr)
	}
}

// TestSubcommands: the flag rules, help and completion work the same for
// a command with subcommands ("amfcall socket call ..."), as other
// commands add them.
func TestSubcommands(t *testing.T) {
	t.Parallel()
	var got []string
	leaf := &cli.Command{Name: "call", ArgsUsage: "ADDR TARGET", Flags: []cli.Flag{
		&cli.StringFlag{Name: "query", Aliases: []string{"q"}},
		&cli.BoolFlag{Name: "raw", Aliases: []string{"r"}},
		&cli.StringFlag{Name: "format", Value: "auto"},
	}, Action: func(c *cli.Context) error {
		got = append(got, fmt.Sprintf("q=%s r=%v args=%v", c.String("query"), c.Bool("raw"), c.Args().Slice()))
		return nil
	}}
	parent := &cli.Command{Name: "sock", Usage: "talk AMF over a socket", Subcommands: []*cli.Command{leaf}}
	runWith := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		e := &runEnv{args: append([]string{"amfcall"}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(k string) string { return plainEnv[k] }, isTerminal: func(any) bool { return false },
			commands: append(slices.Clone(commands), parent)}
		code := e.run()
		return out.String(), errb.String(), code
	}
	if _, stderr, code := runWith("sock", "call", "h:1", "t", "-rq", "x"); code != 0 || len(got) != 1 || got[0] != "q=x r=true args=[h:1 t]" {
		t.Errorf("flags after the arguments: exit %d %q %s", code, got, stderr)
	}
	if _, stderr, code := runWith("sock", "call", "h:1", "t", "-q"); code != 2 ||
		stderr != "amfcall: error: flag -q needs a value\namfcall: hint: run \"amfcall sock call --help\" for the flags\n" {
		t.Errorf("a value flag last: exit %d %s", code, stderr)
	}
	if stdout, _, code := runWith("sock", "call", "--help"); code != 0 || !strings.Contains(stdout, "amfcall sock call - ") && !strings.Contains(stdout, "amfcall sock call") {
		t.Errorf("--help: exit %d %s", code, stdout)
	}
	if stdout, _, code := runWith("sock", "call", "--for", "--generate-bash-completion"); code != 0 || stdout != "--format\n" {
		t.Errorf("completion of a subcommand's flags: exit %d %q", code, stdout)
	}
	if stdout, _, code := runWith("sock", "c", "--generate-bash-completion"); code != 0 || stdout != "call\n" {
		t.Errorf("completion of a subcommand: exit %d %q", code, stdout)
	}
	if stdout, _, code := runWith("sock", "call", "--format", "t", "--generate-bash-completion"); code != 0 || stdout != "text\n" {
		t.Errorf("completion of a subcommand's flag value: exit %d %q", code, stdout)
	}
}

// TestErrorsEscapeControls: whatever an error message quotes (a file
// name, a server's text), its control characters reach stderr escaped,
// C1 included; newlines and tabs of a message stay.
func TestErrorsEscapeControls(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, []string{"convert", "no\x1b[2Jsuch\u009b31m"}, "", nil, false)
	if code != exitUsage || !strings.Contains(stderr, `no\x1b[2Jsuch\u009b31m`) {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	for in, want := range map[string]string{
		"plain\ttext\nline 2": "plain\ttext\nline 2",
		"a\x1b]0;t\x07b":      `a\x1b]0;t\x07b`,
		"bidi \u202e x":       `bidi \u202e x`,
		"bad \xff utf-8 é":    `bad \xff utf-8 é`,
	} {
		if got := escapeControls(in); got != want {
			t.Errorf("escapeControls(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTerminalText: listings (describe, list, probe, snapshots) and
// debug lines replace what a gateway said that could drive the terminal;
// oneLineText also folds white space.
func TestTerminalText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":               "plain text",
		"a\x1b[2J\x07b\x7f":        "a?[2J?b?",
		"c1 \u009b31m bidi \u202e": "c1 ?31m bidi ?",
		"line\r\n\ttwo":            "line   two",
		"héllo ✓":                  "héllo ✓",
	} {
		if got := terminalText(in); got != want {
			t.Errorf("terminalText(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := oneLineText("  a\x1b[2J \n\n b\u202e  "), "a?[2J b?"; got != want {
		t.Errorf("oneLineText = %q, want %q", got, want)
	}
}

// TestInfoWarnEscapeControls: messages and warnings quote what servers
// and files said; their control characters reach stderr escaped.
func TestInfoWarnEscapeControls(t *testing.T) {
	t.Parallel()
	var errb bytes.Buffer
	e := &runEnv{stderr: &errb, getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
	app := &cli.App{Metadata: map[string]any{envKey: e}}
	c := cli.NewContext(app, flag.NewFlagSet("t", flag.ContinueOnError), nil)
	infof(c, "status: %s", "HTTP 500 \x1b[2J\u009b31m")
	warnf(c, "%s", "name\x1b]0;x\x07")
	want := "amfcall: status: HTTP 500 \\x1b[2J\\u009b31m\namfcall: warning: name\\x1b]0;x\\x07\n"
	if errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}

// TestRunStdLogger: what net/http's client logs with the standard logger
// (a broken server's extra bytes) comes out as an amfcall warning on the
// run's stderr, without a timestamp, each distinct line once.
func TestRunStdLogger(t *testing.T) {
	defer func() { log.SetOutput(os.Stderr); log.SetFlags(log.LstdFlags); log.SetPrefix("") }()
	var out, errb bytes.Buffer
	if code := Run([]string{"amfcall", "--version"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for range 20 {
		log.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=%v", "b>", nil)
	}
	log.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=%v", "c>", nil)
	// Each distinct line once: bench -c 2000 against a gateway turning
	// connections away printed one a connection.
	if want := "amfcall: warning: net/http: Unsolicited response received on idle HTTP channel starting with \"b>\"; err=<nil>\n" +
		"amfcall: warning: net/http: (warnings repeated word for word are not shown again)\n" +
		"amfcall: warning: net/http: Unsolicited response received on idle HTTP channel starting with \"c>\"; err=<nil>\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}

// TestNoReplyBodyHint: a reply without a body for the call exits 3; the
// client library says what is missing, the command adds how to look
// (-v), as the one place that names flags.
func TestNoReplyBodyHint(t *testing.T) {
	t.Parallel()
	// Two bodies for calls the request did not make (one alone would be
	// taken as the only call's answer, with a warning).
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/9/onResult", Response: "null", Value: 1.0}, {Target: "/8/onResult", Response: "null", Value: 2.0}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	_, stderr, code := run(t, []string{"call", srv.URL + "/", "echo.echo", "1"}, "", nil, false)
	want := "amfcall: warning: the reply has a body \"/9/onResult\" that answers no call (and 1 more such bodies)\n" +
		"amfcall: error: no reply body for the call (" + srv.URL + "/): echo.echo (/1); the gateway's reply has no /onResult or /onStatus body for it\n" +
		"amfcall: hint: see the reply with -v\n"
	if code != exitNetwork || stderr != want {
		t.Errorf("code %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}
