package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// Version is the version in the default User-Agent, "amfcall/<Version>".
// Builds set it with -ldflags "-X github.com/amfcall/amfcall/client.Version=...".
var Version = "devel"

// ContentType is the media type of AMF requests and replies.
const ContentType = "application/x-amf"

// Defaults of [Config].
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxResponseSize = 64 << 20
	maxRedirects           = 10
	// MaxValueFactor bounds what a reply's values may take once decoded,
	// as a multiple of Config.MaxResponseSize (512 MiB for the default).
	MaxValueFactor = 8
	snippetBytes   = 200
)

// Config configures a [Client]. The zero value is usable: every zero field
// means its default.
type Config struct {
	// AMF3 sends version-3 packets with every header value and argument
	// written through the AMF0→AMF3 switch, as a Flash client with
	// objectEncoding 3 does. Default false (AMF0).
	AMF3 bool
	// Header holds extra HTTP request headers; they replace the client's
	// own (Content-Type, User-Agent, Referer) of the same name. A "Host"
	// entry sets the request's Host.
	Header http.Header
	// UserAgent is the User-Agent header. Default "amfcall/" + Version.
	UserAgent string
	// Referer, when set, is sent as the Referer header (some gateways
	// check it, as the Flash Player sent the SWF's URL).
	Referer string
	// Timeout bounds each whole exchange: connecting, sending, reading the
	// reply. Default 30s; negative means no limit.
	Timeout time.Duration
	// ReplyTimeout, when positive, bounds the reply from its first byte
	// (of a 1xx response too) to its last: a gateway may take long to
	// start answering (a large upload, with Timeout off), but once it
	// has started, a reply that trickles (a byte every few seconds,
	// within IdleTimeout) fails as a timeout. Default 0: Timeout alone
	// bounds the reply.
	ReplyTimeout time.Duration
	// ConnectTimeout bounds making the TCP connection. Default 0: bounded
	// by Timeout only.
	ConnectTimeout time.Duration
	// IdleTimeout fails an exchange when no byte moves, either way, for
	// this long, even when Timeout is off (a long upload). Default
	// DefaultIdleTimeout (60s); negative means no limit.
	IdleTimeout time.Duration
	// LocationTrusted sends the credentials (the AMF Credentials header)
	// and the custom Header fields along a 307/308 redirect to another
	// host too. By default they go only to the host of the gateway URL,
	// as curl does without --location-trusted. A redirect from https to
	// http is never followed.
	LocationTrusted bool
	// Insecure skips TLS certificate verification.
	Insecure bool
	// CACerts is PEM data holding certificates to trust besides the
	// system's (a private CA).
	CACerts []byte
	// MaxResponseSize bounds a reply body in bytes, after gzip
	// decompression. Default 64 MiB. What the reply's values take once
	// decoded is bounded too, to MaxValueFactor times it (estimated
	// before decoding): values of a few bytes each decode to 15-60 times
	// their size.
	MaxResponseSize int64
	// MaxHeaderBytes bounds the HTTP header fields of a reply (and of
	// the 1xx replies before it), in bytes. Default, and at most,
	// MaxHeaderBytes (256 KiB). A load test's workers each read their
	// own replies' fields: it lowers the bound with their number, which
	// the reply bodies' share (Replies) does not count.
	MaxHeaderBytes int64
	// Replies, when set, is shared by several clients (a load test's
	// workers) to bound the reply bytes they hold at once: see
	// [ReplyShare].
	Replies *ReplyShare
	// DecMode decodes replies. Default: the amf package's defaults.
	DecMode *amf.DecMode
	// ReuseReplies decodes each reply into the memory of the one before
	// (an [amf.Arena]), which spares the garbage collector: a reply
	// packet is then valid only until the Client decodes the next one
	// (strings stay valid). For a caller that is done with each reply
	// before it sends the next request, one at a time, such as a load
	// test's worker.
	ReuseReplies bool
	// EncMode encodes requests. Default: the amf package's defaults.
	EncMode *amf.EncMode
	// Events receives what the client does. Default: nothing.
	Events EventHandler
	// Flex sends each call as a Flex RemoteObject call: a RemotingMessage
	// (destination and operation from the target split at its last dot)
	// in a version-3 packet with target "null", as mx.rpc.remoting
	// does. Before the first call the client sends a CommandMessage ping
	// for its DSId (unless a session gave one), or the login of FlexUser.
	// The result is the body of the AcknowledgeMessage; a fault is the
	// ErrorMessage. Default false (plain NetConnection calls).
	Flex bool
	// FlexEndpoint is the DSEndpoint header of Flex calls and messages:
	// the id of the gateway's channel endpoint (BlazeDS's
	// services-config.xml names them: my-amf, my-secure-amf,
	// my-polling-amf...). Default: the one of a loaded session, else
	// DefaultFlexEndpoint.
	FlexEndpoint string
	// FlexSource is the source of each RemotingMessage: the service class,
	// by which AMFPHP and other gateways route (BlazeDS, PyAMF and
	// GraniteDS route by destination). Default null.
	FlexSource string
	// FlexUser and FlexPassword, when FlexUser is set, make the first Flex
	// exchange a login (CommandMessage operation 8) instead of a ping.
	FlexUser, FlexPassword string
	// FlexRemoteUser and FlexRemotePassword, when FlexRemoteUser is set,
	// are sent with each RemotingMessage as the DSRemoteCredentials header:
	// the credentials of the destination itself.
	FlexRemoteUser, FlexRemotePassword string
	// DecodeText reads the texts of a fault (its Code, Description,
	// Details, Level and Type) that are not UTF-8: PHP and ColdFusion
	// gateways send Latin-1. The fault's Value keeps the bytes as they
	// came. Nil leaves such texts as they are (printed as escapes, \xe8).
	DecodeText func([]byte) string
	// Proxy chooses the proxy for a request. Default
	// http.ProxyFromEnvironment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
}

