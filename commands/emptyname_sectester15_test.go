package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An empty file name (a shell variable unset) is a usage error, as call
// refuses it: probe --wordlist ” guessed the built-in list, silently,
// exit 0; list, describe and probe dropped --cacert ”; dump -o ” wrote
// to stdout and dump ” read stdin ("stdin: the input is empty", exit 4).
// Port 1 refuses: without the check each run reached the network (exit 3).
func TestEmptyFileNameSectester15(t *testing.T) {
	const gw = "http://127.0.0.1:1/gw"
	for _, tc := range []struct {
		args  []string
		stdin string
		said  string
	}{
		{[]string{"probe", "--wordlist", "", gw}, "", "--wordlist: the file name is empty"},
		{[]string{"probe", "--cacert", "", gw}, "", "--cacert: the file name is empty"},
		{[]string{"list", "--cacert", "", gw}, "", "--cacert: the file name is empty"},
		{[]string{"describe", "--cacert", "", gw, "echo"}, "", "--cacert: the file name is empty"},
		{[]string{"dump", "-o", ""}, "0a0b0101", "--output: the file name is empty"},
		{[]string{"dump", ""}, "0a0b0101", "FILE: the file name is empty"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.said) {
			t.Errorf("%q: exit %d, want 2 and %q\n%s%s", tc.args, code, tc.said, stdout, stderr)
		}
	}
	// - (or nothing) is still stdin.
	if stdout, stderr, code := run(t, []string{"dump", "-"}, "0a0b0101", nil, false); code != 0 || !strings.Contains(stdout, "object") {
		t.Errorf("dump -: exit %d\n%s%s", code, stdout, stderr)
	}
}

// probe --wordlist DIR said "line 1: read DIR: is a directory" (exit 4,
// malformed input), as if the file held a bad line: it is a file that
// cannot be read as one, a usage error as for call --batch DIR.
func TestProbeWordlistDirSectester15(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := run(t, []string{"probe", "--wordlist", dir, "http://127.0.0.1:1/gw"}, "", nil, false)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "--wordlist: "+dir+" is a directory") || strings.Contains(stderr, "line 1") {
		t.Errorf("probe --wordlist DIR: exit %d, want 2 and the directory said\n%s%s", code, stdout, stderr)
	}
}

// probe of a server that no evidence names printed "unknown" and what
// each probe got, but not the Server field it sent (--format json only):
// the one lead a tester has on what answers there.
func TestProbeUnknownServerSectester15(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Acme-Gateway/9.1")
		http.Error(w, "no", http.StatusNotImplemented)
	}))
	defer srv.Close()
	stdout, stderr, code := run(t, []string{"probe", "--timeout", "5s", srv.URL + "/gw"}, "", nil, false)
	if code != 3 || !strings.HasPrefix(stdout, "unknown\n") || strings.Count(stdout, "(Server: Acme-Gateway/9.1)\n") != 1 {
		t.Errorf("probe of an unknown server: exit %d, want 3 and its Server field once\n%s%s", code, stdout, stderr)
	}
}
