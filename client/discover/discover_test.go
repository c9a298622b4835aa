package discover

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
	"github.com/amfcall/amfcall/convert"
)

// fixture is one recorded exchange of testdata/discover/*.jsonl (see
// testdata/README.md for where each comes from).
type fixture struct {
	Probe   string            `json:"probe"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Packet  json.RawMessage   `json:"packet"`
}

// loadFixtures reads a gateway's recorded exchanges, by probe name.
func loadFixtures(t testing.TB, gw string) map[string]Exchange {
	t.Helper()
	f, err := os.Open(filepath.Join("../../testdata/discover", gw+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]Exchange{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var fx fixture
		if err := json.Unmarshal(sc.Bytes(), &fx); err != nil {
			t.Fatal(err)
		}
		x := Exchange{Probe: fx.Probe, Status: fx.Status, Header: http.Header{}, Body: []byte(fx.Body)}
		for k, v := range fx.Headers {
			x.Header.Set(k, v)
		}
		if fx.Packet != nil {
			p, err := convert.PacketFromJSON(fx.Packet)
			if err != nil {
				t.Fatalf("%s %s: %v", gw, fx.Probe, err)
			}
			// Through the bytes and back, as the client would see it.
			b, err := amf.MarshalPacket(p)
			if err != nil {
				t.Fatal(err)
			}
			if x.Packet, err = amf.UnmarshalPacket(b); err != nil {
				t.Fatal(err)
			}
		}
		out[fx.Probe] = x
	}
	return out
}

// pyamfExchanges are the PyAMF captures, as probe exchanges.
func pyamfExchanges(t *testing.T) []Exchange {
	t.Helper()
	dir := "../../testdata/pyamf/captures/"
	read := func(name string) []byte {
		b, err := os.ReadFile(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	header := func(name string) (int, http.Header) {
		h := http.Header{}
		status := 0
		for i, line := range strings.Split(strings.TrimSpace(string(read(name))), "\n") {
			if i == 0 {
				f := strings.Fields(line)
				if len(f) > 1 {
					status = atoi(f[1])
				}
				continue
			}
			if k, v, ok := strings.Cut(line, ": "); ok {
				h.Add(k, strings.TrimSpace(v))
			}
		}
		return status, h
	}
	pk := func(name string) *amf.Packet {
		p, err := amf.UnmarshalPacket(read(name))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var xs []Exchange
	st, h := header("default-unknown_service.response-headers.txt")
	xs = append(xs, Exchange{Probe: ProbeAMF0, Status: st, Header: h, Packet: pk("default-unknown_service.response.amf")})
	st, h = header("default-flex_ping.response-headers.txt")
	xs = append(xs, Exchange{Probe: ProbePing, Status: st, Header: h, Packet: pk("default-flex_ping.response.amf")})
	st, h = header("default-get_gateway.response-headers.txt")
	xs = append(xs, Exchange{Probe: ProbeGET, Status: st, Header: h, Body: read("default-get_gateway.response.txt")})
	return xs
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func exchanges(m map[string]Exchange, names ...string) []Exchange {
	var out []Exchange
	for _, n := range names {
		if x, ok := m[n]; ok {
			out = append(out, x)
		}
	}
	return out
}

func TestIdentifyRecorded(t *testing.T) {
	for _, tc := range []struct {
		file, want string
		why        string // a piece of evidence that must be given
	}{
		{"amfphp2", AMFPHP2GW, `amf0-unknown-service: fault 0 "amfcallProbeNoSuchService service not found"`},
		{"amfphp1", AMFPHP1GW, "amf0-unknown-service: fault AMFPHP_FILE_NOT_FOUND"},
		{"zend", ZendAmf, "the fault is an associative array {description, detail, line, code}"},
		{"blazeds", BlazeDS, "the reply body's length field is 1, as BlazeDS writes it"},
		{"coldfusion", ColdFusion, "sets the ColdFusion session cookies CFID/CFTOKEN"},
		{"graniteds", GraniteDS, "GraniteDS's detail lines"},
		{"red5", Red5, "Server: Red5/1.0.10"},
		{"rubyamf", RubyAMF, "as RocketAMF (RubyAMF) writes them"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			fx := loadFixtures(t, tc.file)
			r := Identify(exchanges(fx, ProbeAMF0, ProbeGET))
			if r.Gateway != tc.want {
				t.Fatalf("Identify = %s (score %d), want %s; evidence %+v", r.Gateway, r.Score, tc.want, r.Evidence)
			}
			found := false
			for _, f := range r.Evidence {
				found = found || (f.Gateway == tc.want && strings.Contains(f.Why, tc.why))
			}
			if !found {
				t.Errorf("no evidence %q in %+v", tc.why, r.Evidence)
			}
			if r.Evidence[0].Gateway != tc.want {
				t.Errorf("first evidence is for %s", r.Evidence[0].Gateway)
			}
		})
	}
	t.Run("pyamf captures", func(t *testing.T) {
		r := Identify(pyamfExchanges(t))
		if r.Gateway != PyAMF || r.Score != 10+5+3+10 {
			t.Errorf("Identify = %s %d: %+v", r.Gateway, r.Score, r.Evidence)
		}
	})
	t.Run("text before the packet points at PHP, once", func(t *testing.T) {
		xs := pyamfExchanges(t)
		xs[0].Skipped, xs[1].Skipped = 113, 113
		r := Identify(xs)
		n := 0
		for _, f := range r.Evidence {
			if strings.Contains(f.Why, "113 bytes of text before its packet") {
				n++
				if f.Gateway != AMFPHP2GW && f.Gateway != AMFPHP1GW && f.Gateway != ZendAmf || f.Weight != 1 {
					t.Errorf("evidence %+v", f)
				}
			}
		}
		if n != 3 || r.Gateway != PyAMF {
			t.Errorf("%d findings, gateway %s: %+v", n, r.Gateway, r.Evidence)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		r := Identify([]Exchange{{Probe: ProbeGET, Status: 404, Header: http.Header{"Server": {"nginx"}}}})
		if r.Gateway != Unknown || len(r.Evidence) != 0 {
			t.Errorf("Identify = %+v", r)
		}
	})
}

func TestClassifyFault(t *testing.T) {
	for _, tc := range []struct {
		file, probe string
		kind        FaultKind
		gw          string
	}{
		{"amfphp2", ProbeAMF0, NoService, "AMFPHP 2"},
		{"amfphp2", "discover-refused", OtherFault, ""},
		{"amfphp1", ProbeAMF0, NoService, "AMFPHP 1"},
		{"amfphp1", "unknown-method", NoMethod, "AMFPHP 1"},
		{"zend", ProbeAMF0, NoService, "Zend_Amf"},
		{"zend", "unknown-method", NoMethod, "Zend_Amf"},
		{"blazeds", ProbeAMF0, NoService, BlazeDS},
		{"blazeds", "unknown-method", NoMethod, BlazeDS},
		{"coldfusion", ProbeAMF0, NoService, "ColdFusion"},
		{"coldfusion", "unknown-method", NoMethod, "ColdFusion"},
		{"red5", ProbeAMF0, NoService, "Red5"},
		{"red5", "unknown-method", NoMethod, "Red5"},
		{"graniteds", ProbeAMF0, NoMethod, "GraniteDS"},
	} {
		t.Run(tc.file+" "+tc.probe, func(t *testing.T) {
			m := loadFixtures(t, tc.file)[tc.probe].Packet.Messages[0]
			k, gw := ClassifyFault(client.NewFault("", m.Target, m.Value))
			if k != tc.kind || gw != tc.gw {
				t.Errorf("ClassifyFault = %v, %q; want %v, %q", k, gw, tc.kind, tc.gw)
			}
		})
	}
}

func TestParseRecorded(t *testing.T) {
	v := func(gw, probe string) any {
		return amf.Unwrap(loadFixtures(t, gw)[probe].Packet.Messages[0].Value)
	}
	cat, err := ParseTree(v("amfphp2", "discover"), AMFPHP2)
	if err != nil {
		t.Fatal(err)
	}
	want := &Catalog{Dialect: AMFPHP2, Services: []Service{
		{Name: "ExampleService", Description: "an example service", Methods: []Method{
			{Name: "returnOneParam", Description: "return one param\n @param mixed $param example: hello\n @return mixed", Returns: "mixed",
				Params: []Param{{Name: "param", Type: "mixed", Example: "hello"}}},
			{Name: "returnSum", Description: "return sum of 2 numbers", Returns: "int",
				Params: []Param{{Name: "number1", Type: "int"}, {Name: "number2", Type: "int"}}},
		}},
		{Name: "VoService", Methods: []Method{}},
	}}
	if !reflect.DeepEqual(cat, want) {
		t.Errorf("ParseTree =\n%+v\nwant\n%+v", cat, want)
	}
	if got := cat.Targets(); !reflect.DeepEqual(got, []string{"ExampleService.returnOneParam", "ExampleService.returnSum", "VoService"}) {
		t.Errorf("Targets = %q", got)
	}

	cat, err = ParseAMFPHP1Services(v("amfphp1", "getServices"))
	if err != nil || !reflect.DeepEqual(cat.Targets(), []string{"HelloWorld", "amfphp.DiscoveryService"}) {
		t.Errorf("ParseAMFPHP1Services = %+v, %v", cat, err)
	}
	s, err := ParseAMFPHP1Description(v("amfphp1", "describeService"), "HelloWorld")
	wantS := &Service{Name: "HelloWorld", Description: "HelloWorld", Methods: []Method{
		{Name: "sayHello", Description: "says hello to someone", Params: []Param{{Name: "name"}}},
		{Name: "getTime", Description: "No description given.", Params: []Param{}},
	}}
	if err != nil || !reflect.DeepEqual(s, wantS) {
		t.Errorf("ParseAMFPHP1Description = %+v, %v", s, err)
	}

	s, err = ParseZendDescription(v("zend", "introspect").(string), "ContactService")
	wantS = &Service{Name: "ContactService", Methods: []Method{
		{Name: "getContacts", Returns: "Unknown[]", Params: []Param{}},
		{Name: "saveContact", Returns: "bool", Params: []Param{{Name: "contact", Type: "Contact"}, {Name: "notify", Type: "bool", Default: "1"}}},
		{Name: "find", Returns: "Unknown[]", Params: []Param{{Name: "q", Type: "string"}}},
	}}
	if err != nil || !reflect.DeepEqual(s, wantS) {
		t.Errorf("ParseZendDescription = %+v, %v", s, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"tree of a string", func() error { _, err := ParseTree("x", Amfcall); return err }(),
			"the discovery reply has an unexpected shape: want a list or map of services, got a string"},
		{"service not object", func() error { _, err := ParseTree([]any{"x"}, Amfcall); return err }(),
			`the discovery reply has an unexpected shape: service "0" is a string, not an object`},
		{"amfphp1 no label", func() error { _, err := ParseAMFPHP1Services([]any{&amf.Object{}}); return err }(),
			"the discovery reply has an unexpected shape: a service node has no label"},
		{"zend error", func() error { _, err := ParseZendDescription("ERROR: $msg", "x"); return err }(),
			"the introspector answered: $msg"},
		{"zend not xml", func() error { _, err := ParseZendDescription("hello", "x"); return err }(),
			"the discovery reply has an unexpected shape: the introspector's reply is not a service description"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want)
		}
	}
	// A tree nested past the bound.
	var v any = []any{&amf.Object{Members: []amf.Member{{Name: "label", Value: "x"}}}}
	for range maxDepth + 2 {
		v = []any{&amf.Object{Members: []amf.Member{{Name: "label", Value: "p"}, {Name: "children", Value: v}}}}
	}
	if _, err := ParseAMFPHP1Services(v); !errors.Is(err, ErrShape) {
		t.Errorf("deep tree: %v", err)
	}
}

// newGateway runs amfcall's own gateway on 127.0.0.1.
func newGateway(t *testing.T) *httptest.Server {
	t.Helper()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

func TestAgainstServe(t *testing.T) {
	srv := newGateway(t)
	c, err := client.New(srv.URL, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cat, err := List(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	wantTargets := []string{"ByteArray.getSnapshots", "ByteArray.saveSnapshot", "amfcall.discover", "echo.echo", "echo.fail", "getSnapshots", "login", "logout", "secure.echo", "secure.whoami", "session.whoami"}
	if cat.Dialect != Amfcall || !reflect.DeepEqual(cat.Targets(), wantTargets) {
		t.Errorf("List = %s %q", cat.Dialect, cat.Targets())
	}
	s, d, err := Describe(ctx, c, "ByteArray")
	if err != nil || d != Amfcall || len(s.Methods) != 2 || s.Methods[1].Name != "saveSnapshot" ||
		!reflect.DeepEqual(s.Methods[1].Params, []Param{{Name: "bytes", Type: "ByteArray"}, {Name: "type", Type: "String"}}) {
		t.Errorf("Describe = %+v %s %v", s, d, err)
	}
	_, _, err = Describe(ctx, c, "nosuch")
	var nf *NotFoundError
	if !errors.As(err, &nf) || err.Error() != `"nosuch" is not in what the gateway's discovery service (amfcall) lists; it lists the services ByteArray, amfcall, echo, secure, session, and methods called without a service: getSnapshots, login, logout` {
		t.Errorf("Describe(nosuch) = %v", err)
	}

	xs, err := Probe(ctx, srv.URL, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := Identify(xs)
	if r.Gateway != AmfcallGW || r.Score != 10+10+5+5 {
		t.Errorf("Identify = %s %d %+v", r.Gateway, r.Score, r.Evidence)
	}
	if len(xs) != 4 || xs[3].Probe != ProbeGET || xs[3].Status != 400 {
		t.Errorf("exchanges = %+v", xs)
	}

	var hits []Hit
	err = Enumerate(ctx, c, []string{"echo", "nosuch", "getSnapshots", "whoami", "secure"}, EnumOptions{Rate: 1000, Max: 100}, func(h Hit) error {
		hits = append(hits, h)
		return nil
	})
	wantHits := []Hit{
		{"echo", "service", "Service.MethodNotFound: Unknown method echo.amfcallProbeNoSuchMethod"},
		{"secure", "service", "Service.MethodNotFound: Unknown method secure.amfcallProbeNoSuchMethod"},
		{"getSnapshots", "method", "result"},
		{"echo.echo", "method", "result"},
		{"secure.echo", "method", "result"},
		{"secure.whoami", "method", "result"},
	}
	if err != nil || !reflect.DeepEqual(hits, wantHits) {
		t.Errorf("Enumerate = %v\n%+v\nwant\n%+v", err, hits, wantHits)
	}
	// The request budget.
	n := 0
	err = Enumerate(ctx, c, []string{"a", "b", "c"}, EnumOptions{Rate: 1000, Max: 2}, func(Hit) error { n++; return nil })
	if !errors.Is(err, ErrBudget) || n != 0 {
		t.Errorf("Enumerate with Max 2 = %v, %d hits", err, n)
	}
}

