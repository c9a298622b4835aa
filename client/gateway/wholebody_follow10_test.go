package gateway

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestWholeBodyOverBudget: an echo of a body that the budget cannot hold
// three times over (decoded, and answered as large again) ran alone and
// took memory past the budget. Through a real connection, with a
// declared length (past the streaming peek) and with a body of unknown
// length (chunked, refused once the read passes what the budget holds),
// the client reads a 413 naming the budget, and nothing stays reserved.
// A saveSnapshot of the same size streams to disk and is saved.
func TestWholeBodyOverBudget(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 2 << 20, MaxUpload: 4 << 20})
	addr := startServe(t, g)
	data := bytes.Repeat([]byte{7}, 1<<20) // 1 MiB: three times is over 2 MiB
	echo := packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: data}})
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(echo)
		if chunked {
			body = struct{ io.Reader }{body} // no length known: sent chunked
		}
		req, err := http.NewRequest("POST", "http://"+addr+"/", body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-amf")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("chunked %v: %v", chunked, err)
		}
		text, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(text), "memory budget of 2 MiB") ||
			!strings.Contains(string(text), "saveSnapshot image is streamed") {
			t.Errorf("chunked %v: status %d: %s", chunked, res.StatusCode, text)
		}
	}
	waitFor(t, func() bool { return g.lim.inFlight.Load() == 0 })

	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), data...)
	save := packet(3, "ByteArray.saveSnapshot", amf.AVMPlus{Value: &amf.ByteArray{Data: png}}, "png")
	res, err := http.Post("http://"+addr+"/", "application/x-amf", bytes.NewReader(save))
	if err != nil {
		t.Fatal(err)
	}
	reply, _ := io.ReadAll(res.Body)
	res.Body.Close()
	p, err := amf.UnmarshalPacket(reply)
	if res.StatusCode != 200 || err != nil || !strings.HasSuffix(p.Messages[0].Target, "/onResult") {
		t.Fatalf("saveSnapshot: status %d, %v: %q", res.StatusCode, err, reply)
	}
	if got := g.MaxWholeBody(); got != (2<<20-requestBase)/3 {
		t.Errorf("MaxWholeBody %d", got)
	}
}
