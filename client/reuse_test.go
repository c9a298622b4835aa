package client

import (
	"context"
	"testing"
)

// With ReuseReplies, each reply is decoded into the memory of the one
// before, and still decodes to what the gateway sent: calls of different
// shapes in turn (a rich echo, then the snapshot list, then the echo
// again) each give the captured result.
func TestReuseReplies(t *testing.T) {
	rs := newReplayServer(t)
	c := newClient(t, rs.URL, Config{ReuseReplies: true})
	args := viaTypedJSON(t, captureArgs(t, "echo_amf0_rich"))
	echo := captureResult(t, "echo_amf0_rich", 0)
	snaps := captureResult(t, "getSnapshots_strict", 0)
	for i := range 3 {
		res, err := c.Call(context.Background(), "echo.echo", args)
		if err != nil {
			t.Fatal(err)
		}
		if !sameValue(res, echo) {
			t.Fatalf("round %d: the echo's result differs from the capture", i)
		}
		if res, err = c.Call(context.Background(), "getSnapshots", nil); err != nil {
			t.Fatal(err)
		}
		if !sameValue(res, snaps) {
			t.Fatalf("round %d: getSnapshots = %#v, want %#v", i, res, snaps)
		}
	}
}
