package convert

import "testing"

// TestBinaryBytes: the eight-byte step finds every control character,
// at every position and next to every other byte.
func TestBinaryBytes(t *testing.T) {
	slow := func(b []byte) bool { return controlBytes(b) }
	for n := 0; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := make([]byte, n)
				for i := range b {
					b[i] = 'a'
					if i == (pos+3)%n {
						b[i] = byte(255 - c) // a neighbour of every value
					}
				}
				b[pos] = byte(c)
				if got, want := binaryBytes(b), slow(b); got != want {
					t.Fatalf("binaryBytes(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}
