package socket

import (
	"context"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// BenchmarkCall is one request and its response over loopback, against
// the demo server's echo; bytes are those of both frames.
func BenchmarkCall(b *testing.B) {
	addr := demoServer(b, Options{})
	ctx := context.Background()
	c, err := Dial(ctx, addr, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p := params("name", "snapshot.jpg", "size", amf.Int(123456), "tags", &amf.Array{Dense: []any{"a", "b"}})
	req, _ := amf.AppendFrame(nil, RequestObject("amfcall:00000000:1", "echo", p))
	resp, _ := amf.AppendFrame(nil, ResponseObject("amfcall:00000000:1", p))
	b.SetBytes(int64(len(req) + len(resp)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Call(ctx, "echo", p); err != nil {
			b.Fatal(err)
		}
	}
}
