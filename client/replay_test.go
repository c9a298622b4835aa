package client

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// The captures are real exchanges with a PyAMF 0.9.1 gateway (see
// testdata/pyamf/UPSTREAM-README.md).
const capturesDir = "../testdata/pyamf/captures"

// capture is one recorded exchange.
type capture struct {
	name        string
	request     []byte
	status      int
	contentType string
	response    []byte
}

func loadCapture(t testing.TB, name string) *capture {
	t.Helper()
	c := &capture{name: name}
	base := filepath.Join(capturesDir, "default-"+name)
	c.request, _ = os.ReadFile(base + ".request.amf")
	hdr, err := os.ReadFile(base + ".response-headers.txt")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(hdr))
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if first {
			f := strings.Fields(line)
			c.status, _ = strconv.Atoi(f[1])
			continue
		}
		if v, ok := strings.CutPrefix(line, "Content-Type: "); ok {
			c.contentType = v
		}
	}
	for _, ext := range []string{".response.amf", ".response.txt"} {
		if b, err := os.ReadFile(base + ext); err == nil {
			c.response = b
		}
	}
	if c.response == nil {
		t.Fatalf("capture %s has no response body", name)
	}
	return c
}

// replayKey identifies a request by what the gateway dispatches on: the
// packet version, the header names and each body's target (for a Flex
// message, its class and operation).
func replayKey(p *amf.Packet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "v%d", p.Version)
	for _, h := range p.Headers {
		b.WriteString(" h:" + h.Name)
	}
	for _, m := range p.Messages {
		b.WriteString(" " + m.Target)
		if m.Target != "null" {
			continue
		}
		if a, ok := m.Value.(*amf.Array); ok && len(a.Dense) == 1 {
			if o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok {
				op, _ := o.Get("operation")
				fmt.Fprintf(&b, ":%s:%v", o.Class, op)
			}
		}
	}
	return b.String()
}

// replayServer answers requests with the captured replies, chosen by
// replayKey of the request; it keeps the requests it got.
type replayServer struct {
	*httptest.Server
	byKey map[string]*capture
	mu    sync.Mutex
	got   []gotRequest
}

type gotRequest struct {
	header http.Header
	uri    string
	body   []byte
	key    string
}

var replayNames = []string{
	"batch", "credentials", "echo_amf0_rich", "echo_amf3_rich", "fail",
	"flex_fail", "flex_ping", "flex_remoting", "getSnapshots_strict",
	"saveSnapshot_amf3", "secure_nocreds", "unknown_service",
}

func newReplayServer(t testing.TB) *replayServer {
	t.Helper()
	rs := &replayServer{byKey: map[string]*capture{}}
	for _, name := range replayNames {
		c := loadCapture(t, name)
		p, err := amf.UnmarshalPacket(c.request)
		if err != nil {
			t.Fatalf("capture %s: %v", name, err)
		}
		k := replayKey(p)
		if _, dup := rs.byKey[k]; dup {
			t.Fatalf("captures share the key %q", k)
		}
		rs.byKey[k] = c
	}
	garbage := loadCapture(t, "garbage")
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g := gotRequest{header: r.Header.Clone(), uri: r.RequestURI, body: body}
		p, err := amf.UnmarshalPacket(body)
		var c *capture
		if err != nil {
			c = garbage
		} else {
			g.key = replayKey(p)
			c = rs.byKey[g.key]
		}
		rs.mu.Lock()
		rs.got = append(rs.got, g)
		rs.mu.Unlock()
		if c == nil {
			http.Error(w, "no capture for "+g.key, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", c.contentType)
		w.WriteHeader(c.status)
		w.Write(amftest.RenumberReply(c.response, body))
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *replayServer) last(t testing.TB) gotRequest {
	t.Helper()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.got) == 0 {
		t.Fatal("the server got no request")
	}
	return rs.got[len(rs.got)-1]
}

// sameValue compares decoded AMF values: pointers by content (cycles
// allowed), NaN equal to NaN, AVMPlus wrappers significant, traits
// ignored, typed objects' members in any order (PyAMF sorts them).
func sameValue(a, b any) bool {
	return sameV(a, b, map[[2]uintptr]bool{})
}

func sameV(a, b any, seen map[[2]uintptr]bool) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() == reflect.Pointer && vb.Kind() == reflect.Pointer && !va.IsNil() && !vb.IsNil() {
		k := [2]uintptr{va.Pointer(), vb.Pointer()}
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	switch x := a.(type) {
	case amf.AVMPlus:
		y, ok := b.(amf.AVMPlus)
		return ok && sameV(x.Value, y.Value, seen)
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case *amf.Object:
		y, ok := b.(*amf.Object)
		if !ok || x.Class != y.Class || len(x.Members) != len(y.Members) {
			return false
		}
		for i, m := range x.Members {
			if x.Class == "" {
				if y.Members[i].Name != m.Name || !sameV(m.Value, y.Members[i].Value, seen) {
					return false
				}
				continue
			}
			v, ok := y.Get(m.Name)
			if !ok || !sameV(m.Value, v, seen) {
				return false
			}
		}
		return true
	case *amf.ECMAArray:
		y, ok := b.(*amf.ECMAArray)
		return ok && sameMembers(x.Members, y.Members, seen)
	case *amf.Array:
		y, ok := b.(*amf.Array)
		if !ok || len(x.Dense) != len(y.Dense) || !sameMembers(x.Assoc, y.Assoc, seen) {
			return false
		}
		for i := range x.Dense {
			if !sameV(x.Dense[i], y.Dense[i], seen) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func sameMembers(a, b []amf.Member, seen map[[2]uintptr]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !sameV(a[i].Value, b[i].Value, seen) {
			return false
		}
	}
	return true
}

// samePacket compares two request packets: version, headers and messages
// (lengths ignored).
func samePacket(a, b *amf.Packet) error {
	if a.Version != b.Version {
		return fmt.Errorf("version %d, want %d", a.Version, b.Version)
	}
	if len(a.Headers) != len(b.Headers) {
		return fmt.Errorf("%d headers, want %d", len(a.Headers), len(b.Headers))
	}
	for i := range a.Headers {
		x, y := a.Headers[i], b.Headers[i]
		if x.Name != y.Name || x.MustUnderstand != y.MustUnderstand || !sameValue(x.Value, y.Value) {
			return fmt.Errorf("header %d is %q mu=%v %#v, want %q mu=%v %#v", i, x.Name, x.MustUnderstand, x.Value, y.Name, y.MustUnderstand, y.Value)
		}
	}
	if len(a.Messages) != len(b.Messages) {
		return fmt.Errorf("%d messages, want %d", len(a.Messages), len(b.Messages))
	}
	for i := range a.Messages {
		x, y := a.Messages[i], b.Messages[i]
		if x.Target != y.Target || x.Response != y.Response || !sameValue(x.Value, y.Value) {
			return fmt.Errorf("message %d is %q %q %#v, want %q %q %#v", i, x.Target, x.Response, x.Value, y.Target, y.Response, y.Value)
		}
	}
	return nil
}

func mustPacket(t testing.TB, data []byte) *amf.Packet {
	t.Helper()
	p, err := amf.UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// captureResult is the value of the first reply body of a capture, as a
// client hands it back.
func captureResult(t testing.TB, name string, i int) any {
	t.Helper()
	p := mustPacket(t, loadCapture(t, name).response)
	return amf.Unwrap(p.Messages[i].Value)
}
