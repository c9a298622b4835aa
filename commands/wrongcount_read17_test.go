package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestWrongCountRead17: a saved reply whose message or header count the
// gateway wrote wrong is read by convert and dump as its bytes say, as
// call reads it: one warning in call's words (the count, its byte, what
// the bytes hold), exit 0. They failed with exit 4 and a hint naming the
// count. convert's JSON holds the bodies found and --to packet writes
// the true count (the warning says so); dump marks the count's row and
// dumps every body. A reply cut inside a body stays an error, and so
// does one whose count is wrong with text after it (convert refuses
// text after any packet).
func TestWrongCountRead17(t *testing.T) {
	t.Parallel()
	two, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: "hi"},
		{Target: "/2/onResult", Response: "null", Value: "ho"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	one, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := amf.MarshalPacket(&amf.Packet{
		Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x"}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	with := func(b []byte, at int, v byte) []byte {
		c := bytes.Clone(b)
		c[at] = v
		return c
	}
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	low := file("low.amf", with(two, 5, 1))   // counts 1 of 2 bodies
	high := file("high.amf", with(one, 5, 2)) // counts 2, holds 1
	h0 := file("h0.amf", with(hdr, 3, 0))     // 0 headers before 1
	notice := file("notice.amf", append([]byte("Notice: x<br />\n"), with(one, 5, 2)...))
	cut := file("cut.amf", with(two, 5, 2)[:len(two)-2])
	tail := file("tail.amf", append(with(one, 5, 2), "?>\n"...))

	const twoJSON = `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"hi"},{"target":"/2/onResult","response":"null","value":"ho"}]}` + "\n"
	const oneJSON = `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"hi"}]}` + "\n"
	lowWarn := "amfcall: warning: " + low + ": the reply's packet counts 1 body (its message count, at byte 4) but 2 follow: all are read; written back as AMF, its message count says 2\n"
	highWarn := "amfcall: warning: " + high + ": the reply's packet counts 2 bodies (its message count, at byte 4) but holds 1: the reply ends at byte 34; written back as AMF, its message count says 1\n"
	for _, tc := range []struct {
		args           []string
		stdout, stderr string
	}{
		{[]string{"convert", low}, twoJSON, lowWarn},
		{[]string{"convert", "--from", "packet", low}, twoJSON, lowWarn},
		{[]string{"convert", high}, oneJSON, highWarn},
		{[]string{"convert", "--from", "packet", high}, oneJSON, highWarn},
		{[]string{"convert", notice}, oneJSON, "amfcall: warning: " + notice + ": 16 bytes before the AMF packet, skipped: \"Notice: x<br />\\x0a\"\n" +
			"amfcall: warning: " + notice + ": the reply's packet counts 2 bodies (its message count, at byte 20) but holds 1: the reply ends at byte 50; written back as AMF, its message count says 1\n"},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, false)
		if code != 0 || stdout != tc.stdout || stderr != tc.stderr {
			t.Errorf("%v: code %d, stdout:\n%s\nstderr:\n%s", tc.args, code, stdout, stderr)
		}
	}
	// The header count: the header is in the JSON, typed too.
	stdout, stderr, code := run(t, []string{"convert", "--typed", h0}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"name":"AppendToGatewayUrl"`) ||
		stderr != "amfcall: warning: "+h0+": the reply's packet counts no header (its header count, at byte 2) but 1 header follows: read as such; written back as AMF, its header count says 1\n" {
		t.Errorf("convert --typed h0: code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Written back, typed JSON and the packet itself give the bytes with
	// the true count, as the warning says.
	for k, name := range []string{low, high, h0} {
		in, _ := os.ReadFile(name)
		pk := filepath.Join(dir, "direct"+string(rune('0'+k))+".amf")
		if _, stderr, code := run(t, []string{"convert", "--to", "packet", "-o", pk, name}, "", nil, false); code != 0 {
			t.Fatalf("convert --to packet %s: %d %s", name, code, stderr)
		}
		direct, _ := os.ReadFile(pk)
		typed, _, _ := run(t, []string{"convert", "--typed", name}, "", nil, false)
		pk = filepath.Join(dir, "back"+string(rune('0'+k))+".amf")
		if _, stderr, code := run(t, []string{"convert", "--from", "json", "--to", "packet", "-o", pk, "-"}, typed, nil, false); code != 0 {
			t.Fatalf("typed back %s: %d %s", name, code, stderr)
		}
		back, _ := os.ReadFile(pk)
		fixed, fix := amf.Recount(in)
		if fix == nil || !bytes.Equal(direct, fixed) || !bytes.Equal(back, fixed) {
			t.Errorf("%s: --to packet % x, typed back % x, want % x", name, direct, back, fixed)
		}
	}
	// dump: the count's row marked, every body dumped, exit 0.
	for _, args := range [][]string{{"dump", low}, {"dump", "--from", "packet", low}} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.Contains(stdout, "00000004  00 01                    1 message, but the bytes hold 2 messages: read as such\n") ||
			!strings.Contains(stdout, `value: string "ho"`) ||
			stderr != "amfcall: warning: "+low+": the reply's packet counts 1 body (its message count, at byte 4) but 2 follow: all are read; dumped as such\n" {
			t.Errorf("%v: code %d, stdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
	stdout, stderr, code = run(t, []string{"dump", "--format", "json", "--pretty", h0}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"class":"fault","hex":"0000","text":"0 headers, but the bytes hold 1 header: read as such"`) ||
		!strings.Contains(stdout, `"path":"/headers/0/value"`) || !strings.Contains(stdout, `"path":"/messages/0/value"`) {
		t.Errorf("dump --format json h0: code %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Still errors: cut short in a body; a wrong count with text after.
	for _, args := range [][]string{{"convert", cut}, {"dump", cut}, {"convert", "--from", "packet", cut}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != exitInput || strings.Contains(stderr, "warning") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
	for _, args := range [][]string{{"convert", tail}, {"dump", tail}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != exitInput || !strings.Contains(stderr, "hint: its message count (byte 4) says 2") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
}
