package commands

import (
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestQueryRawDocumented: what -q and -r print was said in no one place:
// the README said nothing of -r's arrays, of what stays JSON, of a path
// that matches nothing, nor of --batch and subscribe keeping arrays as
// JSON, and each command's --help said part of it. The README now has
// a section on them and each command's help says the same; this checks
// both, then that amfcall does what they say.
func TestQueryRawDocumented(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	_, sec, ok := strings.Cut(readme, "\n### Picking out part of the output: `-q` and `-r`\n")
	sec, _, _ = strings.Cut(sec, "\n#")
	sec = strings.Join(strings.Fields(sec), " ")
	for _, want := range []string{
		"`call`, `upload`, `snapshots` and `subscribe` take `-q PATH` and `-r`",
		"A path that matches nothing prints `null`",
		"an array of strings one string a line, as `jq -r '.[]'` does; an empty array prints nothing",
		"Anything else (a number, `true`, `null`, an object, an array holding anything but strings) is printed as JSON",
		"`call --batch` (a line a call) and `subscribe` (a line a message), `-q` applies to each line",
		"but an array stays JSON",
	} {
		if !ok || !strings.Contains(sec, want) {
			t.Errorf("the README's -q/-r section lacks %q:\n%s", want, sec)
		}
	}
	if n := strings.Count(readme, "(#picking-out-part-of-the-output--q-and--r)"); n != 2 {
		t.Errorf("the README links the -q/-r section %d times, want 2 (call, snapshots)", n)
	}
	for _, tc := range []struct {
		cmd        string
		query, raw []string
	}{
		{"call", []string{"a path that matches nothing prints null", "with --batch, of each line"},
			[]string{"jq -r '.[]'", "an empty array prints nothing", "anything else stays JSON", "with --batch, one line a call, so an array stays JSON"}},
		{"snapshots", []string{"a path that matches nothing prints null"},
			[]string{"jq -r '.[]'", "an empty array prints nothing", "anything else stays JSON"}},
		{"subscribe", []string{"a path that matches nothing prints null"},
			[]string{"anything else stays JSON, an array of strings too (one line a message)"}},
	} {
		help, _, code := run(t, []string{tc.cmd, "--help"}, "", nil, false)
		var q, r string
		for _, l := range strings.Split(help, "\n") {
			switch f := strings.TrimSpace(l); {
			case strings.HasPrefix(f, "--query PATH, -q PATH"):
				q = f
			case strings.HasPrefix(f, "--raw, -r"):
				r = f
			}
		}
		for _, want := range tc.query {
			if code != 0 || !strings.Contains(q, want) {
				t.Errorf("%s --help: -q says %q, not %q", tc.cmd, q, want)
			}
		}
		for _, want := range tc.raw {
			if code != 0 || !strings.Contains(r, want) {
				t.Errorf("%s --help: -r says %q, not %q", tc.cmd, r, want)
			}
		}
	}

	// What they say.
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	for _, tc := range []struct {
		args   []string
		stdin  string
		stdout string
	}{
		{[]string{"call", u, "echo.echo", `{"a": 1}`, "-q", "nosuch"}, "", "null\n"},
		{[]string{"call", u, "echo.echo", `["a", "b"]`, "-r"}, "", "a\nb\n"},
		{[]string{"call", u, "echo.echo", `[]`, "-r"}, "", ""},
		{[]string{"call", u, "echo.echo", `5`, "-r"}, "", "5\n"},
		{[]string{"call", u, "echo.echo", `true`, "-r"}, "", "true\n"},
		{[]string{"call", u, "echo.echo", `null`, "-r"}, "", "null\n"},
		{[]string{"call", u, "echo.echo", `{"k": "v"}`, "-r"}, "", `{"k":"v"}` + "\n"},
		{[]string{"call", u, "echo.echo", `[1, "s"]`, "-r"}, "", `[1,"s"]` + "\n"},
		{[]string{"call", "--batch", "-", u, "-q", "result", "-r"},
			`{"target": "echo.echo", "args": ["x"]}` + "\n" + `{"target": "echo.echo", "args": [["a", "b"]]}` + "\n", "x\n" + `["a","b"]` + "\n"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 0 || stdout != tc.stdout {
			t.Errorf("amfcall %s: exit %d, stdout %q, want %q\n%s", strings.Join(tc.args, " "), code, stdout, tc.stdout, stderr)
		}
	}
	// subscribe: a string as text, an array of strings as JSON, a path
	// that matches nothing as null; one line a message.
	s := startSubscriber(t, "--count", "3", "--interval", "20ms", "--for", "20s", u, "raw", "-q", "body.t", "-r")
	waitLog(t, log, "CommandMessage subscribe raw", 1)
	for _, body := range []string{`{"t": "one"}`, `{"t": ["a", "b"]}`, `{"u": 1}`} {
		if _, stderr, code := run(t, []string{"publish", u, "raw", body}, "", nil, false); code != 0 {
			t.Fatalf("publish: exit %d\n%s", code, stderr)
		}
	}
	if code := s.wait(t); code != 0 || s.stdout.String() != "one\n"+`["a","b"]`+"\nnull\n" {
		t.Errorf("subscribe -q body.t -r: exit %d, stdout %q\n%s", code, s.stdout.String(), s.stderr.String())
	}
}
