package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// scriptedServer answers the i-th request with replies[i] (headers of the
// reply packet) and /N/onResult "ok" for each call; it keeps what it got.
type scriptedServer struct {
	mu      sync.Mutex
	replies [][]amf.Header
	cookies [][]*http.Cookie
	got     []seen
}

type seen struct {
	uri     string
	cookie  string
	headers []amf.Header
}

func (s *scriptedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, _ := readAMFRequest(w, r)
	if req == nil {
		return
	}
	s.mu.Lock()
	i := len(s.got)
	s.got = append(s.got, seen{uri: r.RequestURI, cookie: r.Header.Get("Cookie"), headers: req.Headers})
	var hs []amf.Header
	if i < len(s.replies) {
		hs = s.replies[i]
	}
	if i < len(s.cookies) {
		for _, c := range s.cookies[i] {
			http.SetCookie(w, c)
		}
	}
	s.mu.Unlock()
	p := resultsFor(req, "ok")
	p.Headers = hs
	writeReply(w, ContentType, p)
}

func obj(kv ...any) *amf.Object {
	o := &amf.Object{}
	for i := 0; i < len(kv); i += 2 {
		o.Members = append(o.Members, amf.Member{Name: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

func headerNames(hs []amf.Header) string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return strings.Join(out, ",")
}

func headerValue(hs []amf.Header, name string) any {
	for _, h := range hs {
		if h.Name == name {
			return amf.Unwrap(h.Value)
		}
	}
	return "<absent>"
}

func TestServerHeadersAndSession(t *testing.T) {
	ss := &scriptedServer{}
	srv := server(t, ss.ServeHTTP)
	ss.replies = [][]amf.Header{
		{ // 1: session in the URL, a persistent header (OSFlash form)
			{Name: "AppendToGatewayUrl", Value: ";jsessionid=ABC"},
			{Name: "RequestPersistentHeader", Value: obj("name", "Token", "mustUnderstand", true, "data", "t1")},
		},
		{ // 2: a new append replaces the old one; PyAMF's map form
			{Name: "AppendToGatewayUrl", Value: "?PHPSESSID=42"},
			{Name: "RequestPersistentHeader", Value: obj("Other", 5.0, "Credentials", nil)},
		},
		{ // 3: a new gateway; Token removed
			{Name: "ReplaceGatewayUrl", Value: srv.URL + "/gw2"},
			{Name: "RequestPersistentHeader", Value: obj("name", "Token", "mustUnderstand", false, "data", amf.Undefined{})},
			{Name: "Weird", MustUnderstand: true, Value: 1.0},
		},
	}
	ss.cookies = [][]*http.Cookie{{{Name: "sid", Value: "s1", Path: "/"}, {Name: "gone", Value: "x", Path: "/"}}, {{Name: "gone", MaxAge: -1, Path: "/"}}}
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec})
	c.SetCredentials("u", "p")
	c.SetHeader("Mine", false, "m")
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		if _, err := c.Call(ctx, "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	got := ss.got
	wantURI := []string{"/gw", "/gw;jsessionid=ABC", "/gw?PHPSESSID=42", "/gw2"}
	wantNames := []string{"Credentials,Mine", "Credentials,Mine,Token", "Mine,Token,Other", "Mine,Other"}
	wantCookie := []string{"", "sid=s1; gone=x", "sid=s1", "sid=s1"}
	for i := range got {
		if got[i].uri != wantURI[i] || headerNames(got[i].headers) != wantNames[i] || got[i].cookie != wantCookie[i] {
			t.Errorf("request %d: uri %q headers %q cookie %q; want %q %q %q", i+1,
				got[i].uri, headerNames(got[i].headers), got[i].cookie, wantURI[i], wantNames[i], wantCookie[i])
		}
	}
	if v := headerValue(got[1].headers, "Token"); v != "t1" || !got[1].headers[2].MustUnderstand {
		t.Errorf("Token = %#v", v)
	}
	if v := headerValue(got[2].headers, "Other"); v != 5.0 {
		t.Errorf("Other = %#v", v)
	}
	notices := strings.Join(rec.notices, "\n")
	for _, want := range []string{
		"new URL (AppendToGatewayUrl): " + srv.URL + "/gw;jsessionid=ABC",
		"new URL (ReplaceGatewayUrl): " + srv.URL + "/gw2",
		`send the "Token" header with every request`,
		`stop sending the "Credentials" header`,
		`"Weird" marked must-understand`,
	} {
		if !strings.Contains(notices, want) {
			t.Errorf("notices lack %q:\n%s", want, notices)
		}
	}

	// Save, and restore into a new client for the same gateway.
	data, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	var sf map[string]any
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	if sf["url"] != srv.URL+"/gw2" || sf["gateway"] != srv.URL+"/gw" {
		t.Errorf("session file:\n%s", data)
	}
	if !strings.Contains(string(data), `"name": "Other"`) || strings.Contains(string(data), `"Mine"`) || strings.Contains(string(data), `"gone"`) {
		t.Errorf("session file:\n%s", data)
	}

	c2 := newClient(t, srv.URL+"/gw", Config{})
	if err := c2.LoadSession(data); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Call(ctx, "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	last := ss.got[len(ss.got)-1]
	if last.uri != "/gw2" || headerNames(last.headers) != "Other" || last.cookie != "sid=s1" {
		t.Errorf("restored request: uri %q headers %q cookie %q", last.uri, headerNames(last.headers), last.cookie)
	}
	if v := headerValue(last.headers, "Other"); v != 5.0 {
		t.Errorf("restored Other = %#v (%T), want the float64 it was", v, v)
	}

	// A session made with another gateway keeps its cookies only.
	rec3 := &recorder{}
	c3 := newClient(t, srv.URL+"/other", Config{Events: rec3})
	if err := c3.LoadSession(data); err != nil {
		t.Fatal(err)
	}
	if c3.URL() != srv.URL+"/other" || len(c3.Headers()) != 0 {
		t.Errorf("URL %q headers %v", c3.URL(), c3.Headers())
	}
	if len(rec3.notices) != 1 || !strings.Contains(rec3.notices[0], "not used for") {
		t.Errorf("notices %q", rec3.notices)
	}
}

func TestLoadSessionErrors(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1/gw", Config{})
	for _, data := range []string{
		``, `{`, `{"version": 2}`,
		`{"version": 1, "headers": [{"name": "", "value": 1}]}`,
		`{"version": 1, "headers": [{"name": "a", "value": {"$date": "x"}}]}`,
		`{"version": 1, "url": "ftp://x"}`,
	} {
		err := c.LoadSession([]byte(data))
		_, ok := err.(*SessionError)
		if !ok || !strings.Contains(err.Error(), "delete it to start a new session") {
			t.Errorf("LoadSession(%s) = %v", data, err)
		}
	}
	// A JSON error names where it is in the file, as a user opening it
	// in an editor needs.
	for _, c2 := range []struct{ data, where string }{
		{"{not json", "invalid character 'n' looking for beginning of object key string at line 1, column 2;"},
		{"{\n  \"version\": 1,\n  \"headers\": 7\n}", "at line 3, column 14;"},
	} {
		err := c.LoadSession([]byte(c2.data))
		if err == nil || !strings.Contains(err.Error(), c2.where) {
			t.Errorf("LoadSession(%q) = %v; want it to say %q", c2.data, err, c2.where)
		}
	}
	// An empty session round-trips.
	data, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoadSession(data); err != nil {
		t.Errorf("LoadSession(SaveSession()) = %v\n%s", err, data)
	}
}

func TestAMF3Packet(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1/", Config{AMF3: true})
	c.SetCredentials("u", "p")
	p := c.BuildPacket([]Call{{Target: "a.b", Args: []any{"x", amf.AVMPlus{Value: 1.0}}}})
	if p.Version != 3 {
		t.Errorf("version %d", p.Version)
	}
	if _, ok := p.Headers[0].Value.(amf.AVMPlus); !ok {
		t.Errorf("header value %#v not switched to AMF3", p.Headers[0].Value)
	}
	args := p.Messages[0].Value.(*amf.Array).Dense
	if args[0] != (amf.AVMPlus{Value: "x"}) || args[1] != (amf.AVMPlus{Value: 1.0}) {
		t.Errorf("args %#v", args)
	}
	// The client's own headers are not changed by building.
	if _, ok := c.Headers()[0].Value.(amf.AVMPlus); ok {
		t.Error("BuildPacket changed the client's header")
	}
}

// A session file used once with another gateway URL (a typo, or the same
// gateway written without its trailing path) lost its state: the file was
// rewritten for the other URL, without the first gateway's DSId, Flex
// login, persistent headers and URL rewrite. The file keeps them now, and
// gains the cookies of the other run.
func TestSessionKeptAcrossOtherGateway(t *testing.T) {
	ss := &scriptedServer{}
	srv := server(t, ss.ServeHTTP)
	ss.replies = [][]amf.Header{{
		{Name: "AppendToGatewayUrl", Value: ";jsessionid=ABC"},
		{Name: "RequestPersistentHeader", Value: obj("name", "Token", "mustUnderstand", false, "data", "t1")},
	}}
	ss.cookies = [][]*http.Cookie{{{Name: "sid", Value: "s1", Path: "/"}}, {{Name: "other", Value: "o1", Path: "/"}}}
	ctx := context.Background()
	c := newClient(t, srv.URL+"/gw", Config{})
	if _, err := c.Call(ctx, "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.dsid, c.flexUser = "7B493371-C0CB-4A8B-91AF-123C046387B0", "alice"
	c.mu.Unlock()
	first, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}

	rec := &recorder{}
	c2 := newClient(t, srv.URL+"/other", Config{Events: rec})
	if err := c2.LoadSession(first); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Call(ctx, "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if last := ss.got[len(ss.got)-1]; last.uri != "/other" || len(last.headers) != 0 {
		t.Errorf("the other gateway got uri %q headers %q; want none of the session's", last.uri, headerNames(last.headers))
	}
	if len(rec.notices) != 1 || !strings.Contains(rec.notices[0], "the session file keeps them") {
		t.Errorf("notices %q", rec.notices)
	}
	second, err := c2.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	var a, b sessionFile
	if err := json.Unmarshal(first, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(second, &b); err != nil {
		t.Fatal(err)
	}
	if b.Gateway != a.Gateway || b.Append != a.Append || b.DSId != a.DSId || b.FlexUser != "alice" || len(b.Headers) != 1 || b.Headers[0].Name != "Token" {
		t.Errorf("the session file lost the first gateway's state:\n%s\nwas:\n%s", second, first)
	}
	var names []string
	for _, ck := range b.Cookies {
		names = append(names, ck.Name)
	}
	if strings.Join(names, ",") != "sid,other" {
		t.Errorf("cookies %v, want sid and other", names)
	}

	// Back at the first gateway, the session works as before.
	c3 := newClient(t, srv.URL+"/gw", Config{})
	if err := c3.LoadSession(second); err != nil {
		t.Fatal(err)
	}
	if _, err := c3.Call(ctx, "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if last := ss.got[len(ss.got)-1]; last.uri != "/gw;jsessionid=ABC" || headerNames(last.headers) != "Token" {
		t.Errorf("back at the first gateway: uri %q headers %q", last.uri, headerNames(last.headers))
	}
}

// A session header whose value gives a key twice is kept as given (both
// members, in order) with convert's warning, its line and column counted
// in the session file; only when the headers are used (same gateway).
func TestLoadSessionDuplicateKeys(t *testing.T) {
	const gw = "http://127.0.0.1:1/gw"
	file := "{\n  \"version\": 1,\n  \"gateway\": \"" + gw + "\",\n  \"headers\": [\n    {\"name\": \"A\", \"value\": 1},\n    {\"name\": \"Token\",\n     \"value\": {\"id\": \"a\", \"id\": \"b\"}}\n  ],\n  \"cookies\": []\n}\n"
	rec := &recorder{}
	c := newClient(t, gw, Config{Events: rec})
	if err := c.LoadSession([]byte(file)); err != nil {
		t.Fatal(err)
	}
	want := `the session file: "id" is given twice in one object (line 7, column 28): both are written, in order`
	if len(rec.warns) != 1 || rec.warns[0] != want {
		t.Errorf("warnings %q, want [%q]", rec.warns, want)
	}
	hs := c.BuildPacket(nil).Headers
	if len(hs) != 2 || hs[1].Name != "Token" || fmt.Sprint(hs[1].Value.(*amf.Object).Members) != "[{id a} {id b}]" {
		t.Errorf("headers %+v; want Token with id=a then id=b", hs)
	}

	// Another gateway: the headers are not sent, so nothing to warn of
	// but that.
	rec = &recorder{}
	c = newClient(t, "http://127.0.0.1:1/other", Config{Events: rec})
	if err := c.LoadSession([]byte(file)); err != nil {
		t.Fatal(err)
	}
	if len(rec.warns) != 1 || !strings.Contains(rec.warns[0], "the session was made with the gateway") {
		t.Errorf("warnings %q; want only the other gateway's", rec.warns)
	}

	// "headers" given twice in the file: encoding/json reads the last,
	// gjson finds the first, so the value's place in the file is not
	// known: the warning counts in the value and says so.
	twice := "{\"version\": 1, \"gateway\": \"" + gw + "\", \"headers\": [], \"headers\": [{\"name\": \"T\", \"value\": {\"x\": 1, \"x\": 2}}]}"
	rec = &recorder{}
	c = newClient(t, gw, Config{Events: rec})
	if err := c.LoadSession([]byte(twice)); err != nil {
		t.Fatal(err)
	}
	want = `the value of the session file's header "T": "x" is given twice in one object (line 1, column 11): both are written, in order`
	if len(rec.warns) != 1 || rec.warns[0] != want {
		t.Errorf("warnings %q, want [%q]", rec.warns, want)
	}
}

// TestLoadSessionRefusesBadDSId: a session file saved before DSIds were
// checked (or edited) may hold one with a newline or escape sequence in
// it, which every Flex message would send back and -v would show. It is
// not used, with a warning; the rest of the session is.
func TestLoadSessionRefusesBadDSId(t *testing.T) {
	const gw = "http://127.0.0.1:1/gw"
	for _, tc := range []struct{ dsid, warn string }{
		{"A1B2-C3", ""},
		{"bad\nid", `the session file's DSId "bad\x0aid" is not used (` + notFlexID + `): a Flex call asks the gateway for a new one`},
		{strings.Repeat("x", 257), `the session file's DSId "` + strings.Repeat("x", 80) + `..." is not used (` + notFlexID + `): a Flex call asks the gateway for a new one`},
	} {
		file, _ := json.Marshal(map[string]any{"version": 1, "gateway": gw, "dsid": tc.dsid, "flexUser": "alice",
			"headers": []any{map[string]any{"name": "A", "value": 1}}})
		rec := &recorder{}
		c := newClient(t, gw, Config{Events: rec})
		if err := c.LoadSession(file); err != nil {
			t.Fatal(err)
		}
		wantID, wantUser := tc.dsid, "alice"
		if tc.warn != "" {
			wantID, wantUser = "nil", ""
		}
		if c.DSId() != wantID || c.FlexUser() != wantUser {
			t.Errorf("DSId %q, user %q; want %q, %q", c.DSId(), c.FlexUser(), wantID, wantUser)
		}
		if tc.warn == "" && len(rec.warns) != 0 || tc.warn != "" && (len(rec.warns) != 1 || rec.warns[0] != tc.warn) {
			t.Errorf("warnings %q; want %q", rec.warns, tc.warn)
		}
		if hs := c.BuildPacket(nil).Headers; len(hs) != 1 || hs[0].Name != "A" {
			t.Errorf("the session's headers are not used: %+v", hs)
		}
	}
}
