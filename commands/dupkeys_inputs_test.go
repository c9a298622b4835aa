package commands

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// recordingGateway answers every call with "ok" and keeps the request
// packets it was sent.
func recordingGateway(t *testing.T) (*httptest.Server, func() []*amf.Packet) {
	t.Helper()
	var mu sync.Mutex
	var got []*amf.Packet
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
		reply := &amf.Packet{}
		for _, m := range p.Messages {
			reply.Messages = append(reply.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: "ok"})
		}
		b, err := amf.MarshalPacket(reply)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []*amf.Packet {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

// memberList is an object's members as name=value, in order.
func memberList(t *testing.T, v any) string {
	t.Helper()
	o, ok := v.(*amf.Object)
	if !ok {
		t.Fatalf("%T is not an object", v)
	}
	var s []string
	for _, m := range o.Members {
		s = append(s, fmt.Sprintf("%s=%v", m.Name, m.Value))
	}
	return strings.Join(s, ",")
}

// firstArg is the first argument of message i of the one packet sent.
func firstArg(t *testing.T, sent []*amf.Packet, i int) any {
	t.Helper()
	if len(sent) != 1 || len(sent[0].Messages) <= i {
		t.Fatalf("sent %d packets, want 1 with at least %d messages", len(sent), i+1)
	}
	a, ok := sent[0].Messages[i].Value.(*amf.Array)
	if !ok || len(a.Dense) == 0 {
		t.Fatalf("message %d's value is %T, not an argument list", i, sent[0].Messages[i].Value)
	}
	return a.Dense[0]
}

const writtenInOrder = ": both are written, in order\n"

// A --batch line whose arguments give a key twice is sent as given, both
// members in order, with convert's warning naming the batch file and the
// line and column there (one warning for the file, with a count when
// there are several).
func TestDuplicateKeysBatch(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "calls.jsonl")
	batch := `{"target":"a.b","args":[1]}` + "\n\n" + `{"target":"Users.save","args":[{"role":"user","role":"admin"}]}` + "\n"
	if err := os.WriteFile(file, []byte(batch), 0o644); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{
		args:   []string{"call", "--batch", file, srv.URL},
		stdout: `{"target":"a.b","result":"ok"}` + "\n" + `{"target":"Users.save","result":"ok"}` + "\n",
		stderr: `amfcall: warning: --batch ` + file + `: "role" is given twice in one object (line 3, column 48)` + writtenInOrder,
	})
	if got := memberList(t, firstArg(t, sent(), 1)); got != "role=user,role=admin" {
		t.Errorf("sent %s, want role=user,role=admin", got)
	}

	// Several: one warning, the first named.
	checkCase(t, cliCase{
		args:   []string{"call", "--batch", "-", srv.URL},
		stdin:  `{"target":"a.b","args":[{"x":1,"y":2,"x":3}]}` + "\n" + `{"target":"a.b","args":[{"z":{"q":1,"q":2}}]}` + "\n",
		stdout: `{"target":"a.b","result":"ok"}` + "\n" + `{"target":"a.b","result":"ok"}` + "\n",
		stderr: `amfcall: warning: --batch stdin: 2 keys are given again in the object they are in (the first "x", line 1, column 39): each is written as often as given, in order` + "\n",
	})

	// The call's own keys given twice: which one is meant is unclear, so
	// the line is refused (as convert refuses a packet's "messages" twice).
	checkCase(t, cliCase{
		args:   []string{"call", "--batch", "-", srv.URL},
		stdin:  `{"target":"a.b","args":[1],"args":[2]}` + "\n",
		code:   4,
		stderr: `amfcall: error: --batch stdin line 1, column 28: "args" is given twice (a call has one "target" and one "args")` + "\n",
	})
}

// call --packet with JSON whose values give a key twice: sent as given,
// with the warning naming the file.
func TestDuplicateKeysPacket(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	file := filepath.Join(t.TempDir(), "p.json")
	js := `{"version":0,"headers":[],"messages":[{"target":"Users.save","response":"/1","value":[{"role":"user","role":"admin"}]}]}`
	if err := os.WriteFile(file, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{
		args:   []string{"call", "--packet", file, srv.URL},
		stdout: `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"ok"}]}` + "\n",
		stderr: `amfcall: warning: --packet ` + file + `: "role" is given twice in one object (line 1, column 103)` + writtenInOrder,
	})
	if got := memberList(t, firstArg(t, sent(), 0)); got != "role=user,role=admin" {
		t.Errorf("sent %s, want role=user,role=admin", got)
	}
}

// A --session file whose AMF header value gives a key twice: the header is
// sent as given, and the warning names the session file with the line
// and column in it.
func TestDuplicateKeysSession(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	file := filepath.Join(t.TempDir(), "s.json")
	session := `{
  "version": 1,
  "gateway": "` + srv.URL + `",
  "headers": [
    {"name": "Token", "mustUnderstand": false,
     "value": {"id": "a", "id": "b"}}
  ],
  "cookies": []
}
`
	if err := os.WriteFile(file, []byte(session), 0o600); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{
		args:   []string{"call", "--session", file, srv.URL, "echo.echo", "1"},
		stdout: `"ok"` + "\n",
		stderr: `amfcall: warning: the session file: "id" is given twice in one object (line 6, column 28)` + writtenInOrder,
	})
	p := sent()
	if len(p) != 1 || len(p[0].Headers) != 1 {
		t.Fatalf("sent %d packets, want 1 with the session's header", len(p))
	}
	if got := memberList(t, p[0].Headers[0].Value); got != "id=a,id=b" {
		t.Errorf("sent the header %s, want id=a,id=b", got)
	}
}
