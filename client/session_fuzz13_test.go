package client

import (
	"bytes"
	"testing"
)

// checkSessionSaves (fuzz13): a session file LoadSession accepts is
// saved again, and what is saved loads into a new client that saves
// the same bytes (LoadSession restores what SaveSession writes).
func checkSessionSaves(t *testing.T, gw string, c *Client, data []byte) {
	t.Helper()
	saved, err := c.SaveSession()
	if err != nil {
		t.Fatalf("LoadSession(%q) took it, SaveSession then: %v", data, err)
	}
	c2, err := New(gw, Config{Events: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.LoadSession(saved); err != nil {
		t.Fatalf("LoadSession(%q) took it; what SaveSession wrote then, %q, does not load: %v", data, saved, err)
	}
	again, err := c2.SaveSession()
	if err != nil || !bytes.Equal(again, saved) {
		t.Fatalf("LoadSession(%q), SaveSession: %q; loaded and saved again: %q, %v", data, saved, again, err)
	}
}
