package discover

import (
	"strings"
	"testing"
)

// A word list line past the bound said "line 1: bufio.Scanner: token too
// long": Go's words, not what is wrong with the file.
func TestReadWordsLongLineSectester15(t *testing.T) {
	_, err := ReadWords(strings.NewReader("echo\n" + strings.Repeat("a", 4097) + "\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2: longer than 4096 bytes") || strings.Contains(err.Error(), "bufio") {
		t.Errorf("ReadWords of a 4097-byte line: %v", err)
	}
	// A line of 4096 bytes is read.
	w, err := ReadWords(strings.NewReader(strings.Repeat("b", 4096) + "\n"))
	if err != nil || len(w) != 1 {
		t.Errorf("ReadWords of a 4096-byte line: %d words, %v", len(w), err)
	}
}
