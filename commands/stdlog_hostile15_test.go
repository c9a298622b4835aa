package commands

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"
)

// A gateway that sends other bytes past each reply's Content-Length had
// net/http log a line for each ("Unsolicited response received on idle
// HTTP channel starting with ..."), each distinct: bench -c 4 --for 2s
// wrote 9,133 lines on stderr. At most 4 lines of a kind are
// written now, then one note.
func TestRunStdLoggerBoundsKinds(t *testing.T) {
	const shownKind = 4 // maxLogKind
	defer func() { log.SetOutput(os.Stderr); log.SetFlags(log.LstdFlags); log.SetPrefix("") }()
	var out, errb bytes.Buffer
	if code := Run([]string{"amfcall", "--version"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for i := range 1000 {
		log.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=%v", fmt.Sprintf("%06x", i*7919), nil)
	}
	log.Printf("some other warning")
	lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
	if len(lines) != shownKind+2 || !strings.Contains(lines[shownKind], "more warnings like the last, differing only in the bytes quoted, are not shown") ||
		lines[shownKind+1] != "amfcall: warning: net/http: some other warning" {
		t.Errorf("stderr has %d lines, want %d:\n%.2000s", len(lines), shownKind+2, errb.String())
	}
}
