package client

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"
)

// TestIdleConnReadFrom: a request body copied through the idle
// connection's ReadFrom arrives whole and in order, and a reader that
// fails stops the copy with its error and the count of bytes sent.
func TestIdleConnReadFrom(t *testing.T) {
	data := make([]byte, 3*copyBufSize+12345)
	rng := rand.NewChaCha8([32]byte{7})
	rng.Read(data)
	boom := errors.New("disk on fire")
	tests := []struct {
		name    string
		src     io.Reader
		want    []byte
		wantErr error
		noIdle  bool // no idle limit (--idle-timeout 0)
	}{
		{"whole", bytes.NewReader(data), data, nil, false},
		{"in pieces", io.MultiReader(bytes.NewReader(data[:10]), bytes.NewReader(data[10:])), data, nil, false},
		{"empty", bytes.NewReader(nil), nil, nil, false},
		{"reader fails", io.MultiReader(bytes.NewReader(data[:1000]), &failReader{boom}), data[:1000], boom, false},
		{"no idle limit", bytes.NewReader(data), data, nil, true},
		{"no idle limit, reader fails", io.MultiReader(bytes.NewReader(data[:1000]), &failReader{boom}), data[:1000], boom, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer b.Close()
			got := make(chan []byte)
			go func() {
				all, _ := io.ReadAll(b)
				got <- all
			}()
			var c io.ReaderFrom = &idleConn{Conn: a, idle: 5 * time.Second}
			if tc.noIdle {
				c = bigWriteConn{a}
			}
			n, err := c.ReadFrom(tc.src)
			a.Close()
			recv := <-got
			if !errors.Is(err, tc.wantErr) || err == nil && tc.wantErr != nil {
				t.Fatalf("ReadFrom = %d, %v, want error %v", n, err, tc.wantErr)
			}
			if n != int64(len(tc.want)) || !bytes.Equal(recv, tc.want) {
				t.Fatalf("ReadFrom sent %d bytes (%d received), want %d", n, len(recv), len(tc.want))
			}
		})
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }
