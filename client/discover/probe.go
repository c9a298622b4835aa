package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/internal/textcut"
)

// Gateway names [Identify] gives.
const (
	PyAMF      = "PyAMF"
	AMFPHP1GW  = "AMFPHP 1"
	AMFPHP2GW  = "AMFPHP 2"
	BlazeDS    = "BlazeDS/LiveCycle"
	GraniteDS  = "GraniteDS"
	ZendAmf    = "Zend_Amf"
	RubyAMF    = "RubyAMF"
	ColdFusion = "ColdFusion"
	Red5       = "Red5"
	AmfcallGW  = "amfcall serve"
	Unknown    = "unknown"
)

// gateways in the order ties are broken.
var gateways = []string{AmfcallGW, PyAMF, AMFPHP2GW, AMFPHP1GW, ZendAmf, BlazeDS, GraniteDS, ColdFusion, Red5, RubyAMF}

// The probe requests.
const (
	ProbeAMF0 = "amf0-unknown-service" // a version-0 call of a service that does not exist
	ProbeAMF3 = "amf3-unknown-service" // the same in a version-3 packet
	ProbePing = "flex-ping"            // a Flex CommandMessage ping
	ProbeGET  = "get"                  // a GET of the gateway URL
)

// ProbeTarget is the target of the unknown-service probes: a name no
// gateway has.
const ProbeTarget = "amfcallProbeNoSuchService.noSuchMethod"

// Exchange is one probe request and what came back.
type Exchange struct {
	Probe  string
	Status int         // HTTP status, 0 when none came
	Header http.Header // reply headers
	Body   []byte      // the start (4 KiB) of a reply that is not AMF
	Packet *amf.Packet // the reply packet, when it was AMF
	Err    string      // the failure, if the exchange failed
	// Skipped is how many bytes of text came before the reply's packet
	// (a PHP notice, a byte order mark), which the client skipped.
	Skipped int
	// TooLarge: the reply was refused as too large: its body over the
	// bound on its bytes (Config.MaxResponseSize, MaxReplySize by
	// default), or its values over MaxValueFactor times that.
	TooLarge bool
}

// Finding is one piece of evidence: it points at a gateway, by so much.
type Finding struct {
	Gateway string `json:"gateway"`
	Weight  int    `json:"weight"`
	Why     string `json:"why"`
}

// Report is the outcome of [Identify].
type Report struct {
	Gateway  string    `json:"gateway"` // one of the names above, or Unknown
	Score    int       `json:"score"`
	Evidence []Finding `json:"evidence"` // strongest first
}

// minScore is the score below which a gateway is Unknown.
const minScore = 4

// Identify names the gateway from the probe exchanges. Each rule that
// matches adds a weighted finding; the gateway with the highest total
// wins, if it reaches minScore.
func Identify(xs []Exchange) *Report {
	var fs []Finding
	add := func(gw string, w int, format string, a ...any) {
		fs = append(fs, Finding{gw, w, textcut.Cut(fmt.Sprintf(format, a...), maxWhy)})
	}
	seen := map[string]bool{}
	for _, x := range xs {
		headerFindings(x, seen, add)
		if x.Skipped > 0 && !seen["skipped"] {
			// PHP prints notices and warnings (and a file's stray byte
			// order mark or blank lines) before the output of a script.
			seen["skipped"] = true
			for _, gw := range []string{AMFPHP2GW, AMFPHP1GW, ZendAmf} {
				add(gw, 1, "the reply had %d bytes of text before its packet, as PHP prints notices there", x.Skipped)
			}
		}
		if x.Packet != nil {
			packetFindings(x, add)
		}
		if x.Probe == ProbeGET {
			getFindings(x, add)
		}
	}
	score := map[string]int{}
	for _, f := range fs {
		score[f.Gateway] += f.Weight
	}
	r := &Report{Gateway: Unknown}
	for _, gw := range gateways {
		if score[gw] > r.Score {
			r.Gateway, r.Score = gw, score[gw]
		}
	}
	if r.Score < minScore {
		r.Gateway = Unknown
	}
	sort.SliceStable(fs, func(i, j int) bool {
		wi, wj := fs[i].Weight, fs[j].Weight
		if (fs[i].Gateway == r.Gateway) != (fs[j].Gateway == r.Gateway) {
			return fs[i].Gateway == r.Gateway
		}
		return wi > wj
	})
	r.Evidence = fs
	if r.Evidence == nil {
		r.Evidence = []Finding{}
	}
	return r
}

