package commands

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBigHAR writes a HAR file whose one AMF exchange's request is a
// version-3 packet calling ByteArray.saveSnapshot with a ByteArray of
// size bytes (through the 0x11 switch), in base64, and returns the
// request's size.
func writeBigHAR(t *testing.T, path string, size int) int {
	t.Helper()
	u29 := func(n int) []byte { // 4-byte form, n < 2^29
		return []byte{byte(n>>22) | 0x80, byte(n>>15) | 0x80, byte(n>>8) | 0x80, byte(n)}
	}
	str := func(s string) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(s))), s...) }
	args := append([]byte{0x0a, 0, 0, 0, 2, 0x11, 0x0c}, u29(size<<1|1)...)
	tail := append([]byte{0x02}, str("jpg")...)
	head := binary.BigEndian.AppendUint16(nil, 3)
	head = append(head, 0, 0, 0, 1)
	head = append(head, str("ByteArray.saveSnapshot")...)
	head = append(head, str("/1")...)
	head = binary.BigEndian.AppendUint32(head, uint32(len(args)+size+len(tail)))
	head = append(head, args...)
	reqSize := len(head) + size + len(tail)

	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, `{"log": {"version": "1.2", "entries": [{"request": {"method": "POST", "url": "http://127.0.0.1:9/gateway", `+
		`"headers": [{"name": "Content-Type", "value": "application/x-amf"}], "bodySize": %d, `+
		`"postData": {"mimeType": "application/x-amf", "encoding": "base64", "text": "`, reqSize)
	enc := base64.NewEncoder(base64.StdEncoding, w)
	enc.Write(head)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	for left := size; left > 0; left -= len(chunk) {
		enc.Write(chunk[:min(left, len(chunk))])
	}
	enc.Write(tail)
	enc.Close()
	reply := append(binary.BigEndian.AppendUint16(nil, 3), 0, 0, 0, 1)
	reply = append(reply, str("/1/onResult")...)
	reply = append(reply, str("null")...)
	reply = binary.BigEndian.AppendUint32(reply, 5)
	reply = append(reply, 0x02, 0, 2, 'o', 'k')
	fmt.Fprintf(w, `"}}, "response": {"status": 200, "statusText": "OK", "content": {"size": %d, "mimeType": "application/x-amf", "encoding": "base64", "text": %q}}}]}}`,
		len(reply), base64.StdEncoding.EncodeToString(reply))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return reqSize
}

// TestHARBigBodyMemory: convert of a HAR file holding a 100 MB AMF body
// in base64 (140 MB), and call --offline --from-har of it, peak under
// 2.5 times the file's size resident (the file mapped, one decoded body,
// its JSON streamed); they peaked at 5.5 and 4.5 times (the text copied,
// the body decoded, its value model's copy, its JSON and two copies of
// the line). Opt-in (it writes 140 MB and converts it three times):
// AMFCALL_BIG_TESTS=1.
func TestHARBigBodyMemory(t *testing.T) {
	bigTest(t, "writes and converts a 140 MB HAR")
	path := filepath.Join(t.TempDir(), "big.har")
	reqSize := writeBigHAR(t, path, 100<<20)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin bool
	}{
		{"convert", []string{"convert", path}, false},
		{"convert stdin", []string{"convert", "-"}, true},
		{"call --offline", []string{"call", "--offline", "--from-har", path + "#1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin string
			if tc.stdin {
				stdin = path
			}
			out, kb := runForPeakRSS(t, tc.args, stdin, true)
			t.Logf("%d bytes in (a %d-byte request), %d bytes out, peak RSS %.1f MB (%.2f times the input)",
				st.Size(), reqSize, out.n, float64(kb)/1024, float64(kb)*1024/float64(st.Size()))
			if limit := st.Size() * 5 / 2; int64(kb)*1024 > limit {
				t.Errorf("peak RSS %d kB, want under %d kB (2.5 times the input)", kb, limit/1024)
			}
			// The body's JSON is there whole: base64 of the ByteArray,
			// then the rest of the line.
			if out.n < int64(reqSize)*4/3 || !strings.HasSuffix(string(out.last), "}\n") {
				t.Errorf("%d bytes of output, ending %q", out.n, out.last[max(0, len(out.last)-40):])
			}
		})
	}
}
