package convert

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestReadHAR(t *testing.T) {
	const amf0 = "AAAAAAABAAxnZXRTbmFwc2hvdHMAAi8xAAAABQoAAAAA" // getSnapshots request, base64
	raw := []byte{0, 0, 0, 0, 0, 1, 0, 12, 'g', 'e', 't', 'S', 'n', 'a', 'p', 's', 'h', 'o', 't', 's', 0, 2, '/', '1', 0, 0, 0, 5, 0x0A, 0, 0, 0, 0}
	entry := func(post, content string) string {
		return `{"request": {"method": "POST", "url": "http://h/gw", "bodySize": 33, "postData": ` + post + `}, "response": {"status": 200, "statusText": "OK", "content": ` + content + `}}`
	}
	har := func(entries ...string) []byte {
		s := `{"log": {"version": "1.2", "entries": [`
		for i, e := range entries {
			if i > 0 {
				s += ","
			}
			s += e
		}
		return []byte(s + "]}}")
	}
	b64 := `{"mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}`
	for _, tc := range []struct {
		name             string
		data             []byte
		n                int
		reqErr, respErr  string
		reqData, respNil bool
	}{
		{name: "base64 both", data: har(entry(b64, `{"size": 33, "mimeType": "application/x-amf", "text": "`+amf0+`", "encoding": "base64"}`)), n: 1, reqData: true},
		{name: "not kept", data: har(entry(b64, `{"size": 33, "mimeType": "application/x-amf"}`)), n: 1, reqData: true,
			respErr: "the HAR file does not hold this body (the browser did not keep it)"},
		{name: "cut", data: har(entry(b64, `{"size": 40, "mimeType": "application/x-amf", "text": "`+amf0+`", "encoding": "base64"}`)), n: 1, reqData: true,
			respErr: "the body holds 33 bytes but the HAR file says 40: it was cut or altered"},
		{name: "replacement", data: har(entry(`{"mimeType": "application/x-amf", "text": "\u0000\u0003\ufffd"}`, `{"size": 0, "mimeType": "application/x-amf", "text": ""}`)), n: 1,
			reqErr: "the browser kept this binary body as text and replaced the bytes that are not UTF-8 (U+FFFD): the bytes sent are lost; export the HAR with bodies in base64, or capture with a proxy"},
		{name: "text size", data: har(entry(`{"mimeType": "application/x-amf", "text": "\u0000\u0003"}`, `{"size": 0, "mimeType": "application/x-amf"}`)), n: 1,
			reqErr: "the body is kept as 2 bytes of text but the HAR file says it had 33: it was altered"},
		{name: "bad base64", data: har(entry(`{"mimeType": "application/x-amf", "text": "!!", "encoding": "base64"}`, `{"mimeType": "application/x-amf"}`)), n: 1,
			reqErr:  "the body's base64 text does not decode: illegal base64 data at input byte 0",
			respErr: "the HAR file does not hold this body (the browser did not keep it)"},
		{name: "other encoding", data: har(entry(`{"mimeType": "application/x-amf; charset=x", "text": "x", "encoding": "gzip"}`, `{"mimeType": "text/plain"}`)), n: 1,
			reqErr:  `the body is in an encoding amfcall does not know ("gzip")`,
			respErr: "the HAR file does not hold this body (the browser did not keep it)"},
		{name: "not amf", data: har(entry(`{"mimeType": "text/plain", "text": "x"}`, `{"mimeType": "text/html", "text": "x"}`)), n: 0},
		{name: "empty", data: har(), n: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !IsHAR(tc.data) {
				t.Fatalf("IsHAR = false")
			}
			xs, err := ReadHAR(tc.data)
			if err != nil || len(xs) != tc.n {
				t.Fatalf("ReadHAR = %d exchanges, %v; want %d", len(xs), err, tc.n)
			}
			if tc.n == 0 {
				return
			}
			x := xs[0]
			if x.N != 1 || x.Entry != 1 || x.Method != "POST" || x.URL != "http://h/gw" || x.Status != 200 || x.StatusText != "OK" {
				t.Errorf("exchange = %+v", x)
			}
			if x.Request.Problem != tc.reqErr || x.Response.Problem != tc.respErr {
				t.Errorf("problems = %q, %q; want %q, %q", x.Request.Problem, x.Response.Problem, tc.reqErr, tc.respErr)
			}
			if tc.reqData && !bytes.Equal(x.Request.Data, raw) {
				t.Errorf("request bytes = %x, want %x", x.Request.Data, raw)
			}
			if (x.Request.Problem == "") == (x.Request.Data == nil) || (x.Response.Problem == "") == (x.Response.Data == nil) {
				t.Errorf("Data and Problem disagree: %+v", x)
			}
		})
	}
}

