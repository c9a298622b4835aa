package client

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// EventHandler receives what the client does, so that a caller can show
// it (the command line's -v and -vv) or record it (--save-request). The
// client itself never prints. Handlers are called on the goroutine that
// made the call, in order: OnRequest, then OnResponse, then any OnNotice
// about the reply.
type EventHandler interface {
	// OnRequest is called just before the request is sent.
	OnRequest(ev *RequestEvent)
	// OnResponse is called once the reply has been read (or has failed
	// to be read), before its packet is used.
	OnResponse(ev *ResponseEvent)
	// OnNotice reports something that does not fail the call: a
	// gateway-URL rewrite or a new persistent header (information), a
	// reply body that matches no call or a header the client does not
	// know (warnings).
	OnNotice(n Notice)
}

// Notice is a message from the client about the exchange.
type Notice struct {
	// Warning is set for something that looks wrong (and may explain a
	// surprising result); otherwise the notice is information, such as
	// the gateway rewriting its URL.
	Warning bool
	Msg     string
	// Kind names a notice that a caller may say more about (which of its
	// settings bears on it); zero for the others.
	Kind NoticeKind
	// Status is set on the warning that an AMF reply came with an HTTP
	// status other than 200 (a 3xx, 4xx or 5xx) and was read all the
	// same: that status. Callers that report the status themselves
	// (probe) know the warning by it, not by its wording.
	Status int
}

// NoticeKind names a kind of [Notice].
type NoticeKind uint8

const (
	// NoticePollHeld: a messaging poll was not answered within the
	// client's timeout, and is sent again. A long-polling channel holds
	// a poll until a message comes, so a timeout shorter than its wait
	// makes this every time.
	NoticePollHeld NoticeKind = 1 + iota
	// NoticeUnreachable: a messaging poll was not answered (refused,
	// reset, an HTTP 5xx): the subscription is tried again, for
	// Subscription.MaxOutage.
	NoticeUnreachable
	// NoticeResubscribed: the gateway answers again after an outage, or
	// ended the subscription; the notice says whether it kept the
	// subscription or it was made again, and then between which instants
	// what was published may be lost. Each is news: a caller that tells
	// a kind of warning once tells these every time.
	NoticeResubscribed
	// NoticeRedirect: the client follows a redirect (information, one
	// per hop): where to, and, to another host, whether the credentials
	// and header fields go too. A hop to another host that holds some of
	// them back is told by a warning instead, which names them.
	NoticeRedirect
)

func (c *Client) infof(format string, a ...any) {
	c.events.OnNotice(Notice{Msg: fmt.Sprintf(format, a...)})
}

func (c *Client) warnf(format string, a ...any) {
	c.events.OnNotice(Notice{Warning: true, Msg: fmt.Sprintf(format, a...)})
}

// RequestEvent describes a request about to be sent.
type RequestEvent struct {
	// HTTP is the request. Its body must not be read.
	HTTP *http.Request
	// Packet is the request packet; nil for [Client.PostStream].
	Packet *amf.Packet
	// Body is the encoded packet; nil for [Client.PostStream].
	Body []byte
}

// ResponseEvent describes a reply.
type ResponseEvent struct {
	// HTTP is the reply (status, headers); nil when no reply came back.
	// Its body has already been read.
	HTTP *http.Response
	// Body is the reply body as read (decompressed): whole for an AMF
	// reply, cut short when reading it failed, and only its first 4 KiB
	// when it was refused (an HTTP error status, another content type).
	Body []byte
	// Skipped is how many bytes at the start of Body were not AMF and
	// were skipped: text that a PHP gateway printed before the packet (a
	// notice, a byte order mark). The packet starts after them.
	Skipped int
	// Packet is the decoded reply, nil when it was not decoded.
	Packet *amf.Packet
	// Err is the failure, if the exchange failed.
	Err error
	// SentHeader holds the request header fields as they were written on
	// the wire (with what the transport adds: Host, Content-Length,
	// Cookie, Accept-Encoding), for HTTP/1.x connections: those of the
	// last request when the exchange was redirected.
	SentHeader http.Header
	// Timings of the last request of the exchange (the only one unless
	// it was redirected), from its own start.
	Timings Timings
	// Redirects are the requests of the exchange that were answered
	// with a redirect (307, 308) which the client followed, in order:
	// each has its own header fields and timings, and the fields above
	// are those of the request that came last. Before, the header
	// fields of every request were mixed in SentHeader, and the
	// timings of the last request were measured from the first one's
	// start (those of the others lost).
	Redirects []Redirect
	// Unfollowed is the redirect that answered the last request when
	// the client did not follow it (a 301-303 that would turn the POST
	// into a GET, one past the tenth, -u's credentials to another host):
	// the exchange then ends with an error, and HTTP is nil. Its body
	// has been closed.
	Unfollowed *http.Response
	// Elapsed is the whole exchange: from the first request's start to
	// the end of the reply, redirects included (Timings.Total when
	// there was none).
	Elapsed time.Duration
}

