package client

import (
	"fmt"
	"net/http"
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
	// Cookie, Accept-Encoding), for HTTP/1.x connections.
	SentHeader http.Header
	// Timings of the exchange.
	Timings Timings
}

// Timings are the durations of the phases of one exchange, each measured
// from the start of the request. A phase that did not happen (DNS for an
// IP address, TLS for http, all of them on a reused connection) is zero.
type Timings struct {
	DNS       time.Duration // name lookup done
	Connect   time.Duration // TCP connection made
	TLS       time.Duration // TLS handshake done
	Sent      time.Duration // request fully written
	FirstByte time.Duration // first byte of the reply
	Total     time.Duration // reply body read
	Reused    bool          // the connection was reused
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