// Call is one remote method call: a target ("Service.method" or "method")
// and its arguments (AMF values, see package amf).
type Call struct {
	Target string
	Args   []any
}

// Result is the outcome of one call of a batch.
type Result struct {
	Call     Call
	Response string // the call's response URI, "/1", "/2", ...
	Value    any    // the result when Err is nil
	// Err is a *Fault when the method failed, an *HTTPError of kind
	// ErrNoReply when the reply packet had no body for this call, or the
	// *DecodeError of a reply that broke off (or went wrong) before this
	// call's body, after the bodies of others had come whole.
	Err error
}

// A Client calls methods on one AMF gateway. It keeps cookies, the AMF
// headers to send with every packet, and the gateway URL (which the
// gateway can rewrite), so that later calls continue the same session. A
// Client is safe for concurrent use.
type Client struct {
	cfg     Config
	hc      *http.Client
	jar     *recordingJar
	sized   *sizedJar // jar, as the HTTP client uses it
	dec     *amf.DecMode
	enc     *amf.EncMode
	events  EventHandler
	timeout time.Duration
	maxBody int64
	// maxHeader is the bound on a reply's header fields (headerBytes).
	maxHeader int64
	// errorStatusTold: an AMF reply behind an error status was warned
	// of (once: a load test or a poll loop would say it at each reply).
	errorStatusTold atomic.Bool

	mu       sync.Mutex
	original string // the URL given to New
	base     string // the URL, or what ReplaceGatewayUrl set
	appended string // what AppendToGatewayUrl set
	user     []amf.Header
	server   []amf.Header // from RequestPersistentHeader
	// serverBytes is what each header of server adds to a request, as
	// sendCost estimated it when the gateway asked for it (none for a
	// header a session gave).
	serverBytes map[string]int64
	next        int    // next response number
	dsid        string // the FlexClient id ("nil" until the server gives one)
	flexUser    string // the user of the Flex login, from this run or the session
	// sessionEndpoint is the DSEndpoint of the loaded session, used
	// unless Config.FlexEndpoint is set.
	sessionEndpoint string
	// otherSession is a loaded session made with another gateway, whose
	// state for that gateway (DSId, login, headers, URL rewrite) this
	// client does not use; SaveSession writes it back unchanged.
	otherSession *sessionFile
	// loaded is the session file LoadSession read (nil before), the
	// base against which SaveSessionOver merges a changed file.
	loaded []byte
	// flexLoggedIn says that this Client sent the Flex login of Config.
	flexLoggedIn bool
	flexPinged   bool // the handshake's ping was tried
	// skipped is the text last skipped before a reply's packet, so that
	// the same PHP notice on every reply is warned about once; trailing
	// is the text last left out after a reply's packet, to the same
	// end (unmarshalReply). Each is kept as its digest: the text can be
	// up to MaxResponseSize, and a load test's 16 workers each kept a
	// copy of 60 MB (a peak of 1.15 GB).
	skipped, trailing textDigest
	// recounted is the warning last given of a reply's count made
	// right (recount), to the same end.
	recounted string
	// heldBackSaid holds the warnings given of what a redirect to
	// another host was not sent (each once a run: a redirect loop
	// between two hosts gave it at every hop).
	heldBackSaid map[string]bool
	// matchSaid is the kinds of warning ResultFor last gave of a
	// reply's bodies (bits of 1<<oddStray...), to the same end.
	matchSaid uint64

	// proxy is the transport's choice of proxy (Config.Proxy, or the
	// environment's); proxyNoted says the proxy was named once.
	proxy      func(*http.Request) (*url.URL, error)
	proxyNoted atomic.Bool

	// arena is where replies are decoded with Config.ReuseReplies,
	// one at a time (arenaMu).
	arena   *amf.Arena
	arenaMu sync.Mutex
}

