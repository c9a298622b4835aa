package amf

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
)

// Frames from the AMF Socket notes (shared/spec/amf-socket-protocol.md
// §2, capture 001: a server ping as RocketAMF writes it; and the worked
// example of protocol-digest.md §5.2).
var (
	pingFrame = mustHex(`00 00 00 8e
		0a 0b 01
		0f "request" 0a 01
		0f "command" 06 1f "amf_socket_ping"
		13 "messageId" 06 41 "0a9775ca31ae8da127a988eca05433e7"
		0d "params" 0a 01
		0f "latency" 05 00 00 00 00 00 00 00 00
		09 "time" 05 41 da c0 89 07 80 00 00
		01
		01
		09 "type" 06 15 "rpcRequest"
		01`)
	helloFrame = mustHex(`00 00 00 51
		0A 0B 01 0F "request"
		0A 01 0F "command" 06 0B "hello" 13 "messageId" 06 07 "abc" 0D "params"
		0A 01 07 "foo" 06 07 "bar" 01
		01
		09 "type" 06 15 "rpcRequest" 01`)
)

func TestFrameReaderDecode(t *testing.T) {
	if len(pingFrame) != 4+0x8e || len(helloFrame) != 4+0x51 {
		t.Fatalf("test frames have lengths %d and %d", len(pingFrame), len(helloFrame))
	}
	stream := append(append([]byte{}, pingFrame...), helloFrame...)
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{
		{"pipelined", bytes.NewReader(stream)},
		{"one byte per read", iotest.OneByteReader(bytes.NewReader(stream))},
		{"half reads", iotest.HalfReader(bytes.NewReader(stream))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fr := NewFrameReader(tc.r)
			var v any
			if err := fr.Decode(&v); err != nil {
				t.Fatalf("frame 1: %v", err)
			}
			req, _ := v.(*Object).Get("request")
			cmd, _ := req.(*Object).Get("command")
			params, _ := req.(*Object).Get("params")
			tm, _ := params.(*Object).Get("time")
			if cmd != "amf_socket_ping" || tm != 1795302430.0 {
				t.Fatalf("frame 1: command %v, time %v", cmd, tm)
			}
			if err := fr.Decode(&v); err != nil {
				t.Fatalf("frame 2: %v", err)
			}
			// The tables restart: "request" is written inline again in
			// frame 2, and the trait reference 0 is frame 2's own.
			req, _ = v.(*Object).Get("request")
			cmd, _ = req.(*Object).Get("command")
			if cmd != "hello" {
				t.Fatalf("frame 2: command %v", cmd)
			}
			if err := fr.Decode(&v); err != io.EOF {
				t.Fatalf("after 2 frames: %v, want io.EOF", err)
			}
			if fr.Offset() != int64(len(stream)) || fr.Frames() != 2 {
				t.Fatalf("Offset %d Frames %d, want %d and 2", fr.Offset(), fr.Frames(), len(stream))
			}
		})
	}
}

// RocketAMF writes what our encoder writes: the frames survive a decode
// and encode byte for byte.
func TestAppendFrameRoundTrip(t *testing.T) {
	for _, frame := range [][]byte{pingFrame, helloFrame} {
		v, _, err := defaultDecMode.DecodeFrame(frame[4:])
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendFrame([]byte("x"), v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[1:], frame) || got[0] != 'x' {
			t.Fatalf("AppendFrame = %x, want %x", got[1:], frame)
		}
	}
}

func TestFrameReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      []byte
		max     int
		frames  int // frames that decode first
		wantErr string
		is      error
	}{
		{name: "2 GiB header", in: mustHex(`80 00 00 00 0a 01 01`),
			wantErr: "amf: frame of 2147483648 bytes exceeds the limit of 67108864 bytes at offset 0"},
		{name: "over a set limit", in: append(append([]byte{}, helloFrame...), pingFrame...), max: 100, frames: 1,
			wantErr: "amf: frame of 142 bytes exceeds the limit of 100 bytes at offset 85"},
		{name: "empty frame", in: mustHex(`00 00 00 00`),
			wantErr: "amf: frame 1 at offset 0: empty frame (length 0)", is: ErrEmptyFrame},
		{name: "header cut", in: append(append([]byte{}, helloFrame...), 0, 0), frames: 1,
			wantErr: "amf: frame 2 at offset 85: the input ends 2 bytes into its 4-byte length, at offset 87: unexpected EOF", is: io.ErrUnexpectedEOF},
		{name: "payload cut", in: helloFrame[:40],
			wantErr: "amf: frame 1 at offset 0: its length says 81 bytes, but the input ends 36 bytes after it, at offset 40: unexpected EOF", is: io.ErrUnexpectedEOF},
		{name: "not AMF", in: mustHex(`00 00 00 04 "<pol"`),
			wantErr: `amf: frame 1 at offset 0: amf3: unknown or invalid marker 0x3c at offset 0`, is: ErrBadMarker},
		{name: "value cut inside the frame", in: mustHex(`00 00 00 02 06 07`),
			wantErr: "amf: frame 1 at offset 0: amf3: length 3 exceeds the 0 bytes left: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
		{name: "policy request", in: []byte("<policy-file-request/>\x00"),
			wantErr: "amf: frame of 1014001516 bytes exceeds the limit of 67108864 bytes at offset 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fr := NewFrameReader(bytes.NewReader(tc.in))
			fr.MaxFrame = tc.max
			var v any
			for i := 0; i < tc.frames; i++ {
				if err := fr.Decode(&v); err != nil {
					t.Fatalf("frame %d: %v", i+1, err)
				}
			}
			err := fr.Decode(&v)
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("Decode(0x%x) = %v, want %s", tc.in, err, tc.wantErr)
			}
			if v != nil {
				t.Errorf("value %v on error, want nil", v)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
		})
	}
}

