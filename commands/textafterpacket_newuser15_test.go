package commands

import (
	"os"
	"strings"
	"testing"
)

// A saved PHP reply with its closing "?>" after the packet: convert and
// dump exit 4 (text after a packet is an error there), but their hint
// said "it looks like an AMF packet; if it is a bare value, add --from
// amf3 or --from amf0", which sent a new user the wrong way. The hint now
// says the packet is whole, quotes what follows it and how to keep the
// packet alone.
func TestTextAfterPacketHint(t *testing.T) {
	t.Parallel()
	pkt, err := os.ReadFile(captures + "default-fail.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "reply.amf", append(append([]byte(nil), pkt...), "?>\n"...))
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, file}, "", nil, false)
		if code != 4 || strings.Contains(stderr, "bare value") || strings.Count(stderr, "hint:") != 1 ||
			!strings.Contains(stderr, `the AMF packet is whole in the first 108 bytes; the 3 bytes after it are no AMF ("?>\x0a"`) ||
			!windowsShell && !strings.Contains(stderr, "head -c 108 ") {
			t.Errorf("%s of a packet and ?>: exit %d\n%s", cmd, code, stderr)
		}
	}
	// Text before the packet too (a PHP notice, the packet, "?>"): the
	// packet was looked for at a later zero byte and read as one cut
	// short ("count 256 needs at least 2304 bytes ... the file was cut
	// short"). It is the whole packet after the text, then the text after.
	both := writeFile(t, "both.amf", append(append([]byte("<br />\n"), pkt...), "?>\n"...))
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, both}, "", nil, false)
		if code != 4 || strings.Contains(stderr, "cut short") || strings.Count(stderr, "hint:") != 1 ||
			!strings.Contains(stderr, "amf: 3 bytes of trailing data at offset 108") ||
			!strings.Contains(stderr, "the AMF packet is whole in the 108 bytes after the 7 bytes of text before it") ||
			!windowsShell && (!strings.Contains(stderr, "head -c 115 ") || !strings.Contains(stderr, "| tail -c 108 > packet.amf")) {
			t.Errorf("%s of text, a packet and ?>: exit %d\n%s", cmd, code, stderr)
		}
	}
	// From a pipe there is no file to cut: the hint says what follows.
	_, stderr, code := run(t, []string{"convert"}, string(pkt)+"?>\n", nil, false)
	if code != 4 || !strings.Contains(stderr, "the 3 bytes after it are no AMF") || strings.Contains(stderr, "head -c") {
		t.Errorf("convert of a piped packet and ?>: exit %d\n%s", code, stderr)
	}
}

// convert --help said JSON becomes a packet, a .sol file or bare AMF3
// values, but FLV JSON ({"flv": [...]}) becomes an FLV file; dump --help
// said Flash's numbering is the default and PyAMF's the only other, but
// dump reads each request with the numbering that fits it, Flash Player
// 9's (as Red5 reads it) among them, as convert does.
func TestHelpSaysWhatConvertAndDumpDo(t *testing.T) {
	t.Parallel()
	out, _, _ := run(t, []string{"convert", "--help"}, "", nil, false)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), `an FLV file (script tags only) when it is {"flv": [...]}`) {
		t.Errorf("convert --help does not say what FLV JSON becomes:\n%s", out)
	}
	out, _, _ = run(t, []string{"dump", "--help"}, "", nil, false)
	if !strings.Contains(out, "Flash Player 9's as Red5 reads it") {
		t.Errorf("dump --help does not say which numberings it reads:\n%s", out)
	}
	// What the help says of the FLV JSON is what convert does.
	flv, stderr, code := run(t, []string{"convert", "--to", "hex"}, `{"flv": [{"timestamp": 0, "name": "onMetaData", "value": {"duration": 1}}]}`, nil, false)
	if code != 0 || !strings.HasPrefix(flv, "464c56") {
		t.Errorf("FLV JSON: exit %d, %q\n%s", code, flv, stderr)
	}
}

