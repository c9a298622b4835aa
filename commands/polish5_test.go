package commands

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
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

// dupNameInput is an AMF3 object whose n dynamic members are all named
// by a 1-byte reference to one 1100-byte name, each with a 1-byte value:
// its JSON dump writes each member's two ranges with a path of 1 KiB, over
// 1000 times the input.
func dupNameInput(n int) []byte {
	name := strings.Repeat("k", 1100)
	b := []byte{0x0a, 0x0b, 0x01, 0x91, 0x19} // U29 1100<<1|1
	b = append(b, name...)
	b = append(b, 0x01) // null
	for range n - 1 {
		b = append(b, 0x00, 0x01) // the name again, null
	}
	return append(b, 0x01) // end of the members
}

// TestDumpMaxOutput: dump has convert's --max-output: by default 1000
// times the input (at most 1 GiB), else the size given; the dump stops
// exactly there with exit status 4, the error and hint convert gives for
// a limit, and -o FILE is not written. A bad size is the usage error
// convert gives.
func TestDumpMaxOutput(t *testing.T) {
	data := dupNameInput(10000)
	if len(data) != 21105 {
		t.Fatalf("the input is %d bytes", len(data))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dup.amf3")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// Past the default: 23 MB of JSON before, 1000 times the input now.
	out, errs, code := run(t, []string{"dump", "--format", "json", path}, "", nil, false)
	wantErr := path + ": dump: output exceeds 21105000 bytes"
	if code != exitInput || len(out) != 1000*len(data) || !strings.Contains(errs, wantErr) ||
		!strings.Contains(errs, "hint: raise --max-output if the output is meant to be this large") {
		t.Errorf("dump --format json of %d bytes: exit %d, %d bytes out\n%s", len(data), code, len(out), errs)
	}
	for _, tc := range []struct {
		args  []string
		limit int
	}{
		{[]string{"--format", "json", "--max-output", "2M"}, 2 << 20},
		{[]string{"--max-output", "1000"}, 1000},
		{[]string{"--all", "--max-output", "10K"}, 10 << 10},
	} {
		out, errs, code := run(t, append(append([]string{"dump"}, tc.args...), path), "", nil, false)
		if code != exitInput || len(out) != tc.limit || !strings.Contains(errs, fmt.Sprintf("dump: output exceeds %d bytes", tc.limit)) {
			t.Errorf("dump %q: exit %d, %d bytes out\n%s", tc.args, code, len(out), errs)
		}
	}
	// Raised: the whole dump.
	out, errs, code = run(t, []string{"dump", "--format", "json", "--max-output", "100M", path}, "", nil, false)
	if code != 0 || len(out) <= 1000*len(data) || !strings.HasSuffix(out, "]}\n") {
		t.Errorf("dump --max-output 100M: exit %d, %d bytes out\n%s", code, len(out), errs)
	}
	// -o FILE is not written.
	outFile := filepath.Join(dir, "dump.txt")
	_, errs, code = run(t, []string{"dump", "--max-output", "1K", "-o", outFile, path}, "", nil, false)
	if _, err := os.Stat(outFile); code != exitInput || err == nil {
		t.Errorf("dump -o FILE past --max-output: exit %d, file written (%v)\n%s", code, err, errs)
	}
	// An FLV dumped as it is read (from a pipe, its size not known).
	flv, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code = run(t, []string{"dump", "--max-output", "1K"}, string(flv), nil, false)
	if code != exitInput || len(out) != 1024 || !strings.Contains(errs, "stdin: dump: output exceeds 1024 bytes") {
		t.Errorf("dump --max-output 1K of an FLV from a pipe: exit %d, %d bytes out\n%s", code, len(out), errs)
	}
	if _, errs, code = run(t, []string{"dump", "--all"}, string(flv), nil, false); code != 0 {
		t.Errorf("dump --all of an FLV from a pipe: exit %d\n%s", code, errs)
	}
	// A bad size: the usage error convert gives, before reading.
	_, want, wcode := run(t, []string{"convert", "--max-output", "1x", path}, "", nil, false)
	_, errs, code = run(t, []string{"dump", "--max-output", "1x", path}, "", nil, false)
	if code != exitUsage || code != wcode || errs != want {
		t.Errorf("dump --max-output 1x: exit %d %q; convert: %d %q", code, errs, wcode, want)
	}
}

// TestDumpDefaultMaxOutput: the default is convert's, but never under 8
// times the input (every byte's hex), past 128 MiB.
func TestDumpDefaultMaxOutput(t *testing.T) {
	for _, tc := range []struct{ n, want int64 }{
		{0, 0}, {1, 1000}, {21105, 21105000}, {1 << 20, 1000 << 20}, {2 << 20, 1 << 30}, {128 << 20, 1 << 30}, {300 << 20, 2400 << 20},
	} {
		if got := dumpDefaultMaxOutput(tc.n); got != tc.want {
			t.Errorf("dumpDefaultMaxOutput(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// TestDumpHelpSaysPathsAreCut: dump --help says where a JSON dump's
// paths are cut (amf.MaxPath) and how they end, and a dump does so.
func TestDumpHelpSaysPathsAreCut(t *testing.T) {
	help, _, code := run(t, []string{"dump", "--help"}, "", nil, false)
	flat := strings.Join(strings.Fields(help), " ")
	want := fmt.Sprintf(`cut at %d bytes (ending in "...",`, amf.MaxPath)
	if code != 0 || !strings.Contains(flat, want) {
		t.Errorf("dump --help does not say %q:\n%s", want, help)
	}
	out, errs, code := run(t, []string{"dump", "--format", "json", "--from", "amf3"}, string(dupNameInput(3)), nil, false)
	var doc struct {
		Ranges []struct {
			Path *string `json:"path"`
		} `json:"ranges"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("dump: exit %d, %v\n%s", code, err, errs)
	}
	cut := 0
	for _, r := range doc.Ranges {
		if r.Path == nil {
			continue
		}
		if len(*r.Path) > amf.MaxPath+3 {
			t.Errorf("a path of %d bytes", len(*r.Path))
		}
		if strings.HasSuffix(*r.Path, "...") {
			cut++
			if *r.Path != "/"+strings.Repeat("k", amf.MaxPath-1)+"..." {
				t.Errorf("path cut as %q", *r.Path)
			}
		}
	}
	if cut == 0 {
		t.Error("no path cut")
	}
}
