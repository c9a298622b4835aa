package amf

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// recountPacket marshals p and sets its header or message count (at
// byte at) to n.
func recountPacket(t testing.TB, p *Packet, at, n int) []byte {
	t.Helper()
	b, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(b[at:], uint16(n))
	return b
}

// TestRecount: each count a hand-written gateway gets wrong is made
// right in a copy, and said as a CountFix naming the count's byte.
func TestRecount(t *testing.T) {
	t.Parallel()
	one := Message{Target: "/1/onResult", Response: "null", Value: "hi"}
	two := Message{Target: "/2/onStatus", Response: "", Value: 1.0}
	hdr := Header{Name: "AppendToGatewayUrl", Value: "?x=1"}
	p1 := &Packet{Messages: []Message{one}}
	p2 := &Packet{Messages: []Message{one, two}}
	ph := &Packet{Headers: []Header{hdr}, Messages: []Message{one}}
	whole1, _ := MarshalPacket(p1)
	whole2, _ := MarshalPacket(p2)
	wholeH, _ := MarshalPacket(ph)
	many := make([]Message, maxCount+1)
	for i := range many {
		many[i] = Message{Target: "/1/onResult"}
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want *CountFix
	}{
		{"whole", whole2, nil},
		{"not a packet", []byte("<html>"), nil},
		{"count 1, 2 bodies", recountPacket(t, p2, 4, 1), &CountFix{Messages: true, Offset: 4, Said: 1, Found: 2, End: len(whole2)}},
		{"count 0, 1 body", recountPacket(t, p1, 4, 0), &CountFix{Messages: true, Offset: 4, Said: 0, Found: 1, End: len(whole1)}},
		{"count 2, 1 body", recountPacket(t, p1, 4, 2), &CountFix{Messages: true, Offset: 4, Said: 2, Found: 1, End: len(whole1)}},
		{"count 2, 1 body, text", append(recountPacket(t, p1, 4, 2), "?>\n"...), &CountFix{Messages: true, Offset: 4, Said: 2, Found: 1, End: len(whole1)}},
		// A zero byte after the body may be a body cut short: kept.
		{"count 2, 1 body, a zero", append(recountPacket(t, p1, 4, 2), 0, 5), nil},
		// A request body past the count is not a reply's: kept.
		{"count 1, a request after", recountPacket(t, &Packet{Messages: []Message{one, {Target: "echo.echo", Response: "/2", Value: []any{}}}}, 4, 1), nil},
		{"headers 0, 1 header", recountPacket(t, ph, 2, 0), &CountFix{Offset: 2, Said: 0, Found: 1, End: len(wholeH) - len(whole1) + 4}},
		{"headers 1, none", recountPacket(t, p1, 2, 1), &CountFix{Offset: 2, Said: 1, Found: 0, End: 4}},
		// A request's target after the header count is no reply body.
		{"headers 1, a request", recountPacket(t, &Packet{Messages: []Message{{Target: "echo.echo", Response: "/1", Value: []any{}}}}, 2, 1), nil},
		{"headers 2, 1 header", recountPacket(t, ph, 2, 2), &CountFix{Offset: 2, Said: 2, Found: 1, End: len(wholeH) - len(whole1) + 4}},
		{"count 1, 65536 bodies", recountPacket(t, &Packet{Messages: many[:maxCount]}, 4, 1), nil}, // set below
	} {
		if tc.name == "count 1, 65536 bodies" {
			b, _ := MarshalPacket(&Packet{Messages: many[:maxCount]})
			body := b[6:]
			n := len(body) / maxCount
			tc.b = append(recountPacket(t, &Packet{Messages: many[:maxCount]}, 4, 1), body[:n]...)
			tc.want = &CountFix{Messages: true, Offset: 4, Said: 1, Found: maxCount, More: true, Held: maxCount + 1, End: len(b)} // left17: Held
		}
		orig := bytes.Clone(tc.b)
		fixed, fix := Recount(tc.b)
		if !bytes.Equal(tc.b, orig) {
			t.Errorf("%s: Recount changed its input", tc.name)
		}
		switch {
		case tc.want == nil && (fix != nil || fixed != nil):
			t.Errorf("%s: %v, want none", tc.name, fix)
		case tc.want == nil:
		case fix == nil || *fix != *tc.want:
			t.Errorf("%s: %+v, want %+v", tc.name, fix, tc.want)
		case len(fixed) != len(tc.b) || int(binary.BigEndian.Uint16(fixed[fix.Offset:])) != fix.Found:
			t.Errorf("%s: the copy does not say %d at byte %d", tc.name, fix.Found, fix.Offset)
		default:
			end := fix.End
			if !fix.Messages || fix.More {
				end = len(fixed)
			}
			p, err := UnmarshalPacket(fixed[:end])
			if fix.More {
				_, err = UnmarshalPacket(fixed[:len(fixed)-len(fixed)/(maxCount+1)])
			}
			if err != nil {
				t.Errorf("%s: the copy does not decode: %v", tc.name, err)
			} else if !fix.Messages && len(p.Headers) != fix.Found {
				t.Errorf("%s: %d headers", tc.name, len(p.Headers))
			}
		}
	}
	if s := (&CountFix{Messages: true, Offset: 4, Said: 1, Found: 2}).String(); s != "message count at byte 4: 1, made 2" {
		t.Errorf("String: %q", s)
	}
}

