package commands

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/bench"
)

// A server's text holding U+009B (the 8-bit CSI) reached the terminal
// raw in the JSON on stdout (review F-A): convert and call write through
// the convert package's string writer, list, describe and probe through
// writeJSON, bench --format json and probe's guesses through
// encoding/json; each escapes the C1 controls and bidi overrides now,
// on a terminal (colour) and in a pipe.
func TestStdoutJSONEscapesTerminalRunes(t *testing.T) {
	t.Parallel()
	const evil = "evil\u009b2J\u202eexe.txt\u2066x"
	// An AMF3 string: 06, length<<1|1, the bytes.
	amf3 := append([]byte{0x06, byte(len(evil)<<1 | 1)}, evil...)
	for _, term := range []bool{false, true} {
		env := plainEnv
		if term {
			env = map[string]string{"TERM": "xterm"}
		}
		stdout, stderr, code := run(t, []string{"convert", "--from", "hex:amf3"}, hex.EncodeToString(amf3), env, term)
		if code != 0 || !strings.Contains(stdout, `evil\u009b2J\u202eexe.txt\u2066x`) || hasTerminalRune(stdout) {
			t.Errorf("convert (terminal %v): code %d, stdout %q, stderr %q", term, code, stdout, stderr)
		}
	}
	doc, err := safeJSON(map[string]string{"description": evil})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]string
	if err := json.Unmarshal(doc, &back); err != nil || back["description"] != evil || hasTerminalRune(string(doc)) {
		t.Errorf("writeJSON: %q (%v)", doc, err)
	}
	var buf bytes.Buffer
	if err := writeBenchJSON(&buf, &bench.Summary{FaultCodes: map[string]int64{evil: 3}}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `evil\u009b2J\u202eexe.txt\u2066x`) || hasTerminalRune(buf.String()) {
		t.Errorf("bench --format json: %q", buf.String())
	}
}

func hasTerminalRune(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return true
		}
	}
	return false
}
