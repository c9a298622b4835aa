package commands

import "testing"

// AMFCALL_URL without its scheme: call said "AMFCALL_URL: invalid gateway
// URL ..." with the hint to set the variable, but list, describe, probe,
// bench and the Flex commands said "write the gateway URL with its
// scheme: ...", of a URL the user had not written. Each now names the
// variable, as call does.
func TestEnvURLErrorNamesTheVariable(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AMFCALL_URL": "127.0.0.1:8000", "NO_COLOR": "1"}
	want := "amfcall: error: AMFCALL_URL: invalid gateway URL \"127.0.0.1:8000\": want an http:// or https:// URL\n" +
		"amfcall: hint: set AMFCALL_URL to the gateway URL, e.g. http://localhost:8000/gateway, or give the URL first\n"
	for _, args := range [][]string{
		{"call", "echo.echo", "1"}, {"list"}, {"describe", "echo"}, {"probe"},
		{"bench", "-n", "1", "echo.echo"}, {"subscribe", "chat"}, {"publish", "chat", "1"}, {"logout"},
		{"snapshots"}, {"upload", "ByteArray.saveSnapshot", "envurl_user6_test.go"},
	} {
		checkCase(t, cliCase{args: args, env: env, code: 2, stderr: want})
	}
	// The same URL typed on the line is the user's: the scheme hint.
	checkCase(t, cliCase{args: []string{"list", "127.0.0.1:8000"}, env: env, code: 2,
		stderr: "amfcall: error: invalid gateway URL \"127.0.0.1:8000\": want an http:// or https:// URL\n" +
			"amfcall: hint: write the gateway URL with its scheme: http://127.0.0.1:8000 (or https://)\n"})
}
