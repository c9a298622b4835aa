package gateway

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// bigImage is a JPEG-looking image of n bytes.
func bigImage(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{7}).Read(b)
	copy(b, jpegBytes[:4])
	return b
}

// streamedRequest encodes a saveSnapshot packet and returns it cut around
// the image bytes, so that a test can send the image from a reader.
func streamedRequest(t *testing.T, p *amf.Packet, img []byte) (prefix, suffix []byte) {
	t.Helper()
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, img[:64])
	if i < 0 {
		t.Fatal("image not found in the packet")
	}
	return b[:i], b[i+len(img):]
}

func partFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".part") {
			parts = append(parts, e.Name())
		}
	}
	return parts
}

func TestStreamedUpload(t *testing.T) {
	g := newTestGateway(t, Options{User: "alice", Password: "wonderland"})
	srv := httptest.NewServer(g)
	defer srv.Close()
	img := bigImage(3 << 20)
	creds := amf.Header{Name: "Credentials", MustUnderstand: true, Value: &amf.Object{Members: []amf.Member{{Name: "userid", Value: "alice"}, {Name: "password", Value: "wonderland"}}}}
	for _, tc := range []struct {
		name    string
		version uint16
		headers []amf.Header
		typ     any
		chunked bool
		code    string
	}{
		{"amf0", 0, nil, "jpg", false, ""},
		{"amf3 with credentials", 3, []amf.Header{creds}, amf.AVMPlus{Value: "jpg"}, false, ""},
		{"chunked", 0, nil, "jpg", true, ""},
		{"png that is a jpeg", 0, nil, "png", false, "Snapshot.ContentMismatch"},
		{"type not a string", 0, nil, 5.0, false, "TypeError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &amf.Packet{Version: tc.version, Headers: tc.headers, Messages: []amf.Message{{Target: "ByteArray.saveSnapshot", Response: "/1",
				Value: []any{amf.AVMPlus{Value: &amf.ByteArray{Data: img}}, tc.typ}}}}
			body, err := amf.MarshalPacket(p)
			if err != nil {
				t.Fatal(err)
			}
			var r io.Reader = bytes.NewReader(body)
			if tc.chunked {
				r = io.MultiReader(r) // hides the length: sent chunked
			}
			res, err := http.Post(srv.URL, "application/x-amf", r)
			if err != nil {
				t.Fatal(err)
			}
			reply, _ := io.ReadAll(res.Body)
			res.Body.Close()
			rp, err := amf.UnmarshalPacket(reply)
			if err != nil {
				t.Fatalf("%d %s: %v", res.StatusCode, reply, err)
			}
			m := rp.Messages[0]
			if tc.code != "" {
				if c := faultCode(t, m); c != tc.code {
					t.Fatalf("fault %s, want %s", c, tc.code)
				}
			} else {
				o, _ := amf.Unwrap(m.Value).(*amf.Object)
				name := memberString(o, "name")
				saved, err := os.ReadFile(g.ImagesDir() + "/" + name)
				if err != nil || !bytes.Equal(saved, img) {
					t.Fatalf("%s: saved image differs (%v)", m.Target, err)
				}
			}
			if parts := partFiles(t, g.ImagesDir()); len(parts) != 0 {
				t.Fatalf("left behind: %v", parts)
			}
		})
	}
}

func TestStreamedUploadBroken(t *testing.T) {
	g := newTestGateway(t, Options{})
	img := bigImage(1 << 20)
	p := &amf.Packet{Messages: []amf.Message{{Target: "ByteArray.saveSnapshot", Response: "/1",
		Value: []any{&amf.ByteArray{Data: img}, "jpg"}}}}
	prefix, suffix := streamedRequest(t, p, img)
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"cut in the image", append(bytes.Clone(prefix), img[:1000]...)},
		{"no second argument", append(bytes.Clone(prefix), img...)},
		{"second argument a reference to the ByteArray", append(append(bytes.Clone(prefix), img...), 0x11, 0x0A, 0x00)},
		{"trailing bytes", append(append(append(bytes.Clone(prefix), img...), suffix...), 0x05)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest("POST", "/", bytes.NewReader(tc.body))
			req.ContentLength = -1
			w := httptest.NewRecorder()
			g.ServeHTTP(w, req)
			if w.Code != 400 {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			if parts := partFiles(t, g.ImagesDir()); len(parts) != 0 {
				t.Fatalf("left behind: %v", parts)
			}
		})
	}
}

