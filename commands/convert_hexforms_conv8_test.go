package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bytes pasted from Wireshark ("Copy as Escaped String", a field's
// colon-separated bytes) or from a C array convert as bare hex does,
// guessed or with --from hex:amf3.
func TestConvertHexFormsConv8(t *testing.T) {
	for _, in := range []string{
		`\x0a\x0b\x01\x03\x61\x04\x01\x01` + "\n",
		"0a:0b:01:03:61:04:01:01\n",
		"0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x01, 0x01\n",
		"\"\\x0a\\x0b\\x01\\x03\" \\\n\"\\x61\\x04\\x01\\x01\"\n", // Wireshark's "Copy as Escaped String"
	} {
		for _, args := range [][]string{{"convert"}, {"convert", "--from", "hex:amf3"}} {
			stdout, stderr, code := run(t, args, in, nil, false)
			if code != 0 || stdout != "{\"a\":1}\n" || stderr != "" {
				t.Errorf("%q %v: exit %d, stdout %q, stderr %q; want {\"a\":1}", in, args, code, stdout, stderr)
			}
		}
	}
}

// Wireshark's "Copy as Hex Dump" ("0000   0a 0b ...   ..a.", three
// spaces after a 4-digit offset) got a JSON error and no hint: the
// hint of xxd and hexdump -C listings wanted exactly two spaces. It now
// names the columns that hold the digits, and those columns convert.
func TestConvertWiresharkDumpHintConv8(t *testing.T) {
	skipPOSIXHint(t)
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for off := 0; off < len(reply); off += 16 {
		line := reply[off:min(off+16, len(reply))]
		fmt.Fprintf(&dump, "%04x  ", off)
		for _, b := range line {
			fmt.Fprintf(&dump, " %02x", b)
		}
		dump.WriteString(strings.Repeat(" ", 3+3*(16-len(line))))
		for _, b := range line {
			if b < 0x20 || b > 0x7e {
				b = '.'
			}
			dump.WriteByte(b)
		}
		dump.WriteByte('\n')
	}
	file := filepath.Join(t.TempDir(), "reply.txt")
	if err := os.WriteFile(file, []byte(dump.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"convert", file}, "", nil, false)
	want := "amfcall: hint: this looks like a hex dump with offsets (xxd, hexdump -C): cut -c 8-56 " + shellWord(file) + " | amfcall convert reads its bytes\n"
	if code != 4 || !strings.HasSuffix(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want exit 4 and the hint %q", code, stderr, want)
	}
	// What the hint's cut keeps (columns 8 to 56 of each line) is the reply.
	var cut strings.Builder
	for _, line := range strings.SplitAfter(dump.String(), "\n") {
		if len(line) > 7 {
			cut.WriteString(line[7:min(56, len(line))] + "\n")
		}
	}
	got, stderr, code := run(t, []string{"convert"}, cut.String(), nil, false)
	wantJSON, _, _ := run(t, []string{"convert", "-"}, string(reply), nil, false)
	if code != 0 || got != wantJSON {
		t.Errorf("the columns cut: exit %d, %.80q, want %.80q; stderr %s", code, got, wantJSON, stderr)
	}
}
