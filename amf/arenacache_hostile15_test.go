package amf

import (
	"runtime"
	"testing"
)

// An arena that decodes small replies (a target, "null", a string: what
// a load test reads again and again) does not make the 16 KB string
// cache: bench keeps one arena per connection, and the caches took 160
// MB at -c 10000 (a third of its heap). A reply with many short strings
// still gets it.
func TestArenaSmallRepliesNoCache(t *testing.T) {
	m, err := DecOptions{}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	small, err := MarshalPacket(&Packet{Messages: []Message{{Target: "/1/onResult", Response: "null", Value: "hello"}}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	arenas := make([]*Arena, n)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range arenas {
		a := m.NewArena()
		for range 3 {
			if _, err := a.UnmarshalPacket(small); err != nil {
				t.Fatal(err)
			}
		}
		arenas[i] = a
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 12<<10 {
		t.Errorf("an arena that decoded a small reply 3 times took %d bytes, want under 12 KiB", per)
	}
	for _, a := range arenas {
		if a.b.cache != nil {
			t.Fatal("the string cache was made for a small reply")
		}
	}

	var msgs []Message
	for i := range 40 {
		msgs = append(msgs, Message{Target: "/" + string(rune('a'+i%26)) + "/onResult", Response: "null", Value: "v"})
	}
	big, err := MarshalPacket(&Packet{Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	a := m.NewArena()
	p, err := a.UnmarshalPacket(big)
	if err != nil || len(p.Messages) != 40 || p.Messages[39].Target != "/n/onResult" || p.Messages[39].Value != "v" {
		t.Fatalf("40 messages: %v, %v", p, err)
	}
	if a.b.cache == nil {
		t.Error("no string cache for a reply of 120 short strings")
	}
}