// New returns a client for the gateway at gatewayURL (http or https).
func New(gatewayURL string, cfg Config) (*Client, error) {
	if err := checkURL(gatewayURL); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:       cfg,
		dec:       cfg.DecMode,
		enc:       cfg.EncMode,
		events:    cfg.Events,
		timeout:   cfg.Timeout,
		maxBody:   cfg.MaxResponseSize,
		maxHeader: headerBytes(cfg),
		original:  gatewayURL,
		base:      gatewayURL,
		next:      1,
		dsid:      "nil",
	}
	if c.dec == nil {
		c.dec, _ = amf.DecOptions{}.DecMode()
	}
	if c.enc == nil {
		c.enc, _ = amf.EncOptions{}.EncMode()
	}
	if cfg.ReuseReplies {
		c.arena = c.dec.NewArena()
	}
	if c.events == nil {
		c.events = NopHandler{}
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseSize
	}
	if c.cfg.UserAgent == "" {
		c.cfg.UserAgent = "amfcall/" + Version
	}
	tr, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	c.proxy = tr.Proxy
	c.jar = newRecordingJar(cfg.LocationTrusted)
	c.sized = &sizedJar{recordingJar: c.jar}
	c.hc = &http.Client{Transport: tr, Jar: c.sized, CheckRedirect: c.checkRedirect}
	return c, nil
}

// headerBytes is the bound on a reply's HTTP header fields that cfg
// sets: Config.MaxHeaderBytes within (0, MaxHeaderBytes], else
// MaxHeaderBytes.
func headerBytes(cfg Config) int64 {
	if cfg.MaxHeaderBytes <= 0 || cfg.MaxHeaderBytes > MaxHeaderBytes {
		return MaxHeaderBytes
	}
	return cfg.MaxHeaderBytes
}

