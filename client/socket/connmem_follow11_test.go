package socket

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// BenchmarkConnHeap is the heap one idle client Conn holds (its reader
// waiting for the peer's first byte), as "heap-B/conn": what bench -c N
// holds per connection before any reply.
func BenchmarkConnHeap(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	var held []net.Conn
	accepted := make(chan struct{})
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			held = append(held, nc)
		}
	}()
	const n = 500
	b.ReportAllocs()
	var perConn float64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		conns := make([]*Conn, n)
		for j := range conns {
			c, err := Dial(context.Background(), ln.Addr().String(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			conns[j] = c
		}
		time.Sleep(50 * time.Millisecond) // the readers reach their first read
		runtime.GC()
		runtime.ReadMemStats(&after)
		perConn = float64(after.HeapInuse-before.HeapInuse+after.StackInuse-before.StackInuse) / n
		for _, c := range conns {
			c.Close()
		}
	}
	b.ReportMetric(perConn, "heap-B/conn")
	ln.Close()
	<-accepted
	for _, nc := range held {
		nc.Close()
	}
}

// BenchmarkCallBurst is a request whose response is 64 small frames
// (the demo server's push), read from one stream: the case a larger
// read buffer serves.
func BenchmarkCallBurst(b *testing.B) {
	got := make(chan struct{}, 1024)
	addr := demoServer(b, Options{})
	c, err := Dial(context.Background(), addr, Options{OnMessage: func(*Request) { got <- struct{}{} }})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Call(context.Background(), "push", params("count", 64, "interval", 0)); err != nil {
			b.Fatal(err)
		}
		for range 64 {
			<-got
		}
	}
}

// frameBuf reads the same bytes as the stream holds, whatever the sizes
// of the reads and peeks and however the network splits them, and
// hands the stream's end or error over after the bytes.
func TestFrameBufSameBytes(t *testing.T) {
	src := make([]byte, 150<<10)
	for i := range src {
		src[i] = byte(rand.N(256))
	}
	readers := map[string]func() io.Reader{
		"whole":    func() io.Reader { return bytes.NewReader(src) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(src)) },
		"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(src)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(src)) },
	}
	for name, mk := range readers {
		for seed := range uint64(3) {
			rng := rand.New(rand.NewPCG(seed, 1))
			fb := newFrameBuf(mk())
			var out []byte
			scratch := make([]byte, 200<<10)
			for {
				if rng.IntN(4) == 0 {
					k := 1 + rng.IntN(4)
					p, err := fb.Peek(k)
					want := src[len(out):min(len(out)+k, len(src))]
					if !bytes.Equal(p, want) {
						t.Fatalf("%s/%d: Peek(%d) at %d = %x, want %x", name, seed, k, len(out), p, want)
					}
					if err != nil && (err != io.EOF || len(p) == k) {
						t.Fatalf("%s/%d: Peek error %v with %d bytes", name, seed, err, len(p))
					}
				}
				sizes := []int{1, 4, 100, smallRead - 1, smallRead, largeRead, 200 << 10}
				p := scratch[:sizes[rng.IntN(len(sizes))]]
				n, err := fb.Read(p)
				out = append(out, p[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s/%d: Read: %v", name, seed, err)
				}
				if len(out) > len(src) {
					t.Fatalf("%s/%d: read %d bytes of %d", name, seed, len(out), len(src))
				}
			}
			if !bytes.Equal(out, src) {
				t.Fatalf("%s/%d: read %d bytes, not the stream's %d", name, seed, len(out), len(src))
			}
		}
	}
	fb := newFrameBuf(iotest.ErrReader(io.ErrClosedPipe))
	if p, err := fb.Peek(4); len(p) != 0 || err != io.ErrClosedPipe {
		t.Fatalf("Peek on a failing stream: %q, %v", p, err)
	}
}

// The large buffer is taken only for a burst, and given back once it
// is empty at a read that waits for the peer: an idle reader holds its
// small buffer alone.
func TestFrameBufLargeOnlyForBursts(t *testing.T) {
	a, z := net.Pipe()
	defer a.Close()
	defer z.Close()
	fb := newFrameBuf(z)
	go a.Write(make([]byte, 100))
	p := make([]byte, 100)
	if _, err := io.ReadFull(fb, p); err != nil {
		t.Fatal(err)
	}
	if fb.large != nil || len(fb.buf) != smallRead {
		t.Fatalf("a 100-byte frame took a buffer of %d bytes", len(fb.buf))
	}
	// A burst larger than the small buffer: the large one is taken...
	burst := bytes.Repeat([]byte("x"), 3*smallRead)
	go a.Write(burst)
	if _, err := fb.Peek(4); err != nil {
		t.Fatal(err)
	}
	p = make([]byte, 10)
	got := 0
	for got < smallRead+10 {
		n, err := fb.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		got += n
	}
	if fb.large == nil {
		t.Fatal("a burst filling the small buffer did not take a large one")
	}
	// ...and given back once the burst is read and the reader waits.
	rest := make([]byte, len(burst)-got)
	if _, err := io.ReadFull(fb, rest); err != nil {
		t.Fatal(err)
	}
	go a.Write([]byte{1, 2, 3, 4})
	if _, err := fb.Peek(4); err != nil {
		t.Fatal(err)
	}
	if fb.large != nil || len(fb.buf) != smallRead {
		t.Fatalf("an idle reader kept a buffer of %d bytes", len(fb.buf))
	}
}

// BenchmarkConnAfterCall is what a client Conn and the server's Conn
// for it hold together once a call has been answered on it: heap
// ("heap-B/conn") and goroutine stacks ("stack-B/conn"); the client's
// with a Budget charged (as bench's connections are) or without.
func BenchmarkConnAfterCall(b *testing.B) {
	addr := demoServer(b, Options{})
	for _, bc := range []struct {
		name   string
		budget Budget
	}{{"nobudget", nil}, {"budget", freeBudget{}}} {
		b.Run(bc.name, func(b *testing.B) {
			const n = 60 // the demo server serves 64 at once
			b.ReportAllocs()
			var heap, stack float64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				conns := make([]*Conn, n)
				for j := range conns {
					c, err := Dial(context.Background(), addr, Options{Budget: bc.budget})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := c.Call(context.Background(), "add", params("a", 2, "b", 3)); err != nil {
						b.Fatal(err)
					}
					conns[j] = c
				}
				// Stacks before a collection (which shrinks them, as
				// one does during a run only now and then), the heap
				// after one.
				runtime.ReadMemStats(&after)
				stack = float64(int64(after.StackInuse)-int64(before.StackInuse)) / n
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / n
				for _, c := range conns {
					c.Close()
				}
			}
			b.ReportMetric(heap, "heap-B/conn")
			b.ReportMetric(stack, "stack-B/conn")
		})
	}
}

// freeBudget is a Budget that grants everything.
type freeBudget struct{}

func (freeBudget) Reserve(context.Context, int64) (func(), error) { return func() {}, nil }

// BenchmarkCallLarge is an echo of a 1 MiB string: a frame read mostly
// straight into its payload, past the read buffer.
func BenchmarkCallLarge(b *testing.B) {
	addr := demoServer(b, Options{})
	c, err := Dial(context.Background(), addr, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p := params("s", strings.Repeat("x", 1<<20))
	b.SetBytes(2 << 20)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Call(context.Background(), "echo", p); err != nil {
			b.Fatal(err)
		}
	}
}
