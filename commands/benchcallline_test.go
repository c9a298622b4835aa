package commands

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestBenchAllFaultsCallLine: when every call of a run is answered with a
// fault, bench's hint is the amfcall call line that makes that call,
// quoted for the shell, with no credential in it (-u's password, a
// secret -H field's value, the URL's password); split by a real shell
// and run, it shows the fault.
func TestBenchAllFaultsCallLine(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no POSIX shell to split the line")
	}
	_, url := startGateway(t, gateway.Options{User: "alice", Password: "pw-s3cret"})
	withPass := strings.Replace(url, "://", "://bob:hunter2@", 1)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"plain", []string{"--amf-header", `Tok="a"`, "--must-understand", url, "echo.echo", "1"}},
		{"quoted and secret", []string{"-u", "alice:pw-s3cret", "-H", "X-Api-Key: key-s3cret", "-H", "X-Note: it's",
			"--amf-header", `Tok="a b"`, "--amf-header", `SessionToken="tok-s3cret"`, "--must-understand", "--timeout", "5s",
			url, "echo.echo", "-1", `"it's"`, `{"a": [1, 2]}`}},
		{"url password", []string{"--amf-header", `Tok="a"`, "--must-understand", withPass, "echo.echo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"bench", "-c", "2", "-n", "4"}, tc.args...)
			_, stderr, code := run(t, args, "", nil, false)
			const lead = "amfcall: hint: see one with: "
			i := strings.Index(stderr, lead)
			if code != 1 || i < 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			line, _, _ := strings.Cut(stderr[i+len(lead):], "\n")
			line, note, redacted := strings.Cut(line, " (with the URL's password in place of xxxxx)")
			if redacted != (tc.name == "url password") || note != "" {
				t.Errorf("line %q: the URL's password note is %v", line, redacted)
			}
			if strings.Contains(line, "s3cret") || strings.Contains(line, "hunter2") {
				t.Errorf("the line shows a credential: %s", line)
			}
			out, err := exec.Command(sh, "-c", `printf '%s\0' `+line).Output()
			if err != nil {
				t.Fatalf("sh cannot split %s: %v", line, err)
			}
			words := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if len(words) < 4 || words[0] != "amfcall" || words[1] != "call" {
				t.Fatalf("line %s: words %q", line, words)
			}
			t.Logf("%s", line)
			env := map[string]string{"AMFCALL_PASSWORD": "pw-s3cret"}
			for k, v := range plainEnv {
				env[k] = v
			}
			stdout, stderr, code := run(t, words[1:], "", env, false)
			if code != 1 || !strings.Contains(stdout+stderr, "Server.Header.NotUnderstood") {
				t.Errorf("%s: exit %d\nstdout %s\nstderr %s", line, code, stdout, stderr)
			}
			if !bytes.Contains([]byte(stdout+stderr), []byte("Tok")) {
				t.Errorf("%s: the fault does not name the header Tok:\n%s%s", line, stdout, stderr)
			}
		})
	}
}
