package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestReadmeLogin: the README showed only -u alice:wonderland, and said
// nothing of -u USER asking for the password. Its call section now shows
// -u USER alone; run as written against a gateway that wants alice's
// password, it logs in with AMFCALL_PASSWORD, and with neither that nor
// a terminal it is the usage error (exit 2) the README describes.
func TestReadmeLogin(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### call:")
	if !ok {
		t.Fatal("no call section in the README")
	}
	section, _, _ = strings.Cut(section, "\n### ")
	_, block, _ := strings.Cut(section, "```\n")
	block, prose, _ := strings.Cut(block, "```")
	var example []string
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "  #")
		if w := shellWords(t, line); len(w) > 3 && w[1] == "call" && w[2] == "-u" && !strings.Contains(w[3], ":") {
			example = w
		}
	}
	if example == nil {
		t.Fatalf("the README's call section shows no -u USER without a password:\n%s", block)
	}
	for _, want := range []string{"AMFCALL_PASSWORD", "/dev/tty", "exit 2"} {
		if !strings.Contains(prose, want) {
			t.Errorf("the README's call section does not mention %s", want)
		}
	}
	_, u := startGateway(t, gateway.Options{User: example[3], Password: "wonderland"})
	args := make([]string, 0, len(example)-1)
	for _, a := range example[1:] {
		args = append(args, strings.ReplaceAll(a, "$URL", u))
	}
	env := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_PASSWORD": "wonderland"}
	stdout, stderr, code := run(t, args, "", env, false)
	if code != 0 || stdout != `"`+example[3]+`"`+"\n" {
		t.Errorf("amfcall %q with AMFCALL_PASSWORD: exit %d\nstdout %s\nstderr %s", args, code, stdout, stderr)
	}
	env["AMFCALL_PASSWORD"] = "wrong"
	if _, _, code := run(t, args, "", env, false); code != exitFault {
		t.Errorf("amfcall %q with a wrong AMFCALL_PASSWORD: exit %d, want %d", args, code, exitFault)
	}
	stdout, stderr, code = run(t, args, "", nil, false) // no terminal to ask on
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "AMFCALL_PASSWORD") {
		t.Errorf("amfcall %q, no password and no terminal: exit %d\nstdout %s\nstderr %s", args, code, stdout, stderr)
	}
}