// FuzzRecountEnvelope: Recount never panics nor changes its input; a
// packet that decodes as it is is not recounted; a copy differs from
// the input only in the two bytes of each count it names (the header
// count, then the message count too when both were wrong), which say
// what it found.
func FuzzRecountEnvelope(f *testing.F) {
	one, _ := MarshalPacket(&Packet{Messages: []Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	two, _ := MarshalPacket(&Packet{Messages: []Message{{Target: "/1/onResult", Response: "null", Value: "hi"}, {Target: "/2/onStatus", Response: "", Value: 1.0}}})
	hdr, _ := MarshalPacket(&Packet{Headers: []Header{{Name: "AppendToGatewayUrl", Value: "?x=1"}}, Messages: []Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	f.Add(one)
	f.Add(append(bytes.Clone(two[:5]), append([]byte{1}, two[6:]...)...))
	f.Add(append(bytes.Clone(one[:5]), append([]byte{3}, one[6:]...)...))
	f.Add(append(append(bytes.Clone(hdr[:3]), 0), hdr[4:]...))
	f.Add(append(bytes.Clone(one[:5]), append([]byte{2}, append(one[6:], "?>"...)...)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		fixed, fix := Recount(data)
		if !bytes.Equal(data, orig) {
			t.Fatal("Recount changed its input")
		}
		if (fixed == nil) != (fix == nil) {
			t.Fatalf("copy %v, fix %v", fixed != nil, fix)
		}
		if fix == nil {
			return
		}
		if _, err := UnmarshalPacket(data); err == nil {
			t.Fatalf("recount of a packet that decodes: %v", fix)
		}
		if len(fixed) != len(data) || fix.Offset < 2 || fix.Offset+2 > len(data) || fix.Found == fix.Said ||
			fix.End > len(data) || fix.Found > maxCount || (!fix.Messages && (fix.Offset != 2 || fix.Found > maxRecountHeaders)) {
			t.Fatalf("fix %+v of %d bytes", fix, len(data))
		}
		// Both counts may be made right (left17: fix.Then, the message
		// count after the header count): each names its own two bytes.
		other := bytes.Clone(fixed)
		for f := fix; f != nil; f = f.Then {
			if f.Then != nil && (f.Messages || !f.Then.Messages || f.Then.Then != nil || f.Then.Offset <= f.Offset+1) {
				t.Fatalf("fix %+v then %+v", f, f.Then)
			}
			if f.Offset+2 > len(data) || int(binary.BigEndian.Uint16(data[f.Offset:])) != f.Said || int(binary.BigEndian.Uint16(fixed[f.Offset:])) != f.Found {
				t.Fatalf("fix %+v: the bytes say otherwise", f)
			}
			copy(other[f.Offset:f.Offset+2], data[f.Offset:f.Offset+2])
		}
		if !bytes.Equal(other, data) {
			t.Fatalf("fix %+v changed other bytes", fix)
		}
	})
}