// Redirect is a request of an exchange that was answered with a
// redirect the client followed.
type Redirect struct {
	// HTTP is the redirect: its status, header fields (Location) and
	// the Request it answered. Its body has been read or closed.
	HTTP *http.Response
	// SentHeader holds the header fields of that request as written.
	SentHeader http.Header
	// Timings of that request, from its start; its Total ends where
	// the next request starts (the redirect read and checked).
	Timings Timings
}

// Timings are the durations of the phases of one HTTP request, each
// measured from its start (when the client asks for a connection). A
// phase that did not happen (DNS for an IP address, TLS for http, all of
// them on a reused connection) is zero.
type Timings struct {
	DNS       time.Duration // name lookup done
	Connect   time.Duration // TCP connection made
	TLS       time.Duration // TLS handshake done
	Sent      time.Duration // request fully written
	FirstByte time.Duration // first byte of the reply
	Total     time.Duration // reply body read
	Reused    bool          // the connection was reused
}

// exchangeTimer times the requests of one exchange, each from its own
// start, and keeps each one's header fields: the http.Client follows a
// redirect within one call, and the trace hooks of every request of it
// run on the same trace. A request starts when the client asks for its
// connection (GetConn); checkRedirect marks the end of one that a
// redirect answered (redirected), so that the next GetConn starts
// another, and a GetConn with no redirect before it (the transport
// sending a request again on a new connection, the old one having been
// closed) goes on with the same request.
type exchangeTimer struct {
	mu          sync.Mutex
	started     bool
	start       time.Time // the first request's
	hop         time.Time // the current request's
	cur         Timings
	sent        http.Header
	pending     *http.Response // the redirect that answered the current request
	done        []Redirect
	onFirstByte func()
}

// exchangeTimerKey holds an exchange's *exchangeTimer in its context,
// for checkRedirect.
type exchangeTimerKey struct{}

// newExchangeTimer starts timing an exchange; onFirstByte, when not
// nil, is called at each first byte of a reply.
func newExchangeTimer(onFirstByte func()) *exchangeTimer {
	now := time.Now()
	return &exchangeTimer{start: now, hop: now, sent: http.Header{}, onFirstByte: onFirstByte}
}

// trace is the hooks that time the exchange's requests.
func (x *exchangeTimer) trace() *httptrace.ClientTrace {
	mark := func(d *time.Duration) {
		x.mu.Lock()
		*d = time.Since(x.hop)
		x.mu.Unlock()
	}
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			x.mu.Lock()
			defer x.mu.Unlock()
			now := time.Now()
			switch {
			case !x.started:
				x.started, x.start, x.hop = true, now, now
			case x.pending != nil:
				x.cur.Total = now.Sub(x.hop)
				x.done = append(x.done, Redirect{HTTP: x.pending, SentHeader: x.sent, Timings: x.cur})
				x.pending, x.cur, x.sent, x.hop = nil, Timings{}, http.Header{}, now
			default:
				// Sent again: the fields written are the last try's.
				x.sent = http.Header{}
			}
		},
		DNSDone:          func(httptrace.DNSDoneInfo) { mark(&x.cur.DNS) },
		ConnectDone:      func(string, string, error) { mark(&x.cur.Connect) },
		TLSHandshakeDone: func(tls.ConnectionState, error) { mark(&x.cur.TLS) },
		GotConn: func(i httptrace.GotConnInfo) {
			x.mu.Lock()
			x.cur.Reused = i.Reused
			x.mu.Unlock()
		},
		WroteHeaderField: func(key string, value []string) {
			x.mu.Lock()
			x.sent[key] = append(x.sent[key], value...)
			x.mu.Unlock()
		},
		WroteRequest: func(httptrace.WroteRequestInfo) { mark(&x.cur.Sent) },
		GotFirstResponseByte: func() {
			mark(&x.cur.FirstByte)
			if x.onFirstByte != nil {
				x.onFirstByte()
			}
		},
	}
}

// redirected records that resp, a redirect, answered the current
// request: the next request is another.
func (x *exchangeTimer) redirected(resp *http.Response) {
	x.mu.Lock()
	x.pending = resp
	x.mu.Unlock()
}

// finish sets ev's timings and header fields, the exchange being over.
func (x *exchangeTimer) finish(ev *ResponseEvent) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := time.Now()
	x.cur.Total = now.Sub(x.hop)
	ev.Timings, ev.SentHeader, ev.Redirects, ev.Elapsed = x.cur, x.sent, x.done, now.Sub(x.start)
	if x.pending != nil && ev.HTTP == nil {
		// A redirect checkRedirect refused: -vv showed the request and
		// its timings, not the reply that ended it.
		ev.Unfollowed = x.pending
	}
}

// NopHandler ignores every event; embed it to implement only some
// methods.
type NopHandler struct{}

// OnRequest does nothing.
func (NopHandler) OnRequest(*RequestEvent) {}

// OnResponse does nothing.
func (NopHandler) OnResponse(*ResponseEvent) {}

// OnNotice does nothing.
func (NopHandler) OnNotice(Notice) {}
