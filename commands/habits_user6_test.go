package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
	"github.com/tidwall/gjson"
)

// --amf0 (AMF0 is the default) got "did you mean --amf3?", the opposite
// of what was asked; followed, it sent AMF3.
func TestAMF0FlagHint(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"call", "upload", "bench"} {
		checkCase(t, cliCase{args: []string{cmd, "--amf0", "http://127.0.0.1:1/", "a.b", "x"}, code: 2,
			stderr: "amfcall: error: unknown flag --amf0 for amfcall " + cmd + "\n" +
				"amfcall: hint: AMF0 is the default: leave --amf0 out (--amf3 sends a version 3 packet)\n" +
				"amfcall: hint: run \"amfcall " + cmd + " --help\" for the flags\n"})
	}
	// Other near misses still get their guess.
	checkCase(t, cliCase{args: []string{"call", "--amf", "http://127.0.0.1:1/", "a.b"}, code: 2,
		stderr: "amfcall: error: unknown flag --amf for amfcall call\n" +
			"amfcall: hint: did you mean --amf3?\n" +
			"amfcall: hint: run \"amfcall call --help\" for the flags\n"})
}

// curl's -b/--cookie: amfcall has none, and the error said only "run
// --help". The hint names -H 'Cookie: ...' (and --session where the
// command has it); followed, the gateway gets the cookie.
func TestCookieFlagHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cmd, flag, also string }{
		{"call", "-b", ", or keep the gateway's cookies from run to run with --session FILE (curl's -b and -c in one)"},
		{"call", "--cookie", ", or keep the gateway's cookies from run to run with --session FILE (curl's -b and -c in one)"},
		{"snapshots", "-b", ""},
	} {
		checkCase(t, cliCase{args: []string{tc.cmd, tc.flag, "AMFSESSIONID=x", "http://127.0.0.1:1/"}, code: 2,
			stderr: "amfcall: error: unknown flag " + tc.flag + " for amfcall " + tc.cmd + "\n" +
				"amfcall: hint: amfcall has no cookie flag: send one with -H 'Cookie: NAME=VALUE'" + tc.also + "\n" +
				"amfcall: hint: run \"amfcall " + tc.cmd + " --help\" for the flags\n"})
	}
	// Followed: a login's cookie, sent with -H, is the session.
	_, u := startGateway(t, gateway.Options{})
	session := filepath.Join(t.TempDir(), "s.json")
	checkCase(t, cliCase{args: []string{"call", "--session", session, u, "login", `"bob"`, `"x"`},
		stdout: `{"user":"bob","session":"started"}` + "\n"})
	data, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	value := gjson.GetBytes(data, `cookies.#(name=="AMFSESSIONID").value`).String()
	if value == "" {
		t.Fatalf("no AMFSESSIONID cookie in:\n%s", data)
	}
	checkCase(t, cliCase{args: []string{"call", "-H", "Cookie: AMFSESSIONID=" + value, u, "session.whoami"}, stdout: `"bob"` + "\n"})
}

// bench's run length is --for; wrk's -d, hey's -z and --duration got
// only "run --help". Followed, the hint's --for runs the bench.
func TestBenchDurationFlagHint(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"-d", "-z", "--duration"} {
		checkCase(t, cliCase{args: []string{"bench", f, "1s", "http://127.0.0.1:1/", "echo.echo"}, code: 2,
			stderr: "amfcall: error: unknown flag " + f + " for amfcall bench\n" +
				"amfcall: hint: bench runs for a time with --for DURATION (wrk's -d, hey's -z), or for a number of calls with -n N; the call's arguments are ARGs after TARGET\n" +
				"amfcall: hint: run \"amfcall bench --help\" for the flags\n"})
	}
	checkCase(t, cliCase{args: []string{"subscribe", "--duration", "1s", "http://127.0.0.1:1/", "chat"}, code: 2,
		stderr: "amfcall: error: unknown flag --duration for amfcall subscribe\n" +
			"amfcall: hint: --for DURATION stops after DURATION\n" +
			"amfcall: hint: run \"amfcall subscribe --help\" for the flags\n"})
	_, u := startGateway(t, gateway.Options{})
	// 2s: on a loaded machine no call finished within 50ms.
	stdout, stderr, code := run(t, []string{"bench", "--for", "2s", "--format", "json", u, "echo.echo", "1"}, "", nil, false)
	if code != 0 || gjson.Get(stdout, "ok").Int() == 0 {
		t.Errorf("bench --for 2s: code %d stderr %q\n%s", code, stderr, stdout)
	}
}

// socket call sends requests with --call, socket listen with --send; each
// command's word on the other got only "run --help". Followed, the hint
// sends the request.
func TestSocketCallSendFlagHint(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"socket", "listen", "--call", "push", "127.0.0.1:1"}, code: 2,
		stderr: "amfcall: error: unknown flag --call for amfcall socket listen\n" +
			"amfcall: hint: amfcall socket listen sends a request with --send COMMAND=JSON (amfcall socket call's --call)\n" +
			"amfcall: hint: run \"amfcall socket listen --help\" for the flags\n"})
	checkCase(t, cliCase{args: []string{"socket", "call", "--send", "add={}", "127.0.0.1:1"}, code: 2,
		stderr: "amfcall: error: unknown flag --send for amfcall socket call\n" +
			"amfcall: hint: amfcall socket call sends a request with --call COMMAND=JSON, or COMMAND [PARAMS] after HOST:PORT (amfcall socket listen's --send)\n" +
			"amfcall: hint: run \"amfcall socket call --help\" for the flags\n"})
}

// The hints, followed.
func TestSocketCallSendFlagHintFollowed(t *testing.T) {
	t.Parallel()
	addr := socketDemo(t)
	checkCase(t, cliCase{args: []string{"socket", "call", "--call", `add={"a": 2, "b": 3}`, addr}, stdout: "5\n"})
	stdout, stderr, code := run(t, []string{"socket", "listen", "--send", `push={"count": 1, "interval": 10}`, "--count", "1", addr}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"command":"tick"`) {
		t.Errorf("socket listen --send: code %d stderr %q\n%s", code, stderr, stdout)
	}
}
