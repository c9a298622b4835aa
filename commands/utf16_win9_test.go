package commands

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// psOut is text as Windows PowerShell 5's > writes it to a file: lines
// ended by CRLF, in UTF-16LE with a byte order mark.
func psOut(text string) []byte {
	text = strings.ReplaceAll(text, "\n", "\r\n")
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// TestPowerShellFiles: the README's round trip as a Windows PowerShell 5
// user types it (convert --typed reply.amf > reply.json, then convert
// reply.json -o reply.amf) and call's JSON files written so (-d @FILE,
// --batch): PowerShell's > writes UTF-16, which was refused (convert:
// "unknown or invalid marker 0xff at offset 0", a hint naming iconv;
// call: "invalid character 'ÿ'"). It is read as the same text now.
func TestPowerShellFiles(t *testing.T) {
	dir := t.TempDir()
	typed, _, code := run(t, []string{"convert", "--typed", captures + "default-echo_amf3_rich.request.amf"}, "", nil, false)
	if code != 0 {
		t.Fatalf("convert --typed: exit %d", code)
	}
	reply := filepath.Join(dir, "reply.json")
	if err := os.WriteFile(reply, psOut(typed), 0o644); err != nil {
		t.Fatal(err)
	}
	back := filepath.Join(dir, "reply.amf")
	if _, stderr, code := run(t, []string{"convert", reply, "-o", back}, "", nil, false); code != 0 || stderr != "" {
		t.Fatalf("convert reply.json -o reply.amf: exit %d\n%s", code, stderr)
	}
	want, _ := os.ReadFile(captures + "default-echo_amf3_rich.request.amf")
	if got, _ := os.ReadFile(back); string(got) != string(want) {
		t.Errorf("the packet back from UTF-16 typed JSON differs: %d bytes, want %d", len(got), len(want))
	}

	args := writeFile(t, "args.json", psOut("[\"caf\u00e9\", {\"a\": 1}]\n"))
	out, stderr, code := run(t, []string{"call", "--offline", "http://x/", "echo.echo", "-d", "@" + args}, "", nil, false)
	if code != 0 || !strings.Contains(out, "\"value\":[\"caf\u00e9\",{\"a\":1.0}]") {
		t.Errorf("-d @args.json: exit %d\n%s%s", code, out, stderr)
	}
	batch := writeFile(t, "calls.jsonl", psOut("{\"target\": \"echo.echo\", \"args\": [1]}\n{\"target\": \"echo.echo\", \"args\": [2]}\n"))
	out, stderr, code = run(t, []string{"call", "--offline", "--batch", batch, "http://x/"}, "", nil, false)
	if code != 0 || !strings.Contains(out, `"response":"/2"`) {
		t.Errorf("--batch calls.jsonl: exit %d\n%s%s", code, out, stderr)
	}
}

// TestPowerShellMisdecoded: PowerShell 5 reads a program's output in the
// console's code page (437) before its > writes it as UTF-16, so
// amfcall's "café" comes back "caf├⌐". convert reads what the file
// holds, and warns that its characters outside ASCII look so.
func TestPowerShellMisdecoded(t *testing.T) {
	seen, err := charmap.CodePage437.NewDecoder().String("{\"a\": \"caf\u00e9\"}\n")
	if err != nil {
		t.Fatal(err)
	}
	in := writeFile(t, "reply.json", psOut(seen))
	out, stderr, code := run(t, []string{"convert", "--to", "hex:amf3", in}, "", nil, false)
	if code != 0 || out != "0a0b0103610613636166e2949ce28c9001\n" ||
		stderr != "amfcall: warning: "+misdecodedWarning(in)+"\n" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, stderr)
	}
	// Text that was UTF-16 from the start gets no warning.
	in = writeFile(t, "args.json", psOut("{\"a\": \"caf\u00e9 \u2713\"}\n"))
	if _, stderr, code := run(t, []string{"convert", "--to", "hex:amf3", in}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
