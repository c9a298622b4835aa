package commands

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputOverLimitRefusedFromStat: a file over 1 GiB that a command
// would read whole is refused from its size before a byte is read (exit
// 4, naming the file and the limit; the ByteArray inputs hint at
// upload). The file is sparse: it takes no disk, and reading it would
// take 1 GiB of memory and seconds (the old behaviour: read up to the
// limit, then a usage error). upload streams its FILE and is not
// refused by this check (its own limit is the AMF3 ByteArray's).
func TestInputOverLimitRefusedFromStat(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxInput + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	const u = "http://127.0.0.1:1/"
	over := func(what string) string {
		if what != "" {
			what += ": "
		}
		return "amfcall: error: " + what + big + " is 1073741825 bytes, over the limit of 1073741824 bytes (1 GiB) for an input read whole into memory\n"
	}
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		// No "use upload" hint: upload takes at most 256 MiB - 1.
		{[]string{"call", "-d", "@" + big, u, "a.b"}, over("-d")},
		{[]string{"call", "--packet", big, u}, over("--packet")},
		{[]string{"call", "--batch", big, u}, over("--batch")},
		{[]string{"call", "--from-har", big + "#1"}, over("--from-har")},
		{[]string{"call", "--session", big, u, "a.b"}, over("--session")},
		{[]string{"call", "--cacert", big, u, "a.b"}, over("--cacert")},
		{[]string{"convert", big}, over("")},
		{[]string{"dump", big}, over("")},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, false)
		if code != exitInput || stdout != "" || stderr != tc.stderr {
			t.Errorf("%q: exit %d\nstdout %q\nstderr %q\nwant   %q", tc.args, code, stdout, stderr, tc.stderr)
		}
	}
	// call's and bench's @FILE is a ByteArray: refused at 256 MiB - 1,
	// from its size.
	for _, cmd := range []string{"call", "bench"} {
		_, stderr, code := run(t, []string{cmd, u, "a.b", "@" + big}, "", nil, false)
		if want := "amfcall: error: argument 1: " + big + " is 1073741825 bytes; an AMF3 ByteArray holds at most 268435455 bytes (256 MiB - 1)\n" +
			"amfcall: hint: AMF cannot carry it in one call; split the file or send it another way\n"; code != exitUsage || stderr != want {
			t.Errorf("%s @FILE: exit %d, stderr %q\nwant %q", cmd, code, stderr, want)
		}
	}
	_, stderr, code := run(t, []string{"upload", "--timeout", "10s", u, "ByteArray.saveSnapshot", big}, "", nil, false)
	if strings.Contains(stderr, "read whole") || !strings.Contains(stderr, "an AMF3 ByteArray holds at most") {
		t.Errorf("upload: exit %d, %s", code, stderr)
	}
}

// stdin that is a regular file ("< FILE") over 1 GiB is refused from its
// size too (a child process: stdin must be the file itself).
func TestStdinOverLimitRefusedFromStat(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, maxInput+1); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"convert"}, {"call", "--offline", "http://127.0.0.1:1/", "a.b", "-d", "-"}} {
		f, err := os.Open(big)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=")
		cmd.Stdin = f
		out, err := cmd.CombinedOutput()
		f.Close()
		ee, _ := err.(*exec.ExitError)
		if ee == nil || ee.ExitCode() != exitInput || !strings.Contains(string(out), "stdin is 1073741825 bytes, over the limit of 1073741824 bytes (1 GiB)") {
			t.Errorf("%q: %v\n%s", args, err, out)
		}
	}
}

// An input that turns out over the limit only as it is read (a pipe) is
// malformed input too (exit 4), as a file refused from its size: not a
// usage error.
func TestStreamOverLimitIsInputError(t *testing.T) {
	t.Parallel()
	_, err := readAtMost(struct{ io.Reader }{strings.NewReader("abcd")}, 3)
	if code, _ := classify(err); code != exitInput || err.Error() != "input is larger than 3 bytes" {
		t.Errorf("exit %d, %v", code, err)
	}
}