type adder func(gw string, w int, format string, a ...any)

var (
	reJava = regexp.MustCompile(`(?i)apache-coyote|jboss|jetty|glassfish|weblogic|websphere|tomcat|servlet`)
	reRuby = regexp.MustCompile(`(?i)mongrel|webrick|puma|thin|passenger|unicorn`)
)

// headerFindings reads the HTTP headers, once per distinct value.
func headerFindings(x Exchange, seen map[string]bool, add adder) {
	once := func(key string) bool {
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	server := x.Header.Get("Server")
	powered := x.Header.Get("X-Powered-By")
	cookies := strings.Join(x.Header.Values("Set-Cookie"), "; ")
	switch {
	case server == "":
	case !once("server " + server):
	case strings.Contains(server, "PyAMF"):
		add(PyAMF, 10, "Server: %s", server)
	case server == "amfcall-gateway":
		add(AmfcallGW, 10, "Server: %s", server)
	case strings.Contains(strings.ToLower(server), "red5"):
		add(Red5, 10, "Server: %s", server)
	case strings.Contains(strings.ToLower(server), "jrun") || strings.Contains(strings.ToLower(server), "coldfusion"):
		add(ColdFusion, 5, "Server: %s (ColdFusion's JRun)", server)
	case reJava.MatchString(server):
		for _, gw := range []string{BlazeDS, GraniteDS, Red5} {
			add(gw, 1, "Server: %s (a Java server)", server)
		}
	case reRuby.MatchString(server):
		add(RubyAMF, 2, "Server: %s (a Ruby server)", server)
	}
	switch {
	case powered == "":
	case !once("powered " + powered):
	case strings.Contains(strings.ToUpper(powered), "PHP"):
		for _, gw := range []string{AMFPHP2GW, AMFPHP1GW, ZendAmf} {
			add(gw, 1, "X-Powered-By: %s (PHP)", powered)
		}
	case strings.Contains(strings.ToLower(powered), "servlet") || strings.Contains(powered, "JSP"):
		for _, gw := range []string{BlazeDS, GraniteDS} {
			add(gw, 1, "X-Powered-By: %s (a Java server)", powered)
		}
	case reRuby.MatchString(powered):
		add(RubyAMF, 2, "X-Powered-By: %s (Ruby)", powered)
	}
	switch {
	case cookies == "":
	case strings.Contains(cookies, "CFID=") || strings.Contains(cookies, "CFTOKEN="):
		if once("cookie cf") {
			add(ColdFusion, 4, "sets the ColdFusion session cookies CFID/CFTOKEN")
		}
	case strings.Contains(cookies, "PHPSESSID="):
		if once("cookie php") {
			for _, gw := range []string{AMFPHP2GW, AMFPHP1GW, ZendAmf} {
				add(gw, 1, "sets the PHP session cookie PHPSESSID")
			}
		}
	case strings.Contains(cookies, "JSESSIONID="):
		if once("cookie java") {
			for _, gw := range []string{BlazeDS, GraniteDS, Red5} {
				add(gw, 1, "sets the Java session cookie JSESSIONID")
			}
		}
	}
}

// packetFindings reads an AMF reply.
func packetFindings(x Exchange, add adder) {
	p := x.Packet
	for _, m := range p.Messages {
		// How the envelope is written (digest §3.1, §3.3): BlazeDS writes
		// length 1, RocketAMF 0xFFFFFFFF and an empty response URI.
		switch {
		case m.Length != nil && *m.Length == 1:
			add(BlazeDS, 3, "%s: the reply body's length field is 1, as BlazeDS writes it", x.Probe)
		case m.Length != nil && *m.Length == 0xFFFFFFFF && m.Response == "":
			add(RubyAMF, 4, "%s: the reply body has length 0xFFFFFFFF and an empty response URI, as RocketAMF (RubyAMF) writes them", x.Probe)
		}
		if !strings.HasSuffix(m.Target, "/onStatus") {
			if x.Probe == ProbePing {
				pingFindings(x, m, add)
			}
			continue
		}
		f := client.NewFault("", m.Target, m.Value)
		kind, gw := ClassifyFault(f)
		if kind != OtherFault && (x.Probe == ProbeAMF0 || x.Probe == ProbeAMF3) {
			w := 6
			if gw == PyAMF {
				w = 5 // amfcall serve answers the same way
				add(AmfcallGW, 5, "%s: fault %s %q (amfcall serve answers as PyAMF does)", x.Probe, f.Code, oneLine(f.Description))
			}
			add(gw, w, "%s: fault %s %q", x.Probe, orDash(f.Code), oneLine(f.Description))
		}
		faultShapeFindings(x, f, add)
	}
}

// faultShapeFindings reads the fields and classes of a fault value.
func faultShapeFindings(x Exchange, f *client.Fault, add adder) {
	v := amf.Unwrap(f.Value)
	has := func(name string) bool {
		ms, _ := entries(v)
		for _, m := range ms {
			if m.Name == name {
				return true
			}
		}
		return false
	}
	if _, ok := v.(*amf.ECMAArray); ok && has("detail") && has("line") {
		add(ZendAmf, 3, "%s: the fault is an associative array {description, detail, line, code}, as Zend_Amf writes it", x.Probe)
	}
	if strings.Contains(f.Details, "- destination: ") && strings.HasSuffix(f.Code, ".Call.Failed") {
		add(GraniteDS, 6, "%s: fault %s with GraniteDS's detail lines (- destination, - method)", x.Probe, f.Code)
	}
	if strings.Contains(f.Details, "coldfusion.") || strings.HasPrefix(f.Type, "coldfusion.") {
		add(ColdFusion, 6, "%s: the fault names coldfusion.* classes", x.Probe)
	}
	if has("rootcause") || has("rootCause") {
		if o, ok := v.(*amf.Object); ok && o.Class == amf.ClassErrorMessage {
			add(BlazeDS, 1, "%s: the fault is a Flex ErrorMessage with a rootCause", x.Probe)
		}
	}
	if f.Code == "NetConnection.Call.Failed" {
		add(Red5, 3, "%s: fault code NetConnection.Call.Failed", x.Probe)
	}
}

// pingFindings reads the acknowledgement of a Flex ping.
func pingFindings(x Exchange, m amf.Message, add adder) {
	o, ok := amf.Unwrap(m.Value).(*amf.Object)
	if !ok || (o.Class != amf.ClassAcknowledgeMessage && o.Class != "DSK") {
		return
	}
	id, _ := o.Get("messageId")
	s, _ := amf.Unwrap(id).(string)
	switch {
	case s != "" && s == strings.ToLower(s) && strings.Count(s, "-") == 4:
		add(PyAMF, 3, "flex-ping: acknowledged with a lower-case message id (%s), as PyAMF's uuid4 writes it", s)
	case o.Class == "DSK":
		add(BlazeDS, 2, "flex-ping: acknowledged with a small message (DSK), as BlazeDS does")
	default:
		for _, gw := range []string{BlazeDS, GraniteDS, ZendAmf} {
			add(gw, 1, "flex-ping: acknowledged (a Flex-capable gateway)")
		}
	}
}

// getFindings reads the reply to a GET.
func getFindings(x Exchange, add adder) {
	body := string(x.Body)
	switch {
	case strings.Contains(body, "To access this PyAMF gateway you must use POST requests"):
		add(PyAMF, 10, "get: %d %q", x.Status, oneLine(body))
	case strings.Contains(body, "To access this AMF gateway you must use POST requests"):
		add(AmfcallGW, 10, "get: %d %q", x.Status, oneLine(body))
	case strings.Contains(strings.ToLower(body), "amfphp"):
		add(AMFPHP2GW, 3, "get: the page names amfPHP")
		add(AMFPHP1GW, 3, "get: the page names amfPHP")
	case strings.Contains(body, "Zend Amf Endpoint"):
		add(ZendAmf, 5, "get: %q", oneLine(body))
	case strings.Contains(body, "RubyAMF") || strings.Contains(body, "RocketAMF"):
		add(RubyAMF, 5, "get: the page names RubyAMF")
	}
}

// maxWhy bounds a finding's text: it quotes the server's headers and
// fault codes, which may be megabytes long (a Server header of 100 KB
// made probe print 900 KB, one copy per finding).
const maxWhy = 300

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "(no code)"
	}
	return s
}

