package commands

import (
	"net"
	"testing"
)

// TestProbeGuessFlagsNeedGuessing: --flex, --rate and --max shape the
// guessing of names, which only --enumerate or --wordlist starts. Given
// alone they were ignored: "probe --flex URL" sent the four probes,
// printed the report and exited 0, with no word that no Flex
// destination had been guessed. They are now a usage error, before any
// request (the URL here refuses connections: a request would be exit 3).
func TestProbeGuessFlagsNeedGuessing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close()
	hint := "amfcall: hint: add --enumerate (a built-in list of common names) or --wordlist FILE; without either, probe only tells which gateway answers\n"
	for _, tc := range []cliCase{
		{name: "flex", args: []string{"probe", "--flex", url}, code: exitUsage,
			stderr: "amfcall: error: --flex is for guessing names, which needs --enumerate or --wordlist FILE\n" + hint},
		{name: "rate", args: []string{"probe", "--rate", "2", url}, code: exitUsage,
			stderr: "amfcall: error: --rate is for guessing names, which needs --enumerate or --wordlist FILE\n" + hint},
		{name: "max", args: []string{"probe", url, "--max", "20"}, code: exitUsage,
			stderr: "amfcall: error: --max is for guessing names, which needs --enumerate or --wordlist FILE\n" + hint},
		// With guessing asked for, they are taken: the refused URL is
		// then the error.
		{name: "with enumerate", args: []string{"probe", "--flex", "--rate", "2", "--max", "20", "--enumerate", url}, code: exitNetwork,
			stderr: "amfcall: error: connection refused (" + url + "); is the gateway running? check the host and port in the URL\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}
