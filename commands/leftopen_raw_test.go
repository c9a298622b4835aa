package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestRawArrayOfStrings: -r printed an array of strings as a JSON
// array (snapshots -q '#.url' -r gave ["...","..."]); it now prints one
// string a line, as jq -r '.[].url' does, each escaped on a terminal,
// and nothing for an empty array. An array holding anything but strings
// stays JSON, and so does an array where the output is one line a call
// (--batch), whose lines would no longer match the calls.
func TestRawArrayOfStrings(t *testing.T) {
	t.Parallel()
	var base string
	gw := fakeSnapshots(t, func(b string) any {
		base = b
		return []any{b, []any{"jpg"}, names("a.jpg", "bad\x1b[2J.jpg")}
	})
	empty := fakeSnapshots(t, func(b string) any { return []any{b, []any{"jpg"}, []any{}} })
	for _, tc := range []struct {
		args []string
		term bool
		want string
	}{
		{args: []string{"snapshots", "-q", "#.url", "-r", gw}, want: "BASEa.jpg\nBASEbad%1B%5B2J.jpg\n"},
		{args: []string{"snapshots", "-q", "#.name", "-r", gw}, want: "a.jpg\nbad\x1b[2J.jpg\n"},
		{args: []string{"snapshots", "-q", "#.name", "-r", gw}, term: true, want: "a.jpg\nbad\\x1b[2J.jpg\n"},
		{args: []string{"snapshots", "-q", "#.url", "-r", empty}, want: ""},
		{args: []string{"snapshots", "-q", "#.url", empty}, want: "[]\n"},
		{args: []string{"snapshots", "-q", "#.url", gw}, want: `["BASEa.jpg","BASEbad%1B%5B2J.jpg"]` + "\n"},
		{args: []string{"snapshots", "-r", gw}, want: `[{"name":"a.jpg","url":"BASEa.jpg"},{"name":"bad\u001b[2J.jpg","url":"BASEbad%1B%5B2J.jpg"}]` + "\n"},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, tc.term)
		if want := strings.ReplaceAll(tc.want, "BASE", base); code != 0 || stdout != want || stderr != "" {
			t.Errorf("amfcall %q (terminal %v): exit %d, stdout %q, stderr %q; want %q", tc.args, tc.term, code, stdout, stderr, want)
		}
	}

	_, u := startGateway(t, gateway.Options{})
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{args: []string{"call", u, "echo.echo", `["a", "b c", ""]`, "-r"}, want: "a\nb c\n\n"},
		{args: []string{"call", u, "echo.echo", `{"l": ["x", "y"]}`, "-q", "l", "-r"}, want: "x\ny\n"},
		{args: []string{"call", u, "echo.echo", `["a", 1]`, "-r"}, want: `["a",1]` + "\n"},
		{args: []string{"call", u, "echo.echo", `[["a"], ["b"]]`, "-r"}, want: `[["a"],["b"]]` + "\n"},
		{args: []string{"call", u, "echo.echo", `[]`, "-r"}, want: ""},
		{args: []string{"call", u, "echo.echo", `"s"`, "-r"}, want: "s\n"},
		{args: []string{"call", "--batch", "-", u, "-q", "result", "-r"}, stdin: `{"target": "echo.echo", "args": [["a", "b"]]}` + "\n" + `{"target": "echo.echo", "args": ["c"]}`,
			want: `["a","b"]` + "\nc\n"},
		{args: []string{"call", "--offline", u, "echo.echo", `"x"`, "-q", "messages.#.target", "-r"}, want: "echo.echo\n"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 0 || stdout != tc.want || stderr != "" {
			t.Errorf("amfcall %q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}
