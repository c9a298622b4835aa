package commands

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// list and describe print a gateway's names and texts with their
// control characters as escapes that read back (\x01, \x1b, \u202e,
// \xff), as dump and the client libraries do; they printed '?', which
// named another service ("a?b" for "a\x01b") and lost the bytes.
func TestListDescribeNamesEscaped(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	obj := func(kv ...any) *amf.Object {
		o := &amf.Object{}
		for i := 0; i < len(kv); i += 2 {
			o.Members = append(o.Members, amf.Member{Name: kv[i].(string), Value: kv[i+1]})
		}
		return o
	}
	tree := &amf.Array{Dense: []any{
		obj("name", "a\x01b", "description", "red \x1b[31m text\nnext \u202e line",
			"methods", &amf.Array{Dense: []any{obj("name", "get\xffIt", "params", &amf.Array{})}}),
		obj("name", "plain", "methods", &amf.Array{Dense: []any{obj("name", "x")}}),
	}}
	u, _ := replyServer(t, resultPacket(tree))
	stdout, stderr, code := run(t, []string{"list", u}, "", nil, false)
	if code != 0 || stdout != "a\\x01b\nplain\n" {
		t.Fatalf("list: code %d\nstdout: %q\nstderr: %s", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"describe", u, "a\x01b"}, "", nil, false)
	want := "a\\x01b: red \\x1b[31m text next \\u202e line\n  get\\xffIt()\n"
	if code != 0 || stdout != want {
		t.Fatalf("describe: code %d\nstdout: %q\nwant    %q\nstderr: %s", code, stdout, want, stderr)
	}
}