// replayGateway answers each call by its target from recorded packets.
func replayGateway(t *testing.T, byTarget map[string]*amf.Packet) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		body.ReadFrom(r.Body)
		req, err := amf.UnmarshalPacket(body.Bytes())
		if err != nil || len(req.Messages) != 1 {
			http.Error(w, "bad request", 400)
			return
		}
		target := req.Messages[0].Target
		mu.Lock()
		seen = append(seen, target)
		mu.Unlock()
		p, ok := byTarget[target]
		if !ok {
			p = byTarget["*"]
		}
		// Answer the call's own response number.
		q := *p
		q.Messages = append([]amf.Message(nil), p.Messages...)
		_, suffix, _ := strings.Cut(strings.TrimPrefix(q.Messages[0].Target, "/"), "/")
		q.Messages[0].Target = req.Messages[0].Response + "/" + suffix
		out, _ := amf.MarshalPacket(&q)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestListRecordedDialects(t *testing.T) {
	ctx := context.Background()
	php2 := loadFixtures(t, "amfphp2")
	php1 := loadFixtures(t, "amfphp1")
	zend := loadFixtures(t, "zend")
	py, err := os.ReadFile("../../testdata/pyamf/captures/default-unknown_service.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	pyUnknown, _ := amf.UnmarshalPacket(py)

	t.Run("amfphp2", func(t *testing.T) {
		srv, seen := replayGateway(t, map[string]*amf.Packet{
			TargetAMFPHP2: php2["discover"].Packet, "*": php2[ProbeAMF0].Packet})
		c, _ := client.New(srv.URL, client.Config{})
		cat, err := List(ctx, c)
		if err != nil || cat.Dialect != AMFPHP2 || len(cat.Services) != 2 {
			t.Fatalf("List = %+v, %v", cat, err)
		}
		if !reflect.DeepEqual(*seen, []string{TargetAmfcall, TargetAMFPHP2}) {
			t.Errorf("requests %q", *seen)
		}
	})
	t.Run("amfphp2 refused", func(t *testing.T) {
		srv, _ := replayGateway(t, map[string]*amf.Packet{
			TargetAMFPHP2: php2["discover-refused"].Packet, "*": php2[ProbeAMF0].Packet})
		c, _ := client.New(srv.URL, client.Config{})
		_, err := List(ctx, c)
		var re *RefusedError
		if !errors.As(err, &re) || err.Error() != "the gateway refused AmfphpDiscoveryService.discover: 0: User not authenticated" {
			t.Errorf("List = %v", err)
		}
	})
	t.Run("amfphp1", func(t *testing.T) {
		srv, seen := replayGateway(t, map[string]*amf.Packet{
			TargetAMFPHP1List: php1["getServices"].Packet, TargetAMFPHP1Describe: php1["describeService"].Packet,
			"*": php1[ProbeAMF0].Packet})
		c, _ := client.New(srv.URL, client.Config{})
		s, d, err := Describe(ctx, c, "HelloWorld")
		if err != nil || d != AMFPHP1 || len(s.Methods) != 2 {
			t.Fatalf("Describe = %+v %s %v", s, d, err)
		}
		if !reflect.DeepEqual(*seen, []string{TargetAmfcall, TargetAMFPHP2, TargetAMFPHP1List, TargetAMFPHP1Describe}) {
			t.Errorf("requests %q", *seen)
		}
		_, _, err = Describe(ctx, c, "HelloWorld.sayHello")
		var nf *NotFoundError
		if !errors.As(err, &nf) || err.Error() != `"HelloWorld.sayHello" is not in what the gateway's discovery service (amfphp1) lists; it lists the services amfphp.DiscoveryService, HelloWorld` {
			t.Errorf("Describe(HelloWorld.sayHello) = %v", err)
		}
	})
	t.Run("zend", func(t *testing.T) {
		srv, _ := replayGateway(t, map[string]*amf.Packet{
			TargetZendIntrospector: zend["introspect"].Packet, "*": zend[ProbeAMF0].Packet})
		c, _ := client.New(srv.URL, client.Config{})
		_, err := List(ctx, c)
		var none *NoDiscoveryError
		if !errors.As(err, &none) || len(none.Tried) != 3 || none.Wording != ZendAmf {
			t.Errorf("List = %v", err)
		}
		s, d, err := Describe(ctx, c, "ContactService")
		if err != nil || d != Zend || len(s.Methods) != 3 {
			t.Errorf("Describe = %+v %s %v", s, d, err)
		}
	})
	t.Run("pyamf: none", func(t *testing.T) {
		srv, _ := replayGateway(t, map[string]*amf.Packet{"*": pyUnknown})
		c, _ := client.New(srv.URL, client.Config{})
		_, _, err := Describe(ctx, c, "x")
		want := "the gateway offers no discovery service amfcall knows (tried amfcall.discover, AmfphpDiscoveryService.discover, amfphp.DiscoveryService.getServices, Zend_Amf_Adobe_Introspector.introspect); its faults are worded as PyAMF's"
		if err == nil || err.Error() != want {
			t.Errorf("Describe = %v", err)
		}
	})
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	old := cacheRoot
	cacheRoot = func() (string, error) { return dir, nil }
	t.Cleanup(func() { cacheRoot = old })
	u := "http://127.0.0.1:8000/gateway/"
	if got := CachedTargets(u); got != nil {
		t.Errorf("empty cache: %q", got)
	}
	if err := SaveTargets(u, []string{"a.b", "bad\x1b[31m", "c"}); err != nil {
		t.Fatal(err)
	}
	if got := CachedTargets("http://127.0.0.1:8000/gateway"); !reflect.DeepEqual(got, []string{"a.b", "c"}) {
		t.Errorf("CachedTargets = %q", got)
	}
	if got := CachedTargets("http://other/"); got != nil {
		t.Errorf("other URL: %q", got)
	}
	// A password in the URL is not written down.
	if err := SaveTargets("http://bob:secret@h/gw", []string{"x.y"}); err != nil {
		t.Fatal(err)
	}
	if got := CachedTargets("http://bob:secret@h/gw"); !reflect.DeepEqual(got, []string{"x.y"}) {
		t.Errorf("CachedTargets with a password = %q", got)
	}
	if got := CachedTargets("http://bob:other@h/gw"); got != nil {
		t.Errorf("another password gets %q", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "amfcall", "list", "*.json"))
	for _, f := range files {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte("secret")) {
			t.Errorf("%s holds the password: %s", f, b)
		}
	}
	all := files
	files = nil
	for _, f := range all {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte("127.0.0.1")) {
			files = append(files, f)
		}
	}
	if len(files) != 1 {
		t.Fatalf("files %q", files)
	}
	// (Windows keeps only a read-only bit; who may read is the ACL's.)
	if st, _ := os.Stat(files[0]); st.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("mode %v", st.Mode())
	}
	// A file that is not ours, or too big, gives nothing.
	os.WriteFile(files[0], bytes.Repeat([]byte(" "), maxCacheFile+1), 0o600)
	if got := CachedTargets(u); got != nil {
		t.Errorf("oversized cache: %q", got)
	}
}

