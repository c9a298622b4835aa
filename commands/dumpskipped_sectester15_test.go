package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// A packet after text (a PHP notice in a saved reply) is dumped from its
// first byte; the JSON document said "size": 37 for a 47-byte file and
// nothing of the 10 bytes skipped (only a warning on stderr), though
// --help says the ranges cover the input exactly: a tool mapping offsets
// back to the file was 10 bytes off. "skipped" gives them.
func TestDumpJSONSkippedSectester15(t *testing.T) {
	pkt, err := os.ReadFile(filepath.Join("..", "testdata", "pyamf", "captures", "default-fail.request.amf"))
	if err != nil {
		t.Fatal(err)
	}
	const notice = "Notice: x\n"
	f := filepath.Join(t.TempDir(), "reply.amf")
	if err := os.WriteFile(f, append([]byte(notice), pkt...), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"dump", "--format", "json", f}, {"dump", "--pretty", f}} {
		stdout, stderr, code := run(t, args, "", nil, false)
		var doc struct {
			Size    int64  `json:"size"`
			Skipped *int64 `json:"skipped"`
			Ranges  []struct {
				Offset, Length int64
			} `json:"ranges"`
		}
		if code != 0 || json.Unmarshal([]byte(stdout), &doc) != nil {
			t.Fatalf("%q: exit %d\n%s%s", args, code, stdout, stderr)
		}
		if doc.Skipped == nil || *doc.Skipped != int64(len(notice)) || doc.Size != int64(len(pkt)) {
			t.Errorf("%q: size %d, skipped %v; want %d and %d\n%s", args, doc.Size, doc.Skipped, len(pkt), len(notice), stdout)
		}
	}
	// With nothing skipped there is no "skipped".
	stdout, _, code := run(t, []string{"dump", "--format", "json", filepath.Join("..", "testdata", "pyamf", "captures", "default-fail.request.amf")}, "", nil, false)
	var m map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if _, ok := m["skipped"]; ok {
		t.Errorf(`"skipped" given for a packet with no text before it: %s`, stdout)
	}
}
