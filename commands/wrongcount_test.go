package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestWrongCountHint: a saved reply whose message count says more
// bodies than it holds (as some PHP gateways write) got the hint that
// the file was cut short, to be downloaded again; call reads the same
// bytes with a warning. convert and dump now name the count, its byte
// and what the bytes hold. A reply really cut short keeps its hint.
func TestWrongCountHint(t *testing.T) {
	t.Parallel()
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrong := append([]byte{}, p...)
	wrong[5] = 2 // the message count's low byte
	wrongFile, cutFile := filepath.Join(dir, "wrong.amf"), filepath.Join(dir, "cut.amf")
	if err := os.WriteFile(wrongFile, wrong, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cutFile, p[:len(p)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	// (read17: they now read it as call does, with its warning.)
	const countWarning = "the reply's packet counts 2 bodies (its message count, at byte 4) but holds 1: the reply ends at byte 34"
	for _, args := range [][]string{{"convert", wrongFile}, {"convert", "--from", "packet", wrongFile}, {"dump", wrongFile}, {"dump", "--from", "packet", wrongFile}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.Contains(stderr, countWarning) {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
	for _, args := range [][]string{{"convert", cutFile}, {"dump", cutFile}} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != exitInput || !strings.Contains(stderr, "the file was cut short") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
}