// sizeWords is n bytes in words: "256 KiB", or "1000 bytes".
func sizeWords(n int64) string {
	if n > 0 && n%1024 == 0 {
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// URLError is a gateway URL that is not one: Why says what is wrong
// with it, for a caller to say what to do.
type URLError struct {
	URL string // as given, its password replaced (see RedactURL)
	Why URLProblem
	Err error // what is wrong, in words
}

func (e *URLError) Error() string { return fmt.Sprintf("invalid gateway URL %q: %v", e.URL, e.Err) }
func (e *URLError) Unwrap() error { return e.Err }

// URLProblem is what is wrong with a gateway URL.
type URLProblem uint8

const (
	URLUnparsed URLProblem = iota // it does not parse as a URL
	URLScheme                     // no http:// or https:// (none, or another)
	URLNoHost
	URLPort // a port that is not from 1 to 65535
)

var errScheme = errors.New("want an http:// or https:// URL")

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil && !strings.Contains(s, "://") {
		// "127.0.0.1:8000/gateway": url.Parse's reason ("first path
		// segment in URL cannot contain colon") is not the mistake.
		return &URLError{URL: RedactURL(s), Why: URLScheme, Err: errScheme}
	}
	if err != nil {
		// url.Parse's error quotes the URL whole: give only its reason.
		return &URLError{URL: RedactURL(s), Why: URLUnparsed, Err: unwrapURLError(err)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return &URLError{URL: redact(s), Why: URLScheme, Err: errScheme}
	}
	if u.Host == "" {
		return &URLError{URL: redact(s), Why: URLNoHost, Err: errors.New("no host")}
	}
	if p := u.Port(); p != "" {
		// url.Parse takes any digits; a dial would fail on them as a
		// network error (exit 3) for what is a bad URL.
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return &URLError{URL: redact(s), Why: URLPort, Err: fmt.Errorf("port %s is not from 1 to 65535", p)}
		}
	}
	return nil
}

// RedactURL returns s, a URL, for printing: its password, if any,
// replaced by "xxxxx" (http://user:xxxxx@host/). Every URL a message,
// a -v line, a hint or a summary shows goes through it. A string that
// is not a URL with a user (it does not parse, or has no scheme:
// "bob:pw@host/") gets the same treatment of its "USER:PASSWORD@" part,
// so that a mistyped URL does not show its password either.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	head, rest := "", s
	if i := strings.Index(s, "://"); i >= 0 {
		head, rest = s[:i+3], s[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return s
	}
	user, _, hasPass := strings.Cut(authority[:at], ":")
	if !hasPass {
		return s
	}
	return head + user + ":xxxxx" + rest[at:]
}

// redact is RedactURL.
func redact(s string) string { return RedactURL(s) }

// FlexHandshake makes sure the client has a DSId, as its first Flex call
// would: a Flex login when Config.FlexUser is set, else a ping when no
// DSId is known (not even from a session). A load test does it once per
// client before the run, so that the requests it times all carry one.
func (c *Client) FlexHandshake(ctx context.Context) error { return c.flexHandshake(ctx) }

// URL is the gateway URL the next request goes to, after any rewrite the
// gateway asked for (ReplaceGatewayUrl, AppendToGatewayUrl).
func (c *Client) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base + c.appended
}

// AMF3 reports whether the client sends AMF3 packets.
func (c *Client) AMF3() bool { return c.cfg.AMF3 }

// SetHeader adds an AMF packet header sent with every later packet, or
// replaces the one of the same name. A header the gateway asked for
// (RequestPersistentHeader) wins over one of the same name set here.
func (c *Client) SetHeader(name string, mustUnderstand bool, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user = setHeader(c.user, amf.Header{Name: name, MustUnderstand: mustUnderstand, Value: value})
}

// SetCredentials sets the Credentials header ({userid, password}) the way
// PyAMF's client and Flash's NetConnection.setCredentials send it: an
// anonymous object with userid then password, must-understand set.
func (c *Client) SetCredentials(user, password string) {
	c.SetHeader("Credentials", true, &amf.Object{Members: []amf.Member{
		{Name: "userid", Value: user},
		{Name: "password", Value: password},
	}})
}

func setHeader(hs []amf.Header, h amf.Header) []amf.Header {
	for i := range hs {
		if hs[i].Name == h.Name {
			hs[i] = h
			return hs
		}
	}
	return append(hs, h)
}

func removeHeader(hs []amf.Header, name string) []amf.Header {
	out := hs[:0]
	for _, h := range hs {
		if h.Name != name {
			out = append(out, h)
		}
	}
	return out
}

// Headers returns the AMF headers the next packet carries, in order: the
// ones set with SetHeader, then the ones the gateway asked for; a
// gateway-requested header replaces a set one of the same name.
func (c *Client) Headers() []amf.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headersLocked()
}

func (c *Client) headersLocked() []amf.Header {
	out := make([]amf.Header, 0, len(c.user)+len(c.server))
	out = append(out, c.user...)
	for _, h := range c.server {
		out = setHeader(out, h)
	}
	return out
}

