package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// skipPOSIXHint skips a test of the hex dump hint's POSIX form (xxd -r,
// cut -c) where the hints are for cmd.exe and PowerShell, whose form
// TestHexDumpHintWindowsWin14 checks.
func skipPOSIXHint(t *testing.T) {
	t.Helper()
	if windowsShell {
		t.Skip("the hints here are PowerShell's: TestHexDumpHintWindowsWin14")
	}
}

// hexListing is b as an xxd, hexdump -C or Wireshark listing, with CRLF
// line ends as a listing saved on Windows may have.
func hexListing(b []byte, kind string) string {
	var s strings.Builder
	text := func(line []byte) string {
		return strings.Map(func(r rune) rune {
			if r < 0x20 || r > 0x7e {
				return '.'
			}
			return r
		}, string(line))
	}
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		switch kind {
		case "xxd":
			fmt.Fprintf(&s, "%08x: ", off)
			for i := range 16 {
				if i < len(line) {
					fmt.Fprintf(&s, "%02x", line[i])
				} else {
					s.WriteString("  ")
				}
				if i%2 == 1 {
					s.WriteString(" ")
				}
			}
			fmt.Fprintf(&s, " %s\r\n", text(line))
		case "hexdump":
			fmt.Fprintf(&s, "%08x  ", off)
			for i := range 16 {
				if i < len(line) {
					fmt.Fprintf(&s, "%02x ", line[i])
				} else {
					s.WriteString("   ")
				}
				if i == 7 {
					s.WriteString(" ")
				}
			}
			fmt.Fprintf(&s, " |%s|\r\n", text(line))
		case "wireshark":
			fmt.Fprintf(&s, "%04x  ", off)
			for _, c := range line {
				fmt.Fprintf(&s, " %02x", c)
			}
			s.WriteString(strings.Repeat(" ", 3+3*(16-len(line))))
			s.WriteString(text(line) + "\r\n")
		}
	}
	if kind == "hexdump" {
		fmt.Fprintf(&s, "%08x\r\n", len(b))
	}
	return s.String()
}

// TestHexDumpHintWindowsWin14: on Windows the hint of a pasted hex dump
// (convert and dump, of a file and of stdin) named xxd -r and cut -c,
// which Windows does not have ("'xxd' is not recognized as an internal
// or external command"). It is now PowerShell's Get-Content and
// ForEach-Object with the columns of the listing's hex; those columns,
// kept as PowerShell's PadRight and Substring keep them, give back the
// packet through convert and dump. (No PowerShell runs here: the
// pipeline's columns are applied as it applies them.)
func TestHexDumpHintWindowsWin14(t *testing.T) {
	pkt := captureBytes(t, "default-fail.request.amf")
	want, _, _ := run(t, []string{"convert", captures + "default-fail.request.amf"}, "", nil, false)
	wantDump, _, _ := run(t, []string{"dump", captures + "default-fail.request.amf"}, "", nil, false)
	dir := t.TempDir()
	keep := regexp.MustCompile(`^(Get-Content -LiteralPath (.+)|\.\.\.) \| ForEach-Object \{ \$_\.PadRight\((\d+)\)\.Substring\((\d+), (\d+)\) \} \| amfcall (convert|dump) reads its bytes$`)
	withWindowsShell(t, true, func() {
		for _, kind := range []string{"xxd", "hexdump", "wireshark"} {
			listing := hexListing(pkt, kind)
			file := filepath.Join(dir, "my "+kind+".txt")
			if err := os.WriteFile(file, []byte(listing), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"convert", "dump"} {
				for _, args := range [][]string{{cmd, file}, {cmd}} {
					stdout, stderr, code := run(t, args, listing, nil, false)
					const pre = "amfcall: hint: this looks like a hex dump with offsets (xxd, hexdump -C): in PowerShell, "
					i := strings.LastIndex(stderr, pre)
					if code != exitInput || stdout != "" || i < 0 {
						t.Errorf("%s of a %s listing: code %d, stdout %q, stderr:\n%s", args, kind, code, stdout, stderr)
						continue
					}
					hint := strings.TrimSuffix(stderr[i+len(pre):], "\n")
					m := keep.FindStringSubmatch(hint)
					if m == nil || m[6] != cmd || (len(args) == 2) != (m[2] != "") || (m[2] != "" && m[2] != shellWord(file)) {
						t.Errorf("%s of a %s listing: the hint %q is not the PowerShell pipeline wanted", args, kind, hint)
						continue
					}
					pad, _ := strconv.Atoi(m[3])
					from, _ := strconv.Atoi(m[4])
					width, _ := strconv.Atoi(m[5])
					// Get-Content gives the lines without their ends;
					// PadRight, then Substring(from, width).
					var cols strings.Builder
					for _, line := range strings.Split(strings.TrimSuffix(listing, "\r\n"), "\r\n") {
						if len(line) < pad {
							line += strings.Repeat(" ", pad-len(line))
						}
						if from+width > len(line) {
							t.Fatalf("%s: Substring(%d, %d) of a line %d long throws", hint, from, width, len(line))
						}
						cols.WriteString(line[from:from+width] + "\n")
					}
					w := want
					if cmd == "dump" {
						w = wantDump
					}
					if got, stderr, code := run(t, []string{cmd}, cols.String(), nil, false); code != 0 || got != w {
						t.Errorf("%s: the %s listing's columns %d to %d, through %s: exit %d, %.80q, want %.80q\n%s", hint, kind, from, from+width, cmd, code, got, w, stderr)
					}
				}
			}
		}
	})
}

