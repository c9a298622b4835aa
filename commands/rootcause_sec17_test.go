package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestFlexRootCauseHostileSec17: a hostile ErrorMessage's rootCause on
// the error line: a cause cycle ends where it recurs; a chain longer
// than maxCauses says that more follow ("(caused by ...)"), where it
// read as if the 4th were the last; control and format characters
// (ESC, BEL, NUL, bidi marks) in class names and messages are escaped
// as the faultString's are (\x1b, \u202e), where they were a lossy '?'
// that named another class; a megabyte class name is cut.
func TestFlexRootCauseHostileSec17(t *testing.T) {
	t.Parallel()
	chain := func(n int) any {
		var c any
		for i := n; i > 0; i-- {
			c = javaException("e.E"+string(rune('0'+i%10)), "m", c)
		}
		return c
	}
	a := javaException("a.A", "one", nil)
	a.Members[0].Value = javaException("b.B", "two", a)
	for _, c := range []struct {
		name string
		root any
		want string
	}{
		{"cycle", a, "root cause: a.A: one (caused by b.B: two)\n"},
		{"chain", chain(400), "root cause: e.E1: m (caused by e.E2: m (caused by e.E3: m (caused by e.E4: m (caused by ...))))\n"},
		{"four", chain(4), "root cause: e.E1: m (caused by e.E2: m (caused by e.E3: m (caused by e.E4: m)))\n"},
		{"escapes", javaException("evil\u202e.Class\n\x1b]0;title\x07", "msg\u200fx\x00y\r\nz", nil),
			`root cause: evil\u202e.Class \x1b]0;title\x07: msg\u200fx\x00y z` + "\n"},
		{"huge", javaException("java.lang.X"+strings.Repeat("Y", 1<<20), "m", nil),
			"root cause: java.lang.X" + strings.Repeat("Y", maxCauseText-len("java.lang.X")) + "...\n"},
	} {
		u := faultServer(t, func() *amf.Object {
			return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{
				{Name: "faultCode", Value: "Server.Processing"},
				{Name: "faultString", Value: "failed"},
				{Name: "rootCause", Value: c.root},
			}}
		})
		_, stderr, code := run(t, []string{"call", "--destination", "d", u, "op", "1"}, "", nil, false)
		if want := "amfcall: error: Server.Processing: failed; " + c.want; code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: code %d\nstderr %.400q\nwant   %.400q", c.name, code, stderr, want)
		}
	}
}