// ProbeOptions are the settings of [Probe].
type ProbeOptions struct {
	// Client sends the AMF requests (its configuration: timeout, TLS,
	// proxy, HTTP headers, user agent).
	Config client.Config
}

// recorder keeps what the client saw of one exchange, and passes the
// client's notices (a reply with text before its packet) on to next.
type recorder struct {
	ev   *client.ResponseEvent
	next client.EventHandler
}

func (r *recorder) OnRequest(ev *client.RequestEvent) {
	if r.next != nil {
		r.next.OnRequest(ev)
	}
}

func (r *recorder) OnResponse(ev *client.ResponseEvent) {
	r.ev = ev
	if r.next != nil {
		r.next.OnResponse(ev)
	}
}

func (r *recorder) OnNotice(n client.Notice) {
	if n.Status != 0 {
		// An AMF reply read behind a status other than 200: the
		// probe's report says it of each exchange.
		return
	}
	if r.next != nil {
		r.next.OnNotice(n)
	}
}

// Probe sends the four harmless probe requests to the gateway at
// gatewayURL and returns what came back. An exchange that fails is
// recorded with its error, not returned as one; only a gateway that
// cannot be reached at all (every exchange failed to connect) is an
// error. cfg.Events, if set, receives the client's events too (a trace).
// A reply is read up to cfg.MaxResponseSize bytes, MaxReplySize when it
// is 0.
func Probe(ctx context.Context, gatewayURL string, cfg client.Config) ([]Exchange, error) {
	rec := &recorder{next: cfg.Events}
	cfg.Events = rec
	cfg.AMF3, cfg.Flex = false, false
	if cfg.MaxResponseSize <= 0 {
		cfg.MaxResponseSize = MaxReplySize
	}
	c, err := client.New(gatewayURL, cfg)
	if err != nil {
		return nil, err
	}
	args := func() any { return &amf.Array{Dense: []any{}} }
	packets := []struct {
		name string
		p    *amf.Packet
	}{
		{ProbeAMF0, &amf.Packet{Version: 0, Messages: []amf.Message{{Target: ProbeTarget, Response: "/1", Value: args()}}}},
		{ProbeAMF3, &amf.Packet{Version: 3, Messages: []amf.Message{{Target: ProbeTarget, Response: "/1", Value: args()}}}},
		{ProbePing, &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "null", Response: "/1", Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: pingMessage()}}}}}}},
	}
	var xs []Exchange
	unreachable := 0
	var firstErr error
	for _, pk := range packets {
		rec.ev = nil
		reply, err := c.Send(ctx, pk.p)
		x := Exchange{Probe: pk.name, Packet: reply, Header: http.Header{}}
		if ev := rec.ev; ev != nil && ev.HTTP != nil {
			x.Status, x.Header = ev.HTTP.StatusCode, ev.HTTP.Header
			if reply != nil {
				x.Skipped = ev.Skipped
			}
			if reply == nil {
				x.Body = head(ev.Body)
			}
		}
		if err == nil && reply != nil && x.Status >= 300 {
			// The client reads an AMF body behind a redirect or an
			// error status (some PHP gateways send their faults with
			// 500).
			x.Err = fmt.Sprintf("HTTP %d, with an AMF reply (read all the same)", x.Status)
		}
		if err != nil && reply == nil && x.Status >= 300 && rec.ev != nil {
			// A gateway that answers its faults with an HTTP error
			// status and an AMF body (some PHP gateways send 500):
			// the client refuses the reply, but its first 4 KiB,
			// kept, are what it answered.
			if ct := x.Header.Get("Content-Type"); strings.Contains(strings.ToLower(ct), "x-amf") {
				if p, perr := amf.UnmarshalPacket(rec.ev.Body); perr == nil && len(p.Messages) > 0 {
					x.Packet = p
					x.Err = fmt.Sprintf("HTTP %d, with an AMF reply (read all the same)", x.Status)
					xs = append(xs, x)
					continue
				}
			}
		}
		if err != nil {
			x.Err = err.Error()
			var he *client.HTTPError
			x.TooLarge = errors.As(err, &he) && errors.Is(err, client.ErrTooLarge) && he.Reason != client.ReasonHeaderTooLarge
			if errors.As(err, &he) && x.Status == 0 {
				unreachable++
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		xs = append(xs, x)
		if ctx.Err() != nil {
			return xs, ctx.Err()
		}
	}
	if unreachable == len(packets) {
		return xs, firstErr
	}
	xs = append(xs, probeGET(ctx, c.URL(), cfg))
	return xs, nil
}

// pingMessage is the CommandMessage ping a Flex client sends first
// (operation 5), as in the PyAMF capture default-flex_ping.
func pingMessage() *amf.Object {
	return &amf.Object{Class: "flex.messaging.messages.CommandMessage", Members: []amf.Member{
		{Name: "body", Value: &amf.Object{}},
		{Name: "clientId", Value: nil},
		{Name: "correlationId", Value: ""},
		{Name: "destination", Value: ""},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "nil"}, {Name: "DSMessagingVersion", Value: amf.Int(1)}}}},
		{Name: "messageId", Value: "A1B2C3D4-0000-4000-8000-00000000A3F0"},
		{Name: "operation", Value: amf.Int(5)},
		{Name: "timeToLive", Value: amf.Int(0)},
		{Name: "timestamp", Value: amf.Int(0)},
	}}
}