// TestWindowsHelpWin14: call --help's batch example on Windows was
// printf's, which PowerShell and cmd.exe do not have; dump --help said
// its spool went to $TMPDIR and was removed at once. On Windows they are
// PowerShell's strings piped and %TMP%, removed when the dump ends; the
// help elsewhere is as it was. Each text replaced is still in the help
// (a help edited without windowsHelpPairs would show Windows the POSIX
// text again).
func TestWindowsHelpWin14(t *testing.T) {
	for i := 0; i < len(windowsHelpPairs); i += 2 {
		found := false
		for _, c := range (&runEnv{}).commandList() {
			found = found || strings.Contains(c.Description, windowsHelpPairs[i])
			for _, s := range c.Subcommands {
				found = found || strings.Contains(s.Description, windowsHelpPairs[i])
			}
		}
		if !found {
			t.Errorf("no help says %q any longer: update windowsHelpPairs", windowsHelpPairs[i])
		}
	}
	for _, tc := range []struct{ cmd, posix, windows string }{
		{"call", `printf '%s\n'`, `'{"target":"a.b","args":[1]}', '{"target":"c.d"}' | amfcall call --batch - $URL`},
		{"dump", "$TMPDIR", "copied to a temporary file in %TMP%, removed when the dump ends"},
		{"demo", "amfcall demo --sample - | amfcall upload", "amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot sample.jpg"},
	} {
		withWindowsShell(t, true, func() {
			out, _, code := run(t, []string{tc.cmd, "--help"}, "", nil, false)
			if code != 0 || strings.Contains(out, tc.posix) || !strings.Contains(out, tc.windows) {
				t.Errorf("%s --help on Windows: exit %d, want %q and no %q in\n%s", tc.cmd, code, tc.windows, tc.posix, out)
			}
		})
		withWindowsShell(t, false, func() {
			out, _, _ := run(t, []string{tc.cmd, "--help"}, "", nil, false)
			if !strings.Contains(out, tc.posix) || strings.Contains(out, tc.windows) {
				t.Errorf("%s --help elsewhere: want %q in\n%s", tc.cmd, tc.posix, out)
			}
		})
	}
}

// TestDemoSampleHintWin14: demo --sample - on a terminal hinted a pipe of
// the JPEG into upload with '"jpg"': PowerShell before 7.4 passes a
// program's bytes to the next as text (the JPEG arrives changed), and
// cmd.exe keeps the single quotes. On Windows the hint is a file, which
// upload reads and names the extension of itself.
func TestDemoSampleHintWin14(t *testing.T) {
	for _, tc := range []struct {
		windows bool
		want    string
	}{
		{true, "amfcall: hint: give a file name: amfcall demo --sample sample.jpg, then amfcall upload URL ByteArray.saveSnapshot sample.jpg\n"},
		{false, "amfcall: hint: pipe it (amfcall demo --sample - | amfcall upload URL ByteArray.saveSnapshot - '\"jpg\"'), or give a file name\n"},
	} {
		withWindowsShell(t, tc.windows, func() {
			stdout, stderr, code := run(t, []string{"demo", "--sample", "-"}, "", nil, true)
			if code != exitUsage || stdout != "" || !strings.HasSuffix(stderr, tc.want) {
				t.Errorf("demo --sample - on a terminal (Windows %v): exit %d, stdout %q, stderr %q, want the hint %q", tc.windows, code, stdout, stderr, tc.want)
			}
		})
	}
}