// BuildPacket builds the request packet for calls: the client's headers,
// then one message per call with response URIs /N counting up from the
// last packet the client built. It sends nothing (see --offline).
func (c *Client) BuildPacket(calls []Call) *amf.Packet {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := &amf.Packet{}
	hs := c.headersLocked()
	if c.cfg.AMF3 || c.cfg.Flex {
		p.Version = 3
		for i := range hs {
			hs[i].Value = toAMF3(hs[i].Value)
		}
	}
	p.Headers = hs
	for _, call := range calls {
		if c.cfg.Flex {
			p.Messages = append(p.Messages, amf.Message{
				Target:   "null",
				Response: "/" + strconv.Itoa(c.next),
				Value:    &amf.Array{Dense: []any{amf.AVMPlus{Value: c.remotingMessage(call, c.dsid, c.flexEndpointLocked())}}},
			})
			c.next++
			continue
		}
		args := make([]any, len(call.Args))
		for i, a := range call.Args {
			if c.cfg.AMF3 {
				a = toAMF3(a)
			}
			args[i] = a
		}
		p.Messages = append(p.Messages, amf.Message{
			Target:   call.Target,
			Response: "/" + strconv.Itoa(c.next),
			Value:    &amf.Array{Dense: args},
		})
		c.next++
	}
	return p
}

func toAMF3(v any) any {
	if _, ok := v.(amf.AVMPlus); ok {
		return v
	}
	return amf.AVMPlus{Value: v}
}

// Call calls target with args and returns its result. A remote failure is
// a *Fault; a transport failure an *HTTPError; a reply that does not
// decode a *DecodeError.
func (c *Client) Call(ctx context.Context, target string, args []any) (any, error) {
	rs, err := c.Batch(ctx, []Call{{Target: target, Args: args}})
	if err != nil {
		return nil, err
	}
	return rs[0].Value, rs[0].Err
}