// Errors name the line and column, as the other JSON readers' do.
func TestReadHARErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{"log": `, "json: unexpected end of JSON input at line 1, column 9 (offset 8)"},
		{"no entries", `{"log": {}}`, `json: not a HAR file: no "log.entries" array at line 1, column 1 (offset 0)`},
		{"entry not object", `{"log": {"entries": [1]}}`, `json: an entry must be an object at "/log/entries/0", line 1, column 22 (offset 21)`},
		{"two documents", `{} {}`, "json: a HAR file is one JSON object at line 1, column 1 (offset 0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHAR([]byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Errorf("ReadHAR(%s) = %v, want %s", tc.in, err, tc.want)
			}
		})
	}
	if IsHAR([]byte(`{"log": {"entries": {}}}`)) || IsHAR([]byte(`[1]`)) || IsHAR([]byte(`{"log": `)) {
		t.Error("IsHAR accepts what is not a HAR")
	}
}

func TestDetectHAR(t *testing.T) {
	data, err := os.ReadFile("../testdata/har/pyamf.har")
	if err != nil {
		t.Fatal(err)
	}
	if g := Detect(data); g.Kind != KindHAR || g.Describe() != "HAR file" {
		t.Errorf("Detect = %v (%s)", g.Kind, g.Describe())
	}
	if g := Detect([]byte(`{"log": 1}`)); g.Kind != KindJSON {
		t.Errorf("Detect(not a HAR) = %v", g.Kind)
	}
}

// FuzzReadHAR checks that ReadHAR never panics, and that each exchange
// has either bytes or a problem for each body.
func FuzzReadHAR(f *testing.F) {
	if data, err := os.ReadFile("../testdata/har/pyamf.har"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"log": {"entries": [{"request": {"postData": {"mimeType": "application/x-amf", "text": "AAA=", "encoding": "base64"}}, "response": {"content": {"size": 2}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		xs, err := ReadHAR(data)
		if err != nil {
			return
		}
		for i, x := range xs {
			if x.N != i+1 || x.Entry < x.N {
				t.Fatalf("exchange %d numbered %d, entry %d", i, x.N, x.Entry)
			}
			for _, b := range []HARBody{x.Request, x.Response} {
				if (b.Problem == "") == (b.Data == nil) {
					t.Fatalf("body with data %v and problem %q", b.Data != nil, b.Problem)
				}
			}
		}
	})
}

// BenchmarkReadHAR reads a HAR of 1000 AMF exchanges (bodies in base64)
// mixed with 1000 other entries.
func BenchmarkReadHAR(b *testing.B) {
	req, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf3_rich.request.amf")
	if err != nil {
		b.Fatal(err)
	}
	resp, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf3_rich.response.amf")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"log": {"version": "1.2", "entries": [`)
	for i := range 1000 {
		if i > 0 {
			buf.WriteString(",")
		}
		fmt.Fprintf(&buf, `{"request": {"method": "GET", "url": "http://h/page%d"}, "response": {"status": 200, "content": {"mimeType": "text/html", "text": "<html></html>"}}},`, i)
		fmt.Fprintf(&buf, `{"request": {"method": "POST", "url": "http://h/gw", "bodySize": %d, "postData": {"mimeType": "application/x-amf", "text": "%s", "encoding": "base64"}}, "response": {"status": 200, "content": {"size": %d, "mimeType": "application/x-amf", "text": "%s", "encoding": "base64"}}}`,
			len(req), base64.StdEncoding.EncodeToString(req), len(resp), base64.StdEncoding.EncodeToString(resp))
	}
	buf.WriteString("]}}")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		xs, err := ReadHAR(data)
		if err != nil || len(xs) != 1000 {
			b.Fatal(len(xs), err)
		}
	}
}

