package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A value of the user's JSON that parses but that AMF cannot write (a
// member name over 65535 bytes, an empty dynamic member name in AMF3, a
// --batch target as long) names the input (the -d file, the ARG, the
// --batch file, --amf-header, --packet, --session, socket's PARAMS and
// --send, publish's BODY and --message-header), the line and the column,
// as convert's errors do, exit 4. Before, the error named only
// the encoder's path in the request packet ("within
// \"/messages/0/value/1\""), and bench said "the request packet does not
// encode" with a hint to write the URL's scheme, exit 2.
func TestCallEncodeErrorPlaced(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	long := strings.Repeat("k", 70000)
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := file("empty.json", "[1,\n {\"a\": {\"\": 1}}]\n")
	longKey := file("long.json", "[1,\n {\""+long+"\": 1}]\n")
	batch := file("b.jsonl", "{\"target\":\"echo.echo\",\"args\":[1]}\n\n{\"target\":\"echo.echo\",\"args\":[1,{\"a\":{\"\": 2}}]}\n")
	batchTarget := file("t.jsonl", "{\"target\":\"echo.echo\",\"args\":[1]}\n{\"target\":\""+long+"\"}\n")
	packet := file("p.json", "{\"version\":3,\"headers\":[],\n\"messages\":[{\"target\":\"echo.echo\",\"response\":\"/1\",\"value\":[1,{\"$amf3\":{\"a\":{\"\":1}}}]}]}")
	session := file("s.json", "{\n  \"version\": 1,\n  \"gateway\": \""+u+"\",\n  \"headers\": [{\"name\": \"Tok\", \"mustUnderstand\": false, \"value\": {\"a\": {\"\": 1}}}],\n  \"cookies\": []\n}\n")
	jpg := file("a.jpg", "\xff\xd8\xff\xe0xxxx")
	const enc = ": amf0: value cannot be encoded: "
	const noName = "an empty member name cannot be written as a dynamic member or associative key within "
	const tooLong = "a member or class name longer than 65535 bytes within "
	for _, tc := range []struct {
		name string
		args []string
		want []string // in stderr, in order
	}{
		{"-d file AMF3", []string{"call", "--amf3", u, "echo.echo", "-d", "@" + empty},
			[]string{"error: -d " + empty + enc + noName + `"/messages/0/value/1/a", at line 2, column 9 (offset 12)`}},
		{"-d file long key", []string{"call", u, "echo.echo", "-d", "@" + longKey},
			[]string{"error: -d " + longKey + enc + tooLong, ", at line 2, column 3 (offset 6)"}},
		{"-d text", []string{"call", "--amf3", u, "echo.echo", "-d", `[{"": 1}]`},
			[]string{"error: -d" + enc + noName + `"/messages/0/value/0", at line 1, column 3 (offset 2)`}},
		{"ARG flex", []string{"call", "--flex", u, "echo.echo", "1", `{"a": [{"": 1}]}`},
			[]string{"error: argument 2" + enc + noName + `"/messages/0/value/0/body/1/a/0", at line 1, column 9 (offset 8)`}},
		{"batch", []string{"call", "--amf3", u, "--batch", batch},
			[]string{"error: --batch " + batch + enc + noName + `"/messages/1/value/1/a", at line 3, column 39 (offset 73)`}},
		{"batch offline", []string{"call", "--offline", "--flex", u, "--batch", batch},
			[]string{"error: --batch " + batch + enc + noName + `"/messages/1/value/0/body/1/a", at line 3, column 39 (offset 73)`}},
		{"batch target", []string{"call", u, "--batch", batchTarget},
			[]string{"error: --batch " + batchTarget + enc + tooLong + `"/messages/1/target", at line 2, column 11 (offset 44)`}},
		{"amf-header", []string{"call", "--amf3", u, "echo.echo", "--amf-header", `H={"a": {"": 1}}`, "1"},
			[]string{"error: --amf-header H" + enc + noName + `"/a", at line 1, column 8 (offset 7)`}},
		{"packet", []string{"call", u, "--packet", packet},
			[]string{"error: --packet " + packet + enc + noName + `"/messages/0/value/1/a", at line 2, column 77 (offset 103)`}},
		{"session", []string{"call", "--amf3", "--session", session, u, "echo.echo", "1"},
			[]string{"header \"Tok\"" + enc + noName + `"/a", at line 4, column 72 (offset 129)`}},
		{"bench ARG", []string{"bench", "-n", "1", "--amf3", u, "echo.echo", "1", `{"": 1}`},
			[]string{"error: argument 2" + enc + noName + `"/messages/0/value/1", at line 1, column 2 (offset 1)`}},
		{"bench batch", []string{"bench", "-n", "1", "--flex", u, "--batch", batch},
			[]string{"error: --batch " + batch + enc + noName + `"/messages/1/value/0/body/1/a", at line 3, column 39 (offset 73)`}},
		{"TARGET", []string{"call", u, long + ".x", "1"},
			[]string{"error: TARGET" + enc + tooLong + `"/messages/0/target"`}},
		{"amf-header NAME", []string{"call", u, "echo.echo", "--amf-header", long + "=1", "1"},
			[]string{"error: --amf-header 1 (its NAME, 70000 bytes)" + enc + tooLong}},
		{"upload ARG", []string{"upload", "--amf3", u, "ByteArray.saveSnapshot", jpg, `"jpg"`, `{"": 1}`},
			[]string{"error: argument 2" + enc + noName + `"/messages/0/value/2", at line 1, column 2 (offset 1)`}},
		// Read before any connection: port 1 is never dialled.
		{"socket call", []string{"socket", "call", "127.0.0.1:1", "add", `{"a": {"": 3}}`},
			[]string{"error: PARAMS: amf3: value cannot be encoded: " + noName + `"/a", at line 1, column 8 (offset 7)`}},
		{"socket listen --send", []string{"socket", "listen", "127.0.0.1:1", "--send", `push={"": 3}`},
			[]string{"error: --send push: amf3: value cannot be encoded: an empty member name", ", at line 1, column 2 (offset 1)"}},
		{"bench socket", []string{"bench", "-n", "1", "socket://127.0.0.1:1", "add", `{"a": {"": 3}}`},
			[]string{"error: PARAMS: amf3: value cannot be encoded: " + noName + `"/a", at line 1, column 8 (offset 7)`}},
		{"publish BODY", []string{"publish", "http://127.0.0.1:1/", "chat", "{\n\"a\": {\"\": 1}}"},
			[]string{"error: BODY" + enc + noName + `"/a", at line 2, column 7 (offset 8)`}},
		{"publish --message-header", []string{"publish", "http://127.0.0.1:1/", "chat", "1", "--message-header", `x={"a": {"": 1}}`},
			[]string{"error: --message-header x" + enc + noName + `"/a", at line 1, column 8 (offset 7)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args, "", nil, false)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			rest := stderr
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stderr lacks %.300q:\n%.600s", w, stderr)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(stderr, "hint: write the gateway URL") {
				t.Errorf("a hint for a URL:\n%s", stderr)
			}
		})
	}
}
