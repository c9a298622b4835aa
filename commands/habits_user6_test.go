package commands

import "testing"

// --amf0 (AMF0 is the default) got "did you mean --amf3?", the opposite
// of what was asked; followed, it sent AMF3.
func TestAMF0FlagHint(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"call", "upload", "bench"} {
		checkCase(t, cliCase{args: []string{cmd, "--amf0", "http://127.0.0.1:1/", "a.b", "x"}, code: 2,
			stderr: "amfcall: error: unknown flag --amf0 for amfcall " + cmd + "\n" +
				"amfcall: hint: AMF0 is the default: leave --amf0 out (--amf3 sends a version 3 packet)\n" +
				"amfcall: hint: run \"amfcall " + cmd + " --help\" for the flags\n"})
	}
	// Other near misses still get their guess.
	checkCase(t, cliCase{args: []string{"call", "--amf", "http://127.0.0.1:1/", "a.b"}, code: 2,
		stderr: "amfcall: error: unknown flag --amf for amfcall call\n" +
			"amfcall: hint: did you mean --amf3?\n" +
			"amfcall: hint: run \"amfcall call --help\" for the flags\n"})
}
