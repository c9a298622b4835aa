package gateway

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// benchRecorder is a ResponseWriter that keeps nothing.
type benchRecorder struct{ h http.Header }

func (r *benchRecorder) Header() http.Header         { return r.h }
func (r *benchRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (r *benchRecorder) WriteHeader(int)             {}

// The connection deadlines serve sets, as a server's writer has them.
func (r *benchRecorder) SetReadDeadline(time.Time) error  { return nil }
func (r *benchRecorder) SetWriteDeadline(time.Time) error { return nil }

// benchServe runs the gateway's HTTP handler on one request body, as
// serve does (limits, decoding, the call, encoding, a log line).
func benchServe(b *testing.B, opt Options, body []byte) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	opt.ImagesDir = b.TempDir()
	g, err := New(opt)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	req := newRequest("POST", "/", nil)
	req.Header.Set("Content-Type", "application/x-amf")
	rd := bytes.NewReader(body)
	w := &benchRecorder{h: http.Header{}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		rd.Reset(body)
		r := *req
		r.Body = io.NopCloser(rd)
		r.ContentLength = int64(len(body))
		clear(w.h)
		g.ServeHTTP(w, &r)
	}
	runtime.ReadMemStats(&m1)
	// What the request costs per byte of its body: for an echo, bytes
	// allocated per byte echoed.
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/float64(len(body)), "B/byte")
}

// BenchmarkServeEcho: the small call of the load test (echo.echo "x").
func BenchmarkServeEcho(b *testing.B) {
	benchServe(b, Options{}, packet(0, "echo.echo", "x"))
}

// BenchmarkServeEchoAMF3: the same call in an AMF3 packet.
func BenchmarkServeEchoAMF3(b *testing.B) {
	benchServe(b, Options{}, packet(3, "echo.echo", amf.AVMPlus{Value: "x"}))
}

// BenchmarkServeEchoDebug: with debug events asked for.
func BenchmarkServeEchoDebug(b *testing.B) {
	p := &amf.Packet{Headers: []amf.Header{{Name: DebugHeader, Value: true}},
		Messages: []amf.Message{{Target: "echo.echo", Response: "/1", Value: []any{"x"}}}}
	body, _ := amf.MarshalPacket(p)
	benchServe(b, Options{}, body)
}

// BenchmarkServeEcho1MB: a 1 MiB ByteArray echoed.
func BenchmarkServeEcho1MB(b *testing.B) {
	benchServe(b, Options{}, packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{7}, 1<<20)}))
}

// BenchmarkServeEchoDense: 100,000 small AMF3 objects (a 0.2 MB echo
// whose values decode to 15 MB).
func BenchmarkServeEchoDense(b *testing.B) {
	benchServe(b, Options{}, packet(3, "echo.echo", denseArgs("members", 100000)))
}

// BenchmarkServeEchoBatch: 1,000 echo.echo calls of "x" in one packet.
func BenchmarkServeEchoBatch(b *testing.B) {
	p := &amf.Packet{}
	for range 1000 {
		p.Messages = append(p.Messages, amf.Message{Target: "echo.echo", Response: "/1", Value: []any{"x"}})
	}
	body, _ := amf.MarshalPacket(p)
	benchServe(b, Options{}, body)
}

// BenchmarkServeEchoLogFile: with the log going to a file (one write per
// call unless buffered), as serve's stderr does.
func BenchmarkServeEchoLogFile(b *testing.B) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	benchServe(b, Options{Log: f}, packet(0, "echo.echo", "x"))
}