func TestFrameTrailingBytesIgnored(t *testing.T) {
	fr := NewFrameReader(bytes.NewReader(mustHex(`00 00 00 04 04 05 ff ff  00 00 00 01 01`)))
	var v any
	if err := fr.Decode(&v); err != nil || v != Int(5) || fr.Trailing != 2 {
		t.Fatalf("Decode = %v, %v, Trailing %d; want 5, nil, 2", v, err, fr.Trailing)
	}
	if err := fr.Decode(&v); err != nil || v != nil || fr.Trailing != 0 {
		t.Fatalf("Decode = %v, %v, Trailing %d; want nil, nil, 0", v, err, fr.Trailing)
	}
}

// A claimed length far beyond what arrives costs one chunk, not the claim.
func TestFrameReaderAllocatesWhatArrives(t *testing.T) {
	in := append(mustHex(`03 ff ff ff`), make([]byte, 100)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 10; i++ {
		fr := NewFrameReader(bytes.NewReader(in))
		if _, err := fr.ReadFrame(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 10<<20 {
		t.Fatalf("ten 64 MiB claims with 100 bytes behind each allocated %d bytes", n)
	}
}

func BenchmarkFrameReader(b *testing.B) {
	var stream []byte
	for i := 0; i < 100; i++ {
		stream = append(stream, pingFrame...)
	}
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		fr := NewFrameReader(bytes.NewReader(stream))
		var v any
		for fr.Decode(&v) == nil {
		}
	}
}

// BenchmarkFrameBaseline decodes the same payloads from memory without
// the framing, so that the framing's own cost shows as the difference.
func BenchmarkFrameBaseline(b *testing.B) {
	payload := pingFrame[4:]
	b.SetBytes(int64(100 * len(pingFrame)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 100; j++ {
			var v any
			if _, err := UnmarshalFirst(payload, AMF3, &v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Decode reuses its payload buffer, which is safe only because decoded
// values never alias the input: the first frame's values stay as they
// were when the second frame is read into the same buffer.
func TestFrameDecodeValuesOutliveTheBuffer(t *testing.T) {
	a, _ := AppendFrame(nil, &Array{Dense: []any{&ByteArray{Data: []byte("aaaa")}, "xxxx"}})
	b, _ := AppendFrame(nil, &Array{Dense: []any{&ByteArray{Data: []byte("bbbb")}, "yyyy"}})
	fr := NewFrameReader(bytes.NewReader(append(a, b...)))
	var first, second any
	if err := fr.Decode(&first); err != nil {
		t.Fatal(err)
	}
	if err := fr.Decode(&second); err != nil {
		t.Fatal(err)
	}
	arr := first.(*Array)
	if string(arr.Dense[0].(*ByteArray).Data) != "aaaa" || arr.Dense[1] != "xxxx" {
		t.Fatalf("first frame's values changed to %v %q", arr.Dense[0], arr.Dense[1])
	}
}

// A frame larger than the read chunk arrives in pieces and decodes whole.
func TestFrameLargerThanAChunk(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16) // 200 KiB
	f, err := AppendFrame(nil, &ByteArray{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	stream := append(append([]byte{}, f...), helloFrame...)
	fr := NewFrameReader(iotest.HalfReader(bytes.NewReader(stream)))
	var v any
	if err := fr.Decode(&v); err != nil || !bytes.Equal(v.(*ByteArray).Data, data) {
		t.Fatalf("Decode = %v", err)
	}
	if err := fr.Decode(&v); err != nil {
		t.Fatalf("the frame after: %v", err)
	}
	if fr.Offset() != int64(len(stream)) {
		t.Fatalf("Offset %d, want %d", fr.Offset(), len(stream))
	}
}

// smallFrames is n frames of a small AMF3 object {"i": k, "s": "xx"}.
func smallFrames(n int) []byte {
	var in []byte
	for k := range n {
		in, _ = AppendFrame(in, &Object{Members: []Member{{Name: "i", Value: Int(k)}, {Name: "s", Value: "xx"}}})
	}
	return in
}

// TestFrameReaderSmallFramesAlloc: decoding a small frame does not make
// a new value builder (some kilobytes, zeroed) per frame, which made
// "amfcall convert" of a capture of small frames 1.5 times slower (CPU)
// than before the value decoder's builder grew.
func TestFrameReaderSmallFramesAlloc(t *testing.T) {
	if raceOn {
		t.Skip("allocation counts: the race detector empties sync.Pool on purpose")
	}
	const n = 2000
	in := smallFrames(n)
	fr := NewFrameReader(bytes.NewReader(in))
	var v any
	if err := fr.Decode(&v); err != nil { // warm the pool and buffers
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range n - 1 {
		if err := fr.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&m1)
	// 2 kB and 6 allocations with a pooled builder; 4.6 kB and 15 with
	// a builder made for each frame.
	if per := (m1.TotalAlloc - m0.TotalAlloc) / (n - 1); per > 3072 {
		t.Errorf("%d bytes allocated per small frame, want at most 3072", per)
	}
	if per := (m1.Mallocs - m0.Mallocs) / (n - 1); per > 10 {
		t.Errorf("%d allocations per small frame, want at most 10", per)
	}
	if err := fr.Decode(&v); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}
}

func BenchmarkFrameReaderSmall(b *testing.B) {
	in := smallFrames(1000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		fr := NewFrameReader(bytes.NewReader(in))
		var v any
		for fr.Decode(&v) == nil {
		}
	}
}