func TestReadWords(t *testing.T) {
	ws, err := ReadWords(strings.NewReader("# names\nUserService\n\n  login \nbad name\nx\x01y\n"))
	if err != nil || !reflect.DeepEqual(ws, []string{"UserService", "login"}) {
		t.Errorf("ReadWords = %q, %v", ws, err)
	}
	_, err = ReadWords(strings.NewReader(strings.Repeat("x", 5000)))
	if err == nil || err.Error() != "line 1: longer than 4096 bytes, which no name is (is this a word list, one name a line?)" {
		t.Errorf("long line: %v", err)
	}
}

// FuzzParse feeds decoded AMF values to every reply parser and the
// introspector text to the Zend scanner: none may panic, and results stay
// within the limits.
func FuzzParse(f *testing.F) {
	for _, gw := range []string{"amfphp2", "amfphp1", "zend"} {
		for _, x := range loadFixtures(f, gw) {
			if x.Packet == nil {
				continue
			}
			b, err := amf.Marshal(x.Packet.Messages[0].Value, amf.AMF0)
			if err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<service-description><operation name="a" returnType='b'><argument name="c&amp;" type="d"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		check := func(c *Catalog) {
			if c != nil && len(c.Services) > MaxServices {
				t.Fatalf("%d services", len(c.Services))
			}
		}
		if s, err := ParseZendDescription(string(data), "s"); err == nil && len(s.Methods) > MaxMethods {
			t.Fatalf("%d methods", len(s.Methods))
		}
		if p, err := amf.UnmarshalPacket(data); err == nil {
			for _, probe := range []string{ProbeAMF0, ProbePing} {
				r := Identify([]Exchange{{Probe: probe, Packet: p, Header: http.Header{}}})
				if r.Gateway == "" || r.Evidence == nil {
					t.Fatalf("Identify = %+v", r)
				}
			}
		}
		var v any
		if err := amf.Unmarshal(data, amf.AMF0, &v); err != nil {
			return
		}
		c, _ := ParseTree(v, AMFPHP2)
		check(c)
		c, _ = ParseAMFPHP1Services(v)
		check(c)
		ParseAMFPHP1Description(v, "s")
		if c != nil {
			c.Targets()
		}
	})
}
