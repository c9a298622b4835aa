package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDumpGuessesPacketCutShort: a packet cut short is dumped as a packet
// up to the cut, with the error at its offset and the cut-short hint,
// not as bare AMF3 values (undefined, true, ...): the reviewer's eight
// bytes, and every capture cut at several offsets, with and without a
// PHP notice before it. convert says the same of it.
func TestDumpGuessesPacketCutShort(t *testing.T) {
	out, errs, code := run(t, []string{"dump"}, "\x00\x03\x00\x00\x00\x01\xff\xff", nil, false)
	if code != exitInput || !strings.Contains(out, "packet version 3") || !strings.Contains(out, "1 message, but only 2 bytes left") ||
		strings.Contains(out, "undefined") || !strings.Contains(errs, "at offset 4") || !strings.Contains(errs, "cut short") {
		t.Errorf("dump of 00 03 00 00 00 01 ff ff: exit %d\n%s%s", code, out, errs)
	}
	_, errs, code = run(t, []string{"convert"}, "\x00\x03\x00\x00\x00\x01\xff\xff", nil, false)
	if code != exitInput || !strings.Contains(errs, "count 1 needs at least 9 bytes but 2 remain") || !strings.Contains(errs, "cut short") {
		t.Errorf("convert of 00 03 00 00 00 01 ff ff: exit %d\n%s", code, errs)
	}

	notice := "Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n"
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	if len(paths) < 20 {
		t.Fatalf("only %d captures", len(paths))
	}
	n := 0
	for i, p := range paths {
		if filepath.Base(p) == "default-garbage.request.amf" || i%testStride != 0 {
			continue // 00 03 then text: no packet
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []int{6, 8, 12, len(data) / 3, len(data) * 2 / 3, len(data) - 1} {
			for _, pre := range []string{"", notice} {
				n++
				in := pre + string(data[:k])
				out, errs, code := run(t, []string{"dump"}, in, nil, false)
				first, _, _ := strings.Cut(out, "\n")
				if code != exitInput || !strings.Contains(first, "packet version") || !strings.Contains(errs, "cut short") {
					t.Errorf("%s cut at %d, %d bytes before: exit %d, %q\n%s", filepath.Base(p), k, len(pre), code, first, errs)
					continue
				}
				if pre != "" && !strings.Contains(errs, "68 bytes before the AMF packet, skipped") {
					t.Errorf("%s cut at %d after a notice: the skipped text is not said\n%s", filepath.Base(p), k, errs)
				}
				// The text skipped or not, the packet's dump is the same.
				if pre != "" {
					want, _, _ := run(t, []string{"dump"}, string(data[:k]), nil, false)
					if out != want {
						t.Errorf("%s cut at %d after a notice: the dump differs from the packet's alone", filepath.Base(p), k)
					}
				}
			}
		}
	}
	t.Logf("%d cut packets", n)
}

// TestDumpFromPacketSkipsText: dump --from packet skips text before the
// packet (a PHP notice) as the guess, convert and call do, says so, and
// dumps the packet from its first byte, whole or cut short; text with no
// packet after it is still refused at offset 0.
func TestDumpFromPacketSkipsText(t *testing.T) {
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-getSnapshots.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := run(t, []string{"dump", "--from", "packet"}, string(reply), nil, false)
	for _, from := range []string{"packet", "auto"} {
		out, errs, code := run(t, []string{"dump", "--from", from}, "Notice: x\n"+string(reply), nil, false)
		if code != 0 || out != want || !strings.Contains(errs, `10 bytes before the AMF packet, skipped: "Notice: x\x0a"`) {
			t.Errorf("--from %s, a notice then a reply: exit %d\n%s%s", from, code, out, errs)
		}
	}
	cut := string(reply[:60])
	want, _, _ = run(t, []string{"dump", "--from", "packet"}, cut, nil, false)
	out, errs, code := run(t, []string{"dump", "--from", "packet"}, "Notice: x\n"+cut, nil, false)
	if code != exitInput || out != want || !strings.Contains(errs, "10 bytes before the AMF packet, skipped") || !strings.Contains(errs, "unexpected EOF") {
		t.Errorf("--from packet, a notice then a reply cut short: exit %d\n%s%s", code, out, errs)
	}
	// Hex text of the same.
	hexIn := strings.ToUpper(hexOf(append([]byte("Notice: x\n"), reply...)))
	out, errs, code = run(t, []string{"dump", "--from", "hex:packet"}, hexIn, nil, false)
	if code != 0 || !strings.Contains(out, "packet version 0") || !strings.Contains(errs, "10 bytes before the AMF packet") {
		t.Errorf("--from hex:packet, a notice then a reply: exit %d\n%s%s", code, out, errs)
	}
	// convert reads it so too; of a packet cut short, its error says
	// where its offsets count from.
	_, errs, code = run(t, []string{"convert", "--from", "packet"}, "Notice: x\n"+cut, nil, false)
	if code != exitInput || !strings.Contains(errs, "the AMF packet after 10 bytes of text (offsets count from its first byte)") {
		t.Errorf("convert --from packet, a notice then a reply cut short: exit %d\n%s", code, errs)
	}
	out, errs, code = run(t, []string{"dump", "--from", "packet"}, "Notice: x\n", nil, false)
	if code != exitInput || !strings.Contains(errs, "unsupported packet version 20079") || strings.Contains(errs, "skipped") {
		t.Errorf("--from packet, text alone: exit %d\n%s%s", code, out, errs)
	}
}