// snapshots takes --format text (table's other name, as list, describe
// and probe spell it), but its hint for a wrong --format named only
// table, json and auto.
func TestSnapshotsFormatHintNamesText(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, []string{"snapshots", "--format", "xml", "http://127.0.0.1:1/"}, "", nil, false)
	if code != 2 || stderr != "amfcall: error: invalid --format \"xml\"\namfcall: hint: use --format table (or text), --format json or --format auto\n" {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// convert --to hex of a HAR file wrote its JSON lines as if --to were
// not given (--to packet is refused, exit 2): --to hex and --to base64
// are refused as well, before any output.
func TestConvertHARRefusesHexOutput(t *testing.T) {
	t.Parallel()
	for _, to := range []string{"hex", "base64", "hex:packet", "base64:amf3"} {
		stdout, stderr, code := run(t, []string{"convert", "--to", to, "../testdata/har/pyamf.har"}, "", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "a HAR file converts to JSON lines only, not to "+to) {
			t.Errorf("--to %s: exit %d, stdout %.80q\n%s", to, code, stdout, stderr)
		}
	}
}

// convert reply.json -o reply.amf0, reply.json being a packet's JSON:
// the name asks for bare AMF0 values, and the packet was written, with
// exit 0 and nothing said, as one AMF0 object of its shape ("version",
// "headers", "messages"), which converts back to the same JSON but is no
// packet. It is still written (the name asked), with a warning naming
// --to packet; --to amf0 said outright, and JSON of a bare value, get
// none.
func TestConvertPacketJSONToValueNameWarns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pkt := `{"version": 0, "headers": [], "messages": [{"target": "echo", "response": "/1", "value": [1]}]}`
	for _, c := range []struct {
		args []string
		in   string
		warn string
	}{
		{[]string{"convert", "-o", dir + "/a.amf0"}, pkt, "this JSON of an AMF packet is written as one AMF0 object of its shape, not as an AMF packet; --to packet writes an AMF packet"},
		{[]string{"convert", "-o", dir + "/b.amf3"}, `{"sol": "s", "data": {"a": 1}}`, "--to sol writes a .sol file"},
		{[]string{"convert", "-o", dir + "/c.amf0", "--to", "amf0"}, pkt, ""},
		{[]string{"convert", "-o", dir + "/d.amf0"}, `{"a": 1}`, ""},
		{[]string{"convert", "-o", dir + "/e.amf"}, pkt, ""},
	} {
		_, stderr, code := run(t, c.args, c.in, nil, false)
		if code != 0 || c.warn == "" && stderr != "" || c.warn != "" && !strings.Contains(stderr, c.warn) {
			t.Errorf("%v: exit %d\n%s", c.args, code, stderr)
		}
	}
}

// od -tx1 FILE (and od -x, hexdump without -C) piped to convert or dump:
// the listing is all hex digits and blanks, so it was read as hex text
// with its offsets among the bytes, and failed with "it was read as bare
// AMF3 values, the default" (exit 4), as if --from would help. The hint
// now says it is an od listing and how to list the bytes alone.
func TestODListingHint(t *testing.T) {
	t.Parallel()
	// od -tx1 of default-fail.request.amf (octal offsets), and od -Ax -tx1
	// of a shorter value (hex offsets).
	const od = "0000000 00 00 00 00 00 01 00 09 65 63 68 6f 2e 66 61 69\n" +
		"0000020 6c 00 02 2f 31 00 00 00 0c 0a 00 00 00 01 02 00\n" +
		"0000040 04 62 6f 6f 6d\n0000045\n"
	const odAx = "000000 02 00 05 68 65 6c 6c 6f\n000008\n"
	for _, cmd := range []string{"convert", "dump"} {
		for _, in := range []string{od, odAx} {
			_, stderr, code := run(t, []string{cmd}, in, nil, false)
			if code != 4 || !strings.Contains(stderr, "this looks like od or hexdump output") ||
				!strings.Contains(stderr, "od -An -tx1 -v FILE | amfcall "+cmd) || strings.Contains(stderr, "bare AMF3 values, the default") {
				t.Errorf("%s of an od listing %.20q: exit %d\n%s", cmd, in, code, stderr)
			}
		}
	}
	// What od -An -tx1 -v writes is read.
	stdout, stderr, code := run(t, []string{"convert"}, " 02 00 05 68 65 6c 6c 6f\n", nil, false)
	if code != 0 || stdout != "\"hello\"\n" {
		t.Errorf("od -An: exit %d, %q\n%s", code, stdout, stderr)
	}
	// Hex text that fails and is no listing gets no such hint.
	if _, stderr, _ := run(t, []string{"convert"}, "0a0b01096104\n", nil, false); strings.Contains(stderr, "od or hexdump") {
		t.Errorf("hex text: %s", stderr)
	}
}
