package commands

import (
	"bytes"
	"strings"
	"testing"
)

// TestColourNeedsVT: on a Windows console that does not read escape
// sequences (one older than Windows 10 1511, where enableVT cannot turn
// that on), stderr gets no colour: it showed "←[1;31merror:←[0m". Where
// it does (enableVT turned it on for stderr's own handle: fatih/color
// turns it on for stdout alone, and only when stdout is the console, not
// with "amfcall ... > out.json"), errors are red as before; --color=always
// asks the stream to read them and colours whatever it answers.
func TestColourNeedsVT(t *testing.T) {
	runWith := func(colorable bool, args ...string) (string, []any) {
		var out, errb bytes.Buffer
		var asked []any
		e := &runEnv{
			args:   append([]string{"amfcall"}, args...),
			stdin:  strings.NewReader(""),
			stdout: &out,
			stderr: &errb,
			getenv: func(k string) string { return map[string]string{"TERM": "xterm"}[k] },
			isTerminal: func(s any) bool {
				return s == any(&errb)
			},
			colorable: func(w any) bool { asked = append(asked, w); return colorable },
		}
		e.run()
		return errb.String(), asked
	}
	missing := []string{"convert", "no-such-file.amf"}
	if stderr, asked := runWith(false, missing...); strings.Contains(stderr, "\x1b[") || len(asked) == 0 {
		t.Errorf("a console that takes no escapes: asked %d times, stderr %q", len(asked), stderr)
	}
	if stderr, _ := runWith(true, missing...); !strings.Contains(stderr, "\x1b[") {
		t.Errorf("a console that takes escapes: stderr %q, want colour", stderr)
	}
	if stderr, asked := runWith(false, append([]string{"--color=always"}, missing...)...); !strings.Contains(stderr, "\x1b[") || len(asked) == 0 {
		t.Errorf("--color=always: asked %d times, stderr %q, want colour", len(asked), stderr)
	}
	// enableVT leaves what is no console alone.
	if !enableVT(&bytes.Buffer{}) {
		t.Error("enableVT of a buffer: false")
	}
}