// Batch sends calls in one packet and returns one Result per call, in the
// order of calls, whatever order the gateway answered in. The error is
// for the exchange as a whole; each call's own failure is in its Result.
func (c *Client) Batch(ctx context.Context, calls []Call) ([]Result, error) {
	if len(calls) == 0 {
		return nil, errors.New("no calls to send")
	}
	if c.cfg.Flex {
		if err := c.flexHandshake(ctx); err != nil {
			return nil, err
		}
		if c.cfg.FlexRemoteUser != "" {
			ctx = withSecretBody(ctx) // DSRemoteCredentials
		}
	}
	p := c.BuildPacket(calls)
	hb := &heldBack{}
	reply, err := c.Send(context.WithValue(ctx, heldBackKey{}, hb), p)
	var de *DecodeError
	if err != nil && len(calls) > 1 && errors.As(err, &de) && de.Partial != nil {
		// A reply cut short or broken in a later body: the calls whose
		// bodies came whole get them; the others, the decode error.
		out := c.match(de.Partial, p, calls)
		for i := range out {
			if errors.Is(out[i].Err, ErrNoReply) {
				out[i].Err = err
			}
		}
		markHeldBack(out, hb.get())
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	out := c.match(reply, p, calls)
	markHeldBack(out, hb.get())
	return out, nil
}

// markHeldBack tells each fault of out that a redirect held the
// credentials back from to (when it did).
func markHeldBack(out []Result, to string) {
	if to == "" {
		return
	}
	for _, r := range out {
		if f, ok := r.Err.(*Fault); ok {
			f.CredentialsNotSentTo = to
		}
	}
}

// ResultOf picks the outcome of the call with response URI response
// ("/1") from a reply packet: its result, a *Fault, or an *HTTPError of
// kind ErrNoReply. target names the call in messages.
func ResultOf(reply *amf.Packet, target, response string) (any, error) {
	for _, m := range reply.Messages {
		id, suffix := splitTarget(m.Target)
		if id != response {
			continue
		}
		switch suffix {
		case "/onResult":
			return resultValue(m.Value), nil
		case "/onStatus":
			return nil, NewFault(target, response, m.Value)
		}
	}
	return nil, &HTTPError{Kind: ErrNoReply, Detail: fmt.Sprintf("%s (%s)", target, response),
		Hint: "the gateway's reply has no /onResult or /onStatus body for it"}
}

// splitTarget splits a reply target "/1/onResult" into "/1" and
// "/onResult".
func splitTarget(t string) (id, suffix string) {
	i := strings.LastIndexByte(t, '/')
	if i <= 0 {
		return t, ""
	}
	return t[:i], t[i:]
}

// match pairs the reply bodies with the calls of request p by response
// URI, surfacing bodies that answer no call through OnNotice.
func (c *Client) match(reply *amf.Packet, p *amf.Packet, calls []Call) []Result {
	return c.matchSaying(reply, p, calls, false)
}

// ResultFor is the outcome of this client's request of one call, target
// with response URI response, from its reply, matched as Batch matches
// a call: a body that names no call ("null", "/onResult"), or the one
// body under another number ("/1/onResult" to a Flex message sent as
// /2 after its ping), answers it with a warning, where the package's
// [ResultOf] takes only a body under response. The warnings are given
// once while replies repeat them (a subscription's polls). Upload and
// Flex messages (login, subscribe...) read their replies with it.
func (c *Client) ResultFor(reply *amf.Packet, target, response string) (any, error) {
	p := &amf.Packet{Messages: []amf.Message{{Target: target, Response: response}}}
	r := c.matchSaying(reply, p, []Call{{Target: target}}, true)[0]
	return r.Value, r.Err
}

// Results is the outcome of each call of p, the request BuildPacket made
// of calls, from its reply, matched as Batch matches them: a body that
// names no call ("", "null", "/onResult"), or one /onStatus for the
// whole batch, answers as it does for call, with a warning, where the
// package's [ResultOf] takes only a body under the call's response URI.
// The warnings are given once while replies repeat their kinds (bench
// reads every reply of a run with it).
func (c *Client) Results(reply, p *amf.Packet, calls []Call) []Result {
	return c.matchSaying(reply, p, calls, true)
}

// matchSaying is match; once gives its warnings only when the previous
// reply so read (ResultFor) had other warnings.
func (c *Client) matchSaying(reply *amf.Packet, p *amf.Packet, calls []Call, once bool) []Result {
	out := make([]Result, len(p.Messages))
	index := make(map[string]int, len(p.Messages))
	for i, m := range p.Messages {
		out[i] = Result{Call: calls[i], Response: m.Response,
			Err: &HTTPError{Kind: ErrNoReply, URL: redact(c.original), Detail: fmt.Sprintf("%s (%s)", calls[i].Target, m.Response),
				Hint: "the gateway's reply has no /onResult or /onStatus body for it"}}
		index[m.Response] = i
	}
	done := make([]bool, len(out))
	// A hostile or broken reply can hold many thousands of such bodies:
	// each kind of oddity is said once, with how many more there were.
	var odd [oddKinds]struct {
		first string
		n     int
	}
	note := func(k int, format string, a ...any) {
		if odd[k].n++; odd[k].n == 1 {
			odd[k].first = fmt.Sprintf(format, a...)
		}
	}
	answer := func(i int, m *amf.Message, fault bool) {
		done[i] = true
		if !fault {
			out[i].Value, out[i].Err = resultValue(m.Value), nil
			if req := flexRequest(p.Messages[i].Value); req != nil {
				out[i].Value = c.flexResult(req, m.Value)
			}
		} else {
			out[i].Err = c.decodeFault(NewFault(out[i].Call.Target, out[i].Response, m.Value))
		}
	}
	// strays are the bodies that name no call (an empty target, "null",
	// "/onStatus"), as some gateways answer a call or a whole batch.
	var strays []int
	// misnumbered are the bodies for a call number the request did not
	// have ("/1/onResult" to a request whose one call is /2: gateways
	// that always answer /1).
	var misnumbered []int
	for k := range reply.Messages {
		m := &reply.Messages[k]
		id, suffix := splitTarget(m.Target)
		i, ok := index[id]
		if !ok {
			// Gateways that deviate: "1/onResult" (no leading /), or
			// the call's number in the response URI of a body whose
			// target has none ("/onResult", "null").
			if j, ok2 := index["/"+id]; ok2 && id != "" && id[0] != '/' && (suffix != "" || isCallID("/"+id)) {
				if suffix == "" {
					suffix = "/onResult" // "1": the call's number alone
				}
				i, ok = j, true
				note(oddNoSlash, "the reply's body \"%s\" has no / before its call number: read as the answer to %s (%s)",
					safetext.Escape(m.Target, 200), out[j].Call.Target, out[j].Response)
			} else if j, ok2 := index[m.Response]; ok2 && !isCallID(id) && namesNoService(m.Target) {
				i, ok, suffix = j, true, looseKind(m.Target)
				if suffix == "" {
					suffix = "/onResult"
				}
				note(oddInResponse, "the reply's body \"%s\" names its call in its response URI (%s): read as the answer to %s",
					safetext.Escape(m.Target, 200), out[j].Response, out[j].Call.Target)
			}
		}
		switch {
		case !ok && looseKind(m.Target) == "/onDebugEvents":
			note(oddStray, "the reply has a body \"%s\" that answers no call", safetext.Escape(m.Target, 200))
			continue
		case !ok && !namesCall(m.Target) && namesNoService(m.Target):
			strays = append(strays, k)
			continue
		case !ok && isCallID(id) && (suffix == "/onResult" || suffix == "/onStatus"):
			misnumbered = append(misnumbered, k)
			continue
		case !ok:
			note(oddStray, "the reply has a body \"%s\" that answers no call", safetext.Escape(m.Target, 200))
			continue
		case suffix == "/onDebugEvents":
			note(oddDebug, "the reply has debug events for %s (%s)", out[i].Call.Target, id)
			continue
		case suffix != "/onResult" && suffix != "/onStatus":
			note(oddKind, "the reply has a body \"%s\" of an unknown kind", safetext.Escape(m.Target, 200))
			continue
		case done[i]:
			note(oddTwice, "the reply answers %s (%s) more than once; the first answer is used", out[i].Call.Target, id)
			continue
		}
		answer(i, m, suffix == "/onStatus")
	}
	var open []int // the calls without an answer
	for i := range out {
		if !done[i] {
			open = append(open, i)
		}
	}
	// A request of one call answered by one such body and nothing else:
	// that is its answer, said. In a batch bodies match calls by number
	// only (digest §3.4): there they answer no call.
	if len(misnumbered) == 1 && len(strays) == 0 && len(out) == 1 && len(open) == 1 {
		m, i := &reply.Messages[misnumbered[0]], open[0]
		_, suffix := splitTarget(m.Target)
		what := "the answer to"
		if suffix == "/onStatus" {
			what = "the fault answering"
		}
		note(oddNumber, "the reply's body \"%s\" is numbered for a call the request did not make: read as %s %s (%s), the only call",
			safetext.Escape(m.Target, 200), what, out[i].Call.Target, out[i].Response)
		answer(i, m, suffix == "/onStatus")
		open, misnumbered = nil, nil
	}
	for _, k := range misnumbered {
		note(oddStray, "the reply has a body \"%s\" that answers no call", safetext.Escape(reply.Messages[k].Target, 200))
	}
	// One stray body and one call without an answer: that is its answer
	// (a single call's, mostly). One stray fault and several: the
	// gateway refused the batch as a whole (AMFPHP's authentication
	// error): each of them gets it.
	var faults []int
	for _, k := range strays {
		if looseKind(reply.Messages[k].Target) == "/onStatus" {
			faults = append(faults, k)
		}
	}
	switch {
	case len(strays) == 1 && len(open) == 1:
		m, i := &reply.Messages[strays[0]], open[0]
		fault := looseKind(m.Target) == "/onStatus"
		what := "the answer to %s (%s), the only call without one"
		if fault {
			what = "the fault answering %s (%s), the only call without an answer"
		}
		note(oddTaken, "the reply's body \"%s\" names no call: read as "+what,
			safetext.Escape(m.Target, 200), out[i].Call.Target, out[i].Response)
		answer(i, m, fault)
		strays = nil
	case len(faults) == 1 && len(open) > 1:
		m := &reply.Messages[faults[0]]
		note(oddTaken, "the reply's fault \"%s\" names no call: given to each of the %d calls without an answer (the gateway refused them together)",
			safetext.Escape(m.Target, 200), len(open))
		for _, i := range open {
			answer(i, m, true)
		}
		strays = slices.DeleteFunc(strays, func(k int) bool { return k == faults[0] })
	}
	for _, k := range strays {
		note(oddStray, "the reply has a body \"%s\" that answers no call", safetext.Escape(reply.Messages[k].Target, 200))
	}
	var said []string
	var kinds uint64 // the kinds said (their bits), for once
	for k, o := range odd {
		msg := o.first
		if o.n > 1 {
			msg += fmt.Sprintf(" (and %d more such bodies)", o.n-1)
		}
		said = append(said, msg)
		if o.n > 0 {
			kinds |= 1 << k
		}
	}
	if once {
		// The same kinds again (the calls they name differ: a
		// subscription's polls are /5, /6...): said already.
		c.mu.Lock()
		same := c.matchSaid == kinds
		c.matchSaid = kinds
		c.mu.Unlock()
		if same {
			return out
		}
	}
	for k, msg := range said {
		switch {
		case odd[k].n == 0:
		case k == oddDebug:
			c.infof("%s", msg)
		default:
			c.warnf("%s", msg)
		}
	}
	return out
}

// The kinds of oddity of a reply's bodies that match says once each.
const (
	oddStray      = iota // a body that answers no call
	oddDebug             // debug events (said as information)
	oddKind              // a body of an unknown kind for a call
	oddTwice             // a call answered twice
	oddNoSlash           // "1/onResult"
	oddInResponse        // the call's number in the response URI
	oddTaken             // a body that names no call, read as a call's
	oddNumber            // a body for another call number, read as the one open call's
	oddKinds
)

// isCallID reports whether id is a call's response URI: "/" and digits.
func isCallID(id string) bool {
	if len(id) < 2 || id[0] != '/' {
		return false
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// namesCall reports whether a reply body's target holds a call's number
// ("/7/onResult", "7/onStatus", "7"), whether or not a call has it.
func namesCall(target string) bool {
	id, _ := splitTarget(target)
	return isCallID("/" + strings.TrimPrefix(id, "/"))
}

// namesNoService reports whether a reply body's target names no
// service: "" or "null", or one that ends as a reply's does
// ("/onResult", "onStatus"). A body whose target names one ("echo.echo")
// is a request's: a server that sends the request back (a mirror) does
// not answer it, though its bodies have the calls' response URIs.
func namesNoService(target string) bool {
	return target == "" || strings.EqualFold(target, "null") || looseKind(target) != ""
}

// looseKind is the kind of a reply body's target that may lack its call
// number or its slashes ("/onStatus", "onResult", "null"): "/onResult",
// "/onStatus" or "/onDebugEvents" by how it ends (in any case), else ""
// (read as a result where a result is taken).
func looseKind(target string) string {
	t := strings.ToLower(target)
	switch {
	case strings.HasSuffix(t, "onstatus"):
		return "/onStatus"
	case strings.HasSuffix(t, "onresult"):
		return "/onResult"
	case strings.HasSuffix(t, "ondebugevents"):
		return "/onDebugEvents"
	}
	return ""
}

// resultValue removes the transport wrapper (the AMF3 switch) from a
// result.
func resultValue(v any) any { return amf.Unwrap(v) }

// NewFault builds a Fault from an /onStatus body's value: an AMF0 status
// object (code, description, details, level, type), a Flex ErrorMessage
// (faultCode, faultString, faultDetail; Value keeps only its five fault
// fields), or any other value (kept in Value; a string becomes the
// description).
func NewFault(target, response string, v any) *Fault {
	f := &Fault{Target: target, Response: response, Value: v}
	var members []amf.Member
	class := ""
	switch x := amf.Unwrap(v).(type) {
	case *amf.Object:
		members, class = x.Members, x.Class
	case *amf.ECMAArray:
		members = x.Members
	case string:
		f.Description = x
		f.Level = "error"
		return f
	default:
		f.Level = "error"
		return f
	}
	get := func(name string) string {
		for _, m := range members {
			if m.Name == name {
				return faultText(m.Value)
			}
		}
		return ""
	}
	if class == amf.ClassErrorMessage || get("faultCode") != "" || get("faultString") != "" {
		f.Code = get("faultCode")
		f.Description = get("faultString")
		f.Details = get("faultDetail")
		f.Level = "error"
		f.Type = class
		if o, ok := amf.Unwrap(v).(*amf.Object); ok && class == amf.ClassErrorMessage {
			f.Value = flexFaultValue(o)
		}
		return f
	}
	f.Code = get("code")
	f.Description = get("description")
	f.Details = get("details")
	f.Level = get("level")
	f.Type = get("type")
	if f.Level == "" {
		f.Level = "error"
	}
	return f
}

func faultText(v any) string {
	switch x := amf.Unwrap(v).(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case amf.Int:
		return strconv.Itoa(int(x))
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}
