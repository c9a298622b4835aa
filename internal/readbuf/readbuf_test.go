package readbuf

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
)

// pattern is n bytes that tell where each came from.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>9)
	}
	return b
}

func TestReadSizes(t *testing.T) {
	const limit = 1<<20 + 1
	for _, n := range []int{0, 1, 100, 64 << 10, 64<<10 + 1, 300 << 10, limit - 1, limit, limit + 1, 3 << 20} {
		src := pattern(n)
		for _, sure := range []int64{-1, 0, int64(n), int64(n) / 2, 2 * int64(n)} {
			// One byte per read, as a slow peer sends them, and whole.
			for _, r := range []io.Reader{bytes.NewReader(src), iotest.HalfReader(bytes.NewReader(src))} {
				got, err := Read(r, limit, sure)
				if err != nil {
					t.Fatalf("n=%d sure=%d: %v", n, sure, err)
				}
				want := src[:min(n, limit)]
				if !bytes.Equal(got, want) {
					t.Fatalf("n=%d sure=%d: got %d bytes, want %d (or different bytes)", n, sure, len(got), len(want))
				}
			}
		}
	}
}

func TestAfter(t *testing.T) {
	src := pattern(5 << 20)
	for _, h := range []int{1, 64 << 10, 1 << 20, 2 << 20} {
		got, err := After(bytes.Clone(src[:h]), bytes.NewReader(src[h:]), 4<<20+1)
		if err != nil || !bytes.Equal(got, src[:4<<20+1]) {
			t.Fatalf("head %d: %d bytes, %v", h, len(got), err)
		}
	}
}

// An error that is not the end of the stream comes back with the bytes
// read before it, even io.ErrUnexpectedEOF (an HTTP body cut short of its
// Content-Length says so).
func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, e := range []error{boom, io.ErrUnexpectedEOF} {
		for _, sure := range []int64{0, 1000} {
			r := io.MultiReader(bytes.NewReader(pattern(300)), iotest.ErrReader(e))
			got, err := Read(r, 1<<20, sure)
			if err != e || len(got) != 300 {
				t.Errorf("%v, sure %d: %d bytes, %v", e, sure, len(got), err)
			}
		}
	}
}

// endless is a stream that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// An endless stream cut at the limit costs about 1.25 times the limit,
// a body of n bytes under it about 2 n at most; io.ReadAll of a
// LimitReader cost 2.7 times the limit.
func TestReadMemory(t *testing.T) {
	const limit = 32 << 20
	var got []byte
	a := allocated(func() { got, _ = Read(endless{}, limit+1, 0) })
	if len(got) != limit+1 || a > limit*13/10 {
		t.Errorf("endless: %d bytes read, %d allocated (limit %d)", len(got), a, limit)
	}
	const n = 5 << 20
	src := make([]byte, n)
	a = allocated(func() { got, _ = Read(bytes.NewReader(src), limit+1, 0) })
	if len(got) != n || a > 2*n+chunkMax {
		t.Errorf("%d bytes: %d allocated", n, a)
	}
	a = allocated(func() { got, _ = Read(bytes.NewReader(src), limit+1, n) })
	if len(got) != n || a > n+4096 {
		t.Errorf("%d bytes with their size: %d allocated", n, a)
	}
}

func BenchmarkReadEndless(b *testing.B) {
	const limit = 64 << 20
	b.SetBytes(limit)
	b.ReportAllocs()
	for range b.N {
		Read(endless{}, limit+1, 0)
	}
}
