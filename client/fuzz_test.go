package client

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzParseBatch: ParseBatch never panics, and what it accepts is calls
// with targets, at most MaxBatch of them.
func FuzzParseBatch(f *testing.F) {
	f.Add([]byte("{\"target\": \"a.b\", \"args\": [1, \"x\"]}\n{\"target\": \"c\"}\n"))
	f.Add([]byte(`{"target": "a", "args": [{"$bytes": "AAEC"}, {"$ref": 0}]}`))
	f.Add([]byte("\n\n"))
	f.Add([]byte("{\"target\": \"a\", \"args\": [{\"k\": 1, \"k\": 2}]}\n{\"target\": \"b\", \"args\": [{\"\\\"q\": [{\"x\":1,\"x\":2}], \"\\\"q\": 0}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8192 {
			return
		}
		var warns []string
		calls, err := ParseBatchWarn(data, func(msg string) { warns = append(warns, msg) })
		quiet, qerr := ParseBatch(data)
		if (err == nil) != (qerr == nil) || len(quiet) != len(calls) {
			t.Fatalf("ParseBatch(%q) = %d calls, %v; ParseBatchWarn %d, %v", data, len(quiet), qerr, len(calls), err)
		}
		if err != nil {
			if warns != nil {
				t.Fatalf("ParseBatchWarn(%q) failed (%v) and warned %q", data, err, warns)
			}
			return
		}
		// At most one warning, naming a line of the batch.
		if len(warns) > 1 {
			t.Fatalf("ParseBatchWarn(%q) warned %d times", data, len(warns))
		}
		for _, w := range warns {
			checkKeyPlace(t, data, w)
		}
		if len(calls) == 0 || len(calls) > MaxBatch {
			t.Fatalf("ParseBatch(%q): %d calls", data, len(calls))
		}
		for _, c := range calls {
			if c.Target == "" {
				t.Fatalf("ParseBatch(%q): a call without a target", data)
			}
		}
	})
}

// FuzzTrace: a reply packet the trace shows (any packet that decodes,
// shared and cyclic values included) never makes the trace panic, at
// either level, and the trace is text a terminal can be given, the
// packet in it JSON (checkTraceOutput).
func FuzzTrace(f *testing.F) {
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, c := range caps {
		if b, err := os.ReadFile(c); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	big, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: amf.AVMPlus{Value: &amf.ByteArray{Data: bytes.Repeat([]byte{7}, 2000)}}}}})
	f.Add(big)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := amf.UnmarshalPacket(data)
		if err != nil {
			return
		}
		checkTraceOutput(t, data, p)
	})
}

// FuzzFindPacket: looking for a packet after text never panics, tries at
// most maxPrefixTries places, and what it finds starts within the first
// amf.MaxPacketPrefix bytes and is a packet that decodes from there to the
// end, or one cut short there, with the error decoding it gives.
func FuzzFindPacket(f *testing.F) {
	reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	f.Add(append([]byte("<br />\n<b>Notice</b>: x on line <b>3</b><br />\n"), reply...))
	f.Add(append([]byte("\ufeff"), reply...))
	f.Add(append([]byte("a\x00\x03\x00\x00b\x00\x00\x00\x01"), reply...))
	f.Add([]byte("\x00\x03\x00\x01\x00\x00\x00"))
	c, err := New("http://127.0.0.1:1/", Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i, p, cut := c.findPacket(data)
		if p == nil {
			var ce *CutAfterTextError
			switch {
			case cut == nil && i != 0:
				t.Fatalf("findPacket(%q) = %d, nil", data, i)
			case cut != nil && (!errors.As(cut, &ce) || len(ce.Text) != i || i < 1):
				t.Fatalf("findPacket(%q) = %d, %v", data, i, cut)
			case cut != nil:
				if _, err := amf.UnmarshalPacket(data[i:]); err == nil || err.Error() != ce.Err.Error() {
					t.Fatalf("findPacket(%q): cut short at %d (%v), but from there: %v", data, i, cut, err)
				}
			}
			return
		}
		if i < 1 || i > amf.MaxPacketPrefix {
			t.Fatalf("findPacket(%q): a packet at %d", data, i)
		}
		// From i the packet decodes whole, or whole with text after it
		// (a PHP notice, the packet, a closing "?>").
		_, err := amf.UnmarshalPacket(data[i:])
		var te *amf.TrailingDataError
		if errors.As(err, &te) && te.Offset > 6 && te.Offset <= int64(len(data)-i) {
			_, err = amf.UnmarshalPacket(data[i : i+int(te.Offset)])
		}
		if fixed, _ := c.recount(data[i:], i); err != nil && fixed != nil {
			// Or so once a count that is wrong is made right.
			_, _, err = c.decodeThenText(fixed)
		}
		if err != nil {
			t.Fatalf("findPacket(%q) = %d, but from there: %v", data, i, err)
		}
		if w := prefixWarning(data[:i]); bytes.ContainsAny([]byte(w), "\x00\x1b\n") {
			t.Fatalf("warning %q has control bytes", w)
		}
	})
}

// FuzzLoadSession: any session file is loaded or refused with a
// *SessionError, never a panic, and the warnings of keys given twice name
// a line and column of the file when they say "the session file:"; and
// a session loaded saves, loads and saves again to the same bytes
// (checkSessionSaves).
func FuzzLoadSession(f *testing.F) {
	const gw = "http://127.0.0.1:1/gw"
	f.Add([]byte(`{"version": 1, "gateway": "` + gw + `", "headers": [{"name": "T", "value": {"x": 1, "x": 2}}], "cookies": []}`))
	f.Add([]byte(`{"version": 1, "gateway": "` + gw + `", "headers": [], "headers": [{"name": "T", "value": {"x": 1, "x": 2}}]}`))
	f.Add([]byte(`{"version": 1, "gateway": "` + gw + `", "Headers": [{"name": "T", "VALUE": [{"a": "\"", "a": 0}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8192 {
			return
		}
		rec := &recorder{}
		c, err := New(gw, Config{Events: rec})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.LoadSession(data); err != nil {
			if _, ok := err.(*SessionError); !ok {
				t.Fatalf("LoadSession(%q) = %T %v, want a *SessionError", data, err, err)
			}
			return
		}
		for _, w := range rec.warns {
			if rest, ok := strings.CutPrefix(w, "the session file: "); ok {
				checkKeyPlace(t, data, rest)
			}
		}
		checkSessionSaves(t, gw, c, data)
	})
}

// checkKeyPlace checks that the warning w of a key given twice names the
// line and column of data where a key's name starts (after its quote).
func checkKeyPlace(t *testing.T, data []byte, w string) {
	t.Helper()
	i := strings.Index(w, "line ")
	var line, col int
	if i < 0 {
		t.Fatalf("warning %q names no line", w)
	}
	if _, err := fmt.Sscanf(w[i:], "line %d, column %d", &line, &col); err != nil {
		t.Fatalf("warning %q: %v", w, err)
	}
	off := 0
	for n := 1; n < line; n++ {
		j := bytes.IndexByte(data[off:], '\n')
		if j < 0 {
			t.Fatalf("warning %q: the text has fewer than %d lines", w, line)
		}
		off += j + 1
	}
	off += col - 1
	if col < 1 || off < 1 || off > len(data) || data[off-1] != '"' {
		t.Fatalf("warning %q: line %d, column %d is not where a key's name starts in %q", w, line, col, data)
	}
}
