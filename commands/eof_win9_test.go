package commands

import (
	"bytes"
	"strings"
	"testing"
)

// TestTerminalInputEndKeys: convert reading a terminal says how to end
// the input, which in a Windows console is Ctrl-Z then Enter: it said
// Ctrl-D there too, which a console reads as one more character.
func TestTerminalInputEndKeys(t *testing.T) {
	for _, windows := range []bool{false, true} {
		withWindowsShell(t, windows, func() {
			var out, errb bytes.Buffer
			stdin := strings.NewReader("0a0b010361040101\n")
			e := &runEnv{
				args:       []string{"amfcall", "convert"},
				stdin:      stdin,
				stdout:     &out,
				stderr:     &errb,
				getenv:     func(string) string { return "" },
				isTerminal: func(s any) bool { return s == any(stdin) },
			}
			keys := "Ctrl-D"
			if windows {
				keys = "Ctrl-Z, then Enter"
			}
			want := "amfcall: reading the input from the terminal; end it with " + keys + " (or give a FILE)\n"
			if code := e.run(); code != 0 || errb.String() != want || out.String() != "{\"a\":1}\n" {
				t.Errorf("windows %v: exit %d, stdout %q, stderr %q, want %q", windows, code, out.String(), errb.String(), want)
			}
		})
	}
}

// TestUploadTerminalEndKeys: upload reading its file from the terminal
// ("-") says the keys as convert does; it said Ctrl-D on Windows too.
func TestUploadTerminalEndKeys(t *testing.T) {
	for _, windows := range []bool{false, true} {
		withWindowsShell(t, windows, func() {
			var out, errb bytes.Buffer
			stdin := strings.NewReader("\xff\xd8\xff\xe0 not much of a JPEG")
			e := &runEnv{
				args:       []string{"amfcall", "upload", "http://" + closedPort(t) + "/gateway", "ByteArray.saveSnapshot", "-", `"jpg"`},
				stdin:      stdin,
				stdout:     &out,
				stderr:     &errb,
				getenv:     func(string) string { return "" },
				isTerminal: func(s any) bool { return s == any(stdin) },
			}
			keys := "Ctrl-D"
			if windows {
				keys = "Ctrl-Z, then Enter"
			}
			want := "amfcall: reading the file from the terminal; end it with " + keys + "\n"
			if code := e.run(); code != exitNetwork || !strings.HasPrefix(errb.String(), want) {
				t.Errorf("windows %v: exit %d, stderr %q, want it to start %q", windows, code, errb.String(), want)
			}
		})
	}
}
