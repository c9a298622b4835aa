package commands

import "testing"

// serve's address is --addr; --listen, --bind and --port (what other
// servers take) got only "run --help".
func TestServeListenFlagHint(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"--listen", "--bind", "--port", "-p"} {
		checkCase(t, cliCase{args: []string{"serve", flag, "127.0.0.1:0"}, code: 2,
			stderr: "amfcall: error: unknown flag " + flag + " for amfcall serve\n" +
				"amfcall: hint: the address to listen on is --addr HOST:PORT (for example --addr 127.0.0.1:8080; port 0 picks a free one)\n" +
				"amfcall: hint: run \"amfcall serve --help\" for the flags\n"})
	}
}