func head(b []byte) []byte {
	if len(b) > 4096 {
		b = b[:4096]
	}
	return append([]byte(nil), b...)
}

// probeGET fetches the gateway URL with GET, with the client's timeout,
// connect and idle timeouts, TLS settings, proxy and headers (the
// transport of [client.NewHTTPClient]), following no redirect and
// reading at most 4 KiB. It had a transport of its own, which knew no
// idle or connect timeout: with --timeout 0 a server that never
// answered the GET held probe for ever, whatever --idle-timeout said.
func probeGET(ctx context.Context, u string, cfg client.Config) Exchange {
	x := Exchange{Probe: ProbeGET, Header: http.Header{}}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = client.DefaultTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	hc, err := client.NewHTTPClient(cfg)
	if err != nil {
		x.Err = err.Error()
		return x
	}
	defer hc.CloseIdleConnections()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		x.Err = err.Error()
		return x
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = "amfcall/" + client.Version
	}
	req.Header.Set("User-Agent", ua)
	for k, vs := range cfg.Header {
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		x.Err = err.Error()
		return x
	}
	defer resp.Body.Close()
	x.Status, x.Header = resp.StatusCode, resp.Header
	x.Body, _ = io.ReadAll(io.LimitReader(resp.Body, 4096))
	return x
}

// Wait is how long [Enumerate] waits between requests at a rate.
func Wait(rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / rate)
}
