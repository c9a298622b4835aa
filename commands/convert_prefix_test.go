package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A reply saved from a PHP gateway often has a notice (or a byte order
// mark, or blank lines) before its AMF packet: convert reads the packet
// after it and says what it skipped, escaped, on stderr.
func TestConvertTextBeforePacket(t *testing.T) {
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	want, stderr, code := run(t, []string{"convert", "-"}, string(reply), nil, false)
	if code != 0 {
		t.Fatalf("the reply alone: exit %d: %s", code, stderr)
	}
	for _, c := range []struct{ prefix, shown string }{
		{"Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n", `"Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\x0a"`},
		{"\xEF\xBB\xBF", `"\ufeff"`},
		{"\n\n", `"\x0a\x0a"`},
		{"Warning: \x1b[2Jgone<br />", `"Warning: \x1b[2Jgone<br />"`},
	} {
		for _, args := range [][]string{{"convert", "-"}, {"convert", "--from", "packet", "-"}} {
			stdout, stderr, code := run(t, args, c.prefix+string(reply), nil, false)
			if code != 0 || stdout != want {
				t.Errorf("%q %v: exit %d, stdout %.80q, want the reply's JSON; stderr %s", c.prefix, args, code, stdout, stderr)
			}
			if !strings.Contains(stderr, "bytes before the AMF packet, skipped: "+c.shown) || strings.Contains(stderr, "\x1b") {
				t.Errorf("%q %v: stderr %q, want the skipped text %s, escaped", c.prefix, args, stderr, c.shown)
			}
		}
	}
	// Text alone, or text before bytes that are no packet, is still
	// refused.
	for _, in := range []string{"Notice: nothing else", "Notice: x\x00\x03\x00\x00\x00\x01"} {
		if _, stderr, code := run(t, []string{"convert", "-"}, in, nil, false); code != 4 {
			t.Errorf("%q: exit %d, want 4; stderr %s", in, code, stderr)
		}
	}
}

// An AMF0 strict array starts with 0x0A, a line feed, then zero bytes,
// and a number such as 3 ends in six zero bytes, which read as an empty
// packet: convert took [1, 2, 3] for white space, 26 bytes of "text" and
// an empty packet, warned, and printed {"version":0,...} with exit 0.
// Blank lines are skipped only when the packet starts right after them.
func TestConvertStrictArrayIsNoTextBeforePacket(t *testing.T) {
	vec, err := os.ReadFile("../testdata/pyamf/vectors/array_dense.amf0")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		want string
	}{
		{string(vec), "[1,2,3]\n"},
		// [3, 3]: 0A 00000002 00 4008000000000000 00 4008000000000000
		{"\x0a\x00\x00\x00\x02" + "\x00\x40\x08\x00\x00\x00\x00\x00\x00" + "\x00\x40\x08\x00\x00\x00\x00\x00\x00", "[3,3]\n"},
	} {
		for _, args := range [][]string{{"convert", "-"}, {"convert", "--typed", "-"}} {
			stdout, stderr, code := run(t, args, c.in, nil, false)
			want := c.want
			if args[1] == "--typed" {
				want = strings.ReplaceAll(strings.ReplaceAll(want, "3", "3.0"), "2,", "2.0,")
				want = strings.ReplaceAll(want, "1,", "1.0,")
			}
			if code != 0 || stdout != want || strings.Contains(stderr, "skipped") {
				t.Errorf("%x %v: exit %d, stdout %q, want %q; stderr %s", c.in, args, code, stdout, want, stderr)
			}
		}
	}
}

// convert FILE -o FILE replaced the input with its conversion (exit 0): a
// .amf file became its plain JSON, which cannot give the bytes back.
// Naming the input as the output, directly or through a link, is a usage
// error, and the input is left as it was.
func TestConvertOutputOntoInput(t *testing.T) {
	orig, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "reply.amf")
	if err := os.WriteFile(in, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{"convert", in, "-o", in},
		{"convert", "--typed", in, "-o", filepath.Join(dir, ".", "reply.amf")},
	}
	// Through a link too, where links work (Windows without the
	// privilege has none; Wine makes one that does not open).
	link := filepath.Join(dir, "link.amf")
	if err := os.Symlink(in, link); err != nil {
		t.Log("no symbolic links here:", err)
	} else if got, err := os.ReadFile(link); err != nil || !bytes.Equal(got, orig) {
		t.Log("symbolic links do not work here:", err)
	} else {
		cases = append(cases, []string{"convert", link, "-o", in}, []string{"convert", in, "-o", link})
	}
	for _, args := range cases {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "is the input file") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the input file", args, code, stderr)
		}
		if got, _ := os.ReadFile(in); !bytes.Equal(got, orig) {
			t.Fatalf("%v: the input was changed", args)
		}
	}
	// Another file is written as before.
	out := filepath.Join(dir, "reply.json")
	if _, stderr, code := run(t, []string{"convert", in, "-o", out}, "", nil, false); code != 0 {
		t.Errorf("-o another file: exit %d: %s", code, stderr)
	}
}
