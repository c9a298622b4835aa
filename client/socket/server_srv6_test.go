package socket

import (
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestServerFullIdleMakesRoom: while every place is taken, a new
// client ends the connection that has had nothing but pings on it for
// fullIdle (the one idle longest), rather than being refused; a
// connection in use keeps its place. Before, the new client was closed
// at once for as long as the idle ones stayed (2 minutes by default).
func TestServerFullIdleMakesRoom(t *testing.T) {
	old := fullIdle
	fullIdle = 100 * time.Millisecond
	t.Cleanup(func() { fullIdle = old })
	log := &logLines{}
	addr := startServer(t, &Server{MaxConns: 2, IdleTimeout: time.Hour, Log: log.logf,
		Options: Options{PingInterval: 20 * time.Millisecond}})
	idle, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := idle.Call(testCtx(t), "echo", params()); err != nil {
		t.Fatal(err)
	}
	// The busy one calls after the idle one has passed fullIdle: it is
	// the one idle for less, and keeps its place.
	busy, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	time.Sleep(2 * fullIdle) // the idle one passes fullIdle (pings only)
	if _, err := busy.Call(testCtx(t), "echo", params()); err != nil {
		t.Fatal(err)
	}
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Call(testCtx(t), "add", params("a", amf.Int(1), "b", amf.Int(2)))
	if err != nil || res != amf.Int(3) {
		t.Fatalf("a third client while both places are taken, one idle: %v, %v", res, err)
	}
	line := log.waitFor(t, "ended to make room")
	if !strings.Contains(line, idle.nc.LocalAddr().String()) || !strings.Contains(line, "while all 2 connections were taken") {
		t.Fatalf("log line %q does not name the idle client", line)
	}
	select {
	case <-idle.Done():
	case <-time.After(testWait):
		t.Fatal("the idle connection was not ended")
	}
	if _, err := busy.Call(testCtx(t), "echo", params()); err != nil {
		t.Fatalf("the busy client lost its place: %v", err)
	}
}