// BenchmarkDetectJSON measures what HAR detection adds to guessing a big
// JSON document that is not a HAR (nothing but a look at its first key),
// and BenchmarkDetectHAR what it costs on a HAR (one validation pass).
func BenchmarkDetectJSON(b *testing.B) {
	data := []byte(`{"items": [` + strings.Repeat(`{"name": "x", "n": 1.5, "tags": ["a", "b"]},`, 20000) + `{}]}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if Detect(data).Kind != KindJSON {
			b.Fatal("not JSON")
		}
	}
}

func BenchmarkDetectHAR(b *testing.B) {
	data, err := os.ReadFile("../testdata/har/pyamf.har")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if Detect(data).Kind != KindHAR {
			b.Fatal("not HAR")
		}
	}
}

// TestScanHAR: ScanHAR gives ReadHAR's exchanges one at a time, decoding
// the bodies of only those asked for; an error of the callback stops the
// scan and comes back as it is; and what it gives is memory of its own,
// not the text's (the text is read where it is, not copied: a HAR
// holding a 100 MB body in base64 once peaked at 5.5 times its size).
func TestScanHAR(t *testing.T) {
	data, err := os.ReadFile("../testdata/har/pyamf.har")
	if err != nil {
		t.Fatal(err)
	}
	all, err := ReadHAR(data)
	if err != nil || len(all) != 4 {
		t.Fatalf("ReadHAR: %d, %v", len(all), err)
	}
	var got []HARExchange
	err = ScanHAR(data, func(n int) bool { return n == 4 }, func(x HARExchange) error {
		got = append(got, x)
		return nil
	})
	if err != nil || len(got) != 4 {
		t.Fatalf("ScanHAR: %d, %v", len(got), err)
	}
	for i, x := range got {
		want := all[i]
		if x.N != want.N || x.Entry != want.Entry || x.URL != want.URL || x.Method != want.Method || x.Status != want.Status ||
			x.Request.MIME != want.Request.MIME || x.Response.MIME != want.Response.MIME || fmt.Sprint(x.RequestHeaders) != fmt.Sprint(want.RequestHeaders) {
			t.Errorf("exchange %d: %+v, want %+v", i+1, x, want)
		}
		decoded := x.Request.Data != nil || x.Request.Problem != "" || x.Response.Data != nil || x.Response.Problem != ""
		if decoded != (x.N == 4) {
			t.Errorf("exchange %d: bodies read %v", x.N, decoded)
		}
		if x.N == 4 && (!bytes.Equal(x.Request.Data, want.Request.Data) || !bytes.Equal(x.Response.Data, want.Response.Data)) {
			t.Errorf("exchange 4: bodies differ from ReadHAR's")
		}
	}
	stop := errors.New("stop")
	calls := 0
	if err := ScanHAR(data, nil, func(HARExchange) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("a callback's error: %v after %d calls", err, calls)
	}
	// Nothing given points into the text.
	text := bytes.Clone(data)
	xs, err := ReadHAR(text)
	if err != nil {
		t.Fatal(err)
	}
	for i := range text {
		text[i] = 'x'
	}
	for i, x := range xs {
		w := all[i]
		if x.URL != w.URL || x.Method != w.Method || x.StatusText != w.StatusText || x.Request.MIME != w.Request.MIME ||
			x.Response.MIME != w.Response.MIME || fmt.Sprint(x.RequestHeaders) != fmt.Sprint(w.RequestHeaders) ||
			!bytes.Equal(x.Request.Data, w.Request.Data) || !bytes.Equal(x.Response.Data, w.Response.Data) {
			t.Errorf("exchange %d changed with the text it was read from: %+v", i+1, x)
		}
	}
}
