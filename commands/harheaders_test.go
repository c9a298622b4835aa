package commands

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// call --from-har re-sends the captured body only: the request's HTTP
// headers (a session cookie, Authorization) are the browser's, and are
// not sent. That is kept, but said: a note names the headers not sent,
// never their values (review2 F10). -H gives one again.
func TestCallFromHARHeadersNotSent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		reply := &amf.Packet{Messages: []amf.Message{{Target: p.Messages[0].Response + "/onResult", Response: "null", Value: "ok"}}}
		b, _ := amf.MarshalPacket(reply)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(b)
	}))
	defer srv.Close()

	req, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "echo.echo", Response: "/1", Value: &amf.Array{Dense: []any{amf.Int(1)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	entry := map[string]any{
		"request": map[string]any{
			"method": "POST", "url": srv.URL + "/gateway",
			"headers": []nv{{":authority", "x"}, {"Host", "x"}, {"Cookie", "JSESSIONID=HARSECRET"}, {"Authorization", "Basic SARAUTH"},
				{"Content-Type", "application/x-amf"}, {"X-Flash-Version", "32,0,0"}, {"cookie", "second=1"}, {"Content-Length", "30"}},
			"postData": map[string]any{"mimeType": "application/x-amf", "text": base64.StdEncoding.EncodeToString(req), "encoding": "base64"},
		},
		"response": map[string]any{"status": 200, "content": map[string]any{"mimeType": "application/x-amf", "size": 0}},
	}
	har, _ := json.Marshal(map[string]any{"log": map[string]any{"entries": []any{entry}}})
	file := filepath.Join(t.TempDir(), "s.har")
	if err := os.WriteFile(file, har, 0o600); err != nil {
		t.Fatal(err)
	}
	const ok = `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"ok"}]}` + "\n"
	note := func(names string) string {
		return "amfcall: note: --from-har " + file + "#1: the captured request's HTTP headers are not sent: " + names +
			" (give those the gateway needs with -H, or keep a session with --session)\n"
	}
	checkCase(t, cliCase{args: []string{"call", "--from-har", file + "#1"}, stdout: ok, stderr: note("Cookie, Authorization, X-Flash-Version")})
	checkCase(t, cliCase{args: []string{"call", "--from-har", file + "#1", "-H", "cookie: mine=1"}, stdout: ok, stderr: note("Authorization, X-Flash-Version")})
	checkCase(t, cliCase{args: []string{"call", "--from-har", file + "#1", "-H", "cookie: mine=1", "-H", "X-Flash-Version: 1"}, stdout: ok,
		stderr: "amfcall: note: --from-har " + file + "#1: the captured request's HTTP header is not sent: Authorization (give those the gateway needs with -H, or keep a session with --session)\n"})
	// Nothing is sent with --offline: nothing to say.
	checkCase(t, cliCase{args: []string{"call", "--offline", "--from-har", file + "#1"},
		stdout: `{"version":0,"headers":[],"messages":[{"target":"echo.echo","response":"/1","value":[1.0]}]}` + "\n"})

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("the gateway got %d requests, want 3", len(got))
	}
	for i, h := range got {
		if h.Get("Authorization") != "" || i < 2 && h.Get("X-Flash-Version") != "" {
			t.Errorf("request %d carries a captured header: %v", i+1, h)
		}
	}
	if c := got[0].Values("Cookie"); len(c) != 0 {
		t.Errorf("request 1 carries Cookie %q", c)
	}
	if c := got[1].Get("Cookie"); c != "mine=1" {
		t.Errorf("request 2 carries Cookie %q, want the -H one", c)
	}
}

// A HAR file that is not JSON: the error has a line and column, as
// --packet's has (leftcli report).
func TestCallFromHARBadJSON(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "x.har")
	if err := os.WriteFile(file, []byte("{\"log\": {\"entries\": [\n  {\"request\": x}]}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{args: []string{"call", "--from-har", file + "#1", "http://127.0.0.1:1/"}, code: exitInput,
		stderr: "amfcall: error: --from-har " + file + ": json: invalid character 'x' looking for beginning of value at line 2, column 15 (offset 36)\n"})
}