// genReader yields n pseudo-random bytes starting like a JPEG, without
// holding them.
type genReader struct {
	rng  *rand.ChaCha8
	left int
	head bool
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(len(p), g.left)]
	g.rng.Read(p)
	if !g.head && len(p) >= 4 {
		copy(p, jpegBytes[:4])
		g.head = true
	}
	g.left -= len(p)
	return len(p), nil
}

// TestStreamedUploadMemory: a 64 MiB upload allocates a small part of its
// size in the gateway (the whole process is measured, client included).
func TestStreamedUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 64 MiB")
	}
	const size = 64 << 20
	g := newTestGateway(t, Options{})
	srv := httptest.NewServer(g)
	defer srv.Close()
	marker := bigImage(1 << 10)
	p := &amf.Packet{Messages: []amf.Message{{Target: "ByteArray.saveSnapshot", Response: "/1",
		Value: []any{&amf.ByteArray{Data: marker}, "jpg"}}}}
	prefix, suffix := streamedRequest(t, p, marker)
	// Fix the ByteArray length for size bytes: U29 of size<<1|1 in 4 bytes.
	u29 := amf.AppendU29(nil, size<<1|1)
	prefix = append(prefix[:len(prefix)-2], u29...)
	req, _ := http.NewRequest("POST", srv.URL, io.MultiReader(bytes.NewReader(prefix), &genReader{rng: rand.NewChaCha8([32]byte{3}), left: size}, bytes.NewReader(suffix)))
	req.Header.Set("Content-Type", "application/x-amf")
	req.ContentLength = int64(len(prefix) + size + len(suffix))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	reply, _ := io.ReadAll(res.Body)
	res.Body.Close()
	runtime.ReadMemStats(&after)
	rp, err := amf.UnmarshalPacket(reply)
	if err != nil || rp.Messages[0].Target != "/1/onResult" {
		t.Fatalf("%d %q %v", res.StatusCode, reply, err)
	}
	name := memberString(amf.Unwrap(rp.Messages[0].Value).(*amf.Object), "name")
	st, err := os.Stat(g.ImagesDir() + "/" + name)
	if err != nil || st.Size() != size {
		t.Fatalf("saved %v (%v)", st, err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d MiB upload allocated %.1f MiB in all", size>>20, float64(alloc)/(1<<20))
	if alloc > 8<<20 {
		t.Fatalf("allocated %d bytes for a %d-byte upload: not streamed", alloc, size)
	}
}

// TestStalledBody: a client that stops sending its body is dropped.
func TestStalledBody(t *testing.T) {
	g := newTestGateway(t, Options{})
	g.idle = 200 * time.Millisecond
	srv := httptest.NewServer(g)
	defer srv.Close()
	for _, size := range []int{1000, 1 << 20} { // read whole, and streamed
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", size)
		conn.Write(packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: bigImage(size)}, "jpg")[:600])
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		start := time.Now()
		reply, err := io.ReadAll(conn)
		conn.Close()
		if err != nil || time.Since(start) > 5*time.Second {
			t.Fatalf("size %d: the stalled request was not dropped (%v after %v)", size, err, time.Since(start))
		}
		if len(reply) > 0 && !strings.Contains(string(reply), " 408 ") {
			t.Fatalf("size %d: reply %q", size, reply)
		}
	}
	if parts := partFiles(t, g.ImagesDir()); len(parts) != 0 {
		t.Fatalf("left behind: %v", parts)
	}
}
