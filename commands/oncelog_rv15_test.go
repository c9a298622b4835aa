package commands

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// net/http's log lines are bounded at 4 of a kind (hostile15), but the
// count of a kind was kept only while fewer than 64 distinct lines had
// been seen: once 16 kinds had written their 4 lines, every line of a
// new kind was written, without bound (a gateway sending other bytes
// past each reply: a line per request again).
func TestOnceLogKindsBoundedAfterSeenFull(t *testing.T) {
	var buf bytes.Buffer
	l := &onceLog{w: &buf}
	for k := range 16 {
		for i := range 4 {
			fmt.Fprintf(l, "warning of kind %c: %q\n", 'a'+k, fmt.Sprint(i))
		}
	}
	before := strings.Count(buf.String(), "\n")
	for i := range 1000 {
		fmt.Fprintf(l, "Unsolicited response received on idle HTTP channel starting with %q; err=<nil>\n", fmt.Sprintf("%06x", i*7919))
	}
	if n := strings.Count(buf.String(), "Unsolicited response"); n > maxLogKind {
		t.Errorf("%d lines of one kind written after %d lines of 16 kinds, want at most %d", n, before, maxLogKind)
	}
	// Lines of many kinds, each new: the table of kinds is bounded too.
	for i := range 10000 {
		fmt.Fprintf(l, "%s\n", strings.Repeat("x", i%50+1)+strings.Repeat("y", i/50+1))
	}
	if len(l.kinds) > maxOnceLog {
		t.Errorf("%d kinds kept, want at most %d", len(l.kinds), maxOnceLog)
	}
	if n := strings.Count(buf.String(), "\n"); n > before+maxLogKind+maxOnceLog+2 {
		t.Errorf("%d lines written, want at most %d", n, before+maxLogKind+maxOnceLog+2)
	}
}
