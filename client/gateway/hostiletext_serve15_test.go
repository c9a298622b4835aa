package gateway

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// lockedBuf is a log a test reads while the gateway writes it.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// unsafeText says what makes s unsafe to show: a control or format
// character (but the newlines allowed), invalid UTF-8, or more than max
// bytes. "" when it is safe.
func unsafeText(s string, max int, newlines bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	if len(s) > max {
		return fmt.Sprintf("longer than %d bytes", max)
	}
	for _, r := range s {
		if r == '\n' && newlines {
			continue
		}
		if !unicode.IsPrint(r) && r != ' ' {
			return fmt.Sprintf("the character %U", r)
		}
	}
	return ""
}

// TestHostileTextsEscaped: whatever a request carries (a target, a
// method, a class name, a path, a header of 60 KB of control
// characters and invalid UTF-8), every text the gateway sends back (a
// refused request's, a fault's description) and every line it logs is
// printable UTF-8 of bounded length. Before, the target came back whole
// in "Unknown service ...", the method in the 400 of a GET, and an
// argument's class in saveSnapshot's TypeError.
func TestHostileTextsEscaped(t *testing.T) {
	log := &lockedBuf{}
	g := newTestGateway(t, Options{Log: log})
	evil := strings.Repeat("\x1b[31mEVIL\x9b\xff\xfe\r\n\u202e\x00", 4000)[:60000]

	faults := []struct {
		name string
		body []byte
	}{
		{"unknown service", packet(0, evil, "x")},
		{"unknown method", packet(0, "echo."+evil, "x")},
		{"typed argument", packet(0, "ByteArray.saveSnapshot", &amf.Object{Class: evil[:30000]}, "png")},
		{"AMF3 typed argument", packet(3, "ByteArray.saveSnapshot", amf.AVMPlus{Value: &amf.Object{Class: evil[:30000]}}, "png")},
	}
	for _, c := range faults {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(c.body)))
		if w.Code != 200 {
			t.Fatalf("%s: status %d: %.300q", c.name, w.Code, w.Body.String())
		}
		p, err := amf.UnmarshalPacket(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		o, _ := amf.Unwrap(p.Messages[0].Value).(*amf.Object)
		if o == nil {
			t.Fatalf("%s: no fault: %v", c.name, p.Messages[0].Value)
		}
		desc, _ := o.Get("description")
		s, _ := desc.(string)
		if why := unsafeText(s, 500, false); why != "" || s == "" {
			t.Errorf("%s: the fault's description is unsafe (%s): %.200q", c.name, why, s)
		}
	}

	refused := []struct {
		name string
		req  func() *httptestReq
	}{
		{"method", func() *httptestReq {
			r := newRequest("GET", "/", nil)
			r.Method = "G" + evil[:3000]
			return r
		}},
		{"content type", func() *httptestReq {
			r := newRequest("POST", "/", strings.NewReader("x"))
			r.Header.Set("Content-Type", evil)
			return r
		}},
		{"host", func() *httptestReq {
			r := newRequest("POST", "/", strings.NewReader("x"))
			r.Host = evil
			return r
		}},
		{"image path", func() *httptestReq {
			r := newRequest("GET", "/images/x.png", nil)
			r.URL.Path = "/images/" + evil + ".png"
			return r
		}},
		{"bad member name", func() *httptestReq {
			b := packet(0, "echo.echo", &amf.Object{Members: []amf.Member{{Name: evil, Value: 1.0}}})
			return newRequest("POST", "/", bytes.NewReader(b[:len(b)-4]))
		}},
	}
	for _, c := range refused {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, c.req())
		if w.Code < 400 {
			t.Fatalf("%s: status %d", c.name, w.Code)
		}
		if why := unsafeText(w.Body.String(), maxReasonText+100, true); why != "" {
			t.Errorf("%s: the %d's text is unsafe (%s): %.200q", c.name, w.Code, why, w.Body.String())
		}
	}

	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	if len(lines) < len(faults)+len(refused) {
		t.Fatalf("%d log lines, want one a request:\n%s", len(lines), log.String())
	}
	for _, l := range lines {
		if why := unsafeText(l, 1500, false); why != "" {
			t.Errorf("a log line is unsafe (%s): %.200q", why, l)
		}
	}
}

// httptestReq is a request made for a test.
type httptestReq = http.Request
